#!/usr/bin/env bash
# Nodes of a multi-node job on this one machine, as Linux network namespaces: each node is a namespace with its own
# network stack (one veth link into a bridge of the machine, an address on one subnet), its own host name (the
# agent gives every process it starts a UTS namespace named after the node, see ci/netns-agent.sh) and its own
# /etc/hosts that names every node. Processes stay in the machine's PID, mount and IPC namespaces, so the launcher
# sees and kills them as usual, but the ranks of two nodes have different node ids and talk TCP, not shared memory.
#
#   ci/netns.sh up [NODES]   make NODES nodes (default 3): <prefix>-n1 .. <prefix>-nNODES; prints the environment
#                            to use them (eval it): MPI4J_HOSTS_FILE, MPI4J_NETNS_AGENT, MPI4J_NETNS_NODES
#   ci/netns.sh down         kill what runs in the nodes and remove them, their links, the bridge and the files
#   ci/netns.sh status       the nodes and their addresses
#   ci/netns.sh sweep        remove the sets of test runs that died before removing them (see sweep below)
#
# MPI4J_NETNS_PREFIX (default mpi4j) names the set, so that two sets can coexist; MPI4J_NETNS_SUBNET (default
# 10.251.0) is the /24 they live on: the machine has .1 on the bridge, node i has .(10+i).
# Needs root, iproute2 and util-linux (unshare). Exits non-zero with the reason when it cannot make the nodes (and
# leaves nothing half made).
set -euo pipefail

PREFIX="${MPI4J_NETNS_PREFIX:-mpi4j}"
SUBNET="${MPI4J_NETNS_SUBNET:-10.251.0}"
STATE="/run/mpi4j-netns/$PREFIX"
BRIDGE="$PREFIX-br"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
  echo "ci/netns.sh: $*" >&2
  exit 1
}

check() {
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, veth links, a bridge)"
  command -v ip >/dev/null 2>&1 || die "needs iproute2 (ip)"
  command -v unshare >/dev/null 2>&1 || die "needs util-linux (unshare)"
  # Interface names have at most 15 bytes: "<prefix>-v<i>" and "<prefix>-br".
  [ "${#PREFIX}" -le 10 ] || die "MPI4J_NETNS_PREFIX '$PREFIX' is longer than 10 characters"
  [[ "$SUBNET" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "MPI4J_NETNS_SUBNET '$SUBNET' is not the first three bytes of an IPv4 /24"
}

# Nodes of this set that exist now.
nodes() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$PREFIX-n[0-9]+\$" | sort -V || true
}

down() {
  local node pids
  for node in $(nodes); do
    # The agent and its ranks: nothing of a node outlives it.
    pids="$(ip netns pids "$node" 2>/dev/null || true)"
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
    fi
    ip netns delete "$node" 2>/dev/null || true
    rm -rf "/etc/netns/$node"
  done
  # A veth goes with its namespace; the bridge does not.
  ip link delete "$BRIDGE" 2>/dev/null || true
  rm -rf "$STATE"
  rmdir /run/mpi4j-netns /etc/netns 2>/dev/null || true
}

# Sets left by test JVMs that died before tearing them down (named m4j<pid>/m4s<pid> by ci/.../NetnsFixture):
# each one whose JVM is gone is removed, with its Slurm cluster if it has one.
sweep() {
  local dir prefix pid
  for dir in /run/mpi4j-netns/* /run/mpi4j-slurm/*; do
    [ -d "$dir" ] || continue
    prefix="$(basename "$dir")"
    [[ "$prefix" =~ ^m4[js]([0-9]+)$ ]] || continue
    pid="${BASH_REMATCH[1]}"
    # The set is named after pid % 100000: a live JVM whose pid ends so may own it; leave it alone.
    if ps -eo pid= | awk '{print $1 % 100000}' | grep -qx "$pid"; then
      continue
    fi
    echo "ci/netns.sh: removing $prefix, left by a test run that is gone" >&2
    if [ -d "/run/mpi4j-slurm/$prefix" ]; then
      MPI4J_NETNS_PREFIX="$prefix" bash "$HERE/slurm.sh" down || true
    fi
    MPI4J_NETNS_PREFIX="$prefix" bash "$HERE/netns.sh" down || true
  done
}

up() {
  local count="${1:-3}" i node address
  [[ "$count" =~ ^[1-9][0-9]?$ ]] && [ "$count" -le 40 ] || die "up: '$count' is not a node count (1..40)"
  check
  down
  trap 'status=$?; [ "$status" -eq 0 ] || { echo "ci/netns.sh: up failed; removing what was made" >&2; down; }' EXIT
  mkdir -p "$STATE"
  {
    echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    echo "$SUBNET.1 $PREFIX-gw"
    for i in $(seq 1 "$count"); do
      echo "$SUBNET.$((10 + i)) $PREFIX-n$i"
    done
  } >"$STATE/hosts"
  ip link add "$BRIDGE" type bridge forward_delay 0 stp_state 0
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for i in $(seq 1 "$count"); do
    node="$PREFIX-n$i"
    address="$SUBNET.$((10 + i))"
    ip netns add "$node"
    # ip netns exec bind-mounts these over /etc/hosts and /etc/resolv.conf: every node resolves every node by
    # name at once, and asks no DNS server it could not reach anyway (no route leaves the subnet).
    mkdir -p "/etc/netns/$node"
    cp "$STATE/hosts" "/etc/netns/$node/hosts"
    : >"/etc/netns/$node/resolv.conf"
    ip link add "$PREFIX-v$i" type veth peer name eth0 netns "$node"
    ip link set "$PREFIX-v$i" master "$BRIDGE" up
    ip -n "$node" link set lo up
    ip -n "$node" addr add "$address/24" dev eth0
    ip -n "$node" link set eth0 up
  done
  # A bridge port forwards only once its state says so (no STP and no delay here, but it is not instant).
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 50); do
      [ "$(cat "/sys/class/net/$PREFIX-v$i/brport/state" 2>/dev/null)" = 3 ] && break
      sleep 0.1
    done
  done
  trap - EXIT
  echo "export MPI4J_HOSTS_FILE=$STATE/hosts"
  echo "export MPI4J_NETNS_AGENT=$HERE/netns-agent.sh"
  echo "export MPI4J_NETNS_NODES=$(nodes | paste -sd, -)"
}

status() {
  local node
  for node in $(nodes); do
    echo "$node $(ip -n "$node" -4 -br addr show eth0 | awk '{print $3}') processes: $(ip netns pids "$node" | wc -l)"
  done
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) check; down ;;
  status) status ;;
  sweep) check; sweep ;;
  *) echo "usage: ci/netns.sh up [NODES] | down | status | sweep" >&2; exit 2 ;;
esac
