#!/usr/bin/env bash
# Builds core's two JNI libraries from the C sources next to this script: libmpi4jreduce.so (vectorised reduction
# loops for long vectors, reduction_kernels.c) and libmpi4jcopy.so (large copies between native addresses,
# memory_copy.c).
# Usage: build.sh JAVA_HOME OUTPUT_DIR [CC]   (Maven runs it in the compile phase of core)
# Writes them to OUTPUT_DIR/linux-<arch>/. Without a C compiler (or off Linux) it builds nothing and says so in one
# line, exit 0: reductions then run in Java's loops, copies through Unsafe.copyMemory. A compiler error fails the
# build.
set -euo pipefail

java_home="${1:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
output_root="${2:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
cc="${3:-${CC:-gcc}}"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

skip() {
  echo "core: libmpi4jreduce and libmpi4jcopy not built, long reductions will run in Java's loops: $1"
  exit 0
}

[ "$(uname -s)" = Linux ] || skip "built for Linux only, this is $(uname -s)"
arch="$(uname -m)"
case "$arch" in
  x86_64|amd64) arch=x86_64 ;;
esac
command -v "$cc" >/dev/null 2>&1 || skip "C compiler '$cc' not found (apt-get install -y gcc)"
[ -f "$java_home/include/jni.h" ] || skip "no jni.h under $java_home/include (a JDK, not a JRE, is needed)"

output="$output_root/linux-$arch"
mkdir -p "$output"
# -O3 vectorises the loops; -fno-fast-math keeps every floating-point operation the one Java performs
compile() {
  local name="$1" source="$2"
  shift 2
  "$cc" -O3 -fno-fast-math -fPIC -shared -Wall -Wextra -Werror "$@" \
    -I"$java_home/include" -I"$java_home/include/linux" \
    -o "$output/lib$name.so" "$source_dir/$source"
}
# a C library without ifunc (musl) cannot choose a clone at load time: then the baseline loops only
compile mpi4jreduce reduction_kernels.c 2>/dev/null || compile mpi4jreduce reduction_kernels.c -DMPI4J_NO_TARGET_CLONES
echo "core: built $output/libmpi4jreduce.so"
compile mpi4jcopy memory_copy.c
echo "core: built $output/libmpi4jcopy.so"
