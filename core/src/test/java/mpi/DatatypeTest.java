package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Derived datatypes through the facade's checked constructors (no running job: the public calls need MPI.Init). */
class DatatypeTest
{
    private static final String OP = "test";

    @Test
    void vectorCountsInBaseElements()
    {
        final Datatype v = Datatype.vector(OP, 3, 2, 4, MPI.INT);
        assertEquals(Datatype.INT, v.baseType);
        assertEquals(6, v.elements);
        assertEquals(24, v.byteSize);
        assertEquals(40, v.map.extent());
        assertEquals(10, v.map.extent() / v.unitSize());
        assertFalse(v.isContiguous());
        assertFalse(v.isCommitted());
    }

    @Test
    void contiguousDerivedTypeMovesAsBytesOnceCommitted()
    {
        final Datatype c = Datatype.contiguous(OP, 4, MPI.DOUBLE);
        assertTrue(c.isContiguous());
        assertFalse(c.isUsable());
        assertTrue(c.unusableReason().contains("not committed"));
        assertEquals(ErrorClass.ERR_TYPE, UserBuffer.verify(new double[4], 1, c));
        c.markCommitted();
        assertTrue(c.isUsable());
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new double[4], 1, c));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new double[4], 2, c));
        // as in Open MPI the buffer's element type does not matter, its bytes do
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[8], 1, c));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[7], 1, c));
        assertEquals(null, c.layout());
    }

    @Test
    void nonContiguousTypesAreCheckedAgainstTheirFootprint()
    {
        final Datatype v = Datatype.vector(OP, 2, 1, 2, MPI.INT);
        assertEquals(ErrorClass.ERR_TYPE, UserBuffer.verify(new int[4], 1, v));
        v.markCommitted();
        assertTrue(null != v.layout());
        // one item covers ints 0 and 2; two items (extent 3 ints) end at int 6
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[3], 1, v));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[2], 1, v));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[6], 2, v));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[5], 2, v));
        assertTrue(UserBuffer.explain(ErrorClass.ERR_COUNT, "MPI_Send", new int[5], 2, v).contains("reach byte 24"));
        final Datatype before = Datatype.hindexed(OP, new int[]{ 1 }, new int[]{ -4 }, MPI.INT);
        before.markCommitted();
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(new int[4], 1, before));
        assertTrue(UserBuffer.explain(ErrorClass.ERR_BUFFER, "MPI_Send", new int[4], 1, before)
            .contains("before the start"));
        // Predefined pair types keep moving as before, padding included.
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(ByteBuffer.allocate(16), 2, MPI.SHORT_INT));
    }

    @Test
    void predefinedOperatorsApplyToDerivedTypesOfOneBasicType()
    {
        final Datatype v = Datatype.vector(OP, 3, 2, 5, MPI.INT);
        v.markCommitted();
        assertTrue(v.isHomogeneous());
        assertTrue(null != MPI.SUM.reduction(v));
        assertTrue(null != MPI.MAX.reduction(v));
        final Datatype s = Datatype.struct(OP, new int[]{ 1, 1 }, new int[]{ 0, 8 },
            new Datatype[]{ MPI.INT, MPI.DOUBLE });
        assertFalse(s.isHomogeneous());
        assertEquals(null, MPI.SUM.reduction(s));
        assertTrue(null != MPI.PROD.reduction(MPI.DOUBLE_COMPLEX));
        assertTrue(null != MPI.SUM.reduction(MPI.FLOAT_COMPLEX));
        assertEquals(null, MPI.MAX.reduction(MPI.DOUBLE_COMPLEX));
        final Datatype complexes = Datatype.contiguous(OP, 3, MPI.DOUBLE_COMPLEX);
        assertFalse(complexes.isHomogeneous());
        assertTrue(null != MPI.PROD.reduction(complexes));
        assertTrue(null != MPI.MINLOC.reduction(MPI.DOUBLE_INT));
        assertTrue(null != MPI.MAXLOC.reduction(MPI.SHORT_INT));
    }

    @Test
    void minlocAppliesPairByPairToThePackedItemsOfDerivedPairTypes()
    {
        // contiguous(3, DOUBLE_INT) packs to 3 x {double, int} of 12 bytes: no C padding in the packed form
        final Datatype three = Datatype.contiguous(OP, 3, MPI.DOUBLE_INT);
        three.markCommitted();
        assertEquals(36, three.byteSize);
        final ByteBuffer in = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        final ByteBuffer inout = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 6; i++)
        {
            in.putDouble(12 * i, i % 2 == 0 ? 1.5 : -2.0).putInt(12 * i + 8, 100 + i);
            inout.putDouble(12 * i, i % 3 == 0 ? 1.5 : 0.0).putInt(12 * i + 8, 200 + i);
        }
        final long base = UserBuffer.byteArrayOffset();
        MPI.MINLOC.reduction(three).apply(in.array(), base, inout.array(), base, 2);
        final double[] value = {1.5, -2.0, 0.0, -2.0, 0.0, -2.0};
        final int[] index = {100, 101, 202, 103, 204, 105};
        for (int i = 0; i < 6; i++)
        {
            assertEquals(value[i], inout.getDouble(12 * i), "value " + i);
            assertEquals(index[i], inout.getInt(12 * i + 8), "index " + i);
        }
        // a vector of INT2 and a resized SHORT_INT: pairs of 8 and of 6 bytes
        final Datatype v = Datatype.vector(OP, 2, 1, 3, MPI.INT2);
        v.markCommitted();
        final int[] x = {5, 1, 7, 1};
        final int[] y = {6, 2, 7, 0};
        final long intBase = UserBuffer.address(x);
        MPI.MAXLOC.reduction(v).apply(x, intBase, y, intBase, 1);
        assertEquals(6, y[0]);
        assertEquals(2, y[1]);
        assertEquals(7, y[2]);
        assertEquals(0, y[3]);
        final Datatype r = Datatype.resized(OP, MPI.SHORT_INT, 0, 16);
        r.markCommitted();
        assertEquals(6, r.byteSize);
        final ByteBuffer a = ByteBuffer.allocate(6).order(ByteOrder.nativeOrder()).putShort(0, (short)-3).putInt(2, 9);
        final ByteBuffer b = ByteBuffer.allocate(6).order(ByteOrder.nativeOrder()).putShort(0, (short)4).putInt(2, 1);
        MPI.MINLOC.reduction(r).apply(a.array(), base, b.array(), base, 1);
        assertEquals(-3, b.getShort(0));
        assertEquals(9, b.getInt(2));
        // predefined pairs and their duplicates keep C's padded layout
        assertEquals(io.mpi4j.coll.ReductionType.DOUBLE_INT, MPI.DOUBLE_INT.pairType());
        assertEquals(io.mpi4j.coll.ReductionType.DOUBLE_INT_PACKED, three.pairType());
        assertEquals(3, three.pairsPerItem());
        // operators other than MINLOC/MAXLOC are not defined on pairs, derived or not; MINLOC not on plain ints
        assertEquals(null, MPI.SUM.reduction(three));
        assertEquals(null, MPI.MINLOC.reduction(MPI.INT));
        assertEquals(null, MPI.MAXLOC.reduction(Datatype.contiguous(OP, 2, MPI.INT)));
        // bound once per type and operator: the next collective on the type allocates no new reduction
        final Datatype many = Datatype.contiguous(OP, 40, MPI.INT2);
        many.markCommitted();
        assertSame(MPI.MINLOC.reduction(many), MPI.MINLOC.reduction(many));
        final Datatype ints = Datatype.vector(OP, 10, 3, 4, MPI.INT);
        ints.markCommitted();
        assertTrue(null != MPI.SUM.reduction(ints));
        assertSame(MPI.SUM.reduction(ints), MPI.SUM.reduction(ints));
    }

    @Test
    void structCountsInBytes()
    {
        final Datatype s = Datatype.struct(OP, new int[]{ 1, 1 }, new int[]{ 0, 4 },
            new Datatype[]{ MPI.INT, MPI.DOUBLE });
        assertEquals(Datatype.BYTE, s.baseType);
        assertEquals(1, s.unitSize());
        assertEquals(12, s.byteSize);
        assertEquals(16, s.map.extent());
    }

    @Test
    void structsrTypes()
    {
        // ompi-java-test datatype/Structsr: contiguous(2, {short, int@4}) has extent 16 and size 12 (bytes).
        final Datatype shortInt = Datatype.struct(OP, new int[]{ 1, 1 }, new int[]{ 0, 4 },
            new Datatype[]{ MPI.SHORT, MPI.INT });
        final Datatype two = Datatype.contiguous(OP, 2, shortInt);
        assertEquals(16, two.map.extent() / two.unitSize());
        assertEquals(12, two.map.size() / two.unitSize());
        // { (int,0) (int,4) newtype1 at 16, shortint x2 at 64 }: extent 80.
        final Datatype s2 = Datatype.struct(OP, new int[]{ 2, 1, 2 }, new int[]{ 0, 16, 64 },
            new Datatype[]{ MPI.INT, two, shortInt });
        assertEquals(80, s2.map.extent());
        assertEquals(8 + 12 + 12, s2.map.size());
    }

    @Test
    void resizedBoundsInBytes()
    {
        final Datatype r = Datatype.resized(OP, MPI.INT, -4, 16);
        assertEquals(-4, r.map.lb());
        assertEquals(16, r.map.extent());
        assertEquals(4, r.map.extent() / r.unitSize());
        assertEquals(0, r.map.trueLb());
    }

    @Test
    void predefinedUnitsFollowOpenMpi()
    {
        assertEquals(1, MPI.INT.map.size() / MPI.INT.unitSize());
        assertEquals(2, MPI.DOUBLE_COMPLEX.map.size() / MPI.DOUBLE_COMPLEX.unitSize());
        // The pair types' base is the byte in Open MPI: MPI_SHORT_INT has size 6 and extent 8.
        assertEquals(6, MPI.SHORT_INT.map.size() / MPI.SHORT_INT.unitSize());
        assertEquals(8, MPI.SHORT_INT.map.extent() / MPI.SHORT_INT.unitSize());
        assertEquals(8, MPI.INT2.map.size() / MPI.INT2.unitSize());
        assertEquals(16, MPI.DOUBLE_INT.map.extent());
        assertSame(io.mpi4j.datatype.TypeMap.EMPTY, MPI.DATATYPE_NULL.map);
    }

    @Test
    void errorClasses()
    {
        assertClass(ErrorClass.ERR_COUNT, () -> Datatype.contiguous(OP, -1, MPI.INT));
        assertClass(ErrorClass.ERR_TYPE, () -> Datatype.contiguous(OP, 1, null));
        assertClass(ErrorClass.ERR_TYPE, () -> Datatype.contiguous(OP, 1, MPI.DATATYPE_NULL));
        assertClass(ErrorClass.ERR_ARG, () -> Datatype.vector(OP, 1, -2, 1, MPI.INT));
        assertClass(ErrorClass.ERR_ARG, () -> Datatype.indexed(OP, new int[]{ 1 }, new int[]{ 1, 2 }, MPI.INT));
        assertClass(ErrorClass.ERR_ARG, () -> Datatype.hindexed(OP, null, new int[0], MPI.INT));
        assertClass(ErrorClass.ERR_ARG, () -> Datatype.indexed(OP, new int[]{ -1 }, new int[]{ 0 }, MPI.INT));
        assertClass(ErrorClass.ERR_ARG,
            () -> Datatype.struct(OP, new int[]{ 1 }, new int[]{ 0 }, new Datatype[]{ MPI.INT, MPI.INT }));
        assertClass(ErrorClass.ERR_TYPE,
            () -> Datatype.struct(OP, new int[]{ 1 }, new int[]{ 0 }, new Datatype[]{ null }));
        assertClass(ErrorClass.ERR_TYPE, () -> MPI.INT.release(OP));
        final MpiError ex = assertThrows(MpiError.class, () -> Datatype.contiguous("MPI_Type_contiguous", -3,
            MPI.INT));
        assertEquals("MPI_Type_contiguous: count -3 is negative", ex.getMessage());
    }

    @Test
    void freeMakesTheTypeNull()
    {
        final Datatype c = Datatype.contiguous(OP, 2, MPI.INT);
        final Datatype built = Datatype.contiguous(OP, 2, c);
        c.release(OP);
        assertTrue(c.isNull());
        assertClass(ErrorClass.ERR_TYPE, () -> c.release(OP));
        assertClass(ErrorClass.ERR_TYPE, () -> Datatype.contiguous(OP, 1, c));
        assertClass(ErrorClass.ERR_TYPE, () -> c.duplicate(OP));
        // Types built from a freed type stay valid.
        assertEquals(16, built.byteSize);
        assertFalse(built.isNull());
    }

    @Test
    void dupKeepsLayoutAndCommitState()
    {
        final Datatype v = Datatype.vector(OP, 2, 1, 3, MPI.FLOAT);
        v.markCommitted();
        final Datatype d = v.duplicate(OP);
        assertSame(v.map, d.map);
        assertTrue(d.isCommitted());
        final Datatype i = MPI.INT.duplicate(OP);
        assertTrue(i.isUsable());
        assertEquals(4, i.byteSize);
        final Datatype pair = MPI.SHORT_INT.duplicate(OP);
        assertEquals(MPI.SHORT_INT.byteSize, pair.byteSize);
        assertTrue(pair.isUsable());
    }

    @Test
    void pairStructsMatchPairTypes() throws MPIException
    {
        final ByteBuffer buf = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        final DoubleInt.Data d = MPI.doubleInt.getData(buf, 1);
        d.putValue(2.5);
        d.putIndex(7);
        assertEquals(2.5, buf.getDouble(16));
        assertEquals(7, buf.getInt(24));
        assertEquals(16, MPI.doubleInt.getExtent());
        assertEquals(MPI.DOUBLE_INT.map.extent(), MPI.doubleInt.getExtent());
        assertEquals(MPI.SHORT_INT.map.extent(), MPI.shortInt.getExtent());
        assertEquals(MPI.LONG_INT.map.extent(), MPI.longInt.getExtent());
        assertEquals(MPI.FLOAT_INT.map.extent(), MPI.floatInt.getExtent());
        assertEquals(MPI.INT2.map.extent(), MPI.int2.getExtent());
        final ShortInt.Data s = MPI.shortInt.getData(buf, 2);
        s.putValue((short)-3);
        s.putIndex(11);
        assertEquals(-3, buf.getShort(16));
        assertEquals(11, buf.getInt(20));
        assertEquals(-3, s.getValue());
        assertTrue(MPI.doubleInt.getType().isCommitted());
        assertEquals(12, MPI.doubleInt.getType().byteSize);
    }

    @Test
    void userStructWithNestedStruct() throws MPIException
    {
        final class Point extends Struct
        {
            final int x = addInt();
            final int y = addDouble();

            @Override
            protected Data newData()
            {
                return new Data();
            }

            final class Data extends Struct.Data
            {
                void put(final int a, final double b)
                {
                    putInt(x, a);
                    putDouble(y, b);
                }

                int x()
                {
                    return getInt(x);
                }

                double y()
                {
                    return getDouble(y);
                }
            }
        }
        final Point point = new Point();
        final class Segment extends Struct
        {
            final int tag = addChar(2);
            final int ends;

            Segment() throws MPIException
            {
                ends = addStruct(point, 2);
            }

            @Override
            protected Data newData()
            {
                return new Data();
            }

            final class Data extends Struct.Data
            {
                Point.Data end(final int i)
                {
                    return getData(point, ends, i);
                }

                void tag(final int i, final char c)
                {
                    putChar(tag, i, c);
                }
            }
        }
        final Segment segment = new Segment();
        assertEquals(4, point.y);
        assertEquals(16, point.getExtent());
        assertEquals(4, segment.ends);
        assertEquals(40, segment.getExtent());
        final byte[] bytes = new byte[80];
        final Segment.Data second = segment.getData(bytes, 1);
        second.tag(1, 'q');
        second.end(1).put(9, 1.5);
        final ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertEquals('q', view.getChar(40 + 2));
        assertEquals(9, view.getInt(40 + 4 + 16));
        assertEquals(1.5, view.getDouble(40 + 4 + 16 + 4));
        assertEquals(9, segment.<Segment.Data>getData(bytes, 1).end(1).x());
        assertThrows(AssertionError.class, point::addInt);
    }

    @Test
    void complexViews()
    {
        final double[] z = { 1, 2, 3, 4 };
        final DoubleComplex c = DoubleComplex.get(z, 1);
        assertEquals(3, c.getReal());
        assertEquals(4, c.getImag());
        c.putImag(-4);
        assertEquals(-4, z[3]);
        final ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        FloatComplex.get(b, 1).putReal(0.25f);
        assertEquals(0.25f, b.getFloat(8));
        assertEquals(2, FloatComplex.get(b, 1).getBuffer().capacity());
    }

    private static void assertClass(final int errorClass, final org.junit.jupiter.api.function.Executable call)
    {
        assertEquals(errorClass, assertThrows(MpiError.class, call).errorClass());
    }
}
