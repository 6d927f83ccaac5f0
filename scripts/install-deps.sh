#!/bin/bash
# Installs what snnp needs besides Swift packages (which come through SwiftPM):
#  1. the Debian packages (LAMMPS, MPI, CMake, fmt, Python with pip), if missing;
#     needs root (or sudo);
#  2. the snnp Python package of python/ (editable, so it finds this checkout's
#     .build/release/libsnnpkernel.so and snnp), with ASE, numpy and pytest, if
#     `import snnp` does not already give this checkout's package.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(lammps liblammps-dev libopenmpi-dev openmpi-bin cmake libfmt-dev python3 python3-pip)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "install-deps: ok (${packages[*]})" >&2

here=$(pwd)/python/snnp/__init__.py
if [ "$(python3 -c 'import snnp, ase, pytest; print(snnp.__file__)' 2>/dev/null)" != "$here" ]; then
  echo "install-deps: pip install -e 'python[ase,test]'" >&2
  pip=(python3 -m pip install -q --disable-pip-version-check -e "python[ase,test]")
  # Debian's own python3 refuses pip installs outside a virtual environment (PEP 668)
  # unless told; the package and its dependencies then go to /usr/local.
  if ! "${pip[@]}" 2>pip-install.log; then
    grep -q externally-managed pip-install.log && "${pip[@]}" --break-system-packages 2>pip-install.log ||
      { cat pip-install.log >&2; rm -f pip-install.log; exit 1; }
  fi
  rm -f pip-install.log
fi
echo "install-deps: ok (python: snnp $(python3 -c 'import snnp; print(snnp.__version__)') from python/)" >&2
