#!/usr/bin/env bash
# mpi4j over RDMA vs perftest, side by side on the same Soft-RoCE device (rxe0) in the same CI virtual machine
# (ci/vm/): OSU-method latency (io.mpi4j.bench.OsuLatency, ping-pong / 2) beside ib_send_lat, and OSU bandwidth
# (io.mpi4j.bench.OsuBandwidth, windows of 64 non-blocking sends) beside ib_write_bw's average, and one-sided latency:
# OSU's osu_put_latency / osu_get_latency (io.mpi4j.bench.osu.Osu: MPI_Win_allocate window, MPI_Win_flush after each
# operation inside one shared lock) beside ib_write_lat / ib_read_lat.
# Both mpi4j ranks run in one VM with RDMA forced between them (mpi4jrun --transport rdma), as perftest's server
# and client share rxe0 there. Rounds interleave the two; the summary gives per-size medians and ratios.
#
# usage: bench/run-rdma-vs-perftest.sh [--rounds N] [--sizes "8 1024 ..."] [--iterations N] [--jit-round-trips N]
#                                     [--no-rma] [--record]
#   --rounds N       interleaved rounds (default 3)
#   --sizes "..."    message sizes reported, powers of two (default "8 64 1024 4096 65536 1048576")
#   --iterations N   timed latency iterations per size, both sides (default 1000; /10 above 8 KiB for mpi4j, as
#                    OSU does)
#   --jit-round-trips N  untimed round trips of mpi4j's JIT warm-up pass before the timed sweep, in all, spread over
#                    its sizes (0 B .. min(max size, 64 KiB)); default 24000, independent of --iterations: C2 compiles
#                    the per-message path (mpi.Comm.send/recv down to DiSNI's post calls) after ~10-20k round trips
#                    here (compiler threads run emulated too); with fewer the timed loop runs C1 code
#   --bw-windows N   timed OSU bandwidth windows of 64 messages per size (default 20; /5 above 8 KiB)
#   --no-rma         leave out the one-sided part (ib_write_lat, ib_read_lat, osu_put_latency, osu_get_latency)
#   --record         append the summary, the command and the date to bench/RESULTS.md
#   --summarize      run nothing: recompute the summary from the last run's files (bench/out/rdma)
# Units: latency in us; bandwidth in MB/s of 10^6 bytes (perftest's 2^20-byte MB are converted).
# Latency is given twice: the mean (OSU's number, beside ib_send_lat's t_avg) and the median (mpi4j's p50 beside
# ib_send_lat's t_typical); under TCG emulation on a loaded host the mean is dominated by rare multi-ms stalls when
# a vCPU thread loses its host core, the median is not.
# One-sided: the OSU programs report the mean only (beside perftest's t_avg and t_typical). They have no JIT pass, so
# each runs twice: sizes 1 B .. the largest reported size up to 8 KiB, with enough untimed operations per size (-x)
# that --jit-round-trips of them precede the smallest reported size's timed loop, then 16 KiB .. max in a fresh JVM
# with -i --iterations/10 and -x --iterations. A put's latency is MPI_Put + MPI_Win_flush (the RDMA WRITE and its
# acknowledgement, a whole round trip) while ib_write_lat reports half a ping-pong: a ratio of ~2 is par there for
# small messages (~1 for large ones, where the data's one-way transfer dominates both). A get (MPI_Get + flush) and
# ib_read_lat both time one READ round trip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=../ci/packages.sh
. "$ROOT/ci/packages.sh"
cd "$ROOT"
ROUNDS=3 SIZES="8 64 1024 4096 65536 1048576" ITERS=1000 JIT_TOTAL=24000 BW_WINDOWS=20 RECORD=0 IN_VM=0 RMA=1
SUMMARIZE_ONLY=0
# the command line as typed (an argument with blanks in double quotes), for --record
ORIGINAL_ARGS=""; for a in "$@"; do case "$a" in *" "*) a="\"$a\"" ;; esac; ORIGINAL_ARGS="${ORIGINAL_ARGS:+$ORIGINAL_ARGS }$a"; done
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --iterations) ITERS="$2"; shift 2 ;;
    --jit-round-trips) JIT_TOTAL="$2"; shift 2 ;;
    --bw-windows) BW_WINDOWS="$2"; shift 2 ;;
    --no-rma) RMA=0; shift ;;
    --record) RECORD=1; shift ;;
    --summarize) SUMMARIZE_ONLY=1; shift ;;
    --in-vm) IN_VM=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$ROOT/bench/out/rdma"
MAX=0; for s in $SIZES; do [ "$s" -gt "$MAX" ] && MAX="$s"; done
MIN="$MAX"; for s in $SIZES; do [ "$s" -lt "$MIN" ] && MIN="$s"; done
RMA_OPT=() NO_RMA_OPT=(); if [ "$RMA" = 1 ]; then RMA_OPT=(--rma); else NO_RMA_OPT=(--no-rma); fi

