/* Halo exchange of one matrix column, the same loop as io.mpi4j.bench.HaloVector: an N x N row-major matrix of
 * doubles, its first column an MPI_Type_vector(N, 1, N, MPI_DOUBLE); ranks 0 and 1 ping-pong the column, warm-up
 * round trips then timed ones; rank 0 prints "N microseconds" per one-way exchange for N = 256 ... max. The counts are
 * OSU's defaults, 10,000 after 1,000 for a column of up to 8 KiB and a tenth of each above.
 * usage: mpirun -n 2 halo_vector [-m maxN] [-i iterations] [-x warmup] */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int max_n = 2048, iterations = 10000, warmup = 1000, timed, skipped, rank, n, i;
    double *matrix, start = 0;
    MPI_Datatype column;

    MPI_Init(&argc, &argv);
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-m") == 0) max_n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-i") == 0) iterations = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-x") == 0) warmup = atoi(argv[i + 1]);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    matrix = malloc(sizeof(double) * (size_t)max_n * max_n);
    for (i = 0; i < max_n * max_n; i++) matrix[i] = rank * 1e6 + i;
    if (rank == 0) {
        printf("# Open MPI halo exchange of a matrix column (MPI_Type_vector of doubles), one-way us\n");
        printf("%-10s%20s\n", "# N", "Latency (us)");
    }
    for (n = 256; n <= max_n; n *= 2) {
        MPI_Type_vector(n, 1, n, MPI_DOUBLE, &column);
        MPI_Type_commit(&column);
        MPI_Barrier(MPI_COMM_WORLD);
        timed = n * sizeof(double) > 8192 ? iterations / 10 : iterations;
        skipped = n * sizeof(double) > 8192 ? warmup / 10 : warmup;
        for (i = 0; i < skipped + timed; i++) {
            if (i == skipped) start = MPI_Wtime();
            if (rank == 0) {
                MPI_Send(matrix, 1, column, 1, 7, MPI_COMM_WORLD);
                MPI_Recv(matrix, 1, column, 1, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(matrix, 1, column, 0, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(matrix, 1, column, 0, 7, MPI_COMM_WORLD);
            }
        }
        if (rank == 0) printf("%-10d%20.2f\n", n, (MPI_Wtime() - start) * 1e6 / (2.0 * timed));
        MPI_Type_free(&column);
    }
    free(matrix);
    MPI_Finalize();
    return 0;
}
