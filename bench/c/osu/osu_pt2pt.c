/*
 * osu_latency, osu_bw, osu_bibw for Open MPI: the loops of io.mpi4j.bench.osu.Latency and Bandwidth.
 * Build one program per name: mpicc -O2 -DOSU_LATENCY|-DOSU_BW|-DOSU_BIBW -o osu_<name> osu_pt2pt.c
 */
#include "osu_common.h"

int main(int argc, char **argv)
{
    struct osu_options o;
    int rank, ranks, status;
#if defined(OSU_LATENCY)
    const char *name = "osu_latency", *title = "OSU MPI Latency Test";
    enum family family = LATENCY;
#elif defined(OSU_BW)
    const char *name = "osu_bw", *title = "OSU MPI Bandwidth Test";
    enum family family = BANDWIDTH;
#else
    const char *name = "osu_bibw", *title = "OSU MPI Bi-Directional Bandwidth Test";
    enum family family = BANDWIDTH;
#endif
    MPI_Init(&argc, &argv);
    if ((status = osu_start(&o, family, name, argc, argv, &rank, &ranks, 2, 2))) {
        MPI_Finalize();
        return status - 1;
    }
    char *sbuf = osu_buffer(o.max_size, 'a'), *rbuf = osu_buffer(o.max_size, 'b');
    int peer = 1 - rank;
    osu_header(rank, title, 1);
    if (!rank) printf("# Datatype: MPI_CHAR.\n");
#if defined(OSU_LATENCY)
    osu_columns(rank, "Avg Latency(us)", NULL);
    for (int size = o.min_size; size <= o.max_size; size = size ? size * 2 : 1) {
        int iterations = iterations_for(&o, size), skip = skip_for(&o, size);
        double total = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < iterations + skip; i++) {
            if (rank == 0) {
                double start = MPI_Wtime();
                MPI_Send(sbuf, size, MPI_CHAR, 1, 1, MPI_COMM_WORLD);
                MPI_Recv(rbuf, size, MPI_CHAR, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (i >= skip) total += MPI_Wtime() - start;
            } else {
                MPI_Recv(rbuf, size, MPI_CHAR, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(sbuf, size, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
            }
        }
        osu_row(rank, size, total * 1e6 / (2.0 * iterations));
    }
#else
    MPI_Request *sends = malloc(sizeof(MPI_Request) * o.window), *recvs = malloc(sizeof(MPI_Request) * o.window);
    osu_columns(rank, "Bandwidth (MB/s)", NULL);
    for (int size = o.min_size > 0 ? o.min_size : 1; size <= o.max_size; size *= 2) {
        int iterations = iterations_for(&o, size), skip = skip_for(&o, size);
        double total = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < iterations + skip; i++) {
            double start = MPI_Wtime();
#if defined(OSU_BW)
            if (rank == 0) {
                for (int w = 0; w < o.window; w++) MPI_Isend(sbuf, size, MPI_CHAR, 1, 100, MPI_COMM_WORLD, &sends[w]);
                MPI_Waitall(o.window, sends, MPI_STATUSES_IGNORE);
                MPI_Recv(rbuf, 1, MPI_CHAR, 1, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                for (int w = 0; w < o.window; w++) MPI_Irecv(rbuf, size, MPI_CHAR, 0, 100, MPI_COMM_WORLD, &recvs[w]);
                MPI_Waitall(o.window, recvs, MPI_STATUSES_IGNORE);
                MPI_Send(sbuf, 1, MPI_CHAR, 0, 101, MPI_COMM_WORLD);
            }
#else
            for (int w = 0; w < o.window; w++) MPI_Irecv(rbuf, size, MPI_CHAR, peer, 100, MPI_COMM_WORLD, &recvs[w]);
            for (int w = 0; w < o.window; w++) MPI_Isend(sbuf, size, MPI_CHAR, peer, 100, MPI_COMM_WORLD, &sends[w]);
            if (rank == 0) {
                MPI_Waitall(o.window, sends, MPI_STATUSES_IGNORE);
                MPI_Waitall(o.window, recvs, MPI_STATUSES_IGNORE);
            } else {
                MPI_Waitall(o.window, recvs, MPI_STATUSES_IGNORE);
                MPI_Waitall(o.window, sends, MPI_STATUSES_IGNORE);
            }
#endif
            if (i >= skip) total += MPI_Wtime() - start;
        }
#if defined(OSU_BW)
        const int directions = 1;
#else
        const int directions = 2;
#endif
        osu_row(rank, size, size / 1e6 * o.window * iterations * directions / total);
    }
    free(sends);
    free(recvs);
#endif
    (void)peer;
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return 0;
}
