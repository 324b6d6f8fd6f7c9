/*
 * Shared by the Open MPI counterparts of io.mpi4j.bench.osu (the programs in bench/c/osu): OSU micro-benchmarks 7.x options
 * (-m [min:]max, -i, -x, -W, -p, -f, -w, -s, -h; -i and -x set small and large messages alike, as OSU's do), its
 * defaults per family and its output layout (header "# <title> v7.4", "%-10s%20s" titles, "%-10d%20.2f" rows).
 * Written for mpi4j's comparisons with the same loops as the Java programs; not OSU's code.
 */
#ifndef MPI4J_OSU_COMMON_H
#define MPI4J_OSU_COMMON_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OSU_VERSION "7.4"
#define LARGE_MESSAGE_SIZE 8192
#define FIELD_WIDTH 20

enum family { LATENCY, BANDWIDTH, MULTI_BANDWIDTH, COLLECTIVE, BARRIER, ONE_SIDED_LATENCY, ONE_SIDED_BANDWIDTH };
enum win_creation { WIN_CREATE, WIN_ALLOCATE };
enum sync_mode { SYNC_LOCK, SYNC_PSCW, SYNC_FENCE, SYNC_FLUSH, SYNC_FLUSH_LOCAL, SYNC_LOCK_ALL };
static const char *const win_names[] = { "MPI_Win_create", "MPI_Win_allocate" };
static const char *const sync_names[] = { "MPI_Win_lock/unlock", "MPI_Win_post/start/complete/wait",
    "MPI_Win_fence", "MPI_Win_flush", "MPI_Win_flush_local", "MPI_Win_lock_all/unlock_all" };

struct osu_options {
    enum family family;
    int min_size, max_size, iterations, skip, iterations_large, skip_large, window, pairs, full;
    enum win_creation win;
    enum sync_mode sync;
};

static inline const char *family_options(enum family f)
{
    switch (f) {
    case LATENCY: return "hm:x:i:";
    case BANDWIDTH: return "hm:x:i:W:";
    case MULTI_BANDWIDTH: return "hm:x:i:W:p:";
    case COLLECTIVE: return "hfm:x:i:";
    case BARRIER: return "hfm:x:i:";
    case ONE_SIDED_LATENCY: return "hm:x:i:w:s:";
    default: return "hm:x:i:w:s:W:";
    }
}

static inline void osu_defaults(struct osu_options *o, enum family f)
{
    memset(o, 0, sizeof(*o));
    o->family = f;
    o->window = 64;
    o->pairs = -1;
    o->win = WIN_ALLOCATE;
    o->sync = SYNC_FLUSH;
    o->max_size = 1 << 22;
    o->min_size = 1;
    switch (f) {
    case LATENCY: case ONE_SIDED_LATENCY:
        o->iterations = 10000; o->skip = 100; o->iterations_large = 1000; o->skip_large = 10;
        if (f == LATENCY) o->min_size = 0;
        break;
    case BANDWIDTH: case MULTI_BANDWIDTH: case ONE_SIDED_BANDWIDTH:
        o->iterations = 100; o->skip = 10; o->iterations_large = 20; o->skip_large = 2;
        break;
    default:
        o->iterations = 1000; o->skip = 100; o->iterations_large = 100; o->skip_large = 10;
        o->max_size = 1 << 20;
        break;
    }
}

static inline void osu_usage(const char *name, enum family f)
{
    const char *s = family_options(f);
    printf("Usage: %s [options]\nOptions:\n", name);
    if (strchr(s, 'h')) printf("  -h, --%-20s%s\n", "help", "print this help message");
    if (strchr(s, 'm')) printf("  -m, --%-20s%s\n", "message-size", "[MIN:]MAX - set the minimum and/or the maximum message size");
    if (strchr(s, 'x')) printf("  -x, --%-20s%s\n", "warmup", "ITER number of warmup iterations to skip before timing");
    if (strchr(s, 'i')) printf("  -i, --%-20s%s\n", "iterations", "ITER number of iterations for timing");
    if (strchr(s, 'W')) printf("  -W, --%-20s%s\n", "window-size", "SIZE set number of messages to send before synchronization");
    if (strchr(s, 'p')) printf("  -p, --%-20s%s\n", "pairs", "PAIRS number of pairs involved (default np / 2)");
    if (strchr(s, 'f')) printf("  -f, --%-20s%s\n", "full", "print full format listing (MIN/MAX latency and ITERATIONS)");
    if (strchr(s, 'w')) printf("  -w, --%-20s%s\n", "win-option", "<win_option> create | allocate (default allocate)");
    if (strchr(s, 's')) printf("  -s, --%-20s%s\n", "sync-option", "<sync_option> lock | pscw | fence | flush | flush_local | lock_all (default flush)");
    fflush(stdout);
}

