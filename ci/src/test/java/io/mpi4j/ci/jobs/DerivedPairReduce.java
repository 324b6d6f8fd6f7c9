package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.Request;

/**
 * Predefined operators on derived types built of one predefined type that is not a basic number: MINLOC/MAXLOC on
 * types of value-index pairs (contiguous, vector, hvector, indexed, resized; int arrays and direct buffers) and
 * SUM/PROD on types of complex numbers. As Open MPI does, the operator applies element by element on the pairs
 * (or complex numbers) the items are made of. Every reduction collective, blocking and non-blocking, and
 * reduceLocal, is checked against a fold over the ranks computed here, and the gaps between the pairs of a
 * receive buffer must keep their bytes. Operators a type does not take fail with ERR_OP, and the process goes on.
 */
public final class DerivedPairReduce
{
    private static final byte GAP = 0x5A;
    private static final int INT = 0;
    private static final int SHORT = 1;
    private static final int LONG = 2;
    private static final int FLOAT = 3;
    private static final int DOUBLE = 4;

    private static int rank;
    private static int size;

    /** A derived type and where the elements (pair or complex number) of one item lie in its memory. */
    private static final class Shape
    {
        final String name;
        final Datatype type;
        final int extent;
        final int[] elementAt;
        final int firstKind;
        final int secondKind;
        final int secondAt;
        final boolean intArray;
        final boolean doubleArray;
        final Op[] ops;

        Shape(final String name, final Datatype type, final int extent, final int[] elementAt, final int firstKind,
            final int secondKind, final int secondAt, final boolean intArray, final boolean doubleArray,
            final Op... ops) throws MPIException
        {
            this.name = name;
            this.type = type;
            this.extent = extent;
            this.elementAt = elementAt;
            this.firstKind = firstKind;
            this.secondKind = secondKind;
            this.secondAt = secondAt;
            this.intArray = intArray;
            this.doubleArray = doubleArray;
            this.ops = ops;
            type.commit();
            Expect.equal(extent, type.getExtent() * unit(), name + " extent");
        }

        /** What the binding counts extents in: the base type's size, a byte for pairs. */
        int unit()
        {
            return firstKind == secondKind && firstKind != INT ? width(firstKind) : 1;
        }

        int elements()
        {
            return elementAt.length;
        }

        /** A buffer of {@code items} items as the calls take it, holding {@code image}'s bytes. */
        Object buffer(final ByteBuffer image)
        {
            if (intArray)
            {
                final int[] a = new int[image.capacity() / 4];
                image.asIntBuffer().get(a);
                return a;
            }
            if (doubleArray)
            {
                final double[] a = new double[image.capacity() / 8];
                image.asDoubleBuffer().get(a);
                return a;
            }
            final ByteBuffer b = ByteBuffer.allocateDirect(image.capacity()).order(ByteOrder.nativeOrder());
            b.put(0, image, 0, image.capacity());
            return b;
        }

