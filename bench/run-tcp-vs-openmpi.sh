#!/usr/bin/env bash
# mpi4j (TCP transport) vs Open MPI (TCP BTL) between two network-namespace nodes on one veth bridge: osu_latency
# and osu_bw (bin/osu on mpi4j, bench/c/osu on Open MPI: the same loops, OSU 7.4's default counts), interleaved
# rounds, medians and ratios in bench/compare.sh's table format.
#
# usage: bench/run-tcp-vs-openmpi.sh [--rounds N] [--only lat,bw] [--args "OSU OPTIONS"] [--record] [--summarize]
#   --rounds N      rounds; each round runs Open MPI then mpi4j, latency then bandwidth (default 3)
#   --only LIST     lat, bw or lat,bw (default)
#   --args "..."    options for both OSU programs on both sides (default none: OSU's own), e.g.
#                   --args "-m 65536 -i 1000 -x 100" for a quick look (not for recorded figures)
#   --record        also write the tables and the command into bench/RESULTS.md (its osu-tcp section)
#   --summarize     run nothing: recompute the tables from the last run's files (bench/out/tcp)
# Needs root: ci/netns.sh makes two nodes (removed at exit whatever happens). One round takes about 2 minutes on a
# quiet 2-core host. Each run is cut after 5 minutes and counted as missing. Each pair of runs is bracketed by
# bench/c/probe/core_pingpong and kept by vCPU placement, as in bench/compare.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MPI4J_HOME="$ROOT"
# shellcheck source=../bin/runtime.sh
. "$ROOT/bin/runtime.sh"
# shellcheck source=lib.sh
. "$ROOT/bench/lib.sh"
# shellcheck source=openmpi.sh
. "$ROOT/bench/openmpi.sh"
# shellcheck source=../ci/packages.sh
. "$ROOT/ci/packages.sh"
cd "$ROOT"
ROUNDS=3
ONLY="lat,bw"
ARGS=""
RECORD=0
SUMMARIZE_ONLY=0
ORIGINAL_ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --args) ARGS="$2"; shift 2 ;;
    --record) RECORD=1; shift ;;
    --summarize) SUMMARIZE_ONLY=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
BENCHES=""
for item in ${ONLY//,/ }; do
  case "$item" in
    lat|latency|osu_latency) BENCHES="$BENCHES latency" ;;
    bw|osu_bw) BENCHES="$BENCHES bw" ;;
    *) echo "--only: unknown benchmark $item (lat, bw)" >&2; exit 2 ;;
  esac
done
# shellcheck disable=SC2206
OSU_ARGS=($ARGS)
OUT="$ROOT/bench/out/tcp"
RUN_TIMEOUT=300
mkdir -p "$OUT/bin"

# Open MPI's command line, without the hosts and agent (for the summary and RESULTS.md). Why each option:
# - btl self,tcp over eth0 only: the TCP BTL, on the veth link (not the nodes' loopback, not the bridge address);
# - oob on the bridge's subnet: mpirun stays in the machine's namespace, its daemons call home from the nodes;
# - --map-by node: rank 0 on the first node, rank 1 on the second;
# - --bind-to none: each node's daemon sees the whole machine as its own and binds its one rank to core 0, so
#   with the default binding both ranks spin on the same core and a round trip costs scheduler slices (~4 ms);
# - keep_fqdn_hostnames: the node names are the namespaces' names, not to be cut at a dot.
OMPI_OPTIONS=(--map-by node --bind-to none --mca pml ob1 --mca btl self,tcp --mca btl_tcp_if_include eth0)

summary_header() {
  OMPI_VERSION="$(mpirun --version 2>/dev/null | sed -n 1p | grep -Eo '[0-9]+\.[0-9]+(\.[0-9]+)?' | sed -n 1p || true)"
  echo "# mpi4j tcp vs Open MPI ${OMPI_VERSION:-?} (btl self,tcp, pml ob1), 2 ranks on 2 network namespaces over veth,"
  echo "# OSU micro-benchmarks v7.4 loops, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# java: $(java -version 2>&1 | sed -n 1p); rounds: medians of the interleaved rounds found in bench/out/tcp"
}

