#!/usr/bin/env bash
# Builds libdisni.so, mpi4j's implementation of DiSNI 2.1's JNI contract, from the C sources next to this script.
# Usage: build.sh JAVA_HOME OUTPUT_DIR      (Maven runs it in the compile phase of transport-rdma)
# Writes OUTPUT_DIR/linux-<arch>/libdisni.so. Fails with one clear line when gcc or the verbs headers are missing.
set -euo pipefail

java_home="${1:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
output_root="${2:?usage: build.sh JAVA_HOME OUTPUT_DIR}"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
install_hint="install them with: apt-get install -y gcc libibverbs-dev librdmacm-dev (ci/test.sh does this)"

# fail MESSAGE [HINT]: one line naming what is missing and how to get it.
fail() {
  echo "transport-rdma: cannot build libdisni: $1; ${2:-$install_hint}" >&2
  exit 1
}

case "$(uname -s)" in
  Linux) ;;
  *) fail "RDMA verbs need Linux, this is $(uname -s)" "build on Linux" ;;
esac
arch="$(uname -m)"
case "$arch" in
  x86_64|amd64) arch=x86_64 ;;
esac

cc="${CC:-gcc}"
command -v "$cc" >/dev/null 2>&1 || fail "'$cc' not found"

# The JDK's include dir: JAVA_HOME may be a JRE-style path inside the JDK on older layouts.
jni_include=""
for candidate in "$java_home/include" "$java_home/../include"; do
  if [ -f "$candidate/jni.h" ]; then jni_include="$(cd "$candidate" && pwd)"; break; fi
done
[ -n "$jni_include" ] || fail "jni.h not found under $java_home" "build with a JDK (e.g. openjdk-17-jdk-headless), not a JRE"

missing=""
for header in infiniband/verbs.h rdma/rdma_cma.h; do
  if ! printf '#include <%s>\n' "$header" | "$cc" -E -x c - >/dev/null 2>&1; then
    missing="$missing $header"
  fi
done
[ -z "$missing" ] || fail "missing header(s):$missing"

out_dir="$output_root/linux-$arch"
mkdir -p "$out_dir"
tmp="$out_dir/.libdisni.so.$$"
trap 'rm -f "$tmp"' EXIT

# -z defs: an unresolved verbs symbol fails here, not at System.loadLibrary time in a rank.
# -fvisibility=hidden: only the JNI entry points (JNIEXPORT) are exported.
"$cc" -shared -fPIC -O2 -g -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden \
  -I"$jni_include" -I"$jni_include/linux" \
  "$source_dir"/*.c -o "$tmp" \
  -Wl,-z,defs -Wl,--as-needed -libverbs -lrdmacm \
  || fail "gcc failed (see the errors above)"
mv -f "$tmp" "$out_dir/libdisni.so"
echo "transport-rdma: built $out_dir/libdisni.so"
