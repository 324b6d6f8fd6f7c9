/*
 * Unidirectional bandwidth, OSU method, for the Open MPI reference numbers in bench/RESULTS.md.
 * Same loop as io.mpi4j.bench.OsuBandwidth: for each size (1 B ... max) rank 0 posts a window of 64 MPI_Isend,
 * waits for all, then receives a 4-byte acknowledgement; rank 1 posts 64 MPI_Irecv and sends the ack.
 * Bandwidth = bytes * 64 * iterations / elapsed in MB/s (10^6). Options: -m max_bytes, -i iterations,
 * -x warmup (above 8 KiB a fifth of both: OSU's 100/10 -> 20/2).
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 64
#define LARGE_MESSAGE 8192

int main(int argc, char **argv)
{
    int rank, size, max_bytes = 4 << 20, iterations = 100, warmup = 10;
    MPI_Request window[WINDOW];
    char ack[4];
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) max_bytes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-i") && i + 1 < argc) iterations = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-x") && i + 1 < argc) warmup = atoi(argv[++i]);
    }
    if (size != 2) {
        if (rank == 0) fprintf(stderr, "osu_bw needs exactly 2 ranks\n");
        MPI_Finalize();
        return 1;
    }
    char *sbuf = malloc(max_bytes > 0 ? max_bytes : 1);
    char *rbuf = malloc(max_bytes > 0 ? max_bytes : 1);
    memset(sbuf, 'a', max_bytes);
    memset(rbuf, 'b', max_bytes);
    if (rank == 0) {
        printf("# OSU MPI Bandwidth Test (C, Open MPI, OSU method)\n");
        printf("%-10s%20s\n", "# Size", "Bandwidth (MB/s)");
    }
    for (int bytes = 1; bytes <= max_bytes; bytes *= 2) {
        int iters = bytes > LARGE_MESSAGE ? (iterations / 5 > 0 ? iterations / 5 : 1) : iterations;
        int skip = bytes > LARGE_MESSAGE ? (warmup / 5 > 0 ? warmup / 5 : 1) : warmup;
        double start = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < skip + iters; i++) {
            if (i == skip) start = MPI_Wtime();
            if (rank == 0) {
                for (int w = 0; w < WINDOW; w++)
                    MPI_Isend(sbuf, bytes, MPI_CHAR, 1, 100, MPI_COMM_WORLD, &window[w]);
                MPI_Waitall(WINDOW, window, MPI_STATUSES_IGNORE);
                MPI_Recv(ack, 4, MPI_CHAR, 1, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                for (int w = 0; w < WINDOW; w++)
                    MPI_Irecv(rbuf, bytes, MPI_CHAR, 0, 100, MPI_COMM_WORLD, &window[w]);
                MPI_Waitall(WINDOW, window, MPI_STATUSES_IGNORE);
                MPI_Send(ack, 4, MPI_CHAR, 0, 101, MPI_COMM_WORLD);
            }
        }
        double seconds = MPI_Wtime() - start;
        if (rank == 0) {
            printf("%-10d%20.2f\n", bytes, (double)bytes * WINDOW * iters / seconds / 1e6);
            fflush(stdout);
        }
    }
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return 0;
}
