#!/usr/bin/env bash
# mpi4j (TCP transport) vs Open MPI (TCP BTL) between two network-namespace nodes on one veth bridge, OSU method,
# interleaved rounds, medians and ratios.
#
# usage: bench/run-tcp-vs-openmpi.sh [--rounds N] [--quick] [--max-bytes B] [--iterations N] [--only LIST]
#   --rounds N      rounds; each round runs Open MPI then mpi4j, latency then bandwidth (default 5)
#   --quick         a short look: 3 rounds, a tenth of the iterations, unless given (not for recorded figures)
#   --max-bytes B   largest message (default 4194304)
#   --iterations N  timed latency iterations per size on both sides (default 10000, OSU's; /10 above 8 KiB);
#                   bandwidth runs N/100 timed windows (OSU's 100 by default)
#   --only LIST     lat, bw or lat,bw (default)
# Needs root (ci/netns.sh makes two nodes, removed at exit whatever happens). Open MPI: mpirun --mca pml ob1
# --mca btl self,tcp restricted to the nodes' veth (btl_tcp_if_include), its ssh replaced by ci/netns-agent.sh
# (plm_rsh_agent). mpi4j: bin/mpi4jrun --host nodeA,nodeB --rsh-agent ci/netns-agent.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=../ci/packages.sh
. "$ROOT/ci/packages.sh"
cd "$ROOT"
ROUNDS=
MAX_BYTES=$((4 << 20))
LAT_ITERS=
ONLY="lat,bw"
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --max-bytes) MAX_BYTES="$2"; shift 2 ;;
    --iterations) LAT_ITERS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$QUICK" = 1 ]; then
  ROUNDS="${ROUNDS:-3}"
  LAT_ITERS="${LAT_ITERS:-1000}"
fi
ROUNDS="${ROUNDS:-5}"
LAT_ITERS="${LAT_ITERS:-10000}"
[ "$(id -u)" -eq 0 ] || { echo "bench/run-tcp-vs-openmpi.sh: needs root (network namespaces)" >&2; exit 1; }
want() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
. "$ROOT/bench/openmpi.sh"
OUT="$ROOT/bench/out/tcp"
mkdir -p "$OUT"

