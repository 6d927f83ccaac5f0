#!/bin/bash
# One command from a fresh Debian machine: install dependencies and run every test.
#  1. Swift unit and integration tests (release build: the fitting tests train
#     real models, and optimised code runs them in seconds), including the command-line
#     tools as built (Tests/SNNPCLITests: help snapshots, snnp check of potentials/, exit codes);
#     then data-parallel fitting under mpirun (scripts/test-mpi-fit.sh: 2 ranks == 1 rank);
#  2. the Python package's tests (python/tests, pytest: the ctypes ABI against the
#     C header, the ASE calculator against snnp eval, element data, extxyz, elastic fit);
#  3. the LAMMPS integration tests of pair_style snnp (lammps-plugin/tests/run.sh),
#     after building lmp_snnp and snnpplugin.so;
#  4. the seeded fuzz suite of every input (Tests/Fuzz/fuzz.py, issue 25): the corpus
#     of past failures plus mutants through check, eval, a short fit, the C API and
#     LAMMPS; fails on a crash, a hang or a non-finite result with exit 0 (~1 minute).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --build-tests
swift test -c release
bash scripts/test-mpi-fit.sh
python3 -m pytest -q python
bash lammps-plugin/build.sh
bash lammps-plugin/tests/run.sh
python3 Tests/Fuzz/fuzz.py --seed 25 --budget 150