if [ "$SUMMARIZE_ONLY" = 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "bench/run-tcp-vs-openmpi.sh: needs root (network namespaces)" >&2; exit 1; }
  bench_need_openmpi
  for b in $BENCHES; do
    mpicc -O2 -D"OSU_$(echo "$b" | tr '[:lower:]' '[:upper:]')" -o "$OUT/bin/osu_$b" bench/c/osu/osu_pt2pt.c
  done
  need_rdma_build_packages
  # every module bin/mpi4jrun runs, so that it has nothing to rebuild inside a timed run
  bench_build transport-tcp transport-shm transport-rdma

  # --- two nodes ----------------------------------------------------------------------------------------------
  # A set of our own (named after this shell's pid, on a /24 of its own), removed at exit even on failure or ^C.
  export MPI4J_NETNS_PREFIX="m4b$(($$ % 100000))"
  export MPI4J_NETNS_SUBNET="10.252.$(($$ % 250 + 1))"
  # A benchmark runs in the background and is waited for, so that a signal reaches the traps at once: the job's
  # processes in the nodes die with the nodes (netns.sh down kills what runs in them), mpirun/mpi4jrun are killed.
  CHILD=""
  cleanup() {
    [ -z "$CHILD" ] || kill "$CHILD" 2>/dev/null || true
    bash "$ROOT/ci/netns.sh" down >/dev/null 2>&1 || true
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  run() { # output-file command...: in the background, waited for, cut after RUN_TIMEOUT
    local out="$1"
    shift
    local status=0
    timeout "$RUN_TIMEOUT" "$@" > "$out" & CHILD=$!
    wait "$CHILD" || status=$?
    CHILD=""
    [ "$status" = 0 ] || echo "# ${out##*/}: failed (exit $status; 124: cut after ${RUN_TIMEOUT}s)" >&2
  }
  bash "$ROOT/ci/netns.sh" sweep >&2 || true
  eval "$(bash "$ROOT/ci/netns.sh" up 2)"
  NODE_A="${MPI4J_NETNS_NODES%%,*}"
  NODE_B="${MPI4J_NETNS_NODES##*,}"
  AGENT="$MPI4J_NETNS_AGENT"
  echo "# nodes $NODE_A, $NODE_B ($MPI4J_NETNS_SUBNET.0/24, veth eth0 in each)" >&2
  MPIRUN=(mpirun --allow-run-as-root -n 2 --host "$NODE_A,$NODE_B" "${OMPI_OPTIONS[@]}"
    --mca plm_rsh_agent "$AGENT" --mca oob_tcp_if_include "$MPI4J_NETNS_SUBNET.0/24" --mca orte_keep_fqdn_hostnames 1)
  OSU=("$ROOT/bin/osu" -n 2 --host "$NODE_A,$NODE_B" --rsh-agent "$AGENT")
  # Where Open MPI's ranks land: one per node, or the figures compare nothing.
  placed="$(timeout 120 "${MPIRUN[@]}" hostname | sort | paste -sd, -)"
  [ "$placed" = "$NODE_A,$NODE_B" ] ||
    { echo "bench/run-tcp-vs-openmpi.sh: Open MPI placed its ranks on '$placed', not $NODE_A,$NODE_B" >&2; exit 1; }

  # --- interleaved rounds -------------------------------------------------------------------------------------
  for b in $BENCHES; do rm -f "$OUT/"{ompi,mpi4j,placement}"-$b-"*.txt; done
  for r in $(seq 1 "$ROUNDS"); do
    echo "# round $r/$ROUNDS ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
    for b in $BENCHES; do
      run_ompi() { run "$OUT/ompi-$b-$r.txt" "${MPIRUN[@]}" "$OUT/bin/osu_$b" ${OSU_ARGS[@]+"${OSU_ARGS[@]}"}; }
      run_mpi4j() { run "$OUT/mpi4j-$b-$r.txt" "${OSU[@]}" "osu_$b" ${OSU_ARGS[@]+"${OSU_ARGS[@]}"}; }
      # the kernel's network stack runs on both vCPUs too: a pair counts only if they sat alike through it
      bench_placed_pair "$OUT/placement-$b-$r.txt" "round $r: osu_$b" run_ompi run_mpi4j
    done
  done
fi

# --- tables ---------------------------------------------------------------------------------------------------
{
  summary_header
  for b in $BENCHES; do
    ls "$OUT/ompi-$b-"*.txt >/dev/null 2>&1 && ls "$OUT/mpi4j-$b-"*.txt >/dev/null 2>&1 || continue
    rounds="$(bench_placed_medians "$OUT" "$b")"
    echo
    if [ "$b" = bw ]; then
      bench_table "osu_bw, 2 ranks: Bandwidth (MB/s), higher is better, median of $rounds" "(MB/s)" \
        "$OUT/ompi-$b.median" "$OUT/mpi4j-$b.median"
    else
      bench_table "osu_latency, 2 ranks: Latency (us), lower is better, median of $rounds" "(us)" \
        "$OUT/ompi-$b.median" "$OUT/mpi4j-$b.median"
    fi
  done
} | tee "$OUT/summary.txt"

if [ "$RECORD" = 1 ]; then
  section="$(mktemp)"
  {
    echo "<!-- osu-tcp:begin (bench/run-tcp-vs-openmpi.sh --record rewrites this section) -->"
    echo "## TCP transport vs Open MPI's TCP BTL, two network-namespace nodes"
    echo
    echo "Command (from the repository root, as root: it makes two nodes with ci/netns.sh and removes them at exit):"
    echo
    echo '```'
    command="bench/run-tcp-vs-openmpi.sh"
    for a in ${ORIGINAL_ARGS[@]+"${ORIGINAL_ARGS[@]}"}; do
      case "$a" in *" "*) command="$command \"$a\"" ;; *) command="$command $a" ;; esac
    done
    echo "$command"
    echo '```'
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(nproc) cores, $(uname -sr), load average at the end"
    echo "$(cut -d' ' -f1-3 /proc/loadavg). Two nodes made by \`ci/netns.sh up 2\` (network namespaces, one veth each"
    echo "into a bridge). Each round runs osu_latency then osu_bw with Open MPI"
    echo "(\`mpirun --host A,B --mca plm_rsh_agent ci/netns-agent.sh ${OMPI_OPTIONS[*]}\`, bench/c/osu) and then with"
    echo "mpi4j (\`bin/osu --host A,B --rsh-agent ci/netns-agent.sh\`, io.mpi4j.bench.osu), the same loops and OSU 7.4's"
    echo "default counts unless the command says otherwise; values are medians over the rounds, ratio = mpi4j / Open MPI."
    echo
    echo '```'
    cat "$OUT/summary.txt"
    echo '```'
    echo "<!-- osu-tcp:end -->"
  } > "$section"
  bench_record_section osu-tcp "$section" "$ROOT/bench/RESULTS.md"
  rm -f "$section"
  echo "# wrote the osu-tcp section of bench/RESULTS.md" >&2
fi
