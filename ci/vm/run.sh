#!/usr/bin/env bash
# Run a command in throw-away QEMU virtual machines that have a real kernel RDMA stack (Soft-RoCE device
# rxe0 on eth0), as root, in the current directory, seeing the host's files (JDK, Maven repository, jars,
# rdma-core) read-only under a writable tmpfs overlay. With --nodes 2 a second VM, node1, is reachable from
# node0 over ssh and RDMA. The command's stdout/stderr arrive on ours; our exit status is the command's.
#
# Usage: ci/vm/run.sh [options] -- COMMAND [ARG...]
#   --nodes N        1 or 2 VMs (default 1); node0 = 10.10.0.1, node1 = 10.10.0.2
#   --timeout S      kill the VMs and fail (exit 124) after S seconds (default 1800)
#   --workdir DIR    run the command in DIR (default: the current directory)
#   --rw DIR         make host directory DIR writable in the guests at the same path (repeatable); anything
#                    else the command writes is lost when the VM stops
#   --env NAME[=V]   pass NAME (from our environment, or =V) to the command (repeatable); PATH, JAVA_HOME,
#                    LANG, MAVEN_OPTS, JAVA_TOOL_OPTIONS and MPI4J_* pass by themselves
#   --mem SIZE       memory per VM (default 3G)   --smp N   vCPUs per VM (default 2)
#   --keep           keep the run directory (console logs) and print its path (or MPI4J_VM_KEEP=1)
# Exit status: the command's; 124 timeout; 125 the VM failed before reporting a status; 2 setup unavailable.
# Environment: MPI4J_VM_CACHE (see setup.sh), MPI4J_VM_VERBOSE=1 (copy the guests' consoles to stderr),
# MPI4J_VM_TRACE=1 (trace the guests' init on their consoles, with uptime stamps).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "ci/vm/run.sh: $*" >&2; }
die() { log "$*"; exit 125; }

NODES=1 TIMEOUT=1800 WORKDIR="$PWD" MEM=3G SMP=2 KEEP="${MPI4J_VM_KEEP:-}"
RW_DIRS=() ENV_NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --workdir) WORKDIR="$(cd "$2" && pwd)"; shift 2 ;;
    --rw) RW_DIRS+=("$(cd "$2" && pwd)"); shift 2 ;;
    --env) ENV_NAMES+=("$2"); shift 2 ;;
    --mem) MEM="$2"; shift 2 ;;
    --smp) SMP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) log "unknown option $1 (COMMAND goes after --)"; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { log "no command (usage: ci/vm/run.sh [options] -- COMMAND...)"; exit 2; }
case "$NODES" in 1|2) ;; *) log "--nodes must be 1 or 2"; exit 2 ;; esac

CACHE="${MPI4J_VM_CACHE:-${HOME:-/root}/.cache/mpi4j-vm}"
"$HERE/setup.sh" || { s=$?; log "setup failed (status $s)"; exit "$s"; }
# shellcheck source=/dev/null
. "$CACHE/current.env"

RUN="$(mktemp -d "${TMPDIR:-/tmp}/mpi4j-vm.XXXXXX")"
SHARE="$RUN/share"
mkdir -p "$SHARE/ssh"
PIDS=()
MAIN_PID=$$
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$KEEP" ]; then log "run directory kept: $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# What the guests read from the run directory.
cp "$HERE/guest-init.sh" "$SHARE/guest-init.sh"
printf '%s\n' "$MPI4J_VM_MODULES" > "$SHARE/modules-path"
ssh-keygen -q -t ed25519 -N '' -C mpi4j-vm -f "$SHARE/ssh/id_ed25519"
for n in $(seq 0 $((NODES - 1))); do
  ssh-keygen -q -t ed25519 -N '' -C "node$n" -f "$SHARE/ssh/host_ed25519.node$n"
done
cat > "$SHARE/ssh/sshd_config" <<'CONF'
ListenAddress 0.0.0.0
HostKey /run/mpi4j-ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile /root/.ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitUserEnvironment yes
AcceptEnv LANG LC_* MPI4J_*
UseDNS no
PidFile /run/sshd.pid
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server
CONF
cat > "$SHARE/ssh/client_config" <<'CONF'
Host *
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  IdentityFile /root/.ssh/id_ed25519
  ConnectTimeout 30
  ServerAliveInterval 10
  # Cheapest key exchange: the default post-quantum hybrid costs seconds under emulation.
  KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
  GSSAPIAuthentication no
