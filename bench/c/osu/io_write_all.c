/*
 * io_write_all for Open MPI: the loop of io.mpi4j.bench.osu.CollectiveWrite. N ranks write one file of -s bytes
 * (default 256 MiB) with MPI_File_write_at_all, contiguous (each rank one block of size / N) and interleaved (-b
 * byte blocks dealt round-robin through a vector file view); each write timed from a barrier to the slowest rank's
 * return; MB/s = size / 10^6 / mean time of -i timed writes after -x untimed ones. Rows: block size, MB/s.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double write_all(MPI_File file, MPI_Offset offset, char *data, int share, int iterations, int skip, long total)
{
    double seconds = 0;
    for (int i = 0; i < iterations + skip; i++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime(), local, slowest;
        MPI_File_write_at_all(file, offset, data, share, MPI_BYTE, MPI_STATUS_IGNORE);
        local = MPI_Wtime() - start;
        MPI_Allreduce(&local, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (i >= skip) seconds += slowest;
    }
    return total / 1e6 / (seconds / iterations);
}

int main(int argc, char **argv)
{
    int rank, ranks, block = 1 << 20, iterations = 5, skip = 1;
    long total = 256L << 20;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-s")) total = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "-b")) block = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-i")) iterations = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-x")) skip = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-d")) dir = argv[i + 1];
    }
    if (total <= 0 || block <= 0 || iterations < 1 || skip < 0 || total % ((long)block * ranks)) {
        if (!rank) fprintf(stderr, "the file size (-s %ld) must be a positive multiple of the block size (-b %d) times the number of ranks (%d)\n", total, block, ranks);
        MPI_Finalize();
        return 1;
    }
    int share = (int)(total / ranks);
    char *data = malloc(share);
    memset(data, 'a' + rank % 26, share);
    char path[4096];
    long pid = getpid();
    MPI_Bcast(&pid, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    snprintf(path, sizeof(path), "%s/io_write_all-c-%ld.dat", dir, pid);
    if (!rank) {
        printf("# mpi4j MPI-IO Collective Write Test (MPI_File_write_at_all)\n");
        printf("# ranks: %d, file: %ld bytes, contiguous: block = file / ranks, interleaved: block = -b\n", ranks, total);
        printf("%-10s%20s\n", "# Block", "MB/s");
    }
    MPI_File file;
    MPI_File_open(MPI_COMM_WORLD, path, MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &file);
    double mbs = write_all(file, (MPI_Offset)rank * share, data, share, iterations, skip, total);
    if (!rank) { printf("%-10d%20.2f\n", share, mbs); fflush(stdout); }
    MPI_Datatype interleaved;
    MPI_Type_vector(share / block, block, block * ranks, MPI_BYTE, &interleaved);
    MPI_Type_commit(&interleaved);
    MPI_File_set_view(file, (MPI_Offset)rank * block, MPI_BYTE, interleaved, "native", MPI_INFO_NULL);
    mbs = write_all(file, 0, data, share, iterations, skip, total);
    if (!rank) { printf("%-10d%20.2f\n", block, mbs); fflush(stdout); }
    MPI_File_close(&file);
    MPI_Type_free(&interleaved);
    if (!rank) MPI_File_delete(path, MPI_INFO_NULL);
    free(data);
    MPI_Finalize();
    return 0;
}
