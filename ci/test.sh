#!/usr/bin/env bash
# Run every test of the project, as CI does: unit tests of each module and the real multi-process job tests
# (ci/), which start JVMs through mpi4jrun over the shared-memory transport, across network-namespace nodes and on
# a small Slurm cluster of them (as root); then the RDMA stages in virtual machines with Soft-RoCE
# (ci/rdma-vm-tests.sh).
# Needs: JDK 17 and Maven 3.8+ (dependencies are downloaded by Maven on first use), a writable /dev/shm.
# Exit status = Maven's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "ci/test.sh: '$1' not found; installing $2" >&2
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >&2
    else
      echo "ci/test.sh: please install $2" >&2
      exit 1
    fi
  fi
}
need java openjdk-17-jdk-headless
need mvn maven

# transport-rdma compiles its own libdisni (DiSNI's JNI library) with gcc against rdma-core's headers, and
# transport-shm its libmpi4jcma (single copy; CrossMemoryAttachTest needs it) with the same gcc.
# shellcheck source=packages.sh
. "$ROOT/ci/packages.sh"
need_rdma_build_packages
# The job tests across network-namespace nodes and on a Slurm cluster of them (NetnsJobsTest, SlurmJobsTest) run
# as root; elsewhere they are skipped with the reason (under CI=true they are required).
if [ "$(id -u)" -eq 0 ]; then
  need_netns_test_packages
fi
# Nodes and clusters of those tests are removed by the tests, even when they fail; a run killed midway leaves
# them to the next run's sweep, and to this one's end.
netns_sweep() {
  if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null 2>&1; then
    bash "$ROOT/ci/netns.sh" sweep || true
  fi
}
trap netns_sweep EXIT

if [ ! -d /dev/shm ] || [ ! -w /dev/shm ]; then
  echo "ci/test.sh: warning: /dev/shm is not writable; the shared-memory transport will fall back" >&2
fi

echo "ci/test.sh: $(java -version 2>&1 | sed -n 1p); $(mvn -v 2>/dev/null | sed -n 1p); $(nproc) cores" >&2
# Batch mode without colours; Debian's Maven 3.8 still writes colour resets (ESC[0m), stripped here.
set +e
mvn -B -Dstyle.color=never verify "$@" 2>&1 | sed -u $'s/\e\[[0-9;]*m//g'
status="${PIPESTATUS[0]}"
set -e

# The RDMA half: the same kind of jobs over a real kernel RDMA stack (Soft-RoCE in QEMU virtual machines), the
# libdisni contract, and a job across two nodes. MPI4J_SKIP_VM_TESTS=1 leaves them out (a quick local run);
# under CI (CI=true) a machine that cannot run the VMs is a failure, elsewhere a skip with the reason.
if [ "$status" -eq 0 ] && [ "${MPI4J_SKIP_VM_TESTS:-0}" != 1 ]; then
  if [ "${CI:-}" = true ]; then export MPI4J_REQUIRE_RDMA_VM=1; fi
  set +e
  bash ci/rdma-vm-tests.sh
  status=$?
  set -e
fi

# Jobs clean up after themselves; anything left here is a bug worth seeing in the log.
leftovers="$(ls /dev/shm 2>/dev/null | grep '^mpi4j-' || true)"
if [ -n "$leftovers" ]; then
  echo "ci/test.sh: warning: files left in /dev/shm:" >&2
  echo "$leftovers" >&2
fi
exit $status
