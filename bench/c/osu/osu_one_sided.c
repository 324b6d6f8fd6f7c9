/*
 * osu_put_latency, osu_get_latency, osu_acc_latency, osu_put_bw, osu_get_bw for Open MPI: the loops of
 * io.mpi4j.bench.osu.OneSided (rank 0 origin, rank 1 target, a window per size, -w allocate|create,
 * -s flush|flush_local|lock|lock_all|fence|pscw, default flush; fence and pscw latencies ping-pong and are halved).
 * Build: mpicc -O2 -DOSU_PUT_LATENCY|-DOSU_GET_LATENCY|-DOSU_ACC_LATENCY|-DOSU_PUT_BW|-DOSU_GET_BW osu_one_sided.c
 */
#include "osu_common.h"

#if defined(OSU_PUT_LATENCY)
#define NAME "osu_put_latency"
#define TITLE "OSU MPI_Put Latency Test"
#define OP(b, n, t, d, w) MPI_Put(b, n, MPI_CHAR, t, d, n, MPI_CHAR, w)
#elif defined(OSU_GET_LATENCY)
#define NAME "osu_get_latency"
#define TITLE "OSU MPI_Get latency Test"
#define OP(b, n, t, d, w) MPI_Get(b, n, MPI_CHAR, t, d, n, MPI_CHAR, w)
#elif defined(OSU_ACC_LATENCY)
#define NAME "osu_acc_latency"
#define TITLE "OSU MPI_Accumulate latency Test"
#define OP(b, n, t, d, w) MPI_Accumulate(b, n, MPI_CHAR, t, d, n, MPI_CHAR, MPI_SUM, w)
#elif defined(OSU_PUT_BW)
#define NAME "osu_put_bw"
#define TITLE "OSU MPI_Put Bandwidth Test"
#define OP(b, n, t, d, w) MPI_Put(b, n, MPI_CHAR, t, d, n, MPI_CHAR, w)
#define BANDWIDTH_TEST 1
#else
#define NAME "osu_get_bw"
#define TITLE "OSU MPI_Get Bandwidth Test"
#define OP(b, n, t, d, w) MPI_Get(b, n, MPI_CHAR, t, d, n, MPI_CHAR, w)
#define BANDWIDTH_TEST 1
#endif

#if defined(BANDWIDTH_TEST)
static const int bandwidth = 1;
#else
static const int bandwidth = 0;
#endif

static void transfer(char *origin, int size, int window, int target, MPI_Win win)
{
    for (int j = 0; j < window; j++) OP(origin + (long)j * size, size, target, (MPI_Aint)j * size, win);
}

/* Seconds from the first timed iteration to the end of the loop. */
static double loop(enum sync_mode sync, int rank, char *origin, int size, int window, int iterations, int skip,
                   MPI_Win win, MPI_Group peer)
{
    double start = MPI_Wtime();
    if (sync == SYNC_FLUSH || sync == SYNC_FLUSH_LOCAL || sync == SYNC_LOCK || sync == SYNC_LOCK_ALL) {
        if (rank) return 0;
        if (sync == SYNC_FLUSH || sync == SYNC_FLUSH_LOCAL) MPI_Win_lock(MPI_LOCK_SHARED, 1, 0, win);
        for (int i = 0; i < iterations + skip; i++) {
            if (i == skip) start = MPI_Wtime();
            if (sync == SYNC_LOCK) MPI_Win_lock(MPI_LOCK_SHARED, 1, 0, win);
            if (sync == SYNC_LOCK_ALL) MPI_Win_lock_all(0, win);
            transfer(origin, size, window, 1, win);
            if (sync == SYNC_FLUSH) MPI_Win_flush(1, win);
            else if (sync == SYNC_FLUSH_LOCAL) MPI_Win_flush_local(1, win);
            else if (sync == SYNC_LOCK) MPI_Win_unlock(1, win);
            else MPI_Win_unlock_all(win);
        }
        double end = MPI_Wtime();
        if (sync == SYNC_FLUSH || sync == SYNC_FLUSH_LOCAL) MPI_Win_unlock(1, win);
        return end - start;
    }
    if (sync == SYNC_FENCE) {
        MPI_Win_fence(0, win);
        for (int i = 0; i < iterations + skip; i++) {
            if (i == skip) start = MPI_Wtime();
            if (rank == 0) transfer(origin, size, window, 1, win);
            MPI_Win_fence(0, win);
            if (!bandwidth) {
                if (rank == 1) transfer(origin, size, window, 0, win);
                MPI_Win_fence(0, win);
            }
        }
        return MPI_Wtime() - start;
    }
    for (int i = 0; i < iterations + skip; i++) {
        if (i == skip) start = MPI_Wtime();
        if (rank == 0) {
            MPI_Win_start(peer, 0, win);
            transfer(origin, size, window, 1, win);
            MPI_Win_complete(win);
            if (!bandwidth) {
                MPI_Win_post(peer, 0, win);
                MPI_Win_wait(win);
            }
        } else {
            MPI_Win_post(peer, 0, win);
            MPI_Win_wait(win);
            if (!bandwidth) {
                MPI_Win_start(peer, 0, win);
                transfer(origin, size, window, 0, win);
                MPI_Win_complete(win);
            }
        }
    }
    return MPI_Wtime() - start;
}

int main(int argc, char **argv)
{
    struct osu_options o;
    int rank, ranks, status;
    MPI_Init(&argc, &argv);
    if ((status = osu_start(&o, bandwidth ? ONE_SIDED_BANDWIDTH : ONE_SIDED_LATENCY, NAME, argc, argv, &rank,
                            &ranks, 2, 2))) {
        MPI_Finalize();
        return status - 1;
    }
    int window = bandwidth ? o.window : 1;
    long largest = (long)o.max_size * window;
    char *origin = osu_buffer(largest, 'a');
    char *created = o.win == WIN_CREATE ? osu_buffer(largest, 'b') : NULL;
    MPI_Group world, peer;
    int other = 1 - rank;
    MPI_Comm_group(MPI_COMM_WORLD, &world);
    MPI_Group_incl(world, 1, &other, &peer);
    osu_header(rank, TITLE, 0);
    if (!rank) printf("# Window creation: %s\n# Synchronization: %s\n# Datatype: MPI_CHAR.\n", win_names[o.win], sync_names[o.sync]);
    osu_columns(rank, bandwidth ? "Bandwidth (MB/s)" : "Latency (us)", NULL);
    for (int size = o.min_size > 0 ? o.min_size : 1; size <= o.max_size; size *= 2) {
        int iterations = iterations_for(&o, size), skip = skip_for(&o, size);
        MPI_Win win;
        void *base;
        if (created) MPI_Win_create(created, (MPI_Aint)size * window, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &win);
        else MPI_Win_allocate((MPI_Aint)size * window, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &base, &win);
        MPI_Barrier(MPI_COMM_WORLD);
        double seconds = loop(o.sync, rank, origin, size, window, iterations, skip, win, peer);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_Win_free(&win);
        if (bandwidth) osu_row(rank, size, size / 1e6 * window * iterations / seconds);
        else osu_row(rank, size, seconds * 1e6 / iterations / (o.sync == SYNC_FENCE || o.sync == SYNC_PSCW ? 2 : 1));
    }
    MPI_Group_free(&peer);
    MPI_Group_free(&world);
    free(origin);
    free(created);
    MPI_Finalize();
    return 0;
}
