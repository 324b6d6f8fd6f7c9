#!/usr/bin/env bash
# Builds libmpi4jcma.so (process_vm_readv for the shared-memory transport's single copy) from the C source next to
# this script.
# Usage: build.sh JAVA_HOME OUTPUT_DIR [CC]   (Maven runs it in the compile phase of transport-shm)
# Writes OUTPUT_DIR/linux-<arch>/libmpi4jcma.so. Without a C compiler (or off Linux) it builds nothing and says so
# in one line, exit 0: large messages then go through the ring (two copies). A compiler error fails the build.
set -euo pipefail

java_home="${1:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
output_root="${2:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
cc="${3:-${CC:-gcc}}"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

skip() {
  echo "transport-shm: libmpi4jcma not built, large messages will take two copies through the ring: $1"
  exit 0
}

[ "$(uname -s)" = Linux ] || skip "process_vm_readv is Linux's, this is $(uname -s)"
arch="$(uname -m)"
case "$arch" in
  x86_64|amd64) arch=x86_64 ;;
esac
command -v "$cc" >/dev/null 2>&1 || skip "C compiler '$cc' not found (apt-get install -y gcc)"
[ -f "$java_home/include/jni.h" ] || skip "no jni.h under $java_home/include (a JDK, not a JRE, is needed)"

output="$output_root/linux-$arch"
mkdir -p "$output"
"$cc" -O2 -fPIC -shared -Wall -Wextra -Werror \
  -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$output/libmpi4jcma.so" "$source_dir/cross_memory.c"
echo "transport-shm: built $output/libmpi4jcma.so"
