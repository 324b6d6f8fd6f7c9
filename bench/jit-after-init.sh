#!/usr/bin/env bash
# What the JIT still compiles after MPI_Init's rehearsal: runs a program under mpi4jrun with -XX:+PrintCompilation
# (through a java wrapper, for this measurement only) and lists, per rank, the mpi4j methods C2 compiled after the
# rank's rehearsal report line: each is a stall of a core beside the program's first messages.
#
#   bench/jit-after-init.sh -n 2 -- java-args...     e.g.
#   bench/jit-after-init.sh -n 4 -- -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
#       io.mpi4j.bench.osu.Osu osu_allreduce -m 1:1024
# The whole log stays in $OUT (default bench/out/jit-after-init.log).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ranks=2
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    -n) ranks="$2"; shift 2 ;;
    *) echo "usage: $0 [-n N] -- java-args..." >&2; exit 2 ;;
  esac
done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: $0 [-n N] -- java-args..." >&2; exit 2; }
out="${OUT:-$here/out/jit-after-init.log}"
mkdir -p "$(dirname "$out")"
wrapper="$(mktemp -d)"
trap 'rm -rf "$wrapper"' EXIT
java_bin="$(readlink -f "$(command -v java)")"
printf '#!/bin/sh\nexec "%s" -XX:+PrintCompilation "$@"\n' "$java_bin" > "$wrapper/java"
chmod +x "$wrapper/java"
MPI4J_INIT_REHEARSAL_REPORT=1 "$here/../bin/mpi4jrun" -n "$ranks" --tag-output -x MPI4J_INIT_REHEARSAL_REPORT \
  "$wrapper/java" "$@" > "$out" 2>&1 || true
for ((r = 0; r < ranks; r++)); do
  awk -v tag="[1,$r]" 'index($0, tag) == 1 {
      if ($0 ~ /rehearsed MPI calls/) { after = 1; next }
      if (after && $0 ~ / (mpi|io\.mpi4j)\.[A-Za-z0-9_.$]+::/ && $0 !~ /made not entrant/) {
        for (i = 1; i <= NF; i++) if ($i == "4" && $(i + 1) ~ /::/) { n++; names = names " " $(i + 1) }
      }
    }
    END { print "rank " substr(tag, 4, length(tag) - 4) ": " n + 0 " mpi4j methods compiled by C2 after MPI_Init:" names }' "$out"
done
grep -h "rehearsed MPI calls" "$out" | sed 's/^\[[0-9,]*\]<stderr>: //' || true