if [ "$IN_VM" = 1 ]; then
  BENCH_CP="$ROOT/bench/target/classes:$(tr -d '\n' < bench/target/runtime.classpath)"
  # The OSU classes' JIT pass runs -w round trips at each size 0, 1, 2, 4 .. min(max, 64 KiB): spread the total over
  # them. Tied to --iterations (200 in the recorded runs: 3,600 round trips) it left the whole per-message path in
  # C1's profiling tier (3) during the timed loop; see bench/RESULTS.md, RDMA section, 2026-11-21 12:08-13:18.
  JIT_SIZES=1; j=1; while [ "$j" -le "$MAX" ] && [ "$j" -le 65536 ]; do JIT_SIZES=$((JIT_SIZES + 1)); j=$((j * 2)); done
  JIT_ROUNDS=$(( (JIT_TOTAL + JIT_SIZES - 1) / JIT_SIZES ))
  LAT_TIMEOUT="${MPI4J_BENCH_TIMEOUT:-900}"
  # One-sided runs: the small sizes' -x puts JIT_TOTAL untimed operations before the timed loop of MIN (sizes 1, 2,
  # 4 .. MIN each skip that many first), up to the largest reported size of 8 KiB or less; the large sizes run in
  # their own JVM with as few timed iterations as OsuLatency's above 8 KiB but --iterations untimed ones per size,
  # so that the fresh JVM is past its interpreter at 64 KiB (a put there took 1.3-1.8 ms after the small sizes in one
  # JVM, 5-12 ms in a fresh one; see bench/RESULTS.md, 2026-12-05)
  SMALL_MAX=0; for s in $SIZES; do [ "$s" -le 8192 ] && [ "$s" -gt "$SMALL_MAX" ] && SMALL_MAX="$s"; done
  RMA_STEPS=1; j=1; while [ "$j" -lt "$MIN" ] && [ "$j" -lt "$SMALL_MAX" ]; do RMA_STEPS=$((RMA_STEPS + 1)); j=$((j * 2)); done
  RMA_SKIP=$(( (JIT_TOTAL + RMA_STEPS - 1) / RMA_STEPS ))
  LARGE_ITERS=$(( ITERS / 10 > 0 ? ITERS / 10 : 1 ))
  # osu_put_latency / osu_get_latency, small then large sizes, into $OUT/mpi4j-<put|get>-<round>.txt (+ .err: the
  # ranks' --report-transports lines, which count the puts and gets that went over RDMA at each MPI_Win_free)
  one_sided() {
    local program="$1" kind="$2" r="$3" rc=0
    : > "$OUT/mpi4j-$kind-$r.txt"; : > "$OUT/mpi4j-$kind-$r.err"
    if [ "$SMALL_MAX" -gt 0 ]; then
      timeout "$LAT_TIMEOUT" bin/mpi4jrun -n 2 --transport rdma --report-transports java -cp "$BENCH_CP" \
        io.mpi4j.bench.osu.Osu "$program" -m "1:$SMALL_MAX" -i "$ITERS" -x "$RMA_SKIP" \
        >> "$OUT/mpi4j-$kind-$r.txt" 2>> "$OUT/mpi4j-$kind-$r.err" || rc=$?
    fi
    if [ "$MAX" -gt 8192 ]; then
      timeout "$LAT_TIMEOUT" bin/mpi4jrun -n 2 --transport rdma --report-transports java -cp "$BENCH_CP" \
        io.mpi4j.bench.osu.Osu "$program" -m "16384:$MAX" -i "$LARGE_ITERS" -x "$ITERS" \
        >> "$OUT/mpi4j-$kind-$r.txt" 2>> "$OUT/mpi4j-$kind-$r.err" || rc=$?
    fi
    [ "$rc" = 0 ] || echo "# round $r: mpi4j $program failed (exit $rc, see $OUT/mpi4j-$kind-$r.err)" >&2
  }
  for r in $(seq 1 "$ROUNDS"); do
    echo "# round $r/$ROUNDS: perftest (guest load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    MPI4J_VM_GUEST=1 ci/vm/perftest.sh --sizes "$SIZES" --iters "$ITERS" ${RMA_OPT[@]+"${RMA_OPT[@]}"} > "$OUT/perftest-$r.txt" \
      || echo "# round $r: perftest failed (see $OUT/perftest-$r.txt)" >&2
    echo "# round $r/$ROUNDS: mpi4j latency (guest load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    timeout "$LAT_TIMEOUT" bin/mpi4jrun -n 2 --transport rdma java -cp "$BENCH_CP" io.mpi4j.bench.OsuLatency \
      -m "$MAX" -i "$ITERS" -x "$((ITERS / 10))" -w "$JIT_ROUNDS" -p > "$OUT/mpi4j-lat-$r.txt" \
      || echo "# round $r: mpi4j latency failed (exit $?)" >&2
    echo "# round $r/$ROUNDS: mpi4j bandwidth (guest load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    timeout "$LAT_TIMEOUT" bin/mpi4jrun -n 2 --transport rdma java -cp "$BENCH_CP" io.mpi4j.bench.OsuBandwidth \
      -m "$MAX" -i "$BW_WINDOWS" -x 2 -w "$JIT_ROUNDS" > "$OUT/mpi4j-bw-$r.txt" \
      || echo "# round $r: mpi4j bandwidth failed (exit $?)" >&2
    if [ "$RMA" = 1 ]; then
      echo "# round $r/$ROUNDS: mpi4j osu_put_latency (guest load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
      one_sided osu_put_latency put "$r"
      echo "# round $r/$ROUNDS: mpi4j osu_get_latency (guest load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
      one_sided osu_get_latency get "$r"
    fi
  done
  exit 0
