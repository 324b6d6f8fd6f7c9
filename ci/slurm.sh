#!/usr/bin/env bash
# A tiny Slurm cluster on this machine, over the network-namespace nodes of ci/netns.sh: one munged with a key of
# its own, one slurmctld (in the machine's network namespace, on the nodes' bridge address) and one slurmd per node
# (inside the node's namespace, NodeAddr = its address). Nothing of the machine's own Slurm or munge configuration
# is read or changed: everything lives under /run/mpi4j-slurm/<prefix>.
#
#   ci/slurm.sh up [NODES]   make the nodes (ci/netns.sh up NODES, default 3) and start the cluster; prints the
#                            environment to use it (eval it): SLURM_CONF and the nodes' (MPI4J_HOSTS_FILE, ...)
#   ci/slurm.sh down         cancel every job, stop the daemons, remove the nodes and the files
#
# MPI4J_NETNS_PREFIX and MPI4J_NETNS_SUBNET as for ci/netns.sh. Needs root and slurm-wlm + munge (ci/packages.sh:
# need_slurm_packages). Exits non-zero with the reason (and the daemons' logs) when the cluster does not come up.
set -euo pipefail

PREFIX="${MPI4J_NETNS_PREFIX:-mpi4j}"
SUBNET="${MPI4J_NETNS_SUBNET:-10.251.0}"
STATE="/run/mpi4j-slurm/$PREFIX"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export SLURM_CONF="$STATE/slurm.conf"
# Ports of this cluster: one set per subnet, so that two clusters of two prefixes can run side by side.
OCTET="${SUBNET##*.}"
CTLD_PORT=$((17000 + 2 * (OCTET % 1000)))
SLURMD_PORT=$((CTLD_PORT + 1))

die() {
  echo "ci/slurm.sh: $*" >&2
  exit 1
}

logs() {
  local log
  for log in "$STATE"/log/*.log; do
    [ -f "$log" ] || continue
    echo "--- $log (last lines)" >&2
    tail -n 15 "$log" >&2
  done
}

kill_pidfile() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  if [ -f "$SLURM_CONF" ] && command -v scancel >/dev/null 2>&1; then
    timeout 5 scancel --full --quiet --user=root 2>/dev/null || true
  fi
  # The nodes first: ci/netns.sh kills everything inside them (slurmd, slurmstepd, tasks, agents).
  MPI4J_NETNS_PREFIX="$PREFIX" MPI4J_NETNS_SUBNET="$SUBNET" bash "$HERE/netns.sh" down
  local file
  for file in "$STATE"/*.pid "$STATE"/munge/*.pid; do
    [ -e "$file" ] && kill_pidfile "$file"
  done
  rm -rf "$STATE"
  rmdir /run/mpi4j-slurm 2>/dev/null || true
}

write_config() {
  local count="$1" cpus i
  cpus="$(nproc)"
  cat >"$SLURM_CONF" <<EOF
# Written by ci/slurm.sh for the network-namespace nodes $PREFIX-n1..$PREFIX-n$count; removed by ci/slurm.sh down.
ClusterName=$PREFIX
SlurmctldHost=$PREFIX-ctl($SUBNET.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$STATE/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool/%n
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd-%n.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
# The nodes are namespaces of one machine: every one of them sees its CPUs; the configuration is what counts.
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# A task that dies ends its step, as mpi4jrun ends a job: without the launcher, a rank waiting for a message from a
# dead peer over shared memory would otherwise wait for ever (sites set this too; srun --kill-on-bad-exit=1 per job).
KillOnBadExit=1
# Short: a test waits for none of these.
KillWait=2
MinJobAge=2
MessageTimeout=10
SlurmdTimeout=30
InactiveLimit=0
UnkillableStepTimeout=10
EOF
  for i in $(seq 1 "$count"); do
    echo "NodeName=$PREFIX-n$i NodeAddr=$SUBNET.$((10 + i)) CPUs=$cpus State=UNKNOWN" >>"$SLURM_CONF"
  done
  echo "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO" >>"$SLURM_CONF"
}

up() {
  local count="${1:-3}" node i state
  [ "$(id -u)" -eq 0 ] || die "needs root"
  local tool
  for tool in slurmctld slurmd munged srun sinfo scancel; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found: install slurm-wlm and munge (ci/packages.sh)"
  done
  down
  trap 'status=$?; if [ "$status" -ne 0 ]; then echo "ci/slurm.sh: up failed; removing it" >&2; logs; down; fi' EXIT
  local netns_env
  netns_env="$(MPI4J_NETNS_PREFIX="$PREFIX" MPI4J_NETNS_SUBNET="$SUBNET" bash "$HERE/netns.sh" up "$count")"
  mkdir -p "$STATE/munge" "$STATE/munge-key" "$STATE/ctld" "$STATE/log"
  # Clients reach the socket through its directory; the key's directory is munged's alone.
  chmod 755 "$STATE/munge"
  chmod 700 "$STATE/munge-key"
  for i in $(seq 1 "$count"); do
    mkdir -p "$STATE/spool/$PREFIX-n$i"
  done
  # munge: a key of this cluster only, its own socket; munged runs as root here, which it allows with --force.
  head -c 1024 /dev/urandom >"$STATE/munge-key/munge.key"
  chmod 400 "$STATE/munge-key/munge.key"
  munged --force --key-file="$STATE/munge-key/munge.key" --socket="$STATE/munge/munge.socket" \
    --pid-file="$STATE/munge/munged.pid" --log-file="$STATE/log/munged.log" --seed-file="$STATE/munge/seed" \
    2>>"$STATE/log/munged.log"
  write_config "$count"
  # slurmctld takes itself for the controller when its host name is SlurmctldHost's: a UTS namespace of its own.
  unshare --uts sh -c 'hostname "$1" && exec slurmctld -c -f "$2"' slurmctld "$PREFIX-ctl" "$SLURM_CONF" \
    >>"$STATE/log/slurmctld.log" 2>&1
  for i in $(seq 1 "$count"); do
    node="$PREFIX-n$i"
    # nsenter, not ip netns exec: that mounts a sysfs of the namespace over /sys, which hides the cgroup
    # file systems slurmd insists on finding; the node's hosts file is bound over /etc/hosts here instead.
    nsenter --net="/run/netns/$node" unshare --uts --mount sh -c \
      'mount --bind "/etc/netns/$1/hosts" /etc/hosts && hostname "$1" && exec slurmd -f "$2" -N "$1"' slurmd \
      "$node" "$SLURM_CONF" >>"$STATE/log/slurmd-$node.log" 2>&1
  done
  # Up when every node is idle (registered, nothing running).
  for _ in $(seq 1 300); do
    state="$(timeout 5 sinfo -h -N -o '%T' 2>/dev/null | sort -u | paste -sd, - || true)"
    [ "$state" = idle ] && break
    sleep 0.1
  done
  [ "$state" = idle ] || die "the nodes did not become idle within 30 s (sinfo says: '${state:-nothing}')"
  trap - EXIT
  echo "$netns_env"
  echo "export SLURM_CONF=$SLURM_CONF"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) [ "$(id -u)" -eq 0 ] || die "needs root"; down ;;
  *) echo "usage: ci/slurm.sh up [NODES] | down" >&2; exit 2 ;;
esac
