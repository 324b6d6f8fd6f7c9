#!/usr/bin/env bash
# MPI_Comm_spawn to every child's first answer: mpi4j (Java children) vs Open MPI (C children), interleaved rounds.
#
# usage: bench/run-spawn-vs-openmpi.sh [--rounds N] [--gap MS] [--iterations N]
#   --rounds N      rounds; each runs Open MPI, mpi4j (spare JVMs, the default) and mpi4j cold (default 3)
#   --gap MS        pause after each spawn, during which the children exit (default 1000; 100: back to back)
#   --iterations N  spawns of 1 child, then N of 2 children, per run (default 10)
#   --summarize     run nothing: recompute the summary from the result files of the last run at this gap
# Prints, per variant and number of children, the median over rounds of each run's median and of its first spawn
# (the first of the job: right after MPI_Init), and their ratio to Open MPI's. A run that fails or hangs (Open MPI's
# spawn does now and then) is cut after 120 s and left out. Installs openmpi-bin + libopenmpi-dev with apt-get
# when mpicc is missing (needs root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=../ci/packages.sh
. "$ROOT/ci/packages.sh"
cd "$ROOT"
ROUNDS=3
GAP=1000
ITERATIONS=10
SUMMARIZE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --gap) GAP="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --summarize) SUMMARIZE_ONLY=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. "$ROOT/bench/openmpi.sh"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
VARIANTS=(ompi mpi4j mpi4j-cold)
if [ "$SUMMARIZE_ONLY" = 0 ]; then
bench_need_openmpi
mpicc -O2 -o "$OUT/spawn_latency" bench/c/spawn_latency.c
echo "# building mpi4j (core, transports, bench)" >&2
need_rdma_build_packages
mpi4j_mvn -q -DskipTests -pl bench,launcher -am package >&2

run() {
  local variant="$1"
  case "$variant" in
    ompi) timeout 120 mpirun --allow-run-as-root --oversubscribe -n 1 --mca pml ob1 "$OUT/spawn_latency" \
            -i "$ITERATIONS" -g "$GAP" ;;
    mpi4j) timeout 120 bin/mpi4jrun -n 1 --universe-size 8 java -cp bench/target/classes \
             io.mpi4j.bench.SpawnLatency -i "$ITERATIONS" -g "$GAP" ;;
    mpi4j-cold) MPI4J_SPAWN_SPARES=0 timeout 120 bin/mpi4jrun -n 1 --universe-size 8 java \
                  -cp bench/target/classes io.mpi4j.bench.SpawnLatency -i "$ITERATIONS" -g "$GAP" ;;
  esac
}

rm -f "$OUT"/spawn-g"$GAP"-*.txt
echo "# MPI_Comm_spawn to every child's first answer, $ITERATIONS spawns per run, $GAP ms apart, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# $(mpirun --version 2>/dev/null | sed -n 1p); java: $(java -version 2>&1 | sed -n 1p); $(nproc) cores"
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r, load $(cut -d' ' -f1 /proc/loadavg)"
  for v in "${VARIANTS[@]}"; do
    file="$OUT/spawn-g$GAP-r$r-$v.txt"
    if run "$v" 2>/dev/null | grep -v '^#' > "$file.tmp" && [ -s "$file.tmp" ]; then
      mv "$file.tmp" "$file"
      echo "#   $v: $(tr '\n' ' ' < "$file")"
    else
      rm -f "$file.tmp"
      echo "#   $v: failed or hung (cut after 120 s)"
    fi
  done
done
fi

# children -> median over rounds of column $2 (2: median of the run, 4: first spawn)
medians() {
  local variant="$1" column="$2"
  cat "$OUT"/spawn-g"$GAP"-r*-"$variant".txt 2>/dev/null | awk -v c="$column" '{ print $1, $c }' | sort -k1,1n -k2,2g |
    awk '{ v[$1] = v[$1] " " $2; n[$1]++ }
         END { for (k in v) { split(substr(v[k], 2), a, " "); m = n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2; print k, m } }' |
    sort -k1,1n
}
echo
printf '# %-10s %8s %10s %8s %10s   (ms; ratio to Open MPI)\n' variant children median first ""
for v in "${VARIANTS[@]}"; do
  join <(medians "$v" 2) <(medians "$v" 4) | join - <(join <(medians ompi 2) <(medians ompi 4)) |
    awk -v v="$v" '{ printf "%-12s %8d %10.1f %7.2fx %10.1f %7.2fx\n", v, $1, $2, $2 / $4, $3, $3 / $5 }'
done
