#!/bin/bash
# One command from a fresh Debian machine: install dependencies, build snnp in
# release mode, and run the main job on a shipped default (evaluate the shipped
# Mo potential on the shipped Mo data subset).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release
.build/release/snnp eval potentials/Mo.smeam.snnp examples/data/Mo-mlearn-subset.xyz
