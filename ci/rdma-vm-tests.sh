#!/usr/bin/env bash
# The RDMA half of CI, on a real kernel RDMA stack: Debian's kernel with Soft-RoCE (rdma_rxe) in QEMU virtual
# machines (ci/vm/), since the CI machine itself has no RDMA device. Run after `mvn verify` (it uses the jars, the
# test classes and ci/target/test.classpath that the build left behind).
#   1. the DiSNI contract: every native method of our libdisni links and rejects bad handles with an exception;
#   2. one VM: the job tests tagged "rdma" (point-to-point, communicators, spawn, datatypes, persistent requests,
#      one-sided windows over RDMA WRITE/READ/atomics; 2 to 4 ranks) with RDMA forced between ranks of one node
#      (MPI4J_TRANSPORT=rdma);
#   3. two VMs as two nodes: a job launched across them with `mpi4jrun --host node0,node1`, ranks of different
#      nodes talking over RDMA.
# Skips (exit 0, with a clear message) only where QEMU or Debian's kernel package cannot be installed, unless
# MPI4J_REQUIRE_RDMA_VM=1 (set by ci/test.sh under CI), which turns that into a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { echo "ci/rdma-vm-tests.sh: $*" >&2; }

if ! bash ci/vm/setup.sh; then
  if [ "${MPI4J_REQUIRE_RDMA_VM:-0}" = 1 ]; then
    log "FAILED: the Soft-RoCE virtual machines cannot be set up here (see above)"
    exit 1
  fi
  log "SKIPPED: the Soft-RoCE virtual machines cannot be set up here (see above)"
  exit 0
fi

[ -f ci/target/test.classpath ] && [ -f ci/target/junit-console.jar ] || {
  log "ci/target/test.classpath or junit-console.jar missing: run 'mvn verify' (or package) first"
  exit 1
}
CP="$ROOT/ci/target/test-classes:$(tr -d '\n' < ci/target/test.classpath)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA="$(command -v "$JAVA")"
JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
export JAVA_HOME
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED)
# (The job harness hands its own class path to the ranks: the test classes and jars go on the JVM's class path,
# not on the console launcher's --class-path.)
# The guests emulate their CPUs (TCG): jobs run several times slower than here. The tests' own @Timeout values are
# for this machine, so stage 2 disables them; each job keeps its time-out, scaled by SCALE, and mpi4jrun's.
SCALE="${MPI4J_CI_TIME_SCALE:-6}"
# MPI_Init's rehearsal (mpi.InitRehearsal) runs to its budgets and beyond there: 14-19 s of each job's ~45 s in
# the emulated CPUs, while it compiles next to nothing. Stage 2 runs its jobs without it (its own tests,
# InitRehearsalJobsTest, run in the Maven stage); stage 3's jobs across two nodes keep it, over RDMA.

status=0
stage() {
  local name="$1"; shift
  local start=$SECONDS
  log "=== $name"
  if "$@"; then
    log "=== $name: passed ($((SECONDS - start)) s)"
  else
    log "=== $name: FAILED (status $?, $((SECONDS - start)) s)"
    status=1
  fi
}

# -Djava.library.path naming libdisni (unpacked from the jar into a per-user cache that the guests see too).
mapfile -t NATIVE_OPTS < <("$JAVA" "${FLAGS[@]}" -cp "$CP" io.mpi4j.rdma.natives.NativeLibraryLocator)

stage "1. DiSNI native contract (one VM)" \
  ci/vm/run.sh --timeout 600 -- "$JAVA" "${FLAGS[@]}" "${NATIVE_OPTS[@]}" -cp "$CP" \
    io.mpi4j.rdma.natives.ContractCheck --require-device

stage "2. job tests over RDMA, forced between ranks of one node (one VM)" \
  ci/vm/run.sh --timeout 3300 --env MPI4J_TRANSPORT=rdma --env MPI4J_CI_TIME_SCALE="$SCALE" \
    --env MPI4J_INIT_REHEARSAL=0 --env MPI4J_CI_PROGRESS=1 --env MPI4J_CI_JVM_CRASH_RETRIES=2 -- \
    "$JAVA" "${FLAGS[@]}" -cp "$CP:$ROOT/ci/target/junit-console.jar" org.junit.platform.console.ConsoleLauncher \
      execute --scan-class-path "$ROOT/ci/target/test-classes" --include-tag rdma \
      --config junit.jupiter.execution.timeout.mode=disabled \
      --details=tree --disable-banner --fail-if-no-tests

stage "3. jobs across two nodes (two VMs, mpi4jrun --host; ci/multinode-vm.sh)" \
  env MPI4J_VM_TIMEOUT=1200 ci/multinode-vm.sh

exit $status
