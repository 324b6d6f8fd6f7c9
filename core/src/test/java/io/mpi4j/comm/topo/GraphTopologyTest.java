package io.mpi4j.comm.topo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;

class GraphTopologyTest
{
    private static int errorOf(final Runnable call)
    {
        return assertThrows(MpiError.class, call::run).errorClass();
    }

    @Test
    void neighboursComeFromTheCompressedForm()
    {
        // star: 0 - {1,2,3}
        final GraphTopology star = GraphTopology.create(new int[] {3, 4, 5, 6}, new int[] {1, 2, 3, 0, 0, 0, 99}, 4);
        assertEquals(4, star.nodeCount());
        assertEquals(6, star.edgeCount());
        assertArrayEquals(new int[] {1, 2, 3}, star.neighbours(0));
        assertArrayEquals(new int[] {0}, star.neighbours(2));
        assertEquals(1, star.neighbourCount(3));
        assertArrayEquals(new int[] {3, 4, 5, 6}, star.index());
        assertArrayEquals(new int[] {1, 2, 3, 0, 0, 0}, star.edges());
        assertEquals(ErrorClass.ERR_RANK, errorOf(() -> star.neighbours(4)));
    }

    @Test
    void isolatedNodesSelfLoopsAndEmptyGraphs()
    {
        final GraphTopology g = GraphTopology.create(new int[] {0, 2, 2}, new int[] {1, 1}, 3);
        assertArrayEquals(new int[0], g.neighbours(0));
        assertArrayEquals(new int[] {1, 1}, g.neighbours(1));
        assertArrayEquals(new int[0], g.neighbours(2));
        assertEquals(0, GraphTopology.create(new int[0], new int[0], 2).nodeCount());
    }

    @Test
    void badArgumentsAreRejectedWithTheRightClass()
    {
        assertEquals(ErrorClass.ERR_TOPOLOGY, errorOf(() -> GraphTopology.create(new int[] {0, 0, 0}, new int[0], 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(new int[] {2, 1}, new int[] {1, 0}, 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(new int[] {-1, 0}, new int[0], 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(new int[] {1, 3}, new int[] {1, 0}, 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(new int[] {1, 2}, new int[] {1, 2}, 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(new int[] {1, 2}, new int[] {-1, 0}, 2)));
        assertEquals(ErrorClass.ERR_ARG, errorOf(() -> GraphTopology.create(null, new int[0], 2)));
    }
}
