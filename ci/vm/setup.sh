#!/usr/bin/env bash
# Prepare everything ci/vm/run.sh needs to boot throw-away virtual machines with a real kernel RDMA stack
# (Soft-RoCE, rdma_rxe): QEMU and the guest-side tools from Debian's packages, Debian's stock kernel
# unpacked into a cache (never installed on the host), and a small busybox initramfs holding the modules
# that have to be loaded before the host's root is mounted over 9p.
#
# Idempotent: a second run only checks and prints the cache directory. Exit status 0 when the VM can be
# booted; 2 when a prerequisite cannot be installed here (not root, no apt-get, package not found): callers
# that must skip say so with the message printed on stderr.
#
# Usage: ci/vm/setup.sh [--print-cache]
# Environment: MPI4J_VM_CACHE (default $HOME/.cache/mpi4j-vm), MPI4J_VM_KERNEL_PKG (default: the version
# Debian's linux-image-amd64 depends on).
set -euo pipefail

CACHE="${MPI4J_VM_CACHE:-${HOME:-/root}/.cache/mpi4j-vm}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "ci/vm/setup.sh: $*" >&2; }
unavailable() { log "UNAVAILABLE: $*"; exit 2; }

# Host programs the harness or the guest (which runs the host's root read-only) uses, and their packages.
PACKAGES=(qemu-system-x86 qemu-utils busybox-static cpio kmod iproute2 procps
          openssh-server openssh-client
          rdma-core ibverbs-utils rdmacm-utils perftest ibverbs-providers libibverbs1 librdmacm1)
CHECK_FILES=(/usr/bin/qemu-system-x86_64 /bin/busybox /usr/bin/cpio /sbin/depmod /sbin/modprobe /usr/sbin/ip
             /usr/bin/rdma /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen /usr/bin/ibv_devices
             /usr/bin/ib_send_lat /usr/bin/rping /usr/bin/pkill)

install_packages() {
  local missing=() f pkg
  for f in "${CHECK_FILES[@]}"; do [ -e "$f" ] || missing+=("$f"); done
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "missing: ${missing[*]}"
  command -v apt-get >/dev/null 2>&1 || unavailable "apt-get not found; install: ${PACKAGES[*]}"
  [ "$(id -u)" -eq 0 ] || unavailable "not root; install as root: ${PACKAGES[*]}"
  if [ ! -f /var/lib/apt/periodic/mpi4j-vm-updated ] || ! apt-get install -y --no-install-recommends -s "${PACKAGES[@]}" >/dev/null 2>&1; then
    apt-get update -qq >&2 || unavailable "apt-get update failed"
    mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/mpi4j-vm-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${PACKAGES[@]}" >&2 \
    || unavailable "apt-get install ${PACKAGES[*]} failed"
  # The host needs no ssh daemon of its own; the guests start theirs by hand.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now ssh >/dev/null 2>&1 || true
  fi
}

kernel_package() {
  if [ -n "${MPI4J_VM_KERNEL_PKG:-}" ]; then echo "$MPI4J_VM_KERNEL_PKG"; return; fi
  local pkg
  pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ && !found {print $2; found = 1}')"
  if [ -z "$pkg" ]; then
    apt-get update -qq >&2 || true
    pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ && !found {print $2; found = 1}')"
  fi
  [ -n "$pkg" ] || unavailable "cannot resolve the kernel package linux-image-amd64 depends on"
  echo "$pkg"
}

