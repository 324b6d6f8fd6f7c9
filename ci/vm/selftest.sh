#!/usr/bin/env bash
# Proves the VM harness: rxe0 exists, perftest works over it in one VM (loopback over eth0's IP) and
# between two VMs, ssh between the nodes works, and the host's JDK runs in the guest.
# Exit status 0 when all pass, 1 when one fails, 2 when setup.sh says the VMs cannot be had here (skip).
# Prints "N passed, N failed" at the end.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/setup.sh" || { s=$?; [ "$s" = 2 ] && echo "ci/vm/selftest.sh: SKIPPED: VMs unavailable here (see above)"; exit "$s"; }

passed=0 failed=0
check() {
  local name="$1"; shift
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then passed=$((passed + 1)); echo "=== $name: PASS ($((SECONDS - t0)) s)"
  else failed=$((failed + 1)); echo "=== $name: FAIL ($((SECONDS - t0)) s)"; fi
}

# Client until the server listens: the VMs are too slow for a fixed sleep.
PERF_LOOP='for i in $(seq 30); do sleep 1; ib_send_lat -d rxe0 -x 1 -n 200 "$1" > /tmp/cli.log 2>&1 && { cat /tmp/cli.log; exit 0; }; done; cat /tmp/cli.log; exit 1'

one_node() {
  "$HERE/run.sh" --timeout 600 -- bash -c '
    set -e
    ibv_devices | grep rxe0 >/dev/null || { echo "no rxe0"; exit 1; }
    java -version 2>&1 | sed -n 1p
    ib_send_lat -d rxe0 -x 1 -n 200 > /tmp/srv.log 2>&1 &
    bash -c "$0" perf 10.10.0.1 | grep -A1 "#bytes"
    wait' "$PERF_LOOP"
}

two_nodes() {
  "$HERE/run.sh" --nodes 2 --timeout 900 -- bash -c '
    set -e
    [ "$(ssh -o BatchMode=yes node1 hostname)" = node1 ] || { echo "ssh node1 failed"; exit 1; }
    ssh node1 ibv_devices | grep rxe0 >/dev/null || { echo "no rxe0 on node1"; exit 1; }
    ssh node1 ib_send_lat -d rxe0 -x 1 -n 200 > /tmp/srv.log 2>&1 &
    bash -c "$0" perf node1 | grep -A1 "#bytes"
    wait' "$PERF_LOOP"
}

check "one VM: rxe0, java, ib_send_lat loopback over eth0" one_node
check "two VMs: ssh node1, ib_send_lat node0 -> node1" two_nodes
echo "ci/vm/selftest.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