/* Returns 0 to run, 1 after help (exit 0), -1 on bad usage (exit 1); MPI is initialised. */
static inline int osu_parse(struct osu_options *o, enum family f, const char *name, int argc, char **argv, int rank)
{
    const char *s = family_options(f);
    osu_defaults(o, f);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *at = (strlen(a) >= 2 && a[0] == '-' && a[1] != ':') ? strchr(s, a[1]) : NULL;
        const char *v = NULL;
        if (!at) {
            if (!rank) { fprintf(stderr, "Invalid Option [%s]\n\n", a); osu_usage(name, f); }
            return -1;
        }
        if (at[1] == ':') {
            if (a[2]) v = a + 2;
            else if (i + 1 < argc) v = argv[++i];
            else { if (!rank) fprintf(stderr, "Option requires an argument [-%c]\n", a[1]); return -1; }
        }
        int bad = 0;
        switch (a[1]) {
        case 'h': if (!rank) osu_usage(name, f); return 1;
        case 'f': o->full = 1; break;
        case 'm': {
            const char *colon = strchr(v, ':');
            if (!colon) o->max_size = atoi(v);
            else {
                if (colon > v) { o->min_size = atoi(v); bad |= o->min_size <= 0; }
                if (colon[1]) o->max_size = atoi(colon + 1);
            }
            bad |= o->max_size < 0 || o->min_size > o->max_size;
            break;
        }
        case 'i': o->iterations = o->iterations_large = atoi(v); bad = o->iterations < 1; break;
        case 'x': o->skip = o->skip_large = atoi(v); bad = o->skip < 0; break;
        case 'W': o->window = atoi(v); bad = o->window < 1; break;
        case 'p': o->pairs = atoi(v); bad = o->pairs < 1; break;
        case 'w':
            if (!strcasecmp(v, "create")) o->win = WIN_CREATE;
            else if (!strcasecmp(v, "allocate")) o->win = WIN_ALLOCATE;
            else bad = 1;
            break;
        case 's':
            if (!strcasecmp(v, "lock")) o->sync = SYNC_LOCK;
            else if (!strcasecmp(v, "pscw")) o->sync = SYNC_PSCW;
            else if (!strcasecmp(v, "fence")) o->sync = SYNC_FENCE;
            else if (!strcasecmp(v, "flush")) o->sync = SYNC_FLUSH;
            else if (!strcasecmp(v, "flush_local")) o->sync = SYNC_FLUSH_LOCAL;
            else if (!strcasecmp(v, "lock_all")) o->sync = SYNC_LOCK_ALL;
            else bad = 1;
            break;
        }
        if (bad) {
            if (!rank) fprintf(stderr, "Invalid value [-%c %s]\n", a[1], v ? v : "");
            return -1;
        }
    }
    return 0;
}

static inline int iterations_for(const struct osu_options *o, long size)
{
    return size > LARGE_MESSAGE_SIZE ? o->iterations_large : o->iterations;
}

static inline int skip_for(const struct osu_options *o, long size)
{
    return size > LARGE_MESSAGE_SIZE ? o->skip_large : o->skip;
}

/* Parses the options and checks the process count; returns 0 to run, or the process's exit status + 1. */
static inline int osu_start(struct osu_options *o, enum family f, const char *name, int argc, char **argv, int *rank,
                     int *size, int min_ranks, int max_ranks)
{
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    int parsed = osu_parse(o, f, name, argc, argv, *rank);
    if (parsed) return parsed > 0 ? 1 : 2;
    if (*size < min_ranks || *size > max_ranks) {
        if (!*rank) {
            if (min_ranks == max_ranks) fprintf(stderr, "This test requires exactly two processes\n");
            else fprintf(stderr, "This test requires at least two processes\n");
        }
        return 2;
    }
    return 0;
}

static inline void osu_header(int rank, const char *title, int preamble)
{
    if (rank) return;
    if (preamble) printf("\n");
    printf("# %s v%s\n", title, OSU_VERSION);
}

static inline void osu_columns(int rank, const char *first, const char *second)
{
    if (rank) return;
    printf("%-*s%*s", 10, "# Size", FIELD_WIDTH, first);
    if (second) printf("%*s", FIELD_WIDTH, second);
    printf("\n");
    fflush(stdout);
}

static inline void osu_row(int rank, long size, double value)
{
    if (rank) return;
    printf("%-*ld%*.*f\n", 10, size, FIELD_WIDTH, 2, value);
    fflush(stdout);
}

static inline void osu_collective_columns(int rank, int show_size, int full)
{
    if (rank) return;
    if (show_size) printf("%-*s%*s", 10, "# Size", FIELD_WIDTH, "Avg Latency(us)");
    else printf("# Avg Latency(us)");
    if (full) printf("%*s%*s%*s", FIELD_WIDTH, "Min Latency(us)", FIELD_WIDTH, "Max Latency(us)", 12, "Iterations");
    printf("\n");
    fflush(stdout);
}

/* Reduces each rank's mean microseconds per call to min, max and average at rank 0 and prints them. */
static inline void osu_collective_row(int rank, int ranks, long size, double micros, int full, int iterations)
{
    double min, max, sum;
    MPI_Reduce(&micros, &min, 1, MPI_DOUBLE, MPI_MIN, 0, MPI_COMM_WORLD);
    MPI_Reduce(&micros, &max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(&micros, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank) return;
    if (size >= 0) printf("%-*ld%*.*f", 10, size, FIELD_WIDTH, 2, sum / ranks);
    else printf("%*.*f", 17, 2, sum / ranks);
    if (full) printf("%*.*f%*.*f%*d", FIELD_WIDTH, 2, min, FIELD_WIDTH, 2, max, 12, iterations);
    printf("\n");
    fflush(stdout);
}

static inline char *osu_buffer(long bytes, char fill)
{
    char *b = malloc(bytes > 0 ? bytes : 1);
    if (!b) { fprintf(stderr, "cannot allocate %ld bytes\n", bytes); MPI_Abort(MPI_COMM_WORLD, 1); }
    memset(b, fill, bytes > 0 ? bytes : 1);
    return b;
}

#endif
