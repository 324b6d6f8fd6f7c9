#!/usr/bin/env bash
# OSU micro-benchmarks side by side: mpi4j (io.mpi4j.bench.osu, through bin/mpi4jrun) and Open MPI (bench/c/osu,
# the same loops, through mpirun), interleaved rounds, medians, ratios mpi4j / Open MPI, and log-log PNG plots.
#
# usage: bench/compare.sh [--rounds N] [--only LIST] [--ranks "2 4"] [--args "OSU OPTIONS"] [--io-args "..."]
#                         [--record] [--summarize]
#   --rounds N      rounds; each round runs every selected benchmark, Open MPI then mpi4j (default 5)
#   --only LIST     comma-separated benchmarks or groups (default all):
#                   pt2pt = latency,bw,bibw,mbw_mr,multi_lat; coll = allreduce,bcast,barrier,alltoall,allgather,reduce;
#                   rma = put_latency,get_latency,put_bw,get_bw,acc_latency; io = io_write_all
#   --ranks LIST    process counts of the collectives and of io (default "2 4"); point-to-point and one-sided run
#                   with 2 (osu_mbw_mr and osu_multi_lat with every count given, pairs = N / 2)
#   --args "..."    options for every OSU program on both sides (default none: OSU's own defaults), e.g.
#                   --args "-m 4096 -i 100 -x 10" for a quick check
#   --io-args "..." options for io_write_all (default none: 256 MiB file, 1 MiB interleaved blocks, 5 writes)
#   --record        also write the tables, the plots' links and the command into bench/RESULTS.md (its OSU section)
#   --summarize     run nothing: recompute tables and plots from the last run's files (bench/out/osu)
# Writes bench/results/osu-summary.txt, bench/results/osu_<name>-<N>.png and the raw outputs to bench/out/osu.
# Open MPI: ob1 PML over its shared-memory BTL, --oversubscribe (the collectives at 4 ranks on fewer cores).
# Each pair of runs is bracketed by bench/c/probe/core_pingpong (where vCPUs 0 and 1 sit: one host core's
# hyperthreads, "near", or farther apart, "far"); a pair whose placement changed is run again (3 tries), and each
# table takes the rounds of the placement most of its rounds had (bench/out/osu/placement-*.txt).
# Installs openmpi-bin + libopenmpi-dev with apt-get when mpicc is missing (needs root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
cd "$ROOT"
ROUNDS=5
ONLY=all
RANKS="2 4"
ARGS=""
IO_ARGS=""
RECORD=0
SUMMARIZE_ONLY=0
ORIGINAL_ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --ranks) RANKS="$2"; shift 2 ;;
    --args) ARGS="$2"; shift 2 ;;
    --io-args) IO_ARGS="$2"; shift 2 ;;
    --record) RECORD=1; shift ;;
    --summarize) SUMMARIZE_ONLY=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

PT2PT="latency bw bibw mbw_mr multi_lat"
COLL="allreduce bcast barrier alltoall allgather reduce"
RMA="put_latency get_latency put_bw get_bw acc_latency"
SELECTED=""
for item in ${ONLY//,/ }; do
  case "$item" in
    all) SELECTED="$SELECTED $PT2PT $COLL $RMA io_write_all" ;;
    pt2pt) SELECTED="$SELECTED $PT2PT" ;;
    coll) SELECTED="$SELECTED $COLL" ;;
    rma) SELECTED="$SELECTED $RMA" ;;
    io|io_write_all) SELECTED="$SELECTED io_write_all" ;;
    lat) SELECTED="$SELECTED latency" ;;
    *) case " $PT2PT $COLL $RMA " in
         *" ${item#osu_} "*) SELECTED="$SELECTED ${item#osu_}" ;;
         *) echo "--only: unknown benchmark $item" >&2; exit 2 ;;
       esac ;;
  esac
done

