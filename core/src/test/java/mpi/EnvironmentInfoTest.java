package mpi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The launcher's list of application sizes behind MPI_INFO_ENV's ompi_np, ompi_first_rank and ompi_num_apps. */
class EnvironmentInfoTest
{
    @Test
    void applicationSizesInRankOrder()
    {
        assertArrayEquals(new int[]{1, 2}, EnvironmentInfo.appSizes("1,2", 3));
        assertArrayEquals(new int[]{4}, EnvironmentInfo.appSizes("4", 4));
    }

    @Test
    void withoutAUsableListTheJobIsOneApplication()
    {
        assertArrayEquals(new int[]{3}, EnvironmentInfo.appSizes(null, 3), "singleton or older launcher");
        assertArrayEquals(new int[]{3}, EnvironmentInfo.appSizes("", 3));
        assertArrayEquals(new int[]{3}, EnvironmentInfo.appSizes("1,1", 3), "does not add up to the job");
        assertArrayEquals(new int[]{3}, EnvironmentInfo.appSizes("1,x", 3));
        assertArrayEquals(new int[]{3}, EnvironmentInfo.appSizes("4,-1", 3));
    }
}
