/* Time from MPI_Comm_spawn to the first message answered by every child, the same loop as
 * io.mpi4j.bench.SpawnLatency: for 1 and 2 children, iterations rounds of spawn, one int to each child and its
 * answer back, then disconnect; prints the median, the maximum and the first spawn's time in milliseconds. The
 * children are this program.
 * -g ms is the pause after each spawn (default 100), during which the children exit.
 * usage: mpirun -n 1 --oversubscribe spawn_latency [-i iterations] [-g ms] */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int iterations = 20, gap_ms = 100, i, c, children, value;
    MPI_Comm parent, inter;
    double *ms, start, first;

    MPI_Init(&argc, &argv);
    MPI_Comm_get_parent(&parent);
    if (parent != MPI_COMM_NULL) {
        MPI_Recv(&value, 1, MPI_INT, 0, 1, parent, MPI_STATUS_IGNORE);
        MPI_Send(&value, 1, MPI_INT, 0, 2, parent);
        MPI_Comm_disconnect(&parent);
        MPI_Finalize();
        return 0;
    }
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-i") == 0) iterations = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-g") == 0) gap_ms = atoi(argv[i + 1]);
    }
    ms = malloc(sizeof(double) * iterations);
    printf("# Open MPI MPI_Comm_spawn to first answer of every child, %d spawns each, %d ms apart\n", iterations,
        gap_ms);
    printf("# children median_ms max_ms first_ms\n");
    for (children = 1; children <= 2; children++) {
        for (i = 0; i < iterations; i++) {
            start = MPI_Wtime();
            MPI_Comm_spawn(argv[0], MPI_ARGV_NULL, children, MPI_INFO_NULL, 0, MPI_COMM_SELF, &inter,
                MPI_ERRCODES_IGNORE);
            value = 42;
            for (c = 0; c < children; c++) MPI_Send(&value, 1, MPI_INT, c, 1, inter);
            for (c = 0; c < children; c++) MPI_Recv(&value, 1, MPI_INT, c, 2, inter, MPI_STATUS_IGNORE);
            ms[i] = (MPI_Wtime() - start) * 1e3;
            MPI_Comm_disconnect(&inter);
            usleep(gap_ms * 1000);
        }
        first = ms[0];
        qsort(ms, iterations, sizeof(double), compare);
        printf("%d %.1f %.1f %.1f\n", children, ms[iterations / 2], ms[iterations - 1], first);
        fflush(stdout);
    }
    free(ms);
    MPI_Finalize();
    return 0;
}
