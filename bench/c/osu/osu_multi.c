/*
 * osu_mbw_mr and osu_multi_lat for Open MPI: the loops of io.mpi4j.bench.osu.MultiPair (rank r < pairs paired
 * with r + pairs, a barrier of all ranks before every iteration, senders' times summed and divided by pairs).
 * Build: mpicc -O2 -DOSU_MBW_MR|-DOSU_MULTI_LAT -o osu_<name> osu_multi.c
 */
#include "osu_common.h"

int main(int argc, char **argv)
{
    struct osu_options o;
    int rank, ranks, status;
#if defined(OSU_MBW_MR)
    const char *name = "osu_mbw_mr";
    enum family family = MULTI_BANDWIDTH;
#else
    const char *name = "osu_multi_lat";
    enum family family = LATENCY;
#endif
    MPI_Init(&argc, &argv);
    if ((status = osu_start(&o, family, name, argc, argv, &rank, &ranks, 2, 1 << 30))) {
        MPI_Finalize();
        return status - 1;
    }
    int pairs = o.pairs < 0 ? ranks / 2 : o.pairs;
    if (pairs > ranks / 2) {
        if (!rank) fprintf(stderr, "Invalid Number of Pairs [-p %d]: %d processes make at most %d\n", pairs, ranks, ranks / 2);
        MPI_Finalize();
        return 1;
    }
    char *sbuf = osu_buffer(o.max_size, 'a'), *rbuf = osu_buffer(o.max_size, 'b');
    MPI_Comm senders;
    MPI_Comm_split(MPI_COMM_WORLD, rank < pairs, rank, &senders);
#if defined(OSU_MBW_MR)
    MPI_Request *window = malloc(sizeof(MPI_Request) * o.window);
    osu_header(rank, "OSU MPI Multiple Bandwidth / Message Rate Test", 0);
    if (!rank) printf("# [ pairs: %d ] [ window size: %d ]\n# Datatype: MPI_CHAR.\n", pairs, o.window);
    osu_columns(rank, "MB/s", "Messages/s");
    for (int size = o.min_size > 0 ? o.min_size : 1; size <= o.max_size; size *= 2) {
#else
    osu_header(rank, "OSU MPI Multi Latency Test", 1);
    if (!rank) printf("# Datatype: MPI_CHAR.\n");
    osu_columns(rank, "Avg Latency(us)", NULL);
    for (int size = o.min_size; size <= o.max_size; size = size ? size * 2 : 1) {
#endif
        int iterations = iterations_for(&o, size), skip = skip_for(&o, size);
        double total = 0, sum = 0;
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < iterations + skip; i++) {
            MPI_Barrier(MPI_COMM_WORLD);
            if (rank < pairs) {
                double start = MPI_Wtime();
#if defined(OSU_MBW_MR)
                for (int w = 0; w < o.window; w++) MPI_Isend(sbuf, size, MPI_CHAR, rank + pairs, 100, MPI_COMM_WORLD, &window[w]);
                MPI_Waitall(o.window, window, MPI_STATUSES_IGNORE);
                MPI_Recv(rbuf, 1, MPI_CHAR, rank + pairs, 101, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
#else
                MPI_Send(sbuf, size, MPI_CHAR, rank + pairs, 1, MPI_COMM_WORLD);
                MPI_Recv(rbuf, size, MPI_CHAR, rank + pairs, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
#endif
                if (i >= skip) total += MPI_Wtime() - start;
            } else if (rank < 2 * pairs) {
#if defined(OSU_MBW_MR)
                for (int w = 0; w < o.window; w++) MPI_Irecv(rbuf, size, MPI_CHAR, rank - pairs, 100, MPI_COMM_WORLD, &window[w]);
                MPI_Waitall(o.window, window, MPI_STATUSES_IGNORE);
                MPI_Send(sbuf, 1, MPI_CHAR, rank - pairs, 101, MPI_COMM_WORLD);
#else
                MPI_Recv(rbuf, size, MPI_CHAR, rank - pairs, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(sbuf, size, MPI_CHAR, rank - pairs, 1, MPI_COMM_WORLD);
#endif
            }
        }
        MPI_Reduce(&total, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, senders);
        double seconds = sum / pairs;
        if (!rank) {
#if defined(OSU_MBW_MR)
            double mbs = size / 1e6 * pairs * o.window * iterations / seconds;
            printf("%-*d%*.*f%*.*f\n", 10, size, FIELD_WIDTH, 2, mbs, FIELD_WIDTH, 2, mbs * 1e6 / size);
            fflush(stdout);
#else
            osu_row(rank, size, seconds * 1e6 / (2.0 * iterations));
#endif
        }
    }
    MPI_Comm_free(&senders);
    free(sbuf);
    free(rbuf);
    MPI_Finalize();
    return 0;
}
