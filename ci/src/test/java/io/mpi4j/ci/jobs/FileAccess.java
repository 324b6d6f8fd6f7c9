package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;

import mpi.Datatype;
import mpi.File;
import mpi.Info;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/**
 * Parallel I/O end to end, files in the directory given as argument: a file written through an interleaved vector
 * view (two aggregators) and read back contiguously; every access family (explicit offsets, individual and shared
 * pointers; blocking, non-blocking, collective, split); derived memory types; ordered and shared-pointer
 * accesses; atomic mode; append mode and delete-on-close; accesses that move the program's own memory (a
 * direct buffer or a byte array holding the items in one block) next to those that pack it.
 */
public final class FileAccess
{
    private static final int M = 37;

    private static int rank;
    private static int size;
    private static String dir;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        rank = MPI.COMM_WORLD.getRank();
        size = MPI.COMM_WORLD.getSize();
        dir = args[0];
        interleavedViewThenContiguousRead();
        everyAccessFamily();
        sharedPointers();
        atomicity();
        appendAndDeleteOnClose();
        leftOpenAtFinalize();
        inPlaceStreams();
        MPI.COMM_WORLD.barrier();
        System.out.println("OK file-access rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    private static int value(final int global)
    {
        return global * 7 + 1;
    }

    private static void interleavedViewThenContiguousRead() throws MPIException
    {
        final String name = dir + "/interleaved";
        final int blocks = 5;
        final int block = 3;
        final Info info = new Info();
        info.set("cb_nodes", "2");
        // A window smaller than a block, and not a whole number of ints: many rounds, pieces cut mid-int.
        info.set("cb_buffer_size", "10");
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_WRONLY, info);
        Expect.that(f.getInfo().get("cb_nodes").equals(Integer.toString(Math.min(2, size))), "cb_nodes in effect");
        final Datatype filetype = Datatype.createVector(blocks, block, size * block, MPI.INT);
        filetype.commit();
        f.setView((long)rank * block * 4, MPI.INT, filetype, "native");
        Expect.that(f.getView().getFileType() == filetype && f.getView().getDisp() == rank * block * 4, "getView");
        // Byte offset of view etype 'block' (second block of this rank): one stride further.
        Expect.equal((long)(size * block + rank * block) * 4, f.getByteOffset(block), "getByteOffset");
        final int[] mine = new int[blocks * block];
        for (int k = 0; k < blocks; k++)
        {
            for (int j = 0; j < block; j++)
            {
                mine[k * block + j] = value((k * size + rank) * block + j);
            }
        }
        // Two calls: the individual pointer carries on from the first.
        final Status s1 = f.writeAll(mine, 2 * block, MPI.INT);
        Expect.equal(2 * block, s1.getCount(MPI.INT), "writeAll count");
        Expect.equal(2 * block, f.getPosition(), "position after writeAll");
        f.writeAll(Arrays.copyOfRange(mine, 2 * block, mine.length), (blocks - 2) * block, MPI.INT);
        f.close();
        filetype.free();

        final File g = new File(MPI.COMM_WORLD, name, MPI.MODE_RDONLY);
        final int total = size * blocks * block;
        Expect.equal(total * 4L, g.getSize(), "size of the interleaved file");
        final int[] all = new int[total];
        final Status s = g.readAtAll(0, all, total, MPI.INT);
        Expect.equal(total, s.getCount(MPI.INT), "readAtAll count");
        for (int i = 0; i < total; i++)
        {
            Expect.equal(value(i), all[i], "interleaved int " + i);
        }
        // Reading past the end stops there.
        final int[] tail = new int[8];
        Expect.equal(2, g.readAt((total - 2) * 4L, tail, 8, MPI.INT).getCount(MPI.INT), "read at the end");
        g.close();
        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
    }

    private static byte pattern(final long fileOffset)
    {
        return (byte)(fileOffset * 31 + (fileOffset >>> 11) + 5);
    }