# program name, C source and the macro that selects it, title of its figure, and whether higher is better
program() { case "$1" in io_write_all) echo io_write_all ;; *) echo "osu_$1" ;; esac; }
c_source() {
  case "$1" in
    latency|bw|bibw) echo osu_pt2pt.c ;; mbw_mr|multi_lat) echo osu_multi.c ;;
    put_*|get_*|acc_*) echo osu_one_sided.c ;; io_write_all) echo io_write_all.c ;; *) echo osu_coll.c ;;
  esac
}
higher_is_better() { case "$1" in bw|bibw|mbw_mr|put_bw|get_bw|io_write_all) return 0 ;; *) return 1 ;; esac; }
unit() {
  case "$1" in
    bw|bibw|put_bw|get_bw|io_write_all) echo "Bandwidth (MB/s)" ;; mbw_mr) echo "Bandwidth of all pairs (MB/s)" ;;
    *) echo "Latency (us)" ;;
  esac
}
rank_counts() { case "$1" in latency|bw|bibw|put_*|get_*|acc_*) echo 2 ;; *) echo "$RANKS" ;; esac; }

OUT="$ROOT/bench/out/osu"
RESULTS="$ROOT/bench/results"
mkdir -p "$OUT/bin" "$RESULTS"
. "$ROOT/bench/openmpi.sh"

openmpi_describe() {
  OMPI_VERSION="$(mpirun --version 2>/dev/null | sed -n 1p | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | sed -n 1p || true)"
  if ompi_info --parsable 2>/dev/null | grep '^mca:btl:vader:' >/dev/null; then BTL=vader; else BTL=sm; fi
}

echo "# building mpi4j (bench, launcher)" >&2
mpi4j_mvn -q -DskipTests -pl bench,launcher,transport-tcp -am package >&2
BENCH_CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/runtime.classpath")"

if [ "$SUMMARIZE_ONLY" = 0 ]; then
  bench_need_openmpi
  openmpi_describe
  for b in $SELECTED; do
    macro="OSU_$(echo "$b" | tr '[:lower:]' '[:upper:]')"
    mpicc -O2 -D"$macro" -o "$OUT/bin/$(program "$b")" "bench/c/osu/$(c_source "$b")"
  done
  for b in $SELECTED; do for n in $(rank_counts "$b"); do rm -f "$OUT/ompi-$b-$n-"*.txt "$OUT/mpi4j-$b-$n-"*.txt; done; done
  for r in $(seq 1 "$ROUNDS"); do
    echo "# round $r/$ROUNDS" >&2
    # the build's and io_write_all's dirty pages are written back now, not under the next round's first programs
    # (a write-back beside osu_latency made its 4-32 KiB 3-5x slower for mpi4j, whose waits then yield)
    sync
    for b in $SELECTED; do
      # shellcheck disable=SC2086
      if [ "$b" = io_write_all ]; then opts=($IO_ARGS); else opts=($ARGS); fi
      for n in $(rank_counts "$b"); do
        name="$(program "$b")"
        run_ompi() {
          timeout 3600 mpirun --allow-run-as-root --oversubscribe -n "$n" --mca pml ob1 --mca btl "self,$BTL" \
            "$OUT/bin/$name" "${opts[@]}" > "$OUT/ompi-$b-$n-$r.txt" \
            || echo "# round $r: Open MPI $name at $n ranks failed (exit $?)" >&2
        }
        run_mpi4j() {
          timeout 3600 "$ROOT/bin/mpi4jrun" -n "$n" java -cp "$BENCH_CP" io.mpi4j.bench.osu.Osu "$name" "${opts[@]}" \
            > "$OUT/mpi4j-$b-$n-$r.txt" || echo "# round $r: mpi4j $name at $n ranks failed (exit $?)" >&2
        }
        # the pair counts only if the vCPUs sat alike through both runs
        bench_placed_pair "$OUT/placement-$b-$n-$r.txt" "round $r: $name at $n ranks" run_ompi run_mpi4j
      done
    done
  done
else
  openmpi_describe
fi


