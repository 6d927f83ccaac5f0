#!/bin/bash
# One command from a fresh Debian machine: install dependencies and run every test
# (Swift unit and integration tests, then the LAMMPS integration tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test
if [ -x lammps-plugin/build.sh ] || [ -f lammps-plugin/build.sh ]; then
  bash lammps-plugin/build.sh
  bash lammps-plugin/tests/run.sh
fi