    /**
     * Contiguous items in a direct buffer or a byte array are written and read in place, everything else through a
     * packed copy: every combination must put the same bytes at the same file offsets. Blocks of a few MiB and an odd
     * length, so that the kernel moves them in several calls and no page boundary lines up.
     */
    private static void inPlaceStreams() throws MPIException
    {
        final String name = dir + "/in-place";
        final int block = (3 << 20) + 4097;
        final long mine = (long)rank * block;
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
        // Collective, ranges apart: each rank writes its block straight from its direct buffer.
        final ByteBuffer out = MPI.newByteBuffer(block);
        for (int i = 0; i < block; i++)
        {
            out.put(i, pattern(mine + i));
        }
        Expect.equal(block, f.writeAtAll(mine, out, block, MPI.BYTE).getCount(MPI.BYTE), "writeAtAll from direct");
        // Independent, from a byte array, behind every block: the second half of the file.
        final long second = (long)size * block + mine;
        final byte[] array = new byte[block];
        for (int i = 0; i < block; i++)
        {
            array[i] = pattern(second + i);
        }
        Expect.equal(block, f.writeAt(second, array, block, MPI.BYTE).getCount(MPI.BYTE), "writeAt from byte[]");
        f.sync();
        MPI.COMM_WORLD.barrier();
        f.sync();
        final long fileBytes = 2L * size * block;
        Expect.equal(fileBytes, f.getSize(), "size after in-place writes");

        // The next rank's first block into a direct buffer (collective), the whole second half into a byte array.
        final long theirs = (long)((rank + 1) % size) * block;
        final ByteBuffer in = MPI.newByteBuffer(block);
        Expect.equal(block, f.readAtAll(theirs, in, block, MPI.BYTE).getCount(MPI.BYTE), "readAtAll into direct");
        for (int i = 0; i < block; i++)
        {
            if (in.get(i) != pattern(theirs + i))
            {
                Expect.that(false, "readAtAll into direct: byte " + i + " of the block at " + theirs);
            }
        }
        final byte[] half = new byte[size * block];
        Expect.equal(size * block, f.readAt((long)size * block, half, size * block, MPI.BYTE).getCount(MPI.BYTE),
            "readAt into byte[]");
        for (int i = 0; i < half.length; i++)
        {
            if (half[i] != pattern((long)size * block + i))
            {
                Expect.that(false, "readAt into byte[]: byte " + i + " of the second half");
            }
        }

        // Reading across the end into a direct buffer: the bytes past it are left alone.
        final ByteBuffer tail = MPI.newByteBuffer(4096);
        for (int i = 0; i < tail.capacity(); i++)
        {
            tail.put(i, (byte)0x5a);
        }
        Expect.equal(1000, f.readAt(fileBytes - 1000, tail, 4096, MPI.BYTE).getCount(MPI.BYTE), "read across the end");
        for (int i = 0; i < tail.capacity(); i++)
        {
            Expect.equal(i < 1000 ? pattern(fileBytes - 1000 + i) : (byte)0x5a, tail.get(i), "tail byte " + i);
        }

        // A direct buffer under a vector memory type (packed, not in place): every other 512-byte piece.
        final Datatype everyOther = Datatype.createVector(64, 512, 1024, MPI.BYTE);
        everyOther.commit();
        final ByteBuffer sparse = MPI.newByteBuffer(64 * 1024);
        Expect.equal(64 * 512, f.readAt(mine, sparse, 1, everyOther).getCount(MPI.BYTE), "readAt into a vector");
        for (int k = 0; k < 64; k++)
        {
            for (int j = 0; j < 512; j++)
            {
                Expect.equal(pattern(mine + k * 512 + j), sparse.get(k * 1024 + j), "vector piece " + k + " byte " + j);
                Expect.equal((byte)0, sparse.get(k * 1024 + 512 + j), "vector gap " + k + " byte " + j);
            }
        }
        everyOther.free();

        // Interleaved collectives from a direct buffer, pieces dealt round-robin over the first half, read back
        // contiguously: small pieces go through aggregators (the stream packed from native memory), large ones
        // straight from each rank's memory.
        for (final int piece : new int[] {16 << 10, 128 << 10})
        {
            final int pieces = block / piece;
            final Datatype dealt = Datatype.createVector(pieces, piece, piece * size, MPI.BYTE);
            dealt.commit();
            f.setView((long)rank * piece, MPI.BYTE, dealt, "native");
            final ByteBuffer interleaved = MPI.newByteBuffer(pieces * piece);
            for (int k = 0; k < pieces; k++)
            {
                for (int j = 0; j < piece; j++)
                {
                    interleaved.put(k * piece + j, (byte)(rank + 3 * k + j + piece));
                }
            }
            f.writeAtAll(0, interleaved, pieces * piece, MPI.BYTE);
            f.sync();
            MPI.COMM_WORLD.barrier();
            f.sync();
            f.setView(0, MPI.BYTE, MPI.BYTE, "native");
            final ByteBuffer back = MPI.newByteBuffer(size * pieces * piece);
            f.readAtAll(0, back, back.capacity(), MPI.BYTE);
            for (int k = 0; k < pieces; k++)
            {
                for (int r = 0; r < size; r++)
                {
                    for (int j = 0; j < piece; j++)
                    {
                        if (back.get((k * size + r) * piece + j) != (byte)(r + 3 * k + j + piece))
                        {
                            Expect.that(false, "interleaved piece " + k + " of rank " + r + " byte " + j + " (" +
                                piece + "-byte pieces)");
                        }
                    }
                }
            }
            dealt.free();
        }

        // Large pieces that meet: every rank writes the same 256 KiB in one collective call; they must still go
        // through the aggregators, where the highest rank's bytes win.
        final int same = 256 << 10;
        final ByteBuffer mark = MPI.newByteBuffer(same);
        for (int j = 0; j < same; j++)
        {
            mark.put(j, (byte)(rank * 11 + j));
        }
        f.writeAtAll(12345, mark, same, MPI.BYTE);
        f.sync();
        MPI.COMM_WORLD.barrier();
        f.sync();
        final ByteBuffer won = MPI.newByteBuffer(same);
        f.readAtAll(12345, won, same, MPI.BYTE);
        for (int j = 0; j < same; j++)
        {
            if (won.get(j) != (byte)((size - 1) * 11 + j))
            {
                Expect.that(false, "overlapping collective write: byte " + j + " is not the highest rank's");
            }
        }
        f.close();
        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
    }

