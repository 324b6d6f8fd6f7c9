#!/usr/bin/env bash
# mpi4j (shared memory) vs Open MPI (shared-memory BTL), OSU method, interleaved rounds, medians and ratios.
#
# usage: bench/run-shm-vs-openmpi.sh [--rounds N] [--max-bytes B] [--record]
#   --rounds N      rounds; each round runs Open MPI then mpi4j, latency then bandwidth (default 5)
#   --max-bytes B   largest message (default 4194304)
#   --iterations N  timed latency iterations per size on both sides (default 10000, OSU's; /10 above 8 KiB);
#                   bandwidth runs N/100 timed windows (OSU's 100 by default)
#   --record        also write the summary, the command and the date to bench/RESULTS.md
#   --summarize     run nothing: recompute the summary from the result files of the last run (bench/out)
#   --only LIST     run only these benchmarks, comma-separated: lat,bw,dupfree,allreduce,halo,spawn (default all)
# Installs openmpi-bin + libopenmpi-dev with apt-get when mpicc is missing (needs root). Works as root: sets
# OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 and passes --allow-run-as-root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=../ci/packages.sh
. "$ROOT/ci/packages.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
cd "$ROOT"
ROUNDS=5
MAX_BYTES=$((4 << 20))
LAT_ITERS=10000
RECORD=0
SUMMARIZE_ONLY=0
ONLY="lat,bw,dupfree,allreduce,halo,spawn"
ORIGINAL_ARGS="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --max-bytes) MAX_BYTES="$2"; shift 2 ;;
    --iterations) LAT_ITERS="$2"; shift 2 ;;
    --record) RECORD=1; shift ;;
    --summarize) SUMMARIZE_ONLY=1; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$RECORD" = 1 ] && [ "$ONLY" != "lat,bw,dupfree,allreduce,halo,spawn" ]; then
  echo "--record rewrites bench/RESULTS.md from a full run; it cannot be combined with --only" >&2; exit 2
fi
. "$ROOT/bench/openmpi.sh"
want() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

if [ "$SUMMARIZE_ONLY" = 0 ]; then
# --- Open MPI -------------------------------------------------------------------------------------------------
bench_need_openmpi
mpicc -O2 -o "$OUT/osu_latency" bench/c/osu_latency.c
mpicc -O2 -o "$OUT/osu_bw" bench/c/osu_bw.c
mpicc -O2 -o "$OUT/comm_dup_free" bench/c/comm_dup_free.c  # communicator dup+free
mpicc -O2 -o "$OUT/osu_allreduce" bench/c/osu_allreduce.c  # allreduce latency
mpicc -O2 -o "$OUT/spawn_latency" bench/c/spawn_latency.c  # spawn to first answer
mpicc -O2 -o "$OUT/halo_vector" bench/c/halo_vector.c  # derived-type halo exchange

# Open MPI 4.x calls its shared-memory BTL "vader", 5.x "sm". Force the ob1 PML so the BTL is really used
# (a UCX PML, when built in, would otherwise take over).
OMPI_VERSION="$(mpirun --version 2>/dev/null | sed -n 1p | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | sed -n 1p || true)"
if ompi_info --parsable 2>/dev/null | grep '^mca:btl:vader:' >/dev/null; then BTL=vader; else BTL=sm; fi
MPIRUN=(mpirun --allow-run-as-root --oversubscribe -n 2 --mca pml ob1 --mca btl "self,$BTL")

# --- mpi4j ----------------------------------------------------------------------------------------------------
need_rdma_build_packages
bench_build
MPI4JRUN=("$ROOT/bin/mpi4jrun" -n 2 java -cp "$BENCH_CP")

