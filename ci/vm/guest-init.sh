#!/bin/bash
# Stage 2 of the mpi4j test VM: PID 1 after switch_root, the host's own bash on the host's root (9p,
# read-only) under a tmpfs overlay; the initramfs did the mounts, names, network and ssh files. run.sh copies
# this file into the run directory (/run/mpi4j). Adds the Soft-RoCE device rxe0 and starts sshd; node0 then
# waits for the other nodes, runs the command and writes its exit status into /run/mpi4j/status.node0.
# Every program started here runs from 9p under software emulation: use builtins where possible.
RUN=/run/mpi4j
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
read -r NODE NODES < /run/mpi4j-node
# shellcheck source=/dev/null
. "$RUN/config"
uptime_cs() { local u; read -r u _ < /proc/uptime; u=${u/./}; echo $((10#$u)); }
t0=$(uptime_cs)

if [ "${TRACE:-}" = 1 ]; then
  exec 2>/dev/console
  PS4='+ [${EPOCHREALTIME}] '
  set -x
fi

say() { echo "mpi4j-vm node$NODE: $*" > /dev/console; }
problem() { say "ERROR: $*"; echo "$*" >> "$RUN/problems.node$NODE"; }
poweroff_now() {
  sync
  echo o > /proc/sysrq-trigger
  sleep 10
}
trap poweroff_now EXIT

# Shares the host asked to be writable, at their own paths.
for i in "${!RW_DIRS[@]}"; do
  mkdir -p "${RW_DIRS[$i]}"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none "mpi4jrw$i" "${RW_DIRS[$i]}" \
    || problem "cannot mount writable share ${RW_DIRS[$i]}"
done

# rxe asks the crypto layer for crc32: the initramfs loaded crc32_generic before this.
rdma link add rxe0 type rxe netdev eth0 || problem "rdma link add rxe0 type rxe netdev eth0 failed"
ulimit -l unlimited
/usr/sbin/sshd -f /run/mpi4j-ssh/sshd_config || problem "sshd failed to start"

t1=$(uptime_cs)
echo "$t1" > "$RUN/ready.node$NODE"
say "ready after $((t1 / 100)).$((t1 % 100 / 10)) s of uptime (stage 2: $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s)"

if [ "$NODE" != 0 ]; then
  # Other nodes serve ssh until the host stops them.
  while :; do sleep 3600; done
fi

# node0: wait until every other node answers over ssh, then run the command.
# A connection costs seconds under emulation (sshd re-executes itself from 9p): generous ConnectTimeout.
wait_until=$(( $(uptime_cs) + ${NODE_WAIT:-300} * 100 ))
for ((n = 1; n < NODES; n++)); do
  ok=
  while [ "$(uptime_cs)" -lt "$wait_until" ]; do
    if [ -f "$RUN/ready.node$n" ] && ssh -o BatchMode=yes -o ConnectTimeout=30 "node$n" true 2>/dev/null; then
      ok=1; break
    fi
    sleep 1
  done
  [ -n "$ok" ] || problem "node$n did not answer over ssh"
done

: > "$RUN/started.node0"
# stdin is empty; stdout and stderr go to the serial ports the host reads. The subshell that runs the
# command holds the ports alone, so their last close waits until the UARTs have sent everything.
# Raw ports, set while this subshell holds them open (their termios do not outlive the last close): the
# output must arrive byte for byte, no CR added before LF.
STTY=stty; [ -x /bin/busybox ] && STTY="/bin/busybox stty"
(
  $STTY -F /dev/ttyS1 raw -echo -opost -onlcr
  $STTY -F /dev/ttyS2 raw -echo -opost -onlcr
  . "$RUN/env"; cd "$WORKDIR" || exit 126; exec bash "$RUN/cmd"
) < /dev/null > /dev/ttyS1 2> /dev/ttyS2
status=$?
echo "$status" > "$RUN/status.node0"
exit 0
