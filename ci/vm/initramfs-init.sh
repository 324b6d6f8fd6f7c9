#!/bin/busybox sh
# /init of the mpi4j test VM's initramfs (busybox). Loads the modules setup.sh packed (dependencies first),
# mounts the host's root (9p, read-only) under a tmpfs overlay, and does all the plumbing that busybox can
# do in memory: every program started later runs from 9p under software emulation and costs a lot.
# Then hands over to guest-init.sh (the host's bash) for what needs the host's tools: rxe, sshd, command.
# Kernel parameters: mpi4j.node=N mpi4j.nodes=N mpi4j.subnet=A.B.C
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

fail() {
  echo "mpi4j-vm initramfs: FATAL: $*" > /dev/console
  [ -d /newroot/run/mpi4j ] && echo "initramfs: $*" >> "/newroot/run/mpi4j/problems.node$NODE"
  echo o > /proc/sysrq-trigger
  sleep 5
  poweroff -f
}

NODE=0 NODES=1 SUBNET=10.10.0
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    mpi4j.node=*) NODE="${arg#*=}" ;;
    mpi4j.nodes=*) NODES="${arg#*=}" ;;
    mpi4j.subnet=*) SUBNET="${arg#*=}" ;;
  esac
done
KVER="$(cat /kver)"

for m in $(cat /lib/modules/load-order); do
  # A module the kernel already has (built in, or pulled in earlier) is not an error.
  insmod "/lib/modules/$m" 2>/tmp.err || grep -q 'File exists' /tmp.err 2>/dev/null \
    || echo "mpi4j-vm initramfs: insmod $m: $(cat /tmp.err 2>/dev/null)" > /dev/console
done

# Large 9p messages matter: the guest reads the JDK, Maven's repository and the jars through this mount.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower \
  || mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /lower \
  || fail "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 rwlayer /rw || fail "tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
  || fail "cannot mount the overlay over the host root"

R=/newroot
mkdir -p $R/run
mount -t tmpfs -o mode=0755 run $R/run
mkdir -p $R/run/mpi4j $R/run/lock $R/run/sshd
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none mpi4jrun $R/run/mpi4j \
  || fail "cannot mount the run directory (9p tag mpi4jrun)"
S=$R/run/mpi4j
[ -f $S/guest-init.sh ] || fail "guest-init.sh missing in the run directory"

mount --move /proc $R/proc
mount --move /sys $R/sys
mount --move /dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 shm $R/dev/shm
[ -e $R/dev/ptmx ] || ln -s pts/ptmx $R/dev/ptmx
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr

# The kernel loads some modules itself (request_module): give the host's modprobe the package's tree.
mkdir -p "$R/lib/modules/$KVER"
mount --bind "/lower$(cat $S/modules-path)" "$R/lib/modules/$KVER" || echo "bind modules" >> $S/problems.node$NODE

# Names: InetAddress.getLocalHost() needs the hostname in /etc/hosts.
hostname "node$NODE"
echo "node$NODE" > $R/etc/hostname
{
  echo "127.0.0.1 localhost"
  echo "::1 localhost ip6-localhost ip6-loopback"
  n=0
  while [ $n -lt "$NODES" ]; do echo "$SUBNET.$((n + 1)) node$n"; n=$((n + 1)); done
} > $R/etc/hosts
: > $R/etc/resolv.conf

ip link set lo up
# MTU 4200 on eth0 gives the rxe device an RDMA MTU of 4096.
ip link set eth0 mtu 4200 up || fail "no eth0"
ip addr add "$SUBNET.$((NODE + 1))/24" dev eth0

# ssh: host keys made by the host for this run, root logs in with the run's key only.
mkdir -p $R/run/mpi4j-ssh $R/root/.ssh
cp $S/ssh/host_ed25519.node$NODE $R/run/mpi4j-ssh/ssh_host_ed25519_key
cp $S/ssh/sshd_config $R/run/mpi4j-ssh/sshd_config
cp $S/ssh/id_ed25519 $S/ssh/id_ed25519.pub $S/ssh/client_config $S/ssh/environment $R/root/.ssh/
cp $S/ssh/id_ed25519.pub $R/root/.ssh/authorized_keys
mv $R/root/.ssh/client_config $R/root/.ssh/config
chmod 700 $R/root/.ssh
# bash sources ~/.bashrc even for `ssh node1 cmd`; the host's may run slow set-up (pyenv init: half a
# minute under emulation). The environment comes from ~/.ssh/environment instead.
echo "# mpi4j test VM: the environment comes from ~/.ssh/environment (see ci/vm/run.sh)" > $R/root/.bashrc
echo "# mpi4j test VM" > $R/root/.profile
chmod 600 $R/root/.ssh/id_ed25519 $R/run/mpi4j-ssh/ssh_host_ed25519_key

echo "$KVER" > $R/run/mpi4j-kver
echo "$NODE $NODES" > $R/run/mpi4j-node
exec switch_root $R /bin/bash /run/mpi4j/guest-init.sh
fail "switch_root failed"
