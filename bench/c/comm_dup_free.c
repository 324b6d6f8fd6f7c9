/* Cost of MPI_Comm_dup + MPI_Comm_free on MPI_COMM_WORLD, the same loop as io.mpi4j.bench.CommDupFree:
 * warm-up rounds, a barrier, then timed rounds of dup then free; rank 0 prints mean microseconds per pair.
 * usage: mpirun -n 2 comm_dup_free [-i iterations] [-x warmup] */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int iterations = 10000, warmup = 1000, rank, size, i;
    MPI_Comm dup;
    double start, elapsed;

    MPI_Init(&argc, &argv);
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-i") == 0) iterations = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-x") == 0) warmup = atoi(argv[i + 1]);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (i = 0; i < warmup; i++) {
        MPI_Comm_dup(MPI_COMM_WORLD, &dup);
        MPI_Comm_free(&dup);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    start = MPI_Wtime();
    for (i = 0; i < iterations; i++) {
        MPI_Comm_dup(MPI_COMM_WORLD, &dup);
        MPI_Comm_free(&dup);
    }
    elapsed = MPI_Wtime() - start;
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        printf("# Open MPI MPI_Comm_dup + MPI_Comm_free, %d ranks, %d iterations\n", size, iterations);
        printf("dup_free_us %.3f\n", elapsed * 1e6 / iterations);
    }
    MPI_Finalize();
    return 0;
}