# Debian's kernel, unpacked, with modules.dep (generated here if the package lacks it).
fetch_kernel() {
  local pkg="$1" dir="$CACHE/$pkg"
  if [ -f "$dir/.complete" ]; then return 0; fi
  log "fetching $pkg (not installed on the host, unpacked into $dir)"
  rm -rf "$dir" "$CACHE/download"
  mkdir -p "$CACHE/download" "$dir"
  ( cd "$CACHE/download" && apt-get download -qq "$pkg" >&2 ) \
    || { apt-get update -qq >&2 || true; ( cd "$CACHE/download" && apt-get download -qq "$pkg" >&2 ); } \
    || unavailable "apt-get download $pkg failed"
  dpkg-deb -x "$CACHE"/download/"$pkg"_*.deb "$dir/root"
  local kver
  kver="$(ls "$dir/root/lib/modules" | sed -n 1p)"
  [ -f "$dir/root/boot/vmlinuz-$kver" ] || unavailable "no vmlinuz in $pkg"
  if [ ! -s "$dir/root/lib/modules/$kver/modules.dep" ]; then
    depmod -b "$dir/root" "$kver"
  fi
  echo "$kver" > "$dir/kver"
  rm -rf "$CACHE/download"
  touch "$dir/.complete"
}

# Module file names (relative to lib/modules/KVER) for the given module names, dependencies first, once each.
resolve_modules() {
  local moddir="$1"; shift
  python3 - "$moddir" "$@" <<'PY' 2>/dev/null || resolve_modules_awk "$moddir" "$@"
import sys, os
moddir, wanted = sys.argv[1], sys.argv[2:]
deps, byname, aliases = {}, {}, {}
for line in open(os.path.join(moddir, "modules.dep")):
    path, _, rest = line.strip().partition(":")
    deps[path] = rest.split()
    base = os.path.basename(path).split(".ko")[0]
    byname[base] = path
    byname[base.replace("-", "_")] = path
for line in open(os.path.join(moddir, "modules.alias")):
    parts = line.split()
    if len(parts) == 3 and parts[0] == "alias":
        aliases.setdefault(parts[1], parts[2])
builtin = set()
if os.path.exists(os.path.join(moddir, "modules.builtin")):
    for line in open(os.path.join(moddir, "modules.builtin")):
        builtin.add(os.path.basename(line.strip()).split(".ko")[0].replace("-", "_"))
order, seen = [], set()
def visit(path):
    if path in seen: return
    seen.add(path)
    for d in deps.get(path, []): visit(d)
    order.append(path)
for name in wanted:
    optional = name.startswith("?")
    name = name.lstrip("?")
    key = name.replace("-", "_")
    path = byname.get(name) or byname.get(key)
    if path is None and name in aliases:
        path = byname.get(aliases[name]) or byname.get(aliases[name].replace("-", "_"))
    if path is None:
        if key in builtin or (name in aliases and aliases[name].replace("-", "_") in builtin):
            continue
        if optional: continue
        print("no module " + name, file=sys.stderr); sys.exit(3)
    visit(path)
print("\n".join(order))
PY
}

# Fallback without python: plain modules.dep lines are already in load order reversed.
resolve_modules_awk() {
  local moddir="$1"; shift
  local name path
  for name in "$@"; do
    case "$name" in \?*) name="${name#\?}" ;; esac
    path="$(grep -E "/${name//_/[_-]}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | sed -n 1p)" || true
    [ -n "$path" ] || { grep -qE "/${name//_/[_-]}\.ko" "$moddir/modules.builtin" 2>/dev/null && continue; }
    [ -n "$path" ] || { log "no module $name"; return 3; }
    # shellcheck disable=SC2001
    echo "$path" | sed 's/^[^:]*: *//' | tr ' ' '\n' | tac | grep -v '^$' || true
    echo "${path%%:*}"
  done | awk '!seen[$0]++'
}

# Modules loaded by the initramfs, in this order (dependencies are added): the devices and file systems that
# carry the root, then the RDMA stack. crc32_generic must be in before `rdma link add` (rxe asks the crypto
# layer for "crc32", and the kernel's own request_module would need a modprobe).
BOOT_MODULES=(virtio_pci virtio_net virtio_rng 9pnet_virtio 9p overlay
              crc32_generic ?crc32-pclmul ?virtio_console
              rdma_rxe ib_uverbs rdma_ucm rdma_cm ib_cm iw_cm ib_core)

