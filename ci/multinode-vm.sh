#!/usr/bin/env bash
# Multi-node launch on two real nodes (the second RDMA stage of CI): boots node0 and node1 (QEMU, Soft-RoCE, root
# ssh between them; see ci/vm/run.sh) and runs from node0
#   1. mpi4jrun --host node0,node1 -n 2       rank 1 started by the agent on node1, key-value exchange over the
#                                              network, output forwarded, ranks joined over RDMA;
#   2. mpi4jrun --host node0:2,node1:2 -n 4   by-slot placement, shared memory inside a node, RDMA across nodes;
#   3. the agent on node1 killed mid-job: the job aborts naming node1, nothing of it stays there;
# and checks what each rank reported and that no /dev/shm file is left on either node.
# Builds the runtime and the job classes on the host first (the guests see the host's files read-only).
# Exit status: 0 passed, 1 a check failed, otherwise ci/vm/run.sh's (2: no VM support here, 124: timeout).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ "${1:-}" != "--in-vm" ]; then
  echo "ci/multinode-vm.sh: building the runtime and the test jobs" >&2
  # shellcheck source=packages.sh
  . "$ROOT/ci/packages.sh"
  need_rdma_build_packages
  MPI4J_HOME="$ROOT"
  # shellcheck source=../bin/runtime.sh
  . "$ROOT/bin/runtime.sh"
  mpi4j_mvn -q -DskipTests package -pl core,transport-shm,transport-tcp,transport-rdma,launcher -am >&2
  mpi4j_mvn -q -DskipTests test-compile -pl ci -am >&2
  # The runtime's class-data archive, made here as bin/mpi4jrun makes it after a build: without it the first
  # launcher in the VMs would make it under CPU emulation, beside the jobs under test.
  mpi4j_make_class_archive
  exec ci/vm/run.sh --nodes 2 --timeout "${MPI4J_VM_TIMEOUT:-900}" -- "$ROOT/ci/multinode-vm.sh" --in-vm
fi

# In node0 from here on.
status=0
fail() { echo "ci/multinode-vm.sh: FAILED: $*" >&2; status=1; }
out="$(mktemp)"

run_probe() {
  local hosts="$1" n="$2"
  echo "ci/multinode-vm.sh: mpi4jrun --host $hosts -n $n HostProbe" >&2
  local rc=0
  bin/mpi4jrun --host "$hosts" -n "$n" --tag-output --timeout 300 --report-transports \
    java -cp "$ROOT/ci/target/test-classes" io.mpi4j.ci.jobs.HostProbe > "$out" 2>&1 || rc=$?
  [ "$rc" = 0 ] || fail "--host $hosts -n $n exited with status $rc"
  cat "$out" >&2
}

expect() {
  grep -qE "$1" "$out" || fail "no line matching '$1'"
}

run_probe node0,node1 2
expect '^\[1,0\]<stdout>: AGENT false$'
expect '^\[1,1\]<stdout>: AGENT true$'
expect '^\[1,1\]<stdout>: KVS 10\.10\.0\.1:[0-9]+$'
expect '^\[1,0\]<stdout>: TOKEN 2$'
expect '^\[1,1\]<stdout>: TOKEN 2$'
expect '^\[1,0\]<stderr>: mpi4j: rank 0 on node0-\S+ reaches 0:shm, 1:rdma$'
expect '^\[1,1\]<stderr>: mpi4j: rank 1 on node1-\S+ reaches 0:rdma, 1:shm$'

run_probe node0:2,node1:2 4
expect '^\[1,2\]<stdout>: AGENT true$'
expect '^\[1,3\]<stdout>: AGENT true$'
expect '^\[1,0\]<stdout>: TOKEN 4$'
expect '^\[1,3\]<stdout>: TOKEN 4$'
expect '^\[1,0\]<stderr>: mpi4j: rank 0 on node0-\S+ reaches 0:shm, 1:shm, 2:rdma, 3:rdma$'
expect '^\[1,2\]<stderr>: mpi4j: rank 2 on node1-\S+ reaches 0:rdma, 1:rdma, 2:shm, 3:shm$'

# 3. A lost host: the agent on node1 is killed while the job runs; the job must abort naming node1, and nothing of
#    it may stay on node1 (its ranks halt when the launcher goes, a fresh agent removes their files).
echo "ci/multinode-vm.sh: killing the agent on node1 during a job" >&2
rc=0
( bin/mpi4jrun --host node0,node1 -n 2 --tag-output --timeout 300 \
    java -cp "$ROOT/ci/target/test-classes" io.mpi4j.ci.jobs.HostProbe hang > "$out" 2>&1 ) &
job=$!
agent=""
for _ in $(seq 1 600); do
  # The agent is the java process (not a shell naming it) with a child: the rank.
  agent="$(ssh -o BatchMode=yes node1 'for p in $(pgrep -f io.mpi4j.launcher.NodeAgent); do
      case "$(readlink /proc/$p/exe)" in */java) [ -n "$(pgrep -P "$p")" ] && echo "$p";; esac; done' || true)"
  [ -n "$agent" ] && grep -q '^\[1,1\]<stdout>: TOKEN' "$out" 2>/dev/null && break
  sleep 0.5
done
if [ -z "$agent" ]; then
  fail "no agent with a rank found on node1"
  kill "$job" 2>/dev/null || true
else
  ssh -o BatchMode=yes node1 "kill -9 $agent"
  killed_at=$(date +%s)
  wait "$job" || rc=$?
  cat "$out" >&2
  [ "$rc" != 0 ] || fail "the job survived its lost host"
  grep -q 'lost host node1' "$out" || fail "no 'lost host node1' message"
  [ $(( $(date +%s) - killed_at )) -lt 60 ] || fail "the job took $(( $(date +%s) - killed_at )) s to abort"
  sleep 3
  left="$(ssh -o BatchMode=yes node1 'pgrep -f io.mpi4j.ci.jobs.[H]ostProbe || true')"
  [ -z "$left" ] || fail "ranks left running on node1: $left"
fi

for node in node0 node1; do
  left="$(ssh -o BatchMode=yes "$node" 'ls /dev/shm | grep "^mpi4j-" || true')"
  [ -z "$left" ] || fail "left in /dev/shm on $node: $left"
done
rm -f "$out"
[ "$status" = 0 ] && echo "ci/multinode-vm.sh: passed" >&2
exit "$status"