# --- interleaved rounds ---------------------------------------------------------------------------------------
rm -f "$OUT"/ompi-lat-*.txt "$OUT"/ompi-bw-*.txt "$OUT"/mpi4j-lat-*.txt "$OUT"/mpi4j-bw-*.txt
rm -f "$OUT"/ompi-dupfree-*.txt "$OUT"/mpi4j-dupfree-*.txt
rm -f "$OUT"/ompi-allreduce-*.txt "$OUT"/mpi4j-allreduce-*.txt
rm -f "$OUT"/ompi-spawn-*.txt "$OUT"/mpi4j-spawn-*.txt
rm -f "$OUT"/ompi-halo-*.txt "$OUT"/mpi4j-halo-*.txt
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r/$ROUNDS" >&2
  want lat && "${MPIRUN[@]}" "$OUT/osu_latency" -m "$MAX_BYTES" -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/ompi-lat-$r.txt"
  want lat && "${MPI4JRUN[@]}" io.mpi4j.bench.OsuLatency -m "$MAX_BYTES" -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/mpi4j-lat-$r.txt"
  want bw && "${MPIRUN[@]}" "$OUT/osu_bw" -m "$MAX_BYTES" -i "$((LAT_ITERS / 100))" -x "$((LAT_ITERS / 1000))" > "$OUT/ompi-bw-$r.txt"
  want bw && "${MPI4JRUN[@]}" io.mpi4j.bench.OsuBandwidth -m "$MAX_BYTES" -i "$((LAT_ITERS / 100))" -x "$((LAT_ITERS / 1000))" > "$OUT/mpi4j-bw-$r.txt"
  # communicator dup+free: same loop both sides, mean us per dup+free
  want dupfree && "${MPIRUN[@]}" "$OUT/comm_dup_free" -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/ompi-dupfree-$r.txt"
  want dupfree && "${MPI4JRUN[@]}" io.mpi4j.bench.CommDupFree -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/mpi4j-dupfree-$r.txt"
  # allreduce latency: OSU method, floats + MPI_SUM, 4 B .. 1 MiB
  want allreduce && "${MPIRUN[@]}" "$OUT/osu_allreduce" -m "$((1 << 20))" -i "$((LAT_ITERS / 10))" -x "$((LAT_ITERS / 100))" > "$OUT/ompi-allreduce-$r.txt"
  want allreduce && "${MPI4JRUN[@]}" io.mpi4j.bench.OsuAllReduce -m "$((1 << 20))" -i "$((LAT_ITERS / 10))" -x "$((LAT_ITERS / 100))" > "$OUT/mpi4j-allreduce-$r.txt"
  # halo exchange: one column of an N x N double matrix as a vector type, ping-pong, N = 256 .. 2048, OSU's counts
  # (the programs run a tenth of them for a column above 8 KiB)
  want halo && "${MPIRUN[@]}" "$OUT/halo_vector" -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/ompi-halo-$r.txt"
  want halo && "${MPI4JRUN[@]}" io.mpi4j.bench.HaloVector -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))" > "$OUT/mpi4j-halo-$r.txt"
  # spawn latency: spawn 1 and 2 children from one process, time to every child's first answer
  # (Open MPI's spawn hangs now and then: a hung round is cut after 5 minutes and counted as missing)
  want spawn || continue
  timeout 300 mpirun --allow-run-as-root --oversubscribe -n 1 --mca pml ob1 "$OUT/spawn_latency" -i 10 \
    > "$OUT/ompi-spawn-$r.txt" || echo "# round $r: Open MPI spawn run failed or hung (exit $?)" >&2
  timeout 300 "$ROOT/bin/mpi4jrun" -n 1 --universe-size 8 java -cp "$BENCH_CP" io.mpi4j.bench.SpawnLatency -i 10 \
    > "$OUT/mpi4j-spawn-$r.txt" || echo "# round $r: mpi4j spawn run failed (exit $?)" >&2
done
else
  ROUNDS="$(ls "$OUT"/ompi-lat-*.txt | wc -l)"
  OMPI_VERSION="$(mpirun --version 2>/dev/null | sed -n 1p | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | sed -n 1p || true)"
  if ompi_info --parsable 2>/dev/null | grep '^mca:btl:vader:' >/dev/null; then BTL=vader; else BTL=sm; fi
fi

medians() { bench_medians "$@"; }
table() { # title unit ompi-median-file mpi4j-median-file
  bench_table "$1, median of $ROUNDS interleaved rounds" "$2" "$3" "$4"
}