build_initramfs() {
  local kdir="$1" kver="$2" out="$3"
  local moddir="$kdir/root/lib/modules/$kver"
  local stamp
  stamp="$(cat "$HERE/initramfs-init.sh" /bin/busybox | sha256sum | cut -c1-16)-${BOOT_MODULES[*]// /_}"
  if [ -f "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  log "building initramfs $out"
  local tmp
  tmp="$(mktemp -d "$CACHE/initramfs.XXXXXX")"
  mkdir -p "$tmp"/{bin,sbin,dev,proc,sys,newroot,lower,rw,lib/modules}
  cp /bin/busybox "$tmp/bin/busybox"
  local list
  list="$(resolve_modules "$moddir" "${BOOT_MODULES[@]}")" || unavailable "cannot resolve boot modules in $moddir"
  : > "$tmp/lib/modules/load-order"
  local rel
  while IFS= read -r rel; do
    [ -n "$rel" ] || continue
    local f="$moddir/$rel"
    [ -f "$f" ] || unavailable "missing $f"
    local base
    base="$(basename "$rel")"
    case "$base" in
      *.ko.xz) xz -dc "$f" > "$tmp/lib/modules/${base%.xz}"; base="${base%.xz}" ;;
      *.ko.zst) zstd -qdc "$f" > "$tmp/lib/modules/${base%.zst}"; base="${base%.zst}" ;;
      *.ko.gz) gzip -dc "$f" > "$tmp/lib/modules/${base%.gz}"; base="${base%.gz}" ;;
      *) cp "$f" "$tmp/lib/modules/$base" ;;
    esac
    echo "$base" >> "$tmp/lib/modules/load-order"
  done <<< "$list"
  cp "$HERE/initramfs-init.sh" "$tmp/init"
  chmod 755 "$tmp/init"
  echo "$kver" > "$tmp/kver"
  ( cd "$tmp" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1 ) > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "$stamp" > "$out.stamp"
  rm -rf "$tmp"
}

# QEMU boots an uncompressed vmlinux through its PVH entry point: under software emulation this saves the
# tens of seconds the bzImage spends decompressing itself (XZ). Falls back to the bzImage.
extract_vmlinux() {
  local kdir="$1" kver="$2"
  local out="$kdir/vmlinux-$kver"
  [ -s "$out" ] && { echo "$out"; return; }
  if grep -q '^CONFIG_PVH=y' "$kdir/root/boot/config-$kver" 2>/dev/null && python3 - "$kdir/root/boot/vmlinuz-$kver" "$out.tmp" <<'PY' 2>/dev/null
import sys, lzma, zlib
data = open(sys.argv[1], "rb").read()
i = data.find(b"\xfd7zXZ\x00")
if i < 0: sys.exit(1)
out = lzma.LZMADecompressor().decompress(data[i:])
if out[:4] != b"\x7fELF": sys.exit(1)
open(sys.argv[2], "wb").write(out)
PY
  then
    mv "$out.tmp" "$out"; echo "$out"
  else
    rm -f "$out.tmp"; echo "$kdir/root/boot/vmlinuz-$kver"
  fi
}

main() {
  install_packages
  mkdir -p "$CACHE"
  local pkg kdir kver
  pkg="$(kernel_package)"
  kdir="$CACHE/$pkg"
  fetch_kernel "$pkg"
  kver="$(cat "$kdir/kver")"
  build_initramfs "$kdir" "$kver" "$kdir/initramfs.cpio.gz"
  # One small file tells run.sh where everything is.
  {
    echo "MPI4J_VM_KVER=$kver"
    echo "MPI4J_VM_KERNEL=$(extract_vmlinux "$kdir" "$kver")"
    echo "MPI4J_VM_INITRD=$kdir/initramfs.cpio.gz"
    echo "MPI4J_VM_MODULES=$kdir/root/lib/modules/$kver"
  } > "$CACHE/current.env.tmp"
  mv "$CACHE/current.env.tmp" "$CACHE/current.env"
  if [ "${1:-}" = "--print-cache" ]; then echo "$CACHE"; fi
  log "ready: kernel $kver, cache $CACHE"
}

main "$@"