fi

if [ "$SUMMARIZE_ONLY" = 0 ]; then
  echo "# building mpi4j (core, transports, bench)" >&2
  need_rdma_build_packages
  mpi4j_mvn -o -q -DskipTests -pl bench,transport-rdma,launcher -am package >&2
  rm -rf "$OUT"; mkdir -p "$OUT"
  cut -d' ' -f1-3 /proc/loadavg > "$OUT/host-load-start.txt"
  date -u '+%Y-%m-%d %H:%M UTC' > "$OUT/started.txt"
  # Multi-threaded TCG: with ci/vm/run.sh's single-threaded default both vCPUs share one host thread, which switches
  # between them once per guest tick when both busy-poll, so every ping-pong leg, perftest's as much as mpi4j's,
  # takes ~4 ms (measured 2026-11-21 12:10: ib_send_lat t_typical 3996 us, mpi4j p50 3980 us at 8 B). The JIT
  # crashes that made CI choose single hit 3 of 16 mpi4j runs in that session: a crashed run prints no numbers and
  # the medians are taken over the rounds that did.
  MPI4J_VM_TCG_THREAD="${MPI4J_VM_TCG_THREAD:-multi}" \
  ci/vm/run.sh --timeout "${MPI4J_BENCH_VM_TIMEOUT:-5400}" --rw "$OUT" -- bench/run-rdma-vs-perftest.sh --in-vm \
    --rounds "$ROUNDS" --sizes "$SIZES" --iterations "$ITERS" --jit-round-trips "$JIT_TOTAL" --bw-windows "$BW_WINDOWS" \
    ${NO_RMA_OPT[@]+"${NO_RMA_OPT[@]}"}
  cut -d' ' -f1-3 /proc/loadavg > "$OUT/host-load-end.txt"
fi

median() { sort -g | awk '{ v[++n] = $1 } END { if (n) print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }'; }
# value at size $1 from column $2 of files $3... (numbers only: skips comments, dashes and perftest's "inf")
column_at() { local size="$1" col="$2"; shift 2; awk -v s="$size" -v c="$col" '$1 == s && $c ~ /^[0-9]+(\.[0-9]+)?$/ { print $c }' "$@" 2>/dev/null; }
# rounds of kind $1 that printed a number at the smallest size (a crashed JVM leaves a file without it)
rounds_done() {
  local n=0 f
  for f in "$OUT"/"$1"-*.txt; do
    [ -f "$f" ] && [ -n "$(column_at "$MIN" 2 "$f")" ] && n=$((n + 1))
  done
  echo "$n"
}
# puts or gets ($1) that went over RDMA, as rank 0's --report-transports lines count them, in all rounds
over_rdma() {
  cat "$OUT"/mpi4j-"$1"-*.err 2>/dev/null \
    | awk -v k="$1s," '/rank 0 window:/ { for (i = 1; i < NF; i++) if ($(i + 1) == k) n += $i } END { print n + 0 }'
}

