package io.mpi4j.datatype;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeMapTest
{
    private static long[][] runs(final TypeMap t)
    {
        final long[][] r = new long[t.runCount()][];
        for (int i = 0; i < r.length; i++)
        {
            r[i] = new long[]{ t.runDisplacement(i), t.runLength(i) };
        }
        return r;
    }

    private static void assertBounds(
        final TypeMap t, final long size, final long lb, final long extent, final long trueLb, final long trueExtent)
    {
        assertEquals(size, t.size(), "size");
        assertEquals(lb, t.lb(), "lb");
        assertEquals(extent, t.extent(), "extent");
        assertEquals(trueLb, t.trueLb(), "true lb");
        assertEquals(trueExtent, t.trueExtent(), "true extent");
    }

    @Test
    void basicTypes()
    {
        assertBounds(BasicTypes.DOUBLE, 8, 0, 8, 0, 8);
        assertTrue(BasicTypes.INT.isContiguous());
        assertEquals(1, BasicTypes.INT.elementCount());
        assertBounds(BasicTypes.DOUBLE_COMPLEX, 16, 0, 16, 0, 16);
        assertTrue(BasicTypes.FLOAT_INT.isContiguous());
    }

    @Test
    void pairTypesHaveCLayout()
    {
        assertBounds(BasicTypes.SHORT_INT, 6, 0, 8, 0, 8);
        assertArrayEquals(new long[][]{ { 0, 2 }, { 4, 4 } }, runs(BasicTypes.SHORT_INT));
        assertFalse(BasicTypes.SHORT_INT.isContiguous());
        assertBounds(BasicTypes.LONG_INT, 12, 0, 16, 0, 12);
        assertBounds(BasicTypes.DOUBLE_INT, 12, 0, 16, 0, 12);
        assertBounds(BasicTypes.FLOAT_INT, 8, 0, 8, 0, 8);
        assertBounds(BasicTypes.INT2, 8, 0, 8, 0, 8);
        assertEquals(2, BasicTypes.DOUBLE_INT.elementCount());
    }

    @Test
    void contiguousMergesIntoOneRun()
    {
        final TypeMap t = TypeMap.contiguous(5, BasicTypes.INT);
        assertBounds(t, 20, 0, 20, 0, 20);
        assertArrayEquals(new long[][]{ { 0, 20 } }, runs(t));
        assertTrue(t.isContiguous());
        assertEquals(5, t.elementCount());
    }

    @Test
    void contiguousOfGappedTypeKeepsGaps()
    {
        // Typemap { (short,0) (int,4) (short,8) (int,12) }, extent 16, size 12 (as in the ompi-java-test Structsr).
        final TypeMap t = TypeMap.contiguous(2, BasicTypes.SHORT_INT);
        assertBounds(t, 12, 0, 16, 0, 16);
        assertArrayEquals(new long[][]{ { 0, 2 }, { 4, 6 }, { 12, 4 } }, runs(t));
        assertFalse(t.isContiguous());
    }

    @Test
    void vectorStrideInExtents()
    {
        final TypeMap t = TypeMap.vector(3, 2, 4, BasicTypes.DOUBLE);
        // Blocks of 2 doubles every 4 doubles: bytes 0-15, 32-47, 64-79.
        assertArrayEquals(new long[][]{ { 0, 16 }, { 32, 16 }, { 64, 16 } }, runs(t));
        assertBounds(t, 48, 0, 80, 0, 80);
        assertEquals(6, t.elementCount());
    }

    @Test
    void vectorWithStrideEqualToBlockIsContiguous()
    {
        final TypeMap t = TypeMap.vector(4, 3, 3, BasicTypes.INT);
        assertArrayEquals(new long[][]{ { 0, 48 } }, runs(t));
        assertTrue(t.isContiguous());
    }

    @Test
    void hvectorExtentIsPaddedToAlignment()
    {
        // Ints at bytes 0 and 5: ub 9, padded to the int alignment: extent 12 (Open MPI pads every constructor).
        final TypeMap t = TypeMap.hvector(2, 1, 5, BasicTypes.INT);
        assertBounds(t, 8, 0, 12, 0, 9);
        assertArrayEquals(new long[][]{ { 0, 4 }, { 5, 4 } }, runs(t));
    }

    @Test
    void negativeStride()
    {
        final TypeMap t = TypeMap.hvector(3, 1, -8, BasicTypes.INT);
        assertArrayEquals(new long[][]{ { 0, 4 }, { -8, 4 }, { -16, 4 } }, runs(t));
        assertBounds(t, 12, -16, 20, -16, 20);
        assertEquals(-16, t.lowestOffset(1));
        assertEquals(4, t.highestOffset(1));
    }

    @Test
    void indexedKeepsTypeMapOrder()
    {
        final TypeMap t = TypeMap.indexed(new int[]{ 1, 2, 1 }, new int[]{ 6, 0, 2 }, BasicTypes.INT);
        // Blocks in the order given, not sorted: the packed stream is ints 6, 0, 1, 2; 1 and 2 merge.
        assertArrayEquals(new long[][]{ { 24, 4 }, { 0, 12 } }, runs(t));
        assertBounds(t, 16, 0, 28, 0, 28);
    }

    @Test
    void hindexedNegativeDisplacement()
    {
        final TypeMap t = TypeMap.hindexed(new int[]{ 1, 1 }, new long[]{ 8, -4 }, BasicTypes.INT);
        assertBounds(t, 8, -4, 16, -4, 16);
        assertArrayEquals(new long[][]{ { 8, 4 }, { -4, 4 } }, runs(t));
    }

    @Test
    void zeroLengthBlocksDoNotAffectBounds()
    {
        final TypeMap t = TypeMap.hindexed(new int[]{ 0, 2, 0 }, new long[]{ -100, 8, 100 }, BasicTypes.INT);
        assertBounds(t, 8, 8, 8, 8, 8);
        assertSame(TypeMap.EMPTY, TypeMap.contiguous(0, BasicTypes.INT));
        assertEquals(0, TypeMap.EMPTY.extent());
        assertTrue(TypeMap.EMPTY.isContiguous());
    }

    @Test
    void structPaddedLikeC()
    {
        // { int, double } packed by Open MPI's Java Struct: double at 4, ub 12, padded to 16.
        final TypeMap t = TypeMap.struct(new int[]{ 1, 1 }, new long[]{ 0, 4 },
            new TypeMap[]{ BasicTypes.INT, BasicTypes.DOUBLE });
        assertBounds(t, 12, 0, 16, 0, 12);
        assertArrayEquals(new long[][]{ { 0, 12 } }, runs(t));
        assertFalse(t.isContiguous());
        assertEquals(8, t.alignment());
    }

    @Test
    void resizedSetsBoundsAndStopsPadding()
    {
        final TypeMap r = TypeMap.resized(BasicTypes.INT, -4, 12);
        assertBounds(r, 4, -4, 12, 0, 4);
        assertTrue(r.hasExplicitBounds());
        final TypeMap c = TypeMap.contiguous(3, r);
        assertArrayEquals(new long[][]{ { 0, 4 }, { 12, 4 }, { 24, 4 } }, runs(c));
        assertBounds(c, 12, -4, 36, 0, 28);
        // Explicit bounds inside: no padding to alignment, even when the extent is odd.
        final TypeMap odd = TypeMap.contiguous(1, TypeMap.resized(BasicTypes.INT, 0, 5));
        assertEquals(5, odd.extent());
    }

    @Test
    void resizedToExtentOfDataIsContiguous()
    {
        final TypeMap t = TypeMap.resized(TypeMap.hvector(2, 1, 5, BasicTypes.INT), 0, 9);
        assertFalse(t.isContiguous());
        final TypeMap s = TypeMap.resized(BasicTypes.INT2, 0, 8);
        assertTrue(s.isContiguous());
    }

    @Test
    void nestedTransposeType()
    {
        // Column of a 10x10 int matrix, resized to one int: vector(10, 1, 10) then consecutive columns.
        final TypeMap column = TypeMap.vector(10, 1, 10, BasicTypes.INT);
        assertBounds(column, 40, 0, 364, 0, 364);
        final TypeMap oneInt = TypeMap.resized(column, 0, 4);
        final TypeMap transpose = TypeMap.contiguous(10, oneInt);
        assertEquals(100, transpose.runCount());
        assertEquals(400, transpose.size());
        assertEquals(40, transpose.extent());
        assertEquals(0, transpose.trueLb());
        assertEquals(400, transpose.trueExtent());
    }

    @Test
    void elementsInPartialStreams()
    {
        // 4 x { double, int } as in the ompi-java-test Getel.
        final TypeMap t = TypeMap.contiguous(4, BasicTypes.DOUBLE_INT);
        assertEquals(8, t.elementCount());
        assertEquals(-1, t.elementsIn(33));
        assertEquals(9, t.elementsIn(5 * 8 + 4 * 4));
        assertEquals(10, t.elementsIn(5 * 12));
        assertEquals(0, t.elementsIn(0));
        assertEquals(12, t.bytesOfElements(2));
        assertEquals(48 + 8, t.bytesOfElements(9));
    }

    @Test
    void spanOfCount()
    {
        final TypeMap t = TypeMap.vector(2, 1, 3, BasicTypes.INT);
        assertEquals(16, t.extent());
        assertEquals(0, t.lowestOffset(3));
        assertEquals(2 * 16 + 16, t.highestOffset(3));
        assertEquals(0, t.highestOffset(0));
    }

    @Test
    void rejectsBadArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> TypeMap.contiguous(-1, BasicTypes.INT));
        assertThrows(IllegalArgumentException.class,
            () -> TypeMap.hindexed(new int[]{ 1 }, new long[]{ 0, 1 }, BasicTypes.INT));
        assertThrows(IllegalArgumentException.class,
            () -> TypeMap.hindexed(new int[]{ -1 }, new long[]{ 0 }, BasicTypes.INT));
    }
}