rm -f "$OUT"/*.median
if ls "$OUT"/ompi-lat-*.txt >/dev/null 2>&1; then
  medians "$OUT"/ompi-lat-*.txt > "$OUT/ompi-lat.median"
  medians "$OUT"/mpi4j-lat-*.txt > "$OUT/mpi4j-lat.median"
fi
if ls "$OUT"/ompi-bw-*.txt >/dev/null 2>&1; then
  medians "$OUT"/ompi-bw-*.txt > "$OUT/ompi-bw.median"
  medians "$OUT"/mpi4j-bw-*.txt > "$OUT/mpi4j-bw.median"
fi
if ls "$OUT"/ompi-allreduce-*.txt >/dev/null 2>&1; then  # allreduce
  medians "$OUT"/ompi-allreduce-*.txt > "$OUT/ompi-allreduce.median"
  medians "$OUT"/mpi4j-allreduce-*.txt > "$OUT/mpi4j-allreduce.median"
fi

{
  echo "# mpi4j vs Open MPI ${OMPI_VERSION:-?} (btl self,$BTL, pml ob1), 2 ranks, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# java: $(java -version 2>&1 | sed -n 1p)"
  echo
  if [ -s "$OUT/ompi-lat.median" ]; then
    table "Latency (us), lower is better" "(us)" "$OUT/ompi-lat.median" "$OUT/mpi4j-lat.median"
  fi
  if [ -s "$OUT/ompi-bw.median" ]; then
    echo
    table "Bandwidth (MB/s), higher is better" "(MB/s)" "$OUT/ompi-bw.median" "$OUT/mpi4j-bw.median"
  fi
  if [ -s "$OUT/ompi-allreduce.median" ]; then  # allreduce
    echo
    table "MPI_Allreduce latency (us), floats + MPI_SUM, lower is better" "(us)" "$OUT/ompi-allreduce.median" "$OUT/mpi4j-allreduce.median"
  fi
  if ls "$OUT"/ompi-halo-*.txt >/dev/null 2>&1; then
    medians "$OUT"/ompi-halo-*.txt > "$OUT/ompi-halo.median"
    medians "$OUT"/mpi4j-halo-*.txt > "$OUT/mpi4j-halo.median"
    echo
    table "Halo exchange of one column of an N x N double matrix (vector type), one-way (us), by N" "(us)" \
      "$OUT/ompi-halo.median" "$OUT/mpi4j-halo.median"
  fi
  # communicator dup+free: median over rounds of the mean us per MPI_Comm_dup + MPI_Comm_free
  if ls "$OUT"/ompi-dupfree-*.txt >/dev/null 2>&1; then
    dupfree_median() { awk '$1 == "dup_free_us" { print $2 }' "$@" | sort -g | awk '{ v[++n] = $1 }
      END { if (n) print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
    o="$(dupfree_median "$OUT"/ompi-dupfree-*.txt)"; m="$(dupfree_median "$OUT"/mpi4j-dupfree-*.txt)"
    echo
    echo "# MPI_Comm_dup + MPI_Comm_free (us), lower is better, median of $ROUNDS interleaved rounds"
    printf '%-10s %16s %16s %14s\n' "# Op" "OpenMPI (us)" "mpi4j (us)" "mpi4j/OpenMPI"
    awk -v o="$o" -v m="$m" 'BEGIN { printf "%-10s %16.2f %16.2f %14.2f\n", "dup+free", o, m, (o > 0 ? m / o : 0) }'
  fi
  # spawn latency: "children median_ms" lines, median over rounds
  if ls "$OUT"/ompi-spawn-*.txt >/dev/null 2>&1; then
    medians "$OUT"/ompi-spawn-*.txt > "$OUT/ompi-spawn.median"
    medians "$OUT"/mpi4j-spawn-*.txt > "$OUT/mpi4j-spawn.median"
    echo
    table "MPI_Comm_spawn to every child's first answer (ms), by children, lower is better" "(ms)" \
      "$OUT/ompi-spawn.median" "$OUT/mpi4j-spawn.median"
  fi
} | tee "$OUT/summary.txt"

if [ "$RECORD" = 1 ]; then
  {
    echo "# Benchmark results: mpi4j shared memory vs Open MPI"
    echo
    echo "Command (from the repository root):"
    echo
    echo '```'
    echo "bench/run-shm-vs-openmpi.sh $ORIGINAL_ARGS"
    echo '```'
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(nproc) cores, $(uname -sr)."
    echo "Open MPI: \`${MPIRUN[*]:-mpirun --mca pml ob1 --mca btl self,$BTL}\`."
    echo "Method: OSU, the same loop on both sides (bench/c/osu_latency.c, bench/c/osu_bw.c,"
    echo "io.mpi4j.bench.OsuLatency, io.mpi4j.bench.OsuBandwidth): latency = ping-pong RTT/2 with blocking"
    echo "send/recv, $LAT_ITERS timed iterations (a tenth above 8 KiB) after a tenth as many warm-up ones; bandwidth = windows"
    echo "of 64 non-blocking sends then a 4-byte ack, $((LAT_ITERS / 100)) timed windows (a fifth above 8 KiB) after a tenth as many warm-up ones,"
    echo "MB/s = 10^6 B/s. mpi4j uses direct buffers from MPI.newByteBuffer and no untimed JIT pass before the"
    echo "sweep (the programs' -w rounds, 0 by default): the warm-up iterations are the same on both sides."
    echo "Each round runs Open MPI then mpi4j, so machine noise hits both alike; values are medians over the"
    echo "rounds; ratio = mpi4j / Open MPI (latency: lower is better; bandwidth: higher is better)."
    echo
    echo '```'
    cat "$OUT/summary.txt"
    echo '```'
    # the marked sections (bench/compare.sh --record, bench/run-tcp-vs-openmpi.sh --record) are kept as they are
    if [ -f "$ROOT/bench/RESULTS.md" ]; then
      awk '/^<!-- [a-z-]+:begin/ { keep = 1; print "" } keep { print } /^<!-- [a-z-]+:end/ { keep = 0 }' \
        "$ROOT/bench/RESULTS.md"
    fi
  } > "$ROOT/bench/RESULTS.md.new"
  mv "$ROOT/bench/RESULTS.md.new" "$ROOT/bench/RESULTS.md"
  echo "# wrote bench/RESULTS.md" >&2
fi
