/*
 * osu_allreduce, osu_bcast, osu_barrier, osu_alltoall, osu_allgather, osu_reduce for Open MPI: the loops of
 * io.mpi4j.bench.osu.Collectives (each call timed alone; a barrier after every call, before it for reduce, none for
 * barrier; MPI_CHAR, MPI_SUM, root 0; each rank's mean reduced to min, max and average).
 * Build: mpicc -O2 -DOSU_ALLREDUCE|-DOSU_BCAST|-DOSU_BARRIER|-DOSU_ALLTOALL|-DOSU_ALLGATHER|-DOSU_REDUCE osu_coll.c
 */
#include "osu_common.h"

#if defined(OSU_ALLREDUCE)
#define NAME "osu_allreduce"
#define TITLE "OSU MPI Allreduce Latency Test"
#define SEND_PER_RANK 0
#define RECV_PER_RANK 0
#define CALL(s, r, n) MPI_Allreduce(s, r, n, MPI_CHAR, MPI_SUM, MPI_COMM_WORLD)
#elif defined(OSU_BCAST)
#define NAME "osu_bcast"
#define TITLE "OSU MPI Broadcast Latency Test"
#define SEND_PER_RANK 0
#define RECV_PER_RANK 0
#define CALL(s, r, n) MPI_Bcast(s, n, MPI_CHAR, 0, MPI_COMM_WORLD)
#elif defined(OSU_BARRIER)
#define NAME "osu_barrier"
#define TITLE "OSU MPI Barrier Latency Test"
#define SEND_PER_RANK 0
#define RECV_PER_RANK 0
#define CALL(s, r, n) MPI_Barrier(MPI_COMM_WORLD)
#elif defined(OSU_ALLTOALL)
#define NAME "osu_alltoall"
#define TITLE "OSU MPI All-to-All Personalized Exchange Latency Test"
#define SEND_PER_RANK 1
#define RECV_PER_RANK 1
#define CALL(s, r, n) MPI_Alltoall(s, n, MPI_CHAR, r, n, MPI_CHAR, MPI_COMM_WORLD)
#elif defined(OSU_ALLGATHER)
#define NAME "osu_allgather"
#define TITLE "OSU MPI Allgather Latency Test"
#define SEND_PER_RANK 0
#define RECV_PER_RANK 1
#define CALL(s, r, n) MPI_Allgather(s, n, MPI_CHAR, r, n, MPI_CHAR, MPI_COMM_WORLD)
#else
#define NAME "osu_reduce"
#define TITLE "OSU MPI Reduce Latency Test"
#define SEND_PER_RANK 0
#define RECV_PER_RANK 0
#define CALL(s, r, n) MPI_Reduce(s, r, n, MPI_CHAR, MPI_SUM, 0, MPI_COMM_WORLD)
#define BARRIER_BEFORE 1
#endif

/* Total seconds of the timed calls of one size. */
static double timed(char *sbuf, char *rbuf, int size, int iterations, int skip)
{
    double total = 0;
    for (int i = 0; i < iterations + skip; i++) {
#if defined(BARRIER_BEFORE)
        MPI_Barrier(MPI_COMM_WORLD);
#endif
        double start = MPI_Wtime();
        CALL(sbuf, rbuf, size);
        double elapsed = MPI_Wtime() - start;
#if !defined(BARRIER_BEFORE) && !defined(OSU_BARRIER)
        MPI_Barrier(MPI_COMM_WORLD);
#endif
        if (i >= skip) total += elapsed;
    }
    (void)sbuf;
    (void)rbuf;
    (void)size;
    return total;
}

int main(int argc, char **argv)
{
    struct osu_options o;
    int rank, ranks, status;
    MPI_Init(&argc, &argv);
#if defined(OSU_BARRIER)
    enum family family = BARRIER;
#else
    enum family family = COLLECTIVE;
#endif
    if ((status = osu_start(&o, family, NAME, argc, argv, &rank, &ranks, 2, 1 << 30))) {
        MPI_Finalize();
        return status - 1;
    }
    osu_header(rank, TITLE, 1);
#if defined(OSU_BARRIER)
    osu_collective_columns(rank, 0, o.full);
    double micros = timed(NULL, NULL, 0, o.iterations, o.skip) * 1e6 / o.iterations;
    MPI_Barrier(MPI_COMM_WORLD);
    osu_collective_row(rank, ranks, -1, micros, o.full, o.iterations);
#else
    char *sbuf = osu_buffer((long)o.max_size * (SEND_PER_RANK ? ranks : 1), 'a');
    char *rbuf = osu_buffer((long)o.max_size * (RECV_PER_RANK ? ranks : 1), 'b');
    if (!rank) printf("# Datatype: MPI_CHAR.\n");
    osu_collective_columns(rank, 1, o.full);
    for (int size = o.min_size > 0 ? o.min_size : 1; size <= o.max_size; size *= 2) {
        int iterations = iterations_for(&o, size), skip = skip_for(&o, size);
        MPI_Barrier(MPI_COMM_WORLD);
        double micros = timed(sbuf, rbuf, size, iterations, skip) * 1e6 / iterations;
        osu_collective_row(rank, ranks, size, micros, o.full, iterations);
        MPI_Barrier(MPI_COMM_WORLD);
    }
    free(sbuf);
    free(rbuf);
#endif
    MPI_Finalize();
    return 0;
}