summary() {
  echo "# mpi4j over RDMA (mpi4jrun -n 2 --transport rdma) vs perftest $(dpkg-query -W -f='${Version}' perftest 2>/dev/null || echo ?), Soft-RoCE rxe0, both sides in one QEMU VM (TCG thread=${MPI4J_VM_TCG_THREAD:-multi}, 2 vCPUs)"
  echo "# MPI4J_WAIT=${MPI4J_WAIT:-unset (default idle strategy)}; mpi4j JIT warm-up $JIT_TOTAL round trips; medians of $(rounds_done perftest) perftest and $(rounds_done mpi4j-lat) mpi4j rounds, interleaved; started $(cat "$OUT/started.txt" 2>/dev/null || echo ?); host load (1/5/15 min) $(cat "$OUT/host-load-start.txt" 2>/dev/null || echo ?) at start, $(cat "$OUT/host-load-end.txt" 2>/dev/null || echo ?) at end"
  echo "# latency us: ib_send_lat t_avg vs mpi4j OSU mean, ib_send_lat t_typical vs mpi4j p50; bandwidth MB/s (10^6 B): ib_write_bw BW average vs mpi4j OSU"
  printf '%-8s %9s %9s %6s   %9s %9s %6s   %10s %10s %6s\n' "# Size" "lat avg" "mpi4j" "ratio" "typical" "mpi4j p50" "ratio" "write_bw" "mpi4j" "ratio"
  for s in $SIZES; do
    pa="$(column_at "$s" 3 "$OUT"/perftest-*.txt | median)"
    pt="$(column_at "$s" 2 "$OUT"/perftest-*.txt | median)"
    ma="$(column_at "$s" 2 "$OUT"/mpi4j-lat-*.txt | median)"
    mt="$(column_at "$s" 3 "$OUT"/mpi4j-lat-*.txt | median)"
    pb="$(column_at "$s" 5 "$OUT"/perftest-*.txt | median)"
    mb="$(column_at "$s" 2 "$OUT"/mpi4j-bw-*.txt | median)"
    awk -v s="$s" -v pa="${pa:-0}" -v ma="${ma:-0}" -v pt="${pt:-0}" -v mt="${mt:-0}" -v pb="${pb:-0}" -v mb="${mb:-0}" 'BEGIN {
      pb *= 1.048576;  # perftest MB = 2^20 bytes
      printf "%-8s %9.1f %9.1f %6.2f   %9.1f %9.1f %6.2f   %10.2f %10.2f %6.2f\n", s, pa, ma, (pa > 0 ? ma / pa : 0),
        pt, mt, (pt > 0 ? mt / pt : 0), pb, mb, (pb > 0 ? mb / pb : 0) }'
  done
  ls "$OUT"/mpi4j-put-*.txt >/dev/null 2>&1 || return 0
  echo "# one-sided latency us: OSU osu_put_latency / osu_get_latency (MPI_Win_allocate, MPI_Win_flush per operation in one MPI_Win_lock(SHARED); OSU mean) vs ib_write_lat / ib_read_lat t_typical and t_avg; medians over the rounds that printed each size ($(rounds_done mpi4j-put) put and $(rounds_done mpi4j-get) get rounds reached $MIN B); untimed operations before the $MIN B timed loop $JIT_TOTAL; over RDMA (rank 0, all rounds): $(over_rdma put) puts, $(over_rdma get) gets"
  echo "# ib_write_lat is half a ping-pong, a put + flush a whole WRITE round trip (par ~2x for small messages, ~1x where moving the data dominates); ib_read_lat and get + flush are both one READ round trip (par ~1x)"
  printf '%-8s %9s %9s %9s %6s %6s   %9s %9s %9s %6s %6s\n' "# Size" "wr typ" "wr avg" "mpi4j put" "/typ" "/avg" "rd typ" "rd avg" "mpi4j get" "/typ" "/avg"
  for s in $SIZES; do
    wt="$(column_at "$s" 7 "$OUT"/perftest-*.txt | median)"
    wa="$(column_at "$s" 8 "$OUT"/perftest-*.txt | median)"
    rt="$(column_at "$s" 10 "$OUT"/perftest-*.txt | median)"
    ra="$(column_at "$s" 11 "$OUT"/perftest-*.txt | median)"
    mp="$(column_at "$s" 2 "$OUT"/mpi4j-put-*.txt | median)"
    mg="$(column_at "$s" 2 "$OUT"/mpi4j-get-*.txt | median)"
    awk -v s="$s" -v wt="${wt:-0}" -v wa="${wa:-0}" -v rt="${rt:-0}" -v ra="${ra:-0}" -v mp="${mp:-0}" -v mg="${mg:-0}" 'BEGIN {
      printf "%-8s %9.1f %9.1f %9.1f %6.2f %6.2f   %9.1f %9.1f %9.1f %6.2f %6.2f\n", s, wt, wa, mp,
        (wt > 0 ? mp / wt : 0), (wa > 0 ? mp / wa : 0), rt, ra, mg, (rt > 0 ? mg / rt : 0), (ra > 0 ? mg / ra : 0) }'
  done
}
summary | tee "$OUT/summary.txt"
if [ "$RECORD" = 1 ]; then
  {
    echo
    echo "## RDMA (Soft-RoCE in a VM) vs perftest, $(cat "$OUT/started.txt" 2>/dev/null || date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "Command: \`bench/run-rdma-vs-perftest.sh $ORIGINAL_ARGS\`"
    echo
    echo '```'
    cat "$OUT/summary.txt"
    echo '```'
  } >> bench/RESULTS.md
fi
