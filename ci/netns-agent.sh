#!/usr/bin/env bash
# The rsh agent of the network-namespace nodes of ci/netns.sh, used as `mpi4jrun --rsh-agent ci/netns-agent.sh`:
# called as ssh would be (HOST COMMAND), it runs COMMAND with sh inside the node HOST (its network namespace) and
# in a UTS namespace of its own whose host name is HOST, as a login on that host would. No sshd, no keys.
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: netns-agent.sh HOST COMMAND..." >&2
  exit 255
fi
host="$1"
shift
if [ ! -e "/run/netns/$host" ]; then
  # ssh's status when it cannot reach the host.
  echo "netns-agent.sh: no node named '$host' (no network namespace of that name; ci/netns.sh up makes them)" >&2
  exit 255
fi
# The remote command is one shell command line, as ssh passes it: the words after HOST joined by spaces.
exec ip netns exec "$host" unshare --uts sh -c 'hostname "$1" && exec sh -c "$2"' netns-agent "$host" "$*"
