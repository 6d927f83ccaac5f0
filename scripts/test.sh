#!/bin/bash
# One command from a fresh Debian machine: install dependencies and run every test.
#  1. Swift unit and integration tests (release build: the fitting tests train
#     real models, and optimised code runs them in seconds);
#  2. the Python package's tests (python/tests, pytest: the ctypes ABI against the
#     C header, the ASE calculator against snnp eval, element data, extxyz, elastic fit);
#  3. the LAMMPS integration tests of pair_style snnp (lammps-plugin/tests/run.sh),
#     after building lmp_snnp and snnpplugin.so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --build-tests
swift test -c release
python3 -m pytest -q python
bash lammps-plugin/build.sh
bash lammps-plugin/tests/run.sh