CONF
{
  printf 'WORKDIR=%q\n' "$WORKDIR"
  printf 'TRACE=%q\n' "${MPI4J_VM_TRACE:-}"
  printf 'RW_DIRS=('; for d in "${RW_DIRS[@]}"; do printf '%q ' "$d"; done; printf ')\n'
} > "$SHARE/config"
# In a subshell: --env values must not reach QEMU's own environment.
(
PASS_NAMES=(HOME USER LOGNAME TERM)
export HOME=/root USER=root LOGNAME=root TERM=dumb
while IFS= read -r name; do PASS_NAMES+=("$name"); done \
  < <(compgen -e | grep -E '^(PATH|JAVA_HOME|LANG|LC_[A-Z]+|MAVEN_OPTS|JAVA_TOOL_OPTIONS|MPI4J_[A-Za-z0-9_]+)$' | grep -v '^MPI4J_VM_')
for e in "${ENV_NAMES[@]}"; do
  if [[ "$e" == *=* ]]; then export "${e%%=*}=${e#*=}"; PASS_NAMES+=("${e%%=*}")
  else export "$e=${!e-}"; PASS_NAMES+=("$e"); fi
done
: > "$SHARE/env"
: > "$SHARE/ssh/environment"
for name in "${PASS_NAMES[@]}"; do
  printf 'export %s=%q\n' "$name" "${!name}" >> "$SHARE/env"
  # sshd's environment file takes NAME=value lines, no quoting: commands started on a node over ssh
  # see what the command sees.
  [[ "${!name}" == *$'\n'* ]] || printf '%s=%s\n' "$name" "${!name}" >> "$SHARE/ssh/environment"
done
printf 'export WORKDIR=%q\n' "$WORKDIR" >> "$SHARE/env"
# Lets scripts tell that they run inside one of these VMs.
echo "export MPI4J_VM_GUEST=1" >> "$SHARE/env"
echo "MPI4J_VM_GUEST=1" >> "$SHARE/ssh/environment"
)
{ printf 'exec'; printf ' %q' "$@"; printf '\n'; } > "$SHARE/cmd"

# Serial ports 2 and 3 of node0 carry the command's stdout and stderr through FIFOs we copy to ours.
mkfifo "$RUN/out.in" "$RUN/out.out" "$RUN/err.in" "$RUN/err.out"
cat "$RUN/out.out" & PIDS+=($!)
cat "$RUN/err.out" >&2 & PIDS+=($!)
COPIERS=("${PIDS[@]}")

# Single-threaded TCG by default: with thread=multi, JIT-compiled Java code in the guest crashed now and then
# (SIGSEGV at the entry of a freshly patched compiled method, in JDK code as much as ours: HotSpot patches code
# that other vCPUs run, which multi-threaded TCG does not always see in time). MPI4J_VM_TCG_THREAD=multi is faster.
TCG_THREAD="${MPI4J_VM_TCG_THREAD:-single}"

qemu_cmd() {
  local node="$1"
  local args=(qemu-system-x86_64 -name "mpi4j-node$node" -nodefaults -no-user-config -display none -vga none
    -monitor none -no-reboot
    -machine pc -accel "tcg,thread=$TCG_THREAD" -cpu max -smp "$SMP" -m "$MEM"
    -kernel "$MPI4J_VM_KERNEL" -initrd "$MPI4J_VM_INITRD"
    -append "console=ttyS0 panic=-1 quiet loglevel=4 8250.nr_uarts=4 mitigations=off audit=0 random.trust_cpu=on mpi4j.node=$node mpi4j.nodes=$NODES mpi4j.subnet=${MPI4J_VM_SUBNET:-10.10.0}"
    -serial "file:$RUN/console.node$node"
    -device virtio-rng-pci
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
    -virtfs "local,path=$SHARE,mount_tag=mpi4jrun,security_model=none,multidevs=remap")
  local i
  for i in "${!RW_DIRS[@]}"; do
    args+=(-virtfs "local,path=${RW_DIRS[$i]},mount_tag=mpi4jrw$i,security_model=none,multidevs=remap")
  done
  if [ "$node" = 0 ]; then
    args+=(-chardev "pipe,id=out,path=$RUN/out" -serial chardev:out
           -chardev "pipe,id=err,path=$RUN/err" -serial chardev:err)
  fi
  if [ "$NODES" = 1 ]; then
    args+=(-netdev "hubport,id=net0,hubid=0")
  elif [ "$node" = 0 ]; then
    args+=(-netdev "stream,id=net0,server=on,addr.type=unix,addr.path=$RUN/net.sock")
  else
    args+=(-netdev "stream,id=net0,server=off,addr.type=unix,addr.path=$RUN/net.sock")
  fi
  args+=(-device "virtio-net-pci,netdev=net0,mac=52:54:00:4d:50:$(printf %02x $((node + 1)))")
  printf '%s\0' "${args[@]}"
}