# --- two nodes ------------------------------------------------------------------------------------------------
# A set of our own (named after this shell's pid, on a /24 of its own), removed at exit even on failure or ^C.
export MPI4J_NETNS_PREFIX="m4b$(($$ % 100000))"
export MPI4J_NETNS_SUBNET="10.252.$(($$ % 250 + 1))"
# A benchmark runs in the background and is waited for, so that a signal reaches the traps at once: the job's
# processes in the nodes die with the nodes (netns.sh down kills what runs in them), mpirun/mpi4jrun here are killed.
CHILD=""
cleanup() {
  [ -z "$CHILD" ] || kill "$CHILD" 2>/dev/null || true
  bash "$ROOT/ci/netns.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
run() { # command... > output: in the background, waited for
  "$@" & CHILD=$!
  wait "$CHILD"
  CHILD=""
}
bash "$ROOT/ci/netns.sh" sweep >&2 || true
eval "$(bash "$ROOT/ci/netns.sh" up 2)"
NODE_A="${MPI4J_NETNS_NODES%%,*}"
NODE_B="${MPI4J_NETNS_NODES##*,}"
AGENT="$MPI4J_NETNS_AGENT"
echo "# nodes $NODE_A, $NODE_B ($MPI4J_NETNS_SUBNET.0/24, veth eth0 in each)" >&2

# --- Open MPI -------------------------------------------------------------------------------------------------
bench_need_openmpi
mpicc -O2 -o "$OUT/osu_latency" bench/c/osu_latency.c
mpicc -O2 -o "$OUT/osu_bw" bench/c/osu_bw.c
OMPI_VERSION="$(mpirun --version 2>/dev/null | sed -n 1p | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | sed -n 1p || true)"
# mpirun stays in this namespace (it reaches the nodes through the bridge); its daemons and ranks start in the
# nodes through the agent. The ranks talk TCP over eth0 only; the daemons call home over the bridge's subnet.
MPIRUN=(mpirun --allow-run-as-root -n 2 --host "$NODE_A,$NODE_B" --map-by node
  --mca plm_rsh_agent "$AGENT" --mca pml ob1 --mca btl self,tcp --mca btl_tcp_if_include eth0
  --mca oob_tcp_if_include "$MPI4J_NETNS_SUBNET.0/24" --mca orte_keep_fqdn_hostnames 1)

# --- mpi4j ----------------------------------------------------------------------------------------------------
echo "# building mpi4j (core, transport-tcp, bench, launcher)" >&2
need_rdma_build_packages
mpi4j_mvn -q -DskipTests -pl bench,launcher,transport-tcp -am package >&2
BENCH_CP="$ROOT/bench/target/classes"
if [ -s bench/target/runtime.classpath ]; then BENCH_CP="$BENCH_CP:$(cat bench/target/runtime.classpath)"; fi
MPI4JRUN=("$ROOT/bin/mpi4jrun" -n 2 --host "$NODE_A,$NODE_B" --rsh-agent "$AGENT" java -cp "$BENCH_CP")

# --- interleaved rounds ---------------------------------------------------------------------------------------
rm -f "$OUT"/ompi-lat-*.txt "$OUT"/ompi-bw-*.txt "$OUT"/mpi4j-lat-*.txt "$OUT"/mpi4j-bw-*.txt
LAT_ARGS=(-m "$MAX_BYTES" -i "$LAT_ITERS" -x "$((LAT_ITERS / 10))")
BW_ARGS=(-m "$MAX_BYTES" -i "$(( (LAT_ITERS + 99) / 100 ))" -x "$(( (LAT_ITERS + 999) / 1000 ))")
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r/$ROUNDS" >&2
  if want lat; then
    run "${MPIRUN[@]}" "$OUT/osu_latency" "${LAT_ARGS[@]}" > "$OUT/ompi-lat-$r.txt"
    run "${MPI4JRUN[@]}" io.mpi4j.bench.OsuLatency "${LAT_ARGS[@]}" > "$OUT/mpi4j-lat-$r.txt"
  fi
  if want bw; then
    run "${MPIRUN[@]}" "$OUT/osu_bw" "${BW_ARGS[@]}" > "$OUT/ompi-bw-$r.txt"
    run "${MPI4JRUN[@]}" io.mpi4j.bench.OsuBandwidth "${BW_ARGS[@]}" > "$OUT/mpi4j-bw-$r.txt"
  fi
done

# "size median" per size over the given result files (mawk-compatible: no arrays of arrays)
medians() {
  awk '!/^#/ && NF >= 2 && $1 ~ /^[0-9]+$/ { print $1, $2 }' "$@" | sort -k1,1n -k2,2g | awk '
    function flush() { if (n > 0) { m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2; print cur, m } }
    !started || $1 != cur { flush(); cur = $1; n = 0; started = 1 }
    { v[++n] = $2 }
    END { flush() }'
}

table() { # title unit ompi-median-file mpi4j-median-file
  echo "# $1, median of $ROUNDS interleaved rounds"
  printf '%-10s %16s %16s %14s\n' "# Size" "OpenMPI $2" "mpi4j $2" "mpi4j/OpenMPI"
  awk 'NR == FNR { o[$1] = $2; next }
       ($1 in o) { printf "%-10s %16.2f %16.2f %14.2f\n", $1, o[$1], $2, (o[$1] > 0 ? $2 / o[$1] : 0) }' "$3" "$4"
}

{
  echo "# mpi4j tcp vs Open MPI ${OMPI_VERSION:-?} (btl self,tcp, pml ob1), 2 ranks on 2 network namespaces over veth,"
  echo "# $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), latency iterations $LAT_ITERS"
  echo "# java: $(java -version 2>&1 | sed -n 1p)"
  if want lat; then
    medians "$OUT"/ompi-lat-*.txt > "$OUT/ompi-lat.median"
    medians "$OUT"/mpi4j-lat-*.txt > "$OUT/mpi4j-lat.median"
    echo
    table "Latency (us), lower is better" "(us)" "$OUT/ompi-lat.median" "$OUT/mpi4j-lat.median"
  fi
  if want bw; then
    medians "$OUT"/ompi-bw-*.txt > "$OUT/ompi-bw.median"
    medians "$OUT"/mpi4j-bw-*.txt > "$OUT/mpi4j-bw.median"
    echo
    table "Bandwidth (MB/s), higher is better" "(MB/s)" "$OUT/ompi-bw.median" "$OUT/mpi4j-bw.median"
  fi
} | tee "$OUT/summary.txt"