        /** The bytes of a buffer made by {@link #buffer}. */
        ByteBuffer image(final Object buf)
        {
            final ByteBuffer image = ByteBuffer.allocate(((buf instanceof ByteBuffer) ? ((ByteBuffer)buf)
                .capacity() : buf instanceof int[] ? 4 * ((int[])buf).length : 8 * ((double[])buf).length))
                .order(ByteOrder.nativeOrder());
            if (buf instanceof int[])
            {
                image.asIntBuffer().put((int[])buf);
            }
            else if (buf instanceof double[])
            {
                image.asDoubleBuffer().put((double[])buf);
            }
            else
            {
                image.put(0, (ByteBuffer)buf, 0, image.capacity());
            }
            return image;
        }
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        size = world.getSize();
        final Shape[] shapes = {
            new Shape("contiguous(3, DOUBLE_INT)", Datatype.createContiguous(3, MPI.DOUBLE_INT), 48,
                new int[] {0, 16, 32}, DOUBLE, INT, 8, false, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("vector(2, 1, 3, INT2) in int[]", Datatype.createVector(2, 1, 3, MPI.INT2), 32,
                new int[] {0, 24}, INT, INT, 4, true, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("vector(2, 1, 3, INT2) in a direct buffer", Datatype.createVector(2, 1, 3, MPI.INT2), 32,
                new int[] {0, 24}, INT, INT, 4, false, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("resized(SHORT_INT, 0, 12)", Datatype.createResized(MPI.SHORT_INT, 0, 12), 12,
                new int[] {0}, SHORT, INT, 4, false, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("hvector(2, 1, 40, LONG_INT)", Datatype.createHVector(2, 1, 40, MPI.LONG_INT), 56,
                new int[] {0, 40}, LONG, INT, 8, false, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("indexed({1, 2}, {2, 0}, FLOAT_INT)",
                Datatype.createIndexed(new int[] {1, 2}, new int[] {2, 0}, MPI.FLOAT_INT), 24,
                new int[] {16, 0, 8}, FLOAT, INT, 4, false, false, MPI.MINLOC, MPI.MAXLOC),
            new Shape("vector(2, 1, 2, DOUBLE_COMPLEX) in double[]",
                Datatype.createVector(2, 1, 2, MPI.DOUBLE_COMPLEX), 48, new int[] {0, 32}, DOUBLE, DOUBLE, 8,
                false, true, MPI.SUM, MPI.PROD),
            new Shape("resized(FLOAT_COMPLEX, 0, 16)", Datatype.createResized(MPI.FLOAT_COMPLEX, 0, 16), 16,
                new int[] {0}, FLOAT, FLOAT, 4, false, false, MPI.SUM, MPI.PROD),
        };
        int checked = 0;
        for (final Shape s : shapes)
        {
            for (final Op op : s.ops)
            {
                checked += collectives(world, s, op);
            }
        }
        refusals(world, shapes);
        System.out.println("OK derived-pair-reduce rank=" + rank + " size=" + size + " checked=" + checked);
        MPI.Finalize();
    }

    private static int collectives(final Intracomm world, final Shape s, final Op op) throws MPIException
    {
        final String what = s.name + " " + op;
        final int n = 2;
        int checked = 0;
        for (final int count : new int[] {n, 1500})
        {
            final Object recv = s.buffer(gaps(s, count));
            world.allReduce(s.buffer(mine(s, count)), recv, count, s.type, op);
            check(s, op, what + " allReduce count=" + count, s.image(recv), 0, count, 0, size - 1);
            checked++;
        }
        final Object inPlace = s.buffer(mine(s, n));
        world.allReduce(inPlace, n, s.type, op);
        check(s, op, what + " allReduce in place", s.image(inPlace), 0, n, 0, size - 1);

        Object recv = s.buffer(gaps(s, n));
        world.reduce(s.buffer(mine(s, n)), recv, n, s.type, op, size - 1);
        if (rank == size - 1)
        {
            check(s, op, what + " reduce", s.image(recv), 0, n, 0, size - 1);
        }

        recv = s.buffer(gaps(s, n));
        Request r = world.iAllReduce(s.buffer(mine(s, n)), recv, n, s.type, op);
        r.waitFor();
        check(s, op, what + " iAllReduce", s.image(recv), 0, n, 0, size - 1);

        recv = s.buffer(gaps(s, n));
        r = world.iReduce(s.buffer(mine(s, n)), recv, n, s.type, op, 0);
        r.waitFor();
        if (rank == 0)
        {
            check(s, op, what + " iReduce", s.image(recv), 0, n, 0, size - 1);
        }

        for (final boolean blocking : new boolean[] {true, false})
        {
            final String b = blocking ? "" : " (non-blocking)";
            recv = s.buffer(gaps(s, n));
            if (blocking)
            {
                world.reduceScatterBlock(s.buffer(mine(s, n * size)), recv, n, s.type, op);
            }
            else
            {
                world.iReduceScatterBlock(s.buffer(mine(s, n * size)), recv, n, s.type, op).waitFor();
            }
            check(s, op, what + " reduceScatterBlock" + b, s.image(recv), n * rank, n, 0, size - 1);

            final int[] counts = new int[size];
            int total = 0;
            int first = 0;
            for (int i = 0; i < size; i++)
            {
                counts[i] = 1 + i % 2;
                first += i < rank ? counts[i] : 0;
                total += counts[i];
            }
            recv = s.buffer(gaps(s, counts[rank]));
            if (blocking)
            {
                world.reduceScatter(s.buffer(mine(s, total)), recv, counts, s.type, op);
            }
            else
            {
                world.iReduceScatter(s.buffer(mine(s, total)), recv, counts, s.type, op).waitFor();
            }
            check(s, op, what + " reduceScatter" + b, s.image(recv), first, counts[rank], 0, size - 1);

            recv = s.buffer(gaps(s, n));
            if (blocking)
            {
                world.scan(s.buffer(mine(s, n)), recv, n, s.type, op);
            }
            else
            {
                world.iScan(s.buffer(mine(s, n)), recv, n, s.type, op).waitFor();
            }
            check(s, op, what + " scan" + b, s.image(recv), 0, n, 0, rank);

            recv = s.buffer(gaps(s, n));
            if (blocking)
            {
                world.exScan(s.buffer(mine(s, n)), recv, n, s.type, op);
            }
            else
            {
                world.iExScan(s.buffer(mine(s, n)), recv, n, s.type, op).waitFor();
            }
            if (rank > 0)
            {
                check(s, op, what + " exScan" + b, s.image(recv), 0, n, 0, rank - 1);
            }
            checked += 4;
        }

        // reduceLocal: this rank's data into the next rank's, as a two-rank fold would
        final Object inout = s.buffer(of(s, n, (rank + 1) % Math.max(2, size)));
        Intracomm.reduceLocal(s.buffer(mine(s, n)), inout, n, s.type, op);
        final ByteBuffer got = s.image(inout);
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < s.elements(); j++)
            {
                final int g = k * s.elements() + j;
                final double[] expected = combine(op, element(op, rank, g), element(op, (rank + 1) % Math.max(2,
                    size), g));
                same(s, expected, got, k * s.extent + s.elementAt[j], what + " reduceLocal element " + g);
            }
        }
        return checked + 7;
    }

    /** Operators the types do not take: ERR_OP under ERRORS_RETURN, and the next collective works. */
    private static void refusals(final Intracomm world, final Shape[] shapes) throws MPIException
    {
        final Shape pairs = shapes[0];
        final Shape complex = shapes[6];
        Expect.error(MPI.ERR_OP, "MINLOC on INT", () -> world.allReduce(new int[2], new int[2], 1, MPI.INT,
            MPI.MINLOC));
        Expect.error(MPI.ERR_OP, "MAXLOC on INT (iAllReduce)", () -> world.iAllReduce(new int[2], new int[2], 1,
            MPI.INT, MPI.MAXLOC));
        final Datatype doubles = Datatype.createContiguous(2, MPI.DOUBLE);
        doubles.commit();
        Expect.error(MPI.ERR_OP, "MINLOC on contiguous(2, DOUBLE)", () -> world.reduce(new double[2],
            new double[2], 1, doubles, MPI.MINLOC, 0));
        Expect.error(MPI.ERR_OP, "SUM on " + pairs.name, () -> world.allReduce(pairs.buffer(mine(pairs, 1)),
            pairs.buffer(gaps(pairs, 1)), 1, pairs.type, MPI.SUM));
        Expect.error(MPI.ERR_OP, "MAX on " + complex.name, () -> world.scan(complex.buffer(mine(complex, 1)),
            complex.buffer(gaps(complex, 1)), 1, complex.type, MPI.MAX));
        Expect.error(MPI.ERR_OP, "MINLOC on " + complex.name, () -> Intracomm.reduceLocal(
            complex.buffer(mine(complex, 1)), complex.buffer(gaps(complex, 1)), 1, complex.type, MPI.MINLOC));
        final Object recv = pairs.buffer(gaps(pairs, 1));
        world.allReduce(pairs.buffer(mine(pairs, 1)), recv, 1, pairs.type, MPI.MINLOC);
        check(pairs, MPI.MINLOC, "MINLOC after the refusals", pairs.image(recv), 0, 1, 0, size - 1);
        doubles.free();
    }

    /**
     * Element {@code g} of rank {@code r} for {@code op}: (value, index) with ties between ranks and indexes that
     * fall as ranks rise (so a tie is decided by the index, not the rank), or a small complex number.
     */
    private static double[] element(final Op op, final int r, final int g)
    {
        if (isComplex(op))
        {
            return new double[] {(r + g) % 3 + 1, (2 * r + g) % 3 - 1};
        }
        return new double[] {(r * 5 + g * 3) % 7 - 3, 1000 * (size - 1 - r) + g % 1000};
    }

    private static boolean isComplex(final Op op)
    {
        return op == MPI.SUM || op == MPI.PROD;
    }

    /** {@code x op y}, x from the lower ranks. */
    private static double[] combine(final Op op, final double[] x, final double[] y)
    {
        if (op == MPI.SUM)
        {
            return new double[] {x[0] + y[0], x[1] + y[1]};
        }
        if (op == MPI.PROD)
        {
            return new double[] {x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]};
        }
        final boolean min = op == MPI.MINLOC;
        if (x[0] == y[0])
        {
            return new double[] {x[0], Math.min(x[1], y[1])};
        }
        return (min ? x[0] < y[0] : x[0] > y[0]) ? x : y;
    }

    /** This rank's send data: {@code count} items. */
    private static ByteBuffer mine(final Shape s, final int count)
    {
        return of(s, count, rank);
    }

    private static ByteBuffer of(final Shape s, final int count, final int r)
    {
        final ByteBuffer image = gaps(s, count);
        for (int k = 0; k < count; k++)
        {
            for (int j = 0; j < s.elements(); j++)
            {
                final int g = k * s.elements() + j;
                final double[] e = element(s.ops[0], r, g);
                final int at = k * s.extent + s.elementAt[j];
                put(image, at, s.firstKind, e[0]);
                put(image, at + s.secondAt, s.secondKind, e[1]);
            }
        }
        return image;
    }

    /** A buffer of {@code count} items filled with the gap byte. */
    private static ByteBuffer gaps(final Shape s, final int count)
    {
        final ByteBuffer image = ByteBuffer.allocate(count * s.extent).order(ByteOrder.nativeOrder());
        for (int i = 0; i < image.capacity(); i++)
        {
            image.put(i, GAP);
        }
        return image;
    }

    /**
     * Items {@code 0..items-1} of {@code got} must be the fold over ranks {@code lo..hi} of global items from
     * {@code firstItem}, and every other byte must still be the gap byte.
     */
    private static void check(final Shape s, final Op op, final String what, final ByteBuffer got,
        final int firstItem, final int items, final int lo, final int hi)
    {
        final boolean[] covered = new boolean[items * s.extent];
        for (int k = 0; k < items; k++)
        {
            for (int j = 0; j < s.elements(); j++)
            {
                final int g = (firstItem + k) * s.elements() + j;
                double[] acc = element(op, lo, g);
                for (int r = lo + 1; r <= hi; r++)
                {
                    acc = combine(op, acc, element(op, r, g));
                }
                final int at = k * s.extent + s.elementAt[j];
                same(s, acc, got, at, what + " item " + k + " element " + j);
                for (int b = 0; b < s.secondAt + width(s.secondKind); b++)
                {
                    covered[at + b] = true;
                }
            }
        }
        for (int i = 0; i < covered.length; i++)
        {
            if (!covered[i] && got.get(i) != GAP)
            {
                throw new AssertionError(what + ": rank " + rank + " byte " + i + " between the elements was " +
                    "written (" + got.get(i) + ")");
            }
        }
    }

    private static void same(final Shape s, final double[] expected, final ByteBuffer got, final int at,
        final String what)
    {
        final double first = get(got, at, s.firstKind);
        final double second = get(got, at + s.secondAt, s.secondKind);
        if (first != expected[0] || second != expected[1])
        {
            throw new AssertionError(what + ": rank " + rank + " of " + size + " expected (" + expected[0] + ", " +
                expected[1] + ") but got (" + first + ", " + second + ")");
        }
    }

    private static int width(final int kind)
    {
        switch (kind)
        {
            case SHORT: return 2;
            case LONG: case DOUBLE: return 8;
            default: return 4;
        }
    }

    private static void put(final ByteBuffer b, final int at, final int kind, final double v)
    {
        switch (kind)
        {
            case SHORT: b.putShort(at, (short)v); break;
            case LONG: b.putLong(at, (long)v); break;
            case FLOAT: b.putFloat(at, (float)v); break;
            case DOUBLE: b.putDouble(at, v); break;
            default: b.putInt(at, (int)v); break;
        }
    }

    private static double get(final ByteBuffer b, final int at, final int kind)
    {
        switch (kind)
        {
            case SHORT: return b.getShort(at);
            case LONG: return b.getLong(at);
            case FLOAT: return b.getFloat(at);
            case DOUBLE: return b.getDouble(at);
            default: return b.getInt(at);
        }
    }
}
