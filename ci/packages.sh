# Sourced by ci/test.sh, ci/multinode-vm.sh and the bench scripts (not run): installs Debian packages a build or a
# test stage needs.
# transport-rdma compiles its own libdisni (DiSNI's JNI library) with gcc against rdma-core's headers; without them
# the build skips it and the RDMA transport is unavailable, which the RDMA stages and benchmarks cannot do with.

# need_packages PACKAGE...: install the ones missing (as root, with apt-get), else say what to install and exit 1.
need_packages() {
  local missing=() package
  command -v dpkg >/dev/null 2>&1 || return 0
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "mpi4j: installing ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
  else
    echo "mpi4j: please install ${missing[*]}" >&2
    exit 1
  fi
}

# The packages transport-rdma's native build needs.
need_rdma_build_packages() {
  need_packages gcc libibverbs-dev librdmacm-dev
}

# The packages of the multi-node job tests on this machine: network namespaces (iproute2, util-linux) and a tiny
# Slurm cluster over them (ci/slurm.sh: slurmctld, slurmd, srun/salloc/sbatch, munge).
need_netns_test_packages() {
  need_packages iproute2 util-linux slurm-wlm munge
}