start_node() {
  local node="$1" args=()
  mapfile -d '' args < <(qemu_cmd "$node")
  "${args[@]}" > "$RUN/qemu.node$node.log" 2>&1 &
  local qpid=$!
  PIDS+=("$qpid")
  eval "QEMU$node=$qpid"
  # Should this script be killed outright (no trap runs), the VM must not outlive it.
  ( trap - EXIT INT TERM
    while kill -0 "$qpid" 2>/dev/null; do
      kill -0 "$MAIN_PID" 2>/dev/null || { kill "$qpid" 2>/dev/null; sleep 3; kill -9 "$qpid" 2>/dev/null; exit 0; }
      sleep 2
    done ) > /dev/null 2>&1 &
  PIDS+=($!)
}

t_start=$(date +%s.%N)
deadline=$(( $(date +%s) + TIMEOUT ))
start_node 0
if [ "$NODES" = 2 ]; then
  # node1 connects to node0's network socket, which exists as soon as node0's QEMU is up.
  for _ in $(seq 1 100); do [ -S "$RUN/net.sock" ] && break; sleep 0.1; done
  [ -S "$RUN/net.sock" ] || die "node0's QEMU did not open its network socket: $(cat "$RUN/qemu.node0.log")"
  start_node 1
fi
if [ "${MPI4J_VM_VERBOSE:-}" = 1 ]; then
  for n in $(seq 0 $((NODES - 1))); do
    touch "$RUN/console.node$n"; tail -n +1 -f "$RUN/console.node$n" >&2 & PIDS+=($!)
  done
fi

elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}'; }
timed_out=
declare -A reported=()
while kill -0 "$QEMU0" 2>/dev/null; do
  for f in ready.node0 ready.node1 started.node0; do
    if [ -z "${reported[$f]:-}" ] && [ -f "$SHARE/$f" ]; then
      reported[$f]=1
      case "$f" in
        ready.*) log "${f#ready.} ready after $(elapsed) s" ;;
        started.*) [ "$NODES" = 1 ] || log "command started after $(elapsed) s" ;;
      esac
    fi
  done
  if [ "$NODES" = 2 ] && [ -z "${reported[node1-ended]:-}" ] && ! kill -0 "$QEMU1" 2>/dev/null; then
    reported[node1-ended]=1
    wait "$QEMU1"; s=$?
    log "node1's QEMU ended early (status $s): $(tail -n 5 "$RUN/qemu.node1.log" 2>/dev/null)"
    log "node1's console: $(tail -n 5 "$RUN/console.node1" 2>/dev/null)"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then timed_out=1; break; fi
  sleep 0.2
done
if [ -n "$timed_out" ]; then
  kill "$QEMU0" 2>/dev/null || true
fi
wait "$QEMU0" 2>/dev/null || true
[ "$NODES" = 2 ] && { kill "$QEMU1" 2>/dev/null || true; wait "$QEMU1" 2>/dev/null || true; }
# The copiers end when QEMU closes the FIFOs.
for pid in "${COPIERS[@]}"; do wait "$pid" 2>/dev/null || true; done

show_failure() {
  local n
  for n in $(seq 0 $((NODES - 1))); do
    [ -s "$SHARE/problems.node$n" ] && log "node$n problems: $(cat "$SHARE/problems.node$n")"
    log "last lines of node$n's console:"
    tail -n 30 "$RUN/console.node$n" 2>/dev/null | sed 's/^/  | /' >&2 || true
    [ -s "$RUN/qemu.node$n.log" ] && { log "node$n's QEMU said:"; sed 's/^/  | /' "$RUN/qemu.node$n.log" >&2; }
  done
}

if [ -n "$timed_out" ]; then
  log "TIMEOUT: the command did not finish within ${TIMEOUT}s; VMs killed"
  show_failure
  exit 124
fi
for n in $(seq 0 $((NODES - 1))); do
  [ -s "$SHARE/problems.node$n" ] && log "node$n: $(cat "$SHARE/problems.node$n")"
done
if [ ! -f "$SHARE/status.node0" ]; then
  log "FAILED: node0 stopped without reporting the command's exit status"
  show_failure
  exit 125
fi
status="$(cat "$SHARE/status.node0")"
log "command exited with status $status after $(elapsed) s in total"
exit "$status"
