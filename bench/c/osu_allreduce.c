/*
 * Allreduce latency, OSU method, for the Open MPI reference numbers in bench/RESULTS.md.
 * Same loop as io.mpi4j.bench.OsuAllReduce: sizes 4, 8 ... max bytes of floats, MPI_SUM; warm-up calls, then
 * timed ones, each call timed; the figure is the average over ranks of each rank's mean time per call.
 * Options: -m max_bytes (default 1 MiB), -i iterations (default 1000), -x warmup (default 100); above 8 KiB a
 * tenth of both, as OSU does.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LARGE_MESSAGE 8192

int main(int argc, char **argv)
{
    int rank, size, max_bytes = 1 << 20, iterations = 1000, warmup = 100;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) max_bytes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-i") && i + 1 < argc) iterations = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-x") && i + 1 < argc) warmup = atoi(argv[++i]);
    }
    int max_count = max_bytes / 4 > 0 ? max_bytes / 4 : 1;
    float *sbuf = malloc(sizeof(float) * max_count);
    float *rbuf = malloc(sizeof(float) * max_count);
    for (int i = 0; i < max_count; i++) { sbuf[i] = 1.0f; rbuf[i] = 0.0f; }
    if (rank == 0) {
        printf("# OSU MPI Allreduce Latency Test (C, Open MPI, OSU method), %d ranks\n", size);
        printf("%-10s%20s\n", "# Size", "Avg Latency (us)");
    }
    for (int bytes = 4; bytes <= max_bytes; bytes *= 2) {
        int count = bytes / 4;
        int iters = bytes > LARGE_MESSAGE ? (iterations / 10 > 0 ? iterations / 10 : 1) : iterations;
        int skip = bytes > LARGE_MESSAGE ? (warmup / 10 > 0 ? warmup / 10 : 1) : warmup;
        double elapsed = 0, local, total = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < skip + iters; i++) {
            double t0 = MPI_Wtime();
            MPI_Allreduce(sbuf, rbuf, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            if (i >= skip) elapsed += MPI_Wtime() - t0;
        }
        MPI_Barrier(MPI_COMM_WORLD);
        local = elapsed * 1e6 / iters;
        MPI_Reduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        if (rank == 0) {
            printf("%-10d%20.2f\n", bytes, total / size);
            fflush(stdout);
        }
    }
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return 0;
}