    /** Region R of the family file: p*M ints from int R*p*M; this rank's part starts at R*p*M + rank*M. */
    private static long part(final int region)
    {
        return (long)region * size * M + (long)rank * M;
    }

    private static int[] fill(final int region, final int owner)
    {
        final int[] data = new int[M];
        for (int j = 0; j < M; j++)
        {
            data[j] = value(region * 100000 + owner * 1000 + j);
        }
        return data;
    }

    private static void check(final int[] got, final int region, final int owner, final String what)
    {
        Expect.that(Arrays.equals(fill(region, owner), got), what + ": " + Arrays.toString(got));
    }

    private static IntBuffer direct(final int[] data)
    {
        final IntBuffer b = MPI.newIntBuffer(data.length);
        b.put(data).clear();
        return b;
    }

    private static int[] array(final IntBuffer b)
    {
        final int[] out = new int[b.capacity()];
        b.get(0, out);
        return out;
    }

    private static void everyAccessFamily() throws MPIException
    {
        final String name = dir + "/families";
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
        f.setView(0, MPI.INT, MPI.INT, "native");
        final int other = (rank + 1) % size;
        final long otherOffset = (long)other * M - (long)rank * M;

        f.writeAt(part(0), fill(0, rank), M, MPI.INT);
        f.iWriteAt(part(1), direct(fill(1, rank)), M, MPI.INT).waitFor();
        f.writeAtAll(part(2), fill(2, rank), M, MPI.INT);
        f.iWriteAtAll(part(3), direct(fill(3, rank)), M, MPI.INT).waitFor();
        f.seek(part(4), MPI.SEEK_SET);
        f.write(fill(4, rank), M, MPI.INT);
        Expect.equal(part(4) + M, f.getPosition(), "position after write");
        f.seek(part(5) - f.getPosition(), MPI.SEEK_CUR);
        f.writeAll(fill(5, rank), M, MPI.INT);
        f.seek(part(6), MPI.SEEK_SET);
        final Request w = f.iWrite(direct(fill(6, rank)), M, MPI.INT);
        Expect.equal(part(6) + M, f.getPosition(), "the individual pointer moves when iWrite starts");
        Expect.equal(M * 4, w.waitStatus().getCount(MPI.BYTE), "iWrite's status counts the bytes written");
        f.seek(part(7), MPI.SEEK_SET);
        f.iWriteAll(direct(fill(7, rank)), M, MPI.INT).waitFor();
        f.writeAtAllBegin(part(8), fill(8, rank), M, MPI.INT);
        Expect.equal(M, f.writeAtAllEnd(null).getCount(MPI.INT), "writeAtAllEnd count");
        f.seek(part(9), MPI.SEEK_SET);
        f.writeAllBegin(fill(9, rank), M, MPI.INT);
        f.writeAllEnd(null);
        // A derived memory type: every other int of a buffer twice as long.
        final Datatype everyOther = Datatype.createVector(M, 1, 2, MPI.INT);
        everyOther.commit();
        final int[] spread = new int[2 * M];
        final int[] ten = fill(10, rank);
        for (int j = 0; j < M; j++)
        {
            spread[2 * j] = ten[j];
            spread[2 * j + 1] = -1;
        }
        Expect.equal(1, f.writeAt(part(10), spread, 1, everyOther).getCount(everyOther), "derived write count");
        f.sync();
        MPI.COMM_WORLD.barrier();
        f.sync();
        Expect.equal(11L * size * M * 4, f.getSize(), "size after every family");

        // Read back the neighbour's parts with each family.
        int[] got = new int[M];
        f.readAt(part(0) + otherOffset, got, M, MPI.INT);
        check(got, 0, other, "readAt");
        IntBuffer b = MPI.newIntBuffer(M);
        f.iReadAt(part(1) + otherOffset, b, M, MPI.INT).waitFor();
        check(array(b), 1, other, "iReadAt");
        f.readAtAll(part(2) + otherOffset, got, M, MPI.INT);
        check(got, 2, other, "readAtAll");
        b = MPI.newIntBuffer(M);
        Expect.equal(M, f.iReadAtAll(part(3) + otherOffset, b, M, MPI.INT).waitStatus().getCount(MPI.INT),
            "iReadAtAll count");
        check(array(b), 3, other, "iReadAtAll");
        f.seek(part(4) + otherOffset, MPI.SEEK_SET);
        f.read(got, M, MPI.INT);
        check(got, 4, other, "read");
        f.seek(part(5) + otherOffset, MPI.SEEK_SET);
        f.readAll(got, M, MPI.INT);
        check(got, 5, other, "readAll");
        f.seek(part(6) + otherOffset, MPI.SEEK_SET);
        b = MPI.newIntBuffer(M);
        f.iRead(b, M, MPI.INT).waitFor();
        check(array(b), 6, other, "iRead");
        f.seek(part(7) + otherOffset, MPI.SEEK_SET);
        b = MPI.newIntBuffer(M);
        f.iReadAll(b, M, MPI.INT).waitFor();
        check(array(b), 7, other, "iReadAll");
        f.readAtAllBegin(part(8) + otherOffset, got, M, MPI.INT);
        Expect.equal(M, f.readAtAllEnd(got).getCount(MPI.INT), "readAtAllEnd count");
        check(got, 8, other, "readAtAllBegin/End");
        f.seek(part(9) + otherOffset, MPI.SEEK_SET);
        f.readAllBegin(got, M, MPI.INT);
        f.readAllEnd(got);
        check(got, 9, other, "readAllBegin/End");
        Expect.equal(part(9) + otherOffset + M, f.getPosition(), "position after readAllBegin/End");
        final int[] back = new int[2 * M];
        f.readAt(part(10) + otherOffset, back, 1, everyOther);
        final int[] gathered = new int[M];
        for (int j = 0; j < M; j++)
        {
            gathered[j] = back[2 * j];
            Expect.equal(0, back[2 * j + 1], "gap of the derived read untouched");
        }
        check(gathered, 10, other, "derived read");
        everyOther.free();
        f.seek(-M, MPI.SEEK_END);
        Expect.equal(11L * size * M - M, f.getPosition(), "seek from the end");

        f.setSize(4L * M);
        Expect.equal(4L * M, f.getSize(), "setSize truncates");
        f.preallocate(8L * M);
        Expect.equal(8L * M, f.getSize(), "preallocate extends");
        f.preallocate(4L);
        Expect.equal(8L * M, f.getSize(), "preallocate never shrinks");
        Expect.equal(size, f.getGroup().getSize(), "getGroup");
        Expect.equal(MPI.MODE_CREATE | MPI.MODE_RDWR, f.getAMode(), "getAMode");
        f.close();
        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
    }

