/*
 * Point-to-point latency, OSU method, for the Open MPI reference numbers in bench/RESULTS.md.
 * Same loop as io.mpi4j.bench.OsuLatency: sizes 0, 1, 2, 4 ... max; warm-up round trips, then timed ones;
 * latency = elapsed / (2 * iterations). Options: -m max_bytes, -i iterations, -x warmup (large messages,
 * above 8 KiB, use a tenth of both, as OSU does).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LARGE_MESSAGE 8192

int main(int argc, char **argv)
{
    int rank, size, max_bytes = 4 << 20, iterations = 10000, warmup = 1000;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) max_bytes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-i") && i + 1 < argc) iterations = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-x") && i + 1 < argc) warmup = atoi(argv[++i]);
    }
    if (size != 2) {
        if (rank == 0) fprintf(stderr, "osu_latency needs exactly 2 ranks\n");
        MPI_Finalize();
        return 1;
    }
    char *sbuf = malloc(max_bytes > 0 ? max_bytes : 1);
    char *rbuf = malloc(max_bytes > 0 ? max_bytes : 1);
    memset(sbuf, 'a', max_bytes);
    memset(rbuf, 'b', max_bytes);
    if (rank == 0) {
        printf("# OSU MPI Latency Test (C, Open MPI, OSU method)\n");
        printf("%-10s%20s\n", "# Size", "Latency (us)");
    }
    for (int bytes = 0; bytes <= max_bytes; bytes = bytes ? bytes * 2 : 1) {
        int iters = bytes > LARGE_MESSAGE ? (iterations / 10 > 0 ? iterations / 10 : 1) : iterations;
        int skip = bytes > LARGE_MESSAGE ? (warmup / 10 > 0 ? warmup / 10 : 1) : warmup;
        double start = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < skip + iters; i++) {
            if (i == skip) start = MPI_Wtime();
            if (rank == 0) {
                MPI_Send(sbuf, bytes, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
                MPI_Recv(rbuf, bytes, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(rbuf, bytes, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(sbuf, bytes, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
            }
        }
        double micros = (MPI_Wtime() - start) * 1e6 / (2.0 * iters);
        if (rank == 0) {
            printf("%-10d%20.2f\n", bytes, micros);
            fflush(stdout);
        }
    }
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return 0;
}
