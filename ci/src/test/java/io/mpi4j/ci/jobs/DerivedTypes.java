package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import mpi.Datatype;
import mpi.DoubleInt;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.Request;
import mpi.Status;
import mpi.UserFunction;

/**
 * Derived datatypes through point-to-point and collectives, checked element by element against what the layout
 * says: a column of a row-major matrix (vector), indexed blocks, a struct, a resized type, MINLOC on a pair type,
 * pack/unpack and MPI.PACKED messages. Every exchange runs at a small and at a large size (args[0] rows: the large
 * one sends more than 1 MiB, by rendezvous).
 */
public final class DerivedTypes
{
    private static int rank;
    private static int size;
    private static int checks;

    private DerivedTypes()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        rank = MPI.COMM_WORLD.getRank();
        size = MPI.COMM_WORLD.getSize();
        for (final int rows : new int[]{ 5, 300_000 })
        {
            columnRing(rows);
            columnCollectives(rows);
        }
        indexedAndStruct();
        resizedScatterGather();
        pairMinloc();
        userOpOnStruct();
        packUnpack();
        System.out.println("OK datatypes rank=" + rank + " size=" + size + " checks=" + checks);
        MPI.Finalize();
    }

    private static int value(final int owner, final int row, final int col)
    {
        return owner * 1_000_000 + row * 7 + col;
    }

    /** Column 1 of a rows x 3 int matrix to the next rank, received as contiguous ints, and back into column 2. */
    private static void columnRing(final int rows) throws MPIException
    {
        final Datatype column = Datatype.createVector(rows, 1, 3, MPI.INT);
        column.commit();
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final int[] matrix = new int[rows * 3];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                matrix[r * 3 + c] = value(rank, r, c);
            }
        }
        // typed array, offset 1 through a slice: the column starts at element 1
        final int[] got = new int[rows];
        final Request send = MPI.COMM_WORLD.iSend(MPI.slice(matrix, 1), 1, column, next, 1);
        final Status status = MPI.COMM_WORLD.recv(got, rows, MPI.INT, prev, 1);
        send.waitFor();
        Expect.equal(rows, status.getCount(MPI.INT), "count of the column as ints");
        for (int r = 0; r < rows; r++)
        {
            Expect.equal(value(prev, r, 1), got[r], "column element " + r);
        }
        // contiguous ints back into column 2 of a direct buffer matrix; columns 0 and 1 must stay as they were
        final IntBuffer target = MPI.newIntBuffer(rows * 3);
        for (int i = 0; i < rows * 3; i++)
        {
            target.put(i, -i);
        }
        final Request back = MPI.COMM_WORLD.iRecv(MPI.slice(target, 2), 1, column, next, 2);
        MPI.COMM_WORLD.send(got, rows, MPI.INT, prev, 2);
        final Status backStatus = back.waitStatus();
        Expect.equal(1, backStatus.getCount(column), "count in columns");
        Expect.equal(rows, backStatus.getElements(column), "elements in columns");
        for (int r = 0; r < rows; r++)
        {
            Expect.equal(value(rank, r, 1), target.get(r * 3 + 2), "returned column element " + r);
            Expect.equal(-(r * 3), target.get(r * 3), "untouched column 0 at row " + r);
            Expect.equal(-(r * 3 + 1), target.get(r * 3 + 1), "untouched column 1 at row " + r);
        }
        // sendrecv_replace with the column type, synchronous and buffered sends
        final int[] replace = matrix.clone();
        MPI.COMM_WORLD.sendRecvReplace(replace, 1, column, next, 3, prev, 3);
        for (int r = 0; r < rows; r++)
        {
            Expect.equal(value(prev, r, 0), replace[r * 3], "replaced column 0 row " + r);
            Expect.equal(value(rank, r, 1), replace[r * 3 + 1], "column 1 after replace row " + r);
        }
        final int[] sync = new int[rows * 3];
        final Request ssend = MPI.COMM_WORLD.isSend(matrix, 1, column, next, 4);
        MPI.COMM_WORLD.recv(sync, 1, column, prev, 4);
        ssend.waitFor();
        for (int r = 0; r < rows; r++)
        {
            Expect.equal(value(prev, r, 0), sync[r * 3], "synchronous column row " + r);
            Expect.equal(0, sync[r * 3 + 1], "gap after synchronous column row " + r);
        }
        // probe + mrecv into the column layout, from a byte-counted send (Open MPI's quirk: BYTE on an int[])
        final int[] flat = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            flat[r] = value(rank, r, 9);
        }
        final Request bytes = MPI.COMM_WORLD.iSend(flat, rows * 4, MPI.BYTE, next, 5);
        final mpi.Message message = new mpi.Message();
        final Status probed = message.mProbe(prev, 5, MPI.COMM_WORLD);
        Expect.equal(rows * 4L, probed.getCount(MPI.BYTE), "probed bytes");
        final int[] landing = new int[rows * 3];
        message.mRecv(landing, 1, column);
        bytes.waitFor();
        for (int r = 0; r < rows; r++)
        {
            Expect.equal(value(prev, r, 9), landing[r * 3], "mrecv column row " + r);
        }
        column.free();
        checks++;
    }

    /** The column type in bcast, gather, allgather, alltoall and a reduction, blocking and not. */
    private static void columnCollectives(final int rows) throws MPIException
    {
        final Datatype column = Datatype.createVector(rows, 1, size, MPI.INT);
        column.commit();
        // every rank's matrix is rows x size; gather column 'rank' of each into a root's matrix
        final int[] mine = new int[rows * size];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < size; c++)
            {
                mine[r * size + c] = value(rank, r, c);
            }
        }
        final Datatype resized = Datatype.createResized(column, 0, 4);
        resized.commit();
        final int[] gathered = new int[rows * size];
        // send my column 'rank' as contiguous ints... and receive every rank's into its column: the resized type
        // puts item i one int further
        final int[] myColumn = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            myColumn[r] = mine[r * size + rank];
        }
        MPI.COMM_WORLD.allGather(myColumn, rows, MPI.INT, gathered, 1, resized);
        for (int r = 0; r < rows; r += Math.max(1, rows / 97))
        {
            for (int c = 0; c < size; c++)
            {
                Expect.equal(value(c, r, c), gathered[r * size + c], "allgathered column " + c + " row " + r);
            }
        }
        // bcast of column 0 of the root's matrix into everyone's column 0 (non-blocking)
        final int[] target = new int[rows * size];
        if (rank == 0)
        {
            System.arraycopy(mine, 0, target, 0, mine.length);
        }
        MPI.COMM_WORLD.iBcast(target, 1, column, 0).waitFor();
        for (int r = 0; r < rows; r += Math.max(1, rows / 97))
        {
            Expect.equal(value(0, r, 0), target[r * size], "bcast column row " + r);
            if (size > 1 && rank != 0)
            {
                Expect.equal(0, target[r * size + 1], "bcast leaves column 1 row " + r);
            }
        }
        // alltoall: column j of my matrix goes to rank j, arriving in column 'source' of its result
        final int[] swapped = new int[rows * size];
        MPI.COMM_WORLD.allToAll(mine, 1, resized, swapped, 1, resized);
        for (int r = 0; r < rows; r += Math.max(1, rows / 97))
        {
            for (int src = 0; src < size; src++)
            {
                Expect.equal(value(src, r, rank), swapped[r * size + src], "alltoall column " + src + " row " + r);
            }
        }
        // allreduce SUM over the column type (a vector of ints: element-wise on its basic elements)
        final int[] sums = new int[rows * size];
        MPI.COMM_WORLD.iAllReduce(mine, sums, 1, column, MPI.SUM).waitFor();
        for (int r = 0; r < rows; r += Math.max(1, rows / 97))
        {
            long expected = 0;
            for (int q = 0; q < size; q++)
            {
                expected += value(q, r, 0);
            }
            Expect.equal((int)expected, sums[r * size], "allreduce column row " + r);
            if (size > 1)
            {
                Expect.equal(0, sums[r * size + 1], "allreduce leaves column 1 row " + r);
            }
        }
        // alltoallw: column j (byte displacement 4 j) to rank j, landing as column 'source' of the result
        final Datatype[] types = new Datatype[size];
        final int[] ones = new int[size];
        final int[] byteDispls = new int[size];
        for (int j = 0; j < size; j++)
        {
            types[j] = column;
            ones[j] = 1;
            byteDispls[j] = 4 * j;
        }
        final int[] wswapped = new int[rows * size];
        MPI.COMM_WORLD.allToAllw(mine, ones, byteDispls, types, wswapped, ones, byteDispls, types);
        for (int r = 0; r < rows; r += Math.max(1, rows / 97))
        {
            for (int src = 0; src < size; src++)
            {
                Expect.equal(value(src, r, rank), wswapped[r * size + src], "alltoallw column " + src + " row " + r);
            }
        }
        resized.free();
        column.free();
        checks++;
    }

    /** Indexed blocks and a struct of int, double and char in a ByteBuffer, from rank 0 to every other rank. */
    private static void indexedAndStruct() throws MPIException
    {
        final Datatype indexed = Datatype.createIndexed(new int[]{ 2, 1, 3 }, new int[]{ 0, 4, 7 }, MPI.DOUBLE);
        indexed.commit();
        final double[] data = new double[20];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = rank == 0 ? i + 0.5 : -1;
        }
        // two items: extent 10 doubles, so the second starts at 10
        if (rank == 0)
        {
            for (int dest = 1; dest < size; dest++)
            {
                MPI.COMM_WORLD.send(data, 2, indexed, dest, 10);
            }
        }
        else
        {
            final Status status = MPI.COMM_WORLD.recv(data, 2, indexed, 0, 10);
            Expect.equal(2, status.getCount(indexed), "indexed count");
            Expect.equal(12, status.getElements(indexed), "indexed elements");
            final int[] expect = { 0, 1, 4, 7, 8, 9 };
            for (int item = 0; item < 2; item++)
            {
                for (final int e : expect)
                {
                    Expect.that(data[item * 10 + e] == item * 10 + e + 0.5, "indexed element " + (item * 10 + e));
                }
            }
            Expect.that(data[2] == -1 && data[5] == -1 && data[6] == -1, "indexed gaps untouched");
        }
        indexed.free();

        final Datatype struct = Datatype.createStruct(new int[]{ 1, 1, 2 }, new int[]{ 0, 8, 16 },
            new Datatype[]{ MPI.INT, MPI.DOUBLE, MPI.CHAR });
        struct.commit();
        Expect.equal(24, struct.getExtent(), "struct extent in bytes, aligned to its double");
        final int items = 1000;
        final ByteBuffer records = MPI.newByteBuffer(items * 24);
        for (int i = 0; i < items; i++)
        {
            records.putInt(i * 24, rank == 0 ? i : -7);
            records.putInt(i * 24 + 4, 0x5a5a5a5a);
            records.putDouble(i * 24 + 8, rank == 0 ? i * 0.25 : -7);
            records.putChar(i * 24 + 16, rank == 0 ? (char)('a' + i % 26) : '?');
            records.putChar(i * 24 + 18, 'z');
        }
        MPI.COMM_WORLD.bcast(records, items, struct, 0);
        for (int i = 0; i < items; i++)
        {
            Expect.equal(i, records.getInt(i * 24), "struct int " + i);
            Expect.equal(0x5a5a5a5a, records.getInt(i * 24 + 4), "struct padding " + i);
            Expect.that(records.getDouble(i * 24 + 8) == i * 0.25, "struct double " + i);
            Expect.equal('a' + i % 26, records.getChar(i * 24 + 16), "struct char " + i);
        }
        struct.free();
        checks++;
    }

    /** Scatter and gather with a resized pair of ints (every other pair of a long array). */
    private static void resizedScatterGather() throws MPIException
    {
        final Datatype pair = Datatype.createContiguous(2, MPI.INT);
        final Datatype everyOther = Datatype.createResized(pair, 0, 16);
        everyOther.commit();
        final int[] all = new int[4 * size];
        if (rank == 0)
        {
            for (int i = 0; i < all.length; i++)
            {
                all[i] = i;
            }
        }
        final int[] two = new int[2];
        MPI.COMM_WORLD.scatter(all, 1, everyOther, two, 2, MPI.INT, 0);
        Expect.equal(4 * rank, two[0], "scattered first");
        Expect.equal(4 * rank + 1, two[1], "scattered second");
        two[0] += 1000;
        two[1] += 1000;
        final int[] back = new int[4 * size];
        MPI.COMM_WORLD.iGather(two, 2, MPI.INT, back, 1, everyOther, 0).waitFor();
        if (rank == 0)
        {
            for (int q = 0; q < size; q++)
            {
                Expect.equal(4 * q + 1000, back[4 * q], "gathered first of " + q);
                Expect.equal(4 * q + 1001, back[4 * q + 1], "gathered second of " + q);
                Expect.equal(0, back[4 * q + 2], "gathered gap of " + q);
            }
        }
        pair.free();
        everyOther.free();
        checks++;
    }

    /** MINLOC over DOUBLE_INT pairs in a ByteBuffer laid out as the binding's DoubleInt struct. */
    private static void pairMinloc() throws MPIException
    {
        final DoubleInt layout = MPI.doubleInt;
        final int n = 8;
        final ByteBuffer in = MPI.newByteBuffer(layout.getExtent() * n);
        final ByteBuffer out = MPI.newByteBuffer(layout.getExtent() * n);
        for (int i = 0; i < n; i++)
        {
            final DoubleInt.Data d = layout.getData(in, i);
            // rank (i % size) holds the smallest value of element i
            d.putValue(rank == i % size ? -i : rank + i);
            d.putIndex(rank);
        }
        MPI.COMM_WORLD.allReduce(in, out, n, MPI.DOUBLE_INT, MPI.MINLOC);
        for (int i = 0; i < n; i++)
        {
            final DoubleInt.Data d = layout.getData(out, i);
            Expect.that(d.getValue() == -i, "minloc value " + i + " is " + d.getValue());
            Expect.equal(i % size, d.getIndex(), "minloc index " + i);
        }
        checks++;
    }

    /**
     * A user operator over records {int count; double total} (size 12, extent 16): the function sees the records at
     * their extent, as in Open MPI, although they travel packed.
     */
    private static void userOpOnStruct() throws MPIException
    {
        final Datatype record = Datatype.createStruct(new int[]{ 1, 1 }, new int[]{ 0, 8 },
            new Datatype[]{ MPI.INT, MPI.DOUBLE });
        record.commit();
        final Op add = new Op(new UserFunction()
        {
            @Override
            public void call(final ByteBuffer in, final ByteBuffer inOut, final int count, final Datatype type)
            {
                for (int i = 0; i < count; i++)
                {
                    inOut.putInt(i * 16, in.getInt(i * 16) + inOut.getInt(i * 16));
                    inOut.putDouble(i * 16 + 8, in.getDouble(i * 16 + 8) + inOut.getDouble(i * 16 + 8));
                }
            }
        }, true);
        final int n = 5;
        final ByteBuffer mine = MPI.newByteBuffer(16 * n);
        final ByteBuffer sum = MPI.newByteBuffer(16 * n);
        for (int i = 0; i < n; i++)
        {
            mine.putInt(i * 16, rank + i);
            mine.putDouble(i * 16 + 8, 0.5 * rank);
        }
        MPI.COMM_WORLD.allReduce(mine, sum, n, record, add);
        for (int i = 0; i < n; i++)
        {
            Expect.equal((long)size * (size - 1) / 2 + (long)size * i, sum.getInt(i * 16), "user op int " + i);
            Expect.that(sum.getDouble(i * 16 + 8) == 0.25 * size * (size - 1), "user op double " + i);
        }
        add.free();
        record.free();
        checks++;
    }

    /** Pack a column and a struct into one byte array, send it as MPI.PACKED, unpack on the other side. */
    private static void packUnpack() throws MPIException
    {
        final Datatype column = Datatype.createVector(4, 1, 3, MPI.INT);
        column.commit();
        final int[] matrix = new int[12];
        final double[] doubles = { 1.5, 2.5, 3.5 };
        for (int i = 0; i < matrix.length; i++)
        {
            matrix[i] = rank * 100 + i;
        }
        final int columnBytes = MPI.COMM_WORLD.packSize(1, column);
        final int doubleBytes = MPI.COMM_WORLD.packSize(3, MPI.DOUBLE);
        Expect.equal(16, columnBytes, "pack size of a column");
        final byte[] packed = new byte[columnBytes + doubleBytes];
        int position = MPI.COMM_WORLD.pack(matrix, 1, column, packed, 0);
        position = MPI.COMM_WORLD.pack(doubles, 3, MPI.DOUBLE, packed, position);
        Expect.equal(packed.length, position, "packed position");
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final byte[] incoming = new byte[packed.length];
        final Status status = MPI.COMM_WORLD.sendRecv(packed, position, MPI.PACKED, next, 20, incoming,
            incoming.length, MPI.PACKED, prev, 20);
        Expect.equal(packed.length, status.getCount(MPI.PACKED), "packed count");
        final int[] target = new int[12];
        final double[] d = new double[3];
        int at = MPI.COMM_WORLD.unpack(incoming, 0, target, 1, column);
        at = MPI.COMM_WORLD.unpack(incoming, at, d, 3, MPI.DOUBLE);
        Expect.equal(incoming.length, at, "unpacked position");
        for (int r = 0; r < 4; r++)
        {
            Expect.equal(prev * 100 + r * 3, target[r * 3], "unpacked column row " + r);
            Expect.equal(0, target[r * 3 + 1], "unpacked gap row " + r);
        }
        Expect.that(d[0] == 1.5 && d[2] == 3.5, "unpacked doubles");
        column.free();
        checks++;
    }
}
