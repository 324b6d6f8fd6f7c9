#!/usr/bin/env bash
# Builds libdisni.so, mpi4j's implementation of DiSNI 2.1's JNI contract, from the C sources next to this script.
# Usage: build.sh JAVA_HOME OUTPUT_DIR [CC] [INCLUDE_DIR]   (Maven runs it in the compile phase of transport-rdma)
#   CC           the C compiler (default: $CC, else gcc)
#   INCLUDE_DIR  where infiniband/verbs.h and rdma/rdma_cma.h are (default "system": the compiler's own search path)
# Writes OUTPUT_DIR/linux-<arch>/libdisni.so. Without a compiler or the rdma-core headers (or off Linux) it builds
# nothing and says so in one line, exit 0: the jar then has no libdisni and the RDMA transport reports itself
# unavailable at run time. A compiler error fails the build.
set -euo pipefail

java_home="${1:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
output_root="${2:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
cc="${3:-${CC:-gcc}}"
include_dir="${4:-system}"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
install_hint="install them with: apt-get install -y gcc libibverbs-dev librdmacm-dev (ci/test.sh does this)"

# fail MESSAGE: the build itself went wrong.
fail() {
  echo "transport-rdma: cannot build libdisni: $1" >&2
  exit 1
}

# skip MESSAGE [HINT]: one line naming what is missing and how to get it; no libdisni, no failure.
skip() {
  echo "transport-rdma: libdisni not built, the RDMA transport will be unavailable: $1; ${2:-$install_hint}"
  exit 0
}

case "$(uname -s)" in
  Linux) ;;
  *) skip "RDMA verbs need Linux, this is $(uname -s)" "build on Linux" ;;
esac
arch="$(uname -m)"
case "$arch" in
  x86_64|amd64) arch=x86_64 ;;
esac

command -v "$cc" >/dev/null 2>&1 || skip "C compiler '$cc' not found"

# The JDK's include dir: JAVA_HOME may be a JRE-style path inside the JDK on older layouts.
jni_include=""
for candidate in "$java_home/include" "$java_home/../include"; do
  if [ -f "$candidate/jni.h" ]; then jni_include="$(cd "$candidate" && pwd)"; break; fi
done
[ -n "$jni_include" ] || skip "jni.h not found under $java_home" "build with a JDK (e.g. openjdk-17-jdk-headless), not a JRE"

include_flags=()
missing=""
for header in infiniband/verbs.h rdma/rdma_cma.h; do
  if [ "$include_dir" != system ]; then
    [ -f "$include_dir/$header" ] || missing="$missing $include_dir/$header"
  elif ! printf '#include <%s>\n' "$header" | "$cc" -E -x c - >/dev/null 2>&1; then
    missing="$missing $header"
  fi
done
[ -z "$missing" ] || skip "missing header(s):$missing"
[ "$include_dir" = system ] || include_flags=(-I"$include_dir")

out_dir="$output_root/linux-$arch"
mkdir -p "$out_dir"
tmp="$out_dir/.libdisni.so.$$"
trap 'rm -f "$tmp"' EXIT

# -z defs: an unresolved verbs symbol fails here, not at System.loadLibrary time in a rank.
# -fvisibility=hidden: only the JNI entry points (JNIEXPORT) are exported.
"$cc" -shared -fPIC -O2 -g -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden \
  -I"$jni_include" -I"$jni_include/linux" ${include_flags[@]+"${include_flags[@]}"} \
  "$source_dir"/*.c -o "$tmp" \
  -Wl,-z,defs -Wl,--as-needed -libverbs -lrdmacm \
  || fail "gcc failed (see the errors above)"
mv -f "$tmp" "$out_dir/libdisni.so"
echo "transport-rdma: built $out_dir/libdisni.so"
