#!/bin/bash
# Installs the Debian packages snnp needs (LAMMPS, MPI, CMake, fmt), if missing.
# Needs root (or sudo). Swift packages come through SwiftPM.
set -euo pipefail
packages=(lammps liblammps-dev libopenmpi-dev openmpi-bin cmake libfmt-dev python3)
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
