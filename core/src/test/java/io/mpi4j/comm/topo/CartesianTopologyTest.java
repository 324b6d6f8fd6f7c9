package io.mpi4j.comm.topo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;

class CartesianTopologyTest
{
    private static int errorOf(final Runnable call)
    {
        return assertThrows(MpiError.class, call::run).errorClass();
    }

    @Test
    void ranksAreRowMajorAndCoordsInvertThem()
    {
        final CartesianTopology grid = CartesianTopology.create(new int[] {2, 3, 4}, new boolean[3], 30);
        assertEquals(24, grid.size());
        assertEquals(3, grid.dimensionCount());
        for (int r = 0; r < 24; r++)
        {
            final int[] c = grid.coords(r);
            assertEquals(r, c[0] * 12 + c[1] * 4 + c[2]);
            assertEquals(r, grid.rank(c));
        }
        assertArrayEquals(new int[] {1, 2, 3}, grid.coords(23));
    }

    @Test
    void periodicDimensionsWrapAndOthersReject()
    {
        final CartesianTopology grid = CartesianTopology.create(new int[] {2, 4}, new boolean[] {false, true}, 8);
        assertEquals(grid.rank(new int[] {1, 3}), grid.rank(new int[] {1, -1}));
        assertEquals(grid.rank(new int[] {0, 1}), grid.rank(new int[] {0, 9}));
        assertEquals(ErrorClass.ERR_RANK, errorOf(() -> grid.rank(new int[] {2, 0})));
        assertEquals(ErrorClass.ERR_RANK, errorOf(() -> grid.rank(new int[] {-1, 0})));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> grid.rank(new int[] {0})));
        assertEquals(ErrorClass.ERR_RANK, errorOf(() -> grid.coords(8)));
    }

    @Test
    void shiftWrapsOnATorusAndFallsOffOtherEdges()
    {
        final CartesianTopology grid = CartesianTopology.create(new int[] {3, 4}, new boolean[] {false, true}, 12);
        // rank 4 is (1, 0)
        assertEquals(grid.rank(new int[] {1, 1}), grid.neighbour(4, 1, 1));
        assertEquals(grid.rank(new int[] {1, 3}), grid.neighbour(4, 1, -1));
        assertEquals(grid.rank(new int[] {1, 2}), grid.neighbour(4, 1, 6));
        assertEquals(grid.rank(new int[] {2, 0}), grid.neighbour(4, 0, 1));
        assertEquals(CartesianTopology.NO_NEIGHBOUR, grid.neighbour(4, 0, 2));
        assertEquals(CartesianTopology.NO_NEIGHBOUR, grid.neighbour(0, 0, -1));
        assertEquals(4, grid.neighbour(4, 0, 0));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> grid.neighbour(4, 2, 1)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> grid.neighbour(4, -1, 1)));
    }

    @Test
    void subGridColourAndRankPartitionTheGrid()
    {
        final CartesianTopology grid = CartesianTopology.create(new int[] {2, 3, 2}, new boolean[] {true, false, true}, 12);
        final boolean[] keep = {false, true, true};
        final CartesianTopology sub = grid.sub(keep);
        assertArrayEquals(new int[] {3, 2}, sub.dims());
        assertArrayEquals(new boolean[] {false, true}, sub.periods());
        for (int r = 0; r < 12; r++)
        {
            final int[] c = grid.coords(r);
            assertEquals(c[0], grid.subGridColour(r, keep));
            assertEquals(sub.rank(new int[] {c[1], c[2]}), grid.subGridRank(r, keep));
        }
        final CartesianTopology none = grid.sub(new boolean[3]);
        assertEquals(0, none.dimensionCount());
        assertEquals(1, none.size());
        assertEquals(0, grid.subGridRank(7, new boolean[3]));
        assertEquals(7, grid.subGridColour(7, new boolean[3]));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> grid.sub(new boolean[2])));
    }

    @Test
    void badArgumentsAreRejectedWithTheRightClass()
    {
        assertEquals(ErrorClass.ERR_DIMS, errorOf(() -> CartesianTopology.create(new int[] {2, -1}, new boolean[2], 8)));
        assertEquals(ErrorClass.ERR_DIMS, errorOf(() -> CartesianTopology.create(new int[] {0}, new boolean[1], 8)));
        assertEquals(ErrorClass.ERR_TOPOLOGY, errorOf(() -> CartesianTopology.create(new int[] {3, 3}, new boolean[2], 8)));
        assertEquals(ErrorClass.ERR_TOPOLOGY,
            errorOf(() -> CartesianTopology.create(new int[] {65536, 65536, 65536}, new boolean[3], 8)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> CartesianTopology.create(new int[] {2}, new boolean[2], 8)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> CartesianTopology.create(null, new boolean[0], 8)));
        final MpiError error = assertThrows(MpiError.class,
            () -> CartesianTopology.create(new int[] {3, 3}, new boolean[2], 8));
        assertTrue(error.getMessage().contains("3x3") && error.getMessage().contains("9"), error.getMessage());
        assertEquals(1, CartesianTopology.create(new int[0], new boolean[0], 4).size());
    }

    @Test
    void topologyKeepsItsOwnCopies()
    {
        final int[] dims = {2, 2};
        final boolean[] periods = {true, false};
        final CartesianTopology grid = CartesianTopology.create(dims, periods, 4);
        dims[0] = 7;
        periods[0] = false;
        grid.dims()[1] = 9;
        assertArrayEquals(new int[] {2, 2}, grid.dims());
        assertTrue(grid.periodic(0));
    }
}
