"""`snnp eval --json` from Python: the Swift evaluator's energies, forces and stresses.

The executable is found from, in order: the `binary` argument, $SNNP_BINARY, this
repository's .build/release/snnp (`swift build -c release`) and `snnp` on PATH.
"""

import json
import os
import shutil
import subprocess

from .kernel import repository_root


class EvalError(RuntimeError):
    """`snnp eval` failed or disagreed with the caller about the frames."""


def default_binary():
    env = os.environ.get("SNNP_BINARY")
    if env:
        return env
    built = repository_root() / ".build" / "release" / "snnp"
    if built.exists():
        return str(built)
    return shutil.which("snnp") or str(built)


def snnp_eval(potential, data, frame_count=None, binary=None):
    """`snnp eval POTENTIAL DATA --json`: per-frame dicts (model energy, forces, stress,
    reference energy) of every frame of DATA, in order. Raises EvalError if the command
    fails or, when frame_count is given, returns another number of frames (the number the
    caller's own reading of DATA found)."""
    binary = str(binary or default_binary())
    run = subprocess.run([binary, "eval", str(potential), str(data), "--json"], capture_output=True, text=True)
    if run.returncode != 0:
        raise EvalError(f"{binary} eval {potential} {data} failed (exit {run.returncode}): {run.stderr.strip()}")
    model = json.loads(run.stdout)["frames"]
    if frame_count is not None and len(model) != frame_count:
        raise EvalError(f"{data}: {frame_count} frames read here, {len(model)} by snnp eval")
    return model