PLOTS=()
{
  echo "# mpi4j vs Open MPI ${OMPI_VERSION:-?} (btl self,${BTL:-?}, pml ob1), OSU micro-benchmarks v7.4 loops, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# java: $(java -version 2>&1 | sed -n 1p); rounds: medians of the interleaved rounds found in bench/out/osu"
  for b in $SELECTED; do
    for n in $(rank_counts "$b"); do
      ls "$OUT/ompi-$b-$n-"*.txt >/dev/null 2>&1 && ls "$OUT/mpi4j-$b-$n-"*.txt >/dev/null 2>&1 || continue
      rounds="$(bench_placed_medians "$OUT" "$b-$n")"
      if higher_is_better "$b"; then better="higher is better"; else better="lower is better"; fi
      u="$(unit "$b")"
      what="$(program "$b"), $n ranks: $u, $better, median of $rounds"
      [ "$b" = io_write_all ] && what="$what (size = block: file / ranks is the contiguous layout, the other the interleaved one)"
      echo
      bench_table "$what" "${u##* }" "$OUT/ompi-$b-$n.median" "$OUT/mpi4j-$b-$n.median"
      if [ "$b" != barrier ] && [ "$b" != io_write_all ] && [ -s "$OUT/mpi4j-$b-$n.median" ]; then
        png="$RESULTS/$(program "$b")-$n.png"
        java -Djava.awt.headless=true -cp "$BENCH_CP" io.mpi4j.bench.osu.ComparePlot "$png" \
          "$(program "$b"), $n ranks (median of $rounds rounds)" "$u" \
          "$OUT/ompi-$b-$n.median" "Open MPI ${OMPI_VERSION:-}" "$OUT/mpi4j-$b-$n.median" "mpi4j" >&2
        PLOTS+=("$(program "$b")-$n.png")
      fi
    done
  done
} | tee "$RESULTS/osu-summary.txt"
# the plots were drawn in a subshell of the pipe: list what is there
mapfile -t PLOTS < <(for b in $SELECTED; do for n in $(rank_counts "$b"); do
  f="$(program "$b")-$n.png"; [ -f "$RESULTS/$f" ] && echo "$f"; done; done)

if [ "$RECORD" = 1 ]; then
  section="$(mktemp)"
  {
    echo "<!-- osu-compare:begin (bench/compare.sh --record rewrites this section) -->"
    echo "## OSU micro-benchmarks beside Open MPI"
    echo
    echo "Command (from the repository root):"
    echo
    echo '```'
    command="bench/compare.sh"
    for a in "${ORIGINAL_ARGS[@]}"; do case "$a" in *" "*) command="$command \"$a\"" ;; *) command="$command $a" ;; esac; done
    echo "$command"
    echo '```'
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(nproc) cores, $(uname -sr), load average at the end"
    echo "$(cut -d' ' -f1-3 /proc/loadavg) (a loaded host stretches the JVM's waits far more than mpirun's busy polling)."
    echo "Each round runs every program"
    echo "with Open MPI (\`mpirun --oversubscribe --mca pml ob1 --mca btl self,${BTL:-?}\`, bench/c/osu) and then with mpi4j"
    echo "(\`bin/osu\`, io.mpi4j.bench.osu), the same loops and OSU 7.4's default counts unless the command says"
    echo "otherwise; values are medians over the rounds, ratio = mpi4j / Open MPI. Each pair of runs is bracketed by"
    echo "bench/c/probe/core_pingpong (one cache line's round trip between vCPUs 0 and 1: ~0.1 us when the host runs them"
    echo "on one core's hyperthreads, 0.3-0.6 us farther apart; it changes every few tens of seconds), and a table keeps"
    echo "the rounds whose placement most of its rounds had, named in its title."
    echo
    for p in "${PLOTS[@]}"; do echo "![${p%.png}](results/$p)"; done
    echo
    echo '```'
    cat "$RESULTS/osu-summary.txt"
    echo '```'
    echo "<!-- osu-compare:end -->"
  } > "$section"
  target="$ROOT/bench/RESULTS.md"
  if grep -q '^<!-- osu-compare:begin' "$target" 2>/dev/null; then
    awk -v file="$section" '
      /^<!-- osu-compare:begin/ { while ((getline line < file) > 0) print line; skip = 1; next }
      /^<!-- osu-compare:end/ { skip = 0; next }
      !skip { print }' "$target" > "$target.new" && mv "$target.new" "$target"
  else
    { echo; cat "$section"; } >> "$target"
  fi
  rm -f "$section"
  echo "# wrote the OSU section of bench/RESULTS.md" >&2
fi
