package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.Request;
import mpi.UserFunction;

/**
 * Every predefined operator on every basic type it applies to, through reduce, allReduce, iAllReduce, iReduce,
 * scan, exScan, reduceScatterBlock and reduceScatter, checked against a sequential fold over the ranks computed
 * here; operators MPI does not define on a type must fail with ERR_OP. Then MINLOC/MAXLOC on the pair types, a
 * non-commutative user operator (composition of affine maps, which must be applied in rank order), and a 4 MiB
 * allReduce (the ring algorithm). Inputs are small integers so floating-point sums are exact in any order.
 */
public final class CollReduce
{
    private static final String[] TYPE_NAMES = {"BYTE", "CHAR", "SHORT", "BOOLEAN", "INT", "LONG", "FLOAT", "DOUBLE"};
    private static final String[] OP_NAMES = {"SUM", "PROD", "MIN", "MAX", "LAND", "LOR", "LXOR", "BAND", "BOR",
        "BXOR"};
    private static final int[] SIZES = {0, 1, 7, 1000};

    private static int rank;
    private static int size;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        size = world.getSize();
        final Datatype[] types = {MPI.BYTE, MPI.CHAR, MPI.SHORT, MPI.BOOLEAN, MPI.INT, MPI.LONG, MPI.FLOAT,
            MPI.DOUBLE};
        final Op[] ops = {MPI.SUM, MPI.PROD, MPI.MIN, MPI.MAX, MPI.LAND, MPI.LOR, MPI.LXOR, MPI.BAND, MPI.BOR,
            MPI.BXOR};
        int checked = 0;
        int refused = 0;
        for (int tt = 0; tt < types.length; tt++)
        {
            final int t = tt;
            for (int oo = 0; oo < ops.length; oo++)
            {
                final int o = oo;
                final boolean defined = defined(t, o);
                for (final int n : SIZES)
                {
                    final String row = OP_NAMES[o] + "/" + TYPE_NAMES[t] + "/n=" + n;
                    final Datatype type = types[t];
                    final Op op = ops[o];
                    if (!defined)
                    {
                        Expect.error(MPI.ERR_OP, row, () -> world.allReduce(make(t, n, rank), make(t, n, 0), n,
                            type, op));
                        refused++;
                        continue;
                    }
                    final Object expectedAll = fold(t, o, n, size);
                    Object out = make(t, n, -1);
                    world.allReduce(make(t, n, rank), out, n, type, op);
                    same(expectedAll, out, row + " allReduce");

                    out = make(t, n, rank);
                    world.allReduce(out, n, type, op);
                    same(expectedAll, out, row + " allReduce in place");

                    out = make(t, n, -1);
                    final Request r = world.iAllReduce(make(t, n, rank), out, n, type, op);
                    r.waitFor();
                    same(expectedAll, out, row + " iAllReduce");

                    final int root = (n + o) % size;
                    out = make(t, n, -1);
                    world.reduce(make(t, n, rank), out, n, type, op, root);
                    if (rank == root)
                    {
                        same(expectedAll, out, row + " reduce root=" + root);
                    }
                    out = make(t, n, rank);
                    world.reduce(out, n, type, op, root);
                    if (rank == root)
                    {
                        same(expectedAll, out, row + " reduce in place root=" + root);
                    }
                    out = make(t, n, rank);
                    world.iReduce(out, n, type, op, root).waitFor();
                    if (rank == root)
                    {
                        same(expectedAll, out, row + " iReduce in place root=" + root);
                    }

                    out = make(t, n, -1);
                    world.scan(make(t, n, rank), out, n, type, op);
                    same(fold(t, o, n, rank + 1), out, row + " scan");
                    out = make(t, n, rank);
                    world.exScan(out, n, type, op);
                    if (rank > 0)
                    {
                        same(fold(t, o, n, rank), out, row + " exScan in place");
                    }

                    // reduce-scatter-block: n items per rank of an n*size input
                    final Object all = fold(t, o, n * size, size);
                    out = make(t, n, -1);
                    world.reduceScatterBlock(make(t, n * size, rank), out, n, type, op);
                    same(slice(all, rank * n, n), out, row + " reduceScatterBlock");
                    // reduce-scatter: rank i gets i + n items
                    final int[] counts = new int[size];
                    int total = 0;
                    int before = 0;
                    for (int i = 0; i < size; i++)
                    {
                        counts[i] = i + n;
                        before += i < rank ? counts[i] : 0;
                        total += counts[i];
                    }
                    out = make(t, counts[rank], -1);
                    world.reduceScatter(make(t, total, rank), out, counts, type, op);
                    same(slice(fold(t, o, total, size), before, counts[rank]), out, row + " reduceScatter");
                    checked++;
                }
            }
        }
        Expect.error(MPI.ERR_OP, "MINLOC on INT", () -> world.allReduce(new int[1], new int[1], 1, MPI.INT,
            MPI.MINLOC));
        // complex numbers: SUM is element-wise, PROD the complex product
        final double[] z = {rank, -rank, 1, 2};
        final double[] zsum = new double[4];
        world.allReduce(z, zsum, 2, MPI.DOUBLE_COMPLEX, MPI.SUM);
        final double total = size * (size - 1) / 2.0;
        same(new double[] {total, -total, size, 2.0 * size}, zsum, "DOUBLE_COMPLEX SUM");
        final double[] zprod = new double[4];
        world.allReduce(z, zprod, 2, MPI.DOUBLE_COMPLEX, MPI.PROD);
        final double[] expected = {1, 0, 1, 0};
        for (int r = 0; r < size; r++)
        {
            final double[] operand = {r, -r, 1, 2};
            for (int k = 0; k < 4; k += 2)
            {
                final double re = expected[k] * operand[k] - expected[k + 1] * operand[k + 1];
                final double im = expected[k] * operand[k + 1] + expected[k + 1] * operand[k];
                expected[k] = re;
                expected[k + 1] = im;
            }
        }
        same(expected, zprod, "DOUBLE_COMPLEX PROD");
        pairs(world);
        nonCommutative(world);
        large(world);
        System.out.println("OK reduce rank=" + rank + " size=" + size + " checked=" + checked + " refused=" +
            refused);
        MPI.Finalize();
    }

    /** Whether MPI defines operator o on type t (indices into the arrays above). */
    private static boolean defined(final int t, final int o)
    {
        final boolean bool = t == 3;
        final boolean floating = t == 6 || t == 7;
        if (o < 4)
        {
            return !bool;
        }
        return !floating;
    }

    /** Rank r's input: small integers, or a deterministic pattern for -1 (a buffer to be overwritten). */
    private static long value(final int t, final int r, final int i)
    {
        if (r < 0)
        {
            return 99;
        }
        if (t == 3)
        {
            return (r * 3 + i) % 4 == 0 ? 1 : 0;
        }
        final long v = (r * 5L + i * 3L) % 7 - 3;
        return t == 1 ? Math.abs(v) + (i % 2) : v;
    }

    private static Object make(final int t, final int n, final int r)
    {
        switch (t)
        {
            case 0:
            {
                final byte[] a = new byte[n];
                for (int i = 0; i < n; i++) a[i] = (byte)value(t, r, i);
                return a;
            }
            case 1:
            {
                final char[] a = new char[n];
                for (int i = 0; i < n; i++) a[i] = (char)value(t, r, i);
                return a;
            }
            case 2:
            {
                final short[] a = new short[n];
                for (int i = 0; i < n; i++) a[i] = (short)value(t, r, i);
                return a;
            }
            case 3:
            {
                final boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = value(t, r, i) != 0;
                return a;
            }
            case 4:
            {
                final int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = (int)value(t, r, i);
                return a;
            }
            case 5:
            {
                final long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = value(t, r, i);
                return a;
            }
            case 6:
            {
                final float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = value(t, r, i);
                return a;
            }
            default:
            {
                final double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = value(t, r, i);
                return a;
            }
        }
    }

    private static long combine(final int o, final long a, final long b)
    {
        switch (o)
        {
            case 0: return a + b;
            case 1: return a * b;
            case 2: return Math.min(a, b);
            case 3: return Math.max(a, b);
            case 4: return a != 0 && b != 0 ? 1 : 0;
            case 5: return a != 0 || b != 0 ? 1 : 0;
            case 6: return (a != 0) != (b != 0) ? 1 : 0;
            case 7: return a & b;
            case 8: return a | b;
            default: return a ^ b;
        }
    }

    /** The reduction of ranks 0..ranks-1 as a sequential fold, in the buffer type of t. */
    private static Object fold(final int t, final int o, final int n, final int ranks)
    {
        final long[] acc = new long[n];
        for (int i = 0; i < n; i++)
        {
            acc[i] = value(t, 0, i);
            for (int r = 1; r < ranks; r++)
            {
                acc[i] = combine(o, acc[i], value(t, r, i));
                // wrap as the type does after every step (matters for PROD/SUM of narrow types: it does not, as
                // two's complement arithmetic commutes with truncation, but MIN/MAX must see the truncated value)
                acc[i] = truncate(t, acc[i]);
            }
        }
        final Object out = make(t, n, 0);
        for (int i = 0; i < n; i++)
        {
            switch (t)
            {
                case 0: ((byte[])out)[i] = (byte)acc[i]; break;
                case 1: ((char[])out)[i] = (char)acc[i]; break;
                case 2: ((short[])out)[i] = (short)acc[i]; break;
                case 3: ((boolean[])out)[i] = acc[i] != 0; break;
                case 4: ((int[])out)[i] = (int)acc[i]; break;
                case 5: ((long[])out)[i] = acc[i]; break;
                case 6: ((float[])out)[i] = acc[i]; break;
                default: ((double[])out)[i] = acc[i]; break;
            }
        }
        return out;
    }

    private static long truncate(final int t, final long v)
    {
        switch (t)
        {
            case 0: return (byte)v;
            case 1: return (char)v;
            case 2: return (short)v;
            case 4: return (int)v;
            default: return v;
        }
    }

    private static Object slice(final Object array, final int from, final int n)
    {
        if (array instanceof byte[]) return Arrays.copyOfRange((byte[])array, from, from + n);
        if (array instanceof char[]) return Arrays.copyOfRange((char[])array, from, from + n);
        if (array instanceof short[]) return Arrays.copyOfRange((short[])array, from, from + n);
        if (array instanceof boolean[]) return Arrays.copyOfRange((boolean[])array, from, from + n);
        if (array instanceof int[]) return Arrays.copyOfRange((int[])array, from, from + n);
        if (array instanceof long[]) return Arrays.copyOfRange((long[])array, from, from + n);
        if (array instanceof float[]) return Arrays.copyOfRange((float[])array, from, from + n);
        return Arrays.copyOfRange((double[])array, from, from + n);
    }

    private static void same(final Object expected, final Object actual, final String what)
    {
        boolean equal = Arrays.deepEquals(new Object[] {expected}, new Object[] {actual});
        if (!equal && expected instanceof float[] && actual instanceof float[])
        {
            // numeric equality: the sign of a zero product depends on the operands' signs, not on MPI
            final float[] e = (float[])expected;
            final float[] a = (float[])actual;
            equal = e.length == a.length;
            for (int i = 0; equal && i < e.length; i++) equal = e[i] == a[i];
        }
        if (!equal && expected instanceof double[] && actual instanceof double[])
        {
            final double[] e = (double[])expected;
            final double[] a = (double[])actual;
            equal = e.length == a.length;
            for (int i = 0; equal && i < e.length; i++) equal = e[i] == a[i];
        }
        if (!equal)
        {
            throw new AssertionError(what + ": rank " + rank + " expected " + Arrays.deepToString(
                new Object[] {expected}).substring(0, Math.min(200, Arrays.deepToString(new Object[] {expected})
                .length())) + " got " + Arrays.deepToString(new Object[] {actual}).substring(0, Math.min(200,
                Arrays.deepToString(new Object[] {actual}).length())));
        }
    }

    /** MINLOC/MAXLOC: value (rank * 7) % size-ish with ties, index = rank; MPI picks the lowest index on ties. */
    private static void pairs(final Intracomm world) throws MPIException
    {
        final int n = 5;
        final int[] in = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            in[2 * i] = (rank + i) % 3;
            in[2 * i + 1] = rank;
        }
        final int[] min = new int[2 * n];
        final int[] max = new int[2 * n];
        world.allReduce(in, min, n, MPI.INT2, MPI.MINLOC);
        world.allReduce(in, max, n, MPI.INT2, MPI.MAXLOC);
        for (int i = 0; i < n; i++)
        {
            int bestMin = Integer.MAX_VALUE;
            int atMin = -1;
            int bestMax = Integer.MIN_VALUE;
            int atMax = -1;
            for (int r = 0; r < size; r++)
            {
                final int v = (r + i) % 3;
                if (v < bestMin)
                {
                    bestMin = v;
                    atMin = r;
                }
                if (v > bestMax)
                {
                    bestMax = v;
                    atMax = r;
                }
            }
            Expect.equal(bestMin, min[2 * i], "MINLOC INT2 value " + i);
            Expect.equal(atMin, min[2 * i + 1], "MINLOC INT2 index " + i);
            Expect.equal(bestMax, max[2 * i], "MAXLOC INT2 value " + i);
            Expect.equal(atMax, max[2 * i + 1], "MAXLOC INT2 index " + i);
        }
        // C struct layouts in direct buffers: {double,int} is 16 bytes, {short,int} / {float,int} 8, {long,int} 16
        final Datatype[] pairTypes = {MPI.DOUBLE_INT, MPI.FLOAT_INT, MPI.LONG_INT, MPI.SHORT_INT};
        final int[] stride = {16, 8, 16, 8};
        final int[] indexAt = {8, 4, 8, 4};
        for (int k = 0; k < pairTypes.length; k++)
        {
            final ByteBuffer send = ByteBuffer.allocateDirect(n * stride[k]).order(ByteOrder.nativeOrder());
            final ByteBuffer recv = ByteBuffer.allocateDirect(n * stride[k]).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++)
            {
                final int v = (size - rank + i) % 4;
                final int at = i * stride[k];
                switch (k)
                {
                    case 0: send.putDouble(at, v); break;
                    case 1: send.putFloat(at, v); break;
                    case 2: send.putLong(at, v); break;
                    default: send.putShort(at, (short)v); break;
                }
                send.putInt(at + indexAt[k], rank);
            }
            world.allReduce(send, recv, n, pairTypes[k], MPI.MAXLOC);
            for (int i = 0; i < n; i++)
            {
                int best = Integer.MIN_VALUE;
                int where = -1;
                for (int r = 0; r < size; r++)
                {
                    final int v = (size - r + i) % 4;
                    if (v > best)
                    {
                        best = v;
                        where = r;
                    }
                }
                final int at = i * stride[k];
                final long got;
                switch (k)
                {
                    case 0: got = (long)recv.getDouble(at); break;
                    case 1: got = (long)recv.getFloat(at); break;
                    case 2: got = recv.getLong(at); break;
                    default: got = recv.getShort(at); break;
                }
                Expect.equal(best, got, pairTypes[k] + " MAXLOC value " + i);
                Expect.equal(where, recv.getInt(at + indexAt[k]), pairTypes[k] + " MAXLOC index " + i);
            }
        }
    }

    /** Affine maps x -> m*x + c composed in rank order: associative, not commutative. */
    private static void nonCommutative(final Intracomm world) throws MPIException
    {
        final Op compose = new Op(new UserFunction()
        {
            @Override
            public void call(final Object inVec, final Object inOutVec, final int count, final Datatype datatype)
            {
                final int[] in = (int[])inVec;
                final int[] io = (int[])inOutVec;
                for (int i = 0; i < count; i++)
                {
                    // first in (lower ranks), then inout
                    final int m = io[2 * i] * in[2 * i];
                    final int c = io[2 * i] * in[2 * i + 1] + io[2 * i + 1];
                    io[2 * i] = m;
                    io[2 * i + 1] = c;
                }
            }
        }, false);
        Expect.that(!compose.isCommutative(), "isCommutative");
        for (final int n : new int[] {1, 3, 2000, 20000})
        {
            final int[] mine = new int[2 * n];
            for (int i = 0; i < n; i++)
            {
                mine[2 * i] = 2 + (rank + i) % 3;
                mine[2 * i + 1] = rank + 1 + i;
            }
            final int[] all = new int[2 * n];
            world.allReduce(mine, all, n, MPI.INT2, compose);
            // each root position (first, middle, last in the fold), into another buffer and in place
            final int[][] red = new int[3][];
            final int[][] inPlace = new int[3][];
            final int[] roots = {0, size / 2, size - 1};
            for (int k = 0; k < roots.length; k++)
            {
                red[k] = new int[2 * n];
                world.reduce(mine, red[k], n, MPI.INT2, compose, roots[k]);
                inPlace[k] = mine.clone();
                world.reduce(inPlace[k], n, MPI.INT2, compose, roots[k]);
            }
            final int[] scan = new int[2 * n];
            world.scan(mine, scan, n, MPI.INT2, compose);
            for (int i = 0; i < n; i++)
            {
                int m = 1;
                int c = 0;
                for (int r = 0; r < size; r++)
                {
                    final int rm = 2 + (r + i) % 3;
                    final int rc = r + 1 + i;
                    c = rm * c + rc;
                    m = rm * m;
                    if (r == rank)
                    {
                        Expect.equal(m, scan[2 * i], "non-commutative scan m " + i);
                        Expect.equal(c, scan[2 * i + 1], "non-commutative scan c " + i);
                    }
                }
                Expect.equal(m, all[2 * i], "non-commutative allReduce m n=" + n + " i=" + i);
                Expect.equal(c, all[2 * i + 1], "non-commutative allReduce c n=" + n + " i=" + i);
                for (int k = 0; k < roots.length; k++)
                {
                    if (rank == roots[k])
                    {
                        final String where = " n=" + n + " root=" + roots[k] + " i=" + i;
                        Expect.equal(m, red[k][2 * i], "non-commutative reduce m" + where);
                        Expect.equal(c, red[k][2 * i + 1], "non-commutative reduce c" + where);
                        Expect.equal(m, inPlace[k][2 * i], "non-commutative reduce in place m" + where);
                        Expect.equal(c, inPlace[k][2 * i + 1], "non-commutative reduce in place c" + where);
                    }
                }
            }
        }
    }

    /** 4 MiB of doubles: the bandwidth-optimal ring, in place and not, array and direct buffer. */
    private static void large(final Intracomm world) throws MPIException
    {
        final int n = 4 * 1024 * 1024 / 8;
        final double[] in = new double[n];
        for (int i = 0; i < n; i++)
        {
            in[i] = (rank + i) % 11;
        }
        final double[] out = new double[n];
        world.allReduce(in, out, n, MPI.DOUBLE, MPI.SUM);
        final ByteBuffer direct = MPI.newByteBuffer(n * 8);
        direct.asDoubleBuffer().put(in);
        world.allReduce(direct, n, MPI.DOUBLE, MPI.MAX);
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            double max = 0;
            for (int r = 0; r < size; r++)
            {
                sum += (r + i) % 11;
                max = Math.max(max, (r + i) % 11);
            }
            if (out[i] != sum || direct.getDouble(i * 8) != max)
            {
                throw new AssertionError("4 MiB allReduce at " + i + ": sum " + out[i] + " expected " + sum +
                    ", max " + direct.getDouble(i * 8) + " expected " + max);
            }
        }
    }
}
