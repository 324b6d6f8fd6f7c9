package io.mpi4j.comm.topo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.Test;

class DimsCreateTest
{
    private static int[] fill(final int nnodes, final int... dims)
    {
        DimsCreate.fill(nnodes, dims);
        return dims;
    }

    @Test
    void examplesFromTheStandard()
    {
        assertArrayEquals(new int[] {3, 2}, fill(6, 0, 0));
        assertArrayEquals(new int[] {7, 1}, fill(7, 0, 0));
        assertArrayEquals(new int[] {2, 3, 1}, fill(6, 0, 3, 0));
        assertThrows(MpiError.class, () -> fill(7, 0, 3, 0));
    }

    @Test
    void choosesBalancedFactorsInNonIncreasingOrder()
    {
        assertArrayEquals(new int[] {9, 8}, fill(72, 0, 0));
        assertArrayEquals(new int[] {4, 4, 4}, fill(64, 0, 0, 0));
        assertArrayEquals(new int[] {2, 2, 2}, fill(8, 0, 0, 0));
        assertArrayEquals(new int[] {4, 2}, fill(8, 0, 0));
        assertArrayEquals(new int[] {1, 1, 1, 1}, fill(1, 0, 0, 0, 0));
        assertArrayEquals(new int[] {5, 4, 3}, fill(60, 0, 0, 0));
        assertArrayEquals(new int[] {12}, fill(12, 0));
        assertArrayEquals(new int[] {2, 5, 2}, fill(20, 0, 5, 0));
        assertArrayEquals(new int[] {3, 4}, fill(12, 3, 4));
        assertArrayEquals(new int[0], fill(1));
    }

    @Test
    void everyResultMultipliesOutAndIsSorted()
    {
        for (int n = 1; n <= 300; n++)
        {
            for (int k = 1; k <= 5; k++)
            {
                final int[] dims = fill(n, new int[k]);
                long product = 1;
                for (int i = 0; i < k; i++)
                {
                    product *= dims[i];
                    assertTrue(i == 0 || dims[i] <= dims[i - 1], n + " " + k);
                }
                assertEquals(n, product);
            }
        }
    }

    @Test
    void largeAndAwkwardCountsAreFast()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        {
            assertArrayEquals(new int[] {Integer.MAX_VALUE, 1, 1}, fill(Integer.MAX_VALUE, 0, 0, 0));
            assertArrayEquals(new int[] {32768, 32768}, fill(1 << 30, 0, 0));
            final int[] many = fill(720720, new int[12]);
            long product = 1;
            for (final int d : many)
            {
                product *= d;
            }
            assertEquals(720720, product);
            fill(1 << 30, new int[40]);
        });
    }

    @Test
    void badArgumentsAreErrDims()
    {
        assertEquals(ErrorClass.ERR_DIMS, assertThrows(MpiError.class, () -> fill(-1, 0)).errorClass());
        assertEquals(ErrorClass.ERR_DIMS, assertThrows(MpiError.class, () -> fill(6, -2, 0)).errorClass());
        assertEquals(ErrorClass.ERR_DIMS, assertThrows(MpiError.class, () -> fill(6, 4, 0)).errorClass());
        assertEquals(ErrorClass.ERR_DIMS, assertThrows(MpiError.class, () -> fill(6, 2, 2)).errorClass());
        assertEquals(ErrorClass.ERR_ARG, assertThrows(MpiError.class, () -> DimsCreate.fill(6, null)).errorClass());
    }
}
