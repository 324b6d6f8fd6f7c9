#!/usr/bin/env bash
# perftest (ib_send_lat, ib_write_bw; with --rma also ib_write_lat, ib_read_lat) on the Soft-RoCE device rxe0 of
# the CI VMs: the reference the mpi4j RDMA benchmarks are compared with, measured on the same device in the same run.
#
# Usage: ci/vm/perftest.sh [--nodes 1|2] [--sizes "8 1024 65536"] [--iters N] [--bw-iters N] [--rma]
# On the host it boots the VM(s) through run.sh and runs itself inside; inside a VM (MPI4J_VM_GUEST=1) it
# measures directly: with one node server and client share rxe0 over eth0's IP (loopback inside rxe),
# with two the server runs on node1.
# Prints one line per size, tab-separated:
#   size_bytes  send_lat_typical_us  send_lat_avg_us  send_lat_p99_us  write_bw_avg_MBps  write_bw_peak_MBps
# (perftest's MB/sec = 2^20 bytes per second). --rma appends six columns, the references of MPI put and get latency:
#   write_lat_typical_us  write_lat_avg_us  write_lat_p99_us  read_lat_typical_us  read_lat_avg_us  read_lat_p99_us
# (ib_write_lat, like ib_send_lat, is a ping-pong and reports half the round trip; ib_read_lat reports the whole
# time from posting a READ to its completion, as perftest does for READ). Lat iterations: --iters for all three.
# Exit status non-zero when a measurement failed.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

NODES=1 SIZES="8 64 1024 4096 65536 1048576" ITERS=1000 BW_ITERS='' RMA=0
ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --iters) ITERS="$2"; shift 2 ;;
    --bw-iters) BW_ITERS="$2"; shift 2 ;;
    --rma) RMA=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "perftest.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "${MPI4J_VM_GUEST:-}" != 1 ]; then
  exec "$HERE/run.sh" --nodes "$NODES" --timeout "${MPI4J_VM_PERFTEST_TIMEOUT:-1800}" -- "$HERE/perftest.sh" "${ARGS[@]}"
fi

DEV=rxe0 GID=1
if [ "$NODES" = 2 ]; then SERVER_HOST=node1; else SERVER_HOST=$(hostname); fi
LOGDIR=$(mktemp -d /tmp/perftest.XXXXXX)
port=18515

# Starts the server (on node1 through ssh, or here), then the client until the server listens (slow VMs:
# a fixed sleep is not enough). Prints the client's output file name.
measure() {
  local name="$1"; shift
  port=$((port + 1))
  local srv="$LOGDIR/$name.server" cli="$LOGDIR/$name.client"
  if [ "$NODES" = 2 ]; then
    ssh -o BatchMode=yes node1 "$* -p $port" > "$srv" 2>&1 &
  else
    "$@" -p "$port" > "$srv" 2>&1 &
  fi
  local spid=$! ok=
  for _ in $(seq 1 60); do
    sleep 0.5
    if "$@" -p "$port" "$SERVER_HOST" > "$cli" 2>&1; then ok=1; break; fi
    grep -q "Couldn't connect\|Unable to init the socket" "$cli" || break
  done
  if [ -z "$ok" ]; then kill "$spid" 2>/dev/null; fi
  wait "$spid" 2>/dev/null
  if [ -z "$ok" ]; then
    echo "perftest.sh: $name failed:" >&2; sed 's/^/  | /' "$cli" "$srv" >&2
    return 1
  fi
  echo "$cli"
}

# The data line of perftest's result table: the line after the one starting with " #bytes".
result_line() { awk '/^ *#bytes/{getline; print; exit}' "$1"; }

status=0
echo "# perftest on $DEV, GID index $GID, client $(hostname) -> server $SERVER_HOST; lat iterations $ITERS"
printf 'size_bytes\tsend_lat_typical_us\tsend_lat_avg_us\tsend_lat_p99_us\twrite_bw_avg_MBps\twrite_bw_peak_MBps'
if [ "$RMA" = 1 ]; then
  printf '\twrite_lat_typical_us\twrite_lat_avg_us\twrite_lat_p99_us\tread_lat_typical_us\tread_lat_avg_us\tread_lat_p99_us'
fi
printf '\n'
for size in $SIZES; do
  lat=(- - - - - - - -) bw=(- - - -)
  if out=$(measure "send_lat_$size" ib_send_lat -d "$DEV" -x "$GID" -F -s "$size" -n "$ITERS"); then
    read -r -a lat <<< "$(result_line "$out")"
  else status=1; fi
  # Bandwidth: enough iterations to fill the pipe, few enough that large sizes finish under emulation.
  n=${BW_ITERS:-$(( size >= 65536 ? (size >= 1048576 ? 200 : 1000) : 5000 ))}
  if out=$(measure "write_bw_$size" ib_write_bw -d "$DEV" -x "$GID" -F -s "$size" -n "$n"); then
    read -r -a bw <<< "$(result_line "$out")"
  else status=1; fi
  # send_lat columns: bytes iters t_min t_max t_typical t_avg t_stdev p99 p99.9; write_bw: bytes iters peak avg rate
  printf '%s\t%s\t%s\t%s\t%s\t%s' "$size" "${lat[4]:--}" "${lat[5]:--}" "${lat[7]:--}" "${bw[3]:--}" "${bw[2]:--}"
  if [ "$RMA" = 1 ]; then
    # ib_write_lat and ib_read_lat print the same columns as ib_send_lat
    wlat=(- - - - - - - -) rlat=(- - - - - - - -)
    if out=$(measure "write_lat_$size" ib_write_lat -d "$DEV" -x "$GID" -F -s "$size" -n "$ITERS"); then
      read -r -a wlat <<< "$(result_line "$out")"
    else status=1; fi
    if out=$(measure "read_lat_$size" ib_read_lat -d "$DEV" -x "$GID" -F -s "$size" -n "$ITERS"); then
      read -r -a rlat <<< "$(result_line "$out")"
    else status=1; fi
    printf '\t%s\t%s\t%s\t%s\t%s\t%s' "${wlat[4]:--}" "${wlat[5]:--}" "${wlat[7]:--}" \
      "${rlat[4]:--}" "${rlat[5]:--}" "${rlat[7]:--}"
  fi
  printf '\n'
done
rm -rf "$LOGDIR"
exit $status
