# Sourced by the bench scripts that compare with Open MPI (not run): lets mpirun run as root, and installs
# openmpi-bin + libopenmpi-dev with apt-get when mpicc or mpirun is missing (needs root).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

bench_need_openmpi() {
  if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
    return 0
  fi
  echo "# mpicc not found: installing openmpi-bin libopenmpi-dev" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "need root to apt-get install openmpi-bin libopenmpi-dev" >&2; exit 1; fi
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y openmpi-bin libopenmpi-dev >&2
}