    private static void sharedPointers() throws MPIException
    {
        final String name = dir + "/shared";
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR | MPI.MODE_DELETE_ON_CLOSE);
        f.setView(0, MPI.INT, MPI.INT, "native");
        final int ordered = size * (size + 1) / 2;
        // writeOrdered: rank r writes r+1 copies of r, in rank order.
        final int[] mine = new int[rank + 1];
        Arrays.fill(mine, rank);
        Expect.equal(rank + 1, f.writeOrdered(mine, rank + 1, MPI.INT).getCount(MPI.INT), "writeOrdered count");
        Expect.equal(ordered, f.getPositionShared(), "shared pointer after writeOrdered");
        // No rank moves the pointer on before every rank has looked at it.
        MPI.COMM_WORLD.barrier();
        final int[] all = new int[ordered];
        f.readAtAll(0, all, ordered, MPI.INT);
        for (int r = 0, at = 0; r < size; r++)
        {
            for (int k = 0; k <= r; k++, at++)
            {
                Expect.equal(r, all[at], "writeOrdered layout at " + at);
            }
        }
        // writeShared: each rank appends a pair (rank, 42) in whatever order the ranks arrive.
        f.writeShared(new int[] {rank, 42}, 2, MPI.INT);
        f.iWriteShared(direct(new int[] {rank, 43}), 2, MPI.INT).waitFor();
        MPI.COMM_WORLD.barrier();
        Expect.equal(ordered + 4L * size, f.getPositionShared(), "shared pointer after writeShared");
        final int[] pairs = new int[4 * size];
        f.readAtAll(ordered, pairs, 4 * size, MPI.INT);
        final int[] seen42 = new int[size];
        final int[] seen43 = new int[size];
        for (int i = 0; i < 2 * size; i++)
        {
            final int who = pairs[2 * i];
            Expect.that(who >= 0 && who < size, "pair owner " + who);
            if (42 == pairs[2 * i + 1])
            {
                seen42[who]++;
            }
            else
            {
                Expect.equal(43, pairs[2 * i + 1], "pair tag");
                seen43[who]++;
            }
        }
        for (int r = 0; r < size; r++)
        {
            Expect.that(1 == seen42[r] && 1 == seen43[r], "rank " + r + " wrote one pair of each through the " +
                "shared pointer");
        }
        // readOrdered from the start: each rank gets back its own run.
        f.seekShared(0, MPI.SEEK_SET);
        final int[] own = new int[rank + 1];
        f.readOrderedBegin(own, rank + 1, MPI.INT);
        f.readOrderedEnd(own);
        Expect.that(Arrays.equals(mine, own), "readOrdered gives each rank its run");
        Expect.equal(ordered, f.getPositionShared(), "shared pointer after readOrdered");
        MPI.COMM_WORLD.barrier();
        // readShared: the pairs are shared out, each read exactly once.
        final int[] pair = new int[2];
        f.readShared(pair, 2, MPI.INT);
        final IntBuffer second = MPI.newIntBuffer(2);
        f.iReadShared(second, 2, MPI.INT).waitFor();
        final int[] read = {pair[0], pair[1], second.get(0), second.get(1)};
        final int[] everyone = new int[4 * size];
        MPI.COMM_WORLD.allGather(read, 4, MPI.INT, everyone, 4, MPI.INT);
        final int[] sorted = everyone.clone();
        final int[] expected = pairs.clone();
        Expect.that(samePairs(sorted, expected), "readShared hands out every pair once");
        // writeOrderedBegin/End and seekShared from the end.
        f.seekShared(0, MPI.SEEK_END);
        f.writeOrderedBegin(new int[] {rank}, 1, MPI.INT);
        f.writeOrderedEnd(null);
        Expect.equal(ordered + 4L * size + size, f.getPositionShared(), "after writeOrderedBegin/End");
        f.close();
        MPI.COMM_WORLD.barrier();
        Expect.that(!Files.exists(Paths.get(name)), "MODE_DELETE_ON_CLOSE removed the file");
    }

    private static boolean samePairs(final int[] a, final int[] b)
    {
        final long[] x = new long[a.length / 2];
        final long[] y = new long[b.length / 2];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = (long)a[2 * i] << 32 | a[2 * i + 1];
            y[i] = (long)b[2 * i] << 32 | b[2 * i + 1];
        }
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }

    private static void atomicity() throws MPIException
    {
        final String name = dir + "/atomic";
        final Info info = new Info();
        info.set("cb_nodes", Integer.toString(size));
        info.set("cb_buffer_size", "1000");
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR, info);
        Expect.that(!f.getAtomicity(), "non-atomic by default");
        f.setAtomicity(true);
        Expect.that(f.getAtomicity(), "atomic after setAtomicity(true)");
        final int n = 4096;
        final int[] mine = new int[n];
        Arrays.fill(mine, rank);
        // Concurrent overlapping independent writes: each access is all or nothing.
        for (int round = 0; round < 5; round++)
        {
            f.writeAt(0, mine, n, MPI.INT);
            final int[] seen = new int[n];
            f.readAt(0, seen, n, MPI.INT);
            for (int i = 1; i < n; i++)
            {
                Expect.equal(seen[0], seen[i], "atomic read sees one writer only, round " + round);
            }
        }
        MPI.COMM_WORLD.barrier();
        // Overlapping collective write over several aggregators: the highest rank wins everywhere.
        f.writeAtAll(0, mine, n, MPI.INT);
        final int[] seen = new int[n];
        f.readAtAll(0, seen, n, MPI.INT);
        for (int i = 0; i < n; i++)
        {
            Expect.equal(size - 1, seen[i], "overlapping collective write in rank order at " + i);
        }
        f.setAtomicity(false);
        Expect.that(!f.getAtomicity(), "non-atomic again");
        f.close();
        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
    }

    private static void appendAndDeleteOnClose() throws MPIException
    {
        final String name = dir + "/append";
        final File f = new File(MPI.COMM_SELF, name + rank, MPI.MODE_CREATE | MPI.MODE_WRONLY);
        f.write(new byte[] {1, 2, 3}, 3, MPI.BYTE);
        f.close();
        final File g = new File(MPI.COMM_SELF, name + rank, MPI.MODE_WRONLY | MPI.MODE_APPEND |
            MPI.MODE_DELETE_ON_CLOSE);
        Expect.equal(3, g.getPosition(), "append mode starts at the end");
        Expect.equal(3, g.getPositionShared(), "append mode: shared pointer at the end");
        g.write(new byte[] {4}, 1, MPI.BYTE);
        Expect.equal(4, g.getSize(), "appended");
        g.close();
        Expect.that(!Files.exists(Paths.get(name + rank)), "deleted on close");
    }

    /** A file the program never closes: MPI_Finalize closes it with its data written and no side file left. */
    private static void leftOpenAtFinalize() throws MPIException
    {
        final File f = new File(MPI.COMM_WORLD, dir + "/left-open", MPI.MODE_CREATE | MPI.MODE_WRONLY);
        final Request r = f.iWriteAt(4L * rank, direct(new int[] {value(rank)}), 1, MPI.INT);
        r.waitFor();
    }
}
