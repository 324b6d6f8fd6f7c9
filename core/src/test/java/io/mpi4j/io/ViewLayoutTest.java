package io.mpi4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpi4j.datatype.BasicTypes;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;

/** The mapping of a view's data stream onto file byte ranges, and its refusal of unusable filetypes. */
class ViewLayoutTest
{
    private static long[] ranges(final Segments s)
    {
        final long[] out = new long[3 * s.count()];
        for (int i = 0; i < s.count(); i++)
        {
            out[3 * i] = s.offset(i);
            out[3 * i + 1] = s.length(i);
            out[3 * i + 2] = s.streamStart(i);
        }
        return out;
    }

    @Test
    void defaultViewIsTheFileItself()
    {
        final Segments s = ViewLayout.DEFAULT.map(10, 5, new Segments());
        assertArrayEquals(new long[] {10, 5, 0}, ranges(s));
        assertEquals(1, ViewLayout.DEFAULT.etypeSize());
        assertEquals(7, ViewLayout.DEFAULT.fileOffset(7));
        assertEquals(7, ViewLayout.DEFAULT.streamBytesBelow(7));
    }

    @Test
    void contiguousFiletypeShiftsByTheDisplacement()
    {
        final ViewLayout v = ViewLayout.of(100, BasicTypes.INT, BasicTypes.INT);
        assertEquals(4, v.etypeSize());
        assertArrayEquals(new long[] {108, 12, 0}, ranges(v.map(8, 12, new Segments())));
        assertEquals(100 + 4 * 3, v.fileOffset(12));
        assertEquals(0, v.streamBytesBelow(50));
        assertEquals(20, v.streamBytesBelow(120));
    }

    @Test
    void interleavedVectorViewVisitsEveryOtherBlockOfTheFile()
    {
        // Rank 1 of 2: blocks of 2 ints, stride 4 ints, displacement one block: ints 2,3, 6,7, 10,11, ...
        final TypeMap block = TypeMap.contiguous(2, BasicTypes.INT);
        final TypeMap filetype = TypeMap.resized(block, 0, 16);
        final ViewLayout v = ViewLayout.of(8, BasicTypes.INT, filetype);
        final Segments s = v.map(0, 24, new Segments());
        assertArrayEquals(new long[] {8, 8, 0, 24, 8, 8, 40, 8, 16}, ranges(s));
        // Starting inside a block: stream byte 4 is the second int of the first block.
        assertArrayEquals(new long[] {12, 4, 0, 24, 8, 4, 40, 2, 12}, ranges(v.map(4, 14, new Segments())));
        assertEquals(24, v.fileOffset(8));
        assertEquals(28, v.fileOffset(12));
        // End of file in the view: a file of 30 bytes holds block 0 (8..16) and 6 bytes of block 1 (24..30).
        assertEquals(14, v.streamBytesBelow(30));
        assertEquals(16, v.streamBytesBelow(40));
        assertEquals(0, v.streamBytesBelow(8));
    }

    @Test
    void vectorWithGapsInsideATileMapsEachRun()
    {
        // vector(3 blocks of 1 int, stride 2 ints): runs at 0, 8, 16 within an extent of 20 bytes.
        final TypeMap filetype = TypeMap.vector(3, 1, 2, BasicTypes.INT);
        final ViewLayout v = ViewLayout.of(0, BasicTypes.INT, filetype);
        final Segments s = v.map(0, 24, new Segments());
        assertArrayEquals(new long[] {0, 4, 0, 8, 4, 4, 16, 8, 8, 28, 4, 16, 36, 4, 20}, ranges(s));
        assertEquals(18, s.bytesBelow(30));
        assertEquals(3 * 4 + 1 * 4, v.streamBytesBelow(24));
    }

    @Test
    void segmentsMergeWhenTilesTouch()
    {
        final TypeMap filetype = TypeMap.hindexed(new int[] {1}, new long[] {4}, BasicTypes.INT);
        // lb 4, extent 4: tiles of one int at 4, 8, 12, ... form one range.
        final ViewLayout v = ViewLayout.of(0, BasicTypes.INT, filetype);
        assertArrayEquals(new long[] {4, 12, 0}, ranges(v.map(0, 12, new Segments())));
    }

    @Test
    void refusesDecreasingNegativeAndOverlappingFiletypes()
    {
        final TypeMap decreasing = TypeMap.indexed(new int[] {1, 1}, new int[] {2, 0}, BasicTypes.INT);
        assertEquals(ErrorClass.ERR_ARG, assertThrows(MpiError.class,
            () -> ViewLayout.of(0, BasicTypes.INT, decreasing)).errorClass());
        final TypeMap negative = TypeMap.hindexed(new int[] {1, 1}, new long[] {-4, 8}, BasicTypes.INT);
        assertEquals(ErrorClass.ERR_ARG, assertThrows(MpiError.class,
            () -> ViewLayout.of(0, BasicTypes.INT, negative)).errorClass());
        final TypeMap overlapping = TypeMap.resized(TypeMap.contiguous(4, BasicTypes.INT), 0, 8);
        assertEquals(ErrorClass.ERR_ARG, assertThrows(MpiError.class,
            () -> ViewLayout.of(0, BasicTypes.INT, overlapping)).errorClass());
        assertEquals(ErrorClass.ERR_ARG, assertThrows(MpiError.class,
            () -> ViewLayout.of(-1, BasicTypes.INT, BasicTypes.INT)).errorClass());
    }

    @Test
    void refusesFiletypesThatAreNotWholeEtypes()
    {
        assertEquals(ErrorClass.ERR_TYPE, assertThrows(MpiError.class,
            () -> ViewLayout.of(0, BasicTypes.INT, BasicTypes.SHORT)).errorClass());
        assertEquals(ErrorClass.ERR_TYPE, assertThrows(MpiError.class,
            () -> ViewLayout.of(0, TypeMap.EMPTY, BasicTypes.INT)).errorClass());
    }
}
