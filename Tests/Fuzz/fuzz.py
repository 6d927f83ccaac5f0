#!/usr/bin/env python3
"""Seeded fuzz suite of snnp's inputs (issue 25): no input crashes, hangs or lies.

    python3 Tests/Fuzz/fuzz.py [--seed 25] [--budget 120] [--no-lammps]

Runs, in this order:
  1. the corpus of past failures (Tests/Fuzz/corpus/cases.tsv): each reproduction of
     issue 25 must give exactly its exit status and message;
  2. resume from a checkpoint with a too-short parameter vector;
  3. seeded mutants of every shipped potential (potentials/*.snnp, and the tensor-form and
     four-body test files lammps-plugin/tests/data/MoNb-{tensor,four}.snnp) through
     `snnp check`, `snnp eval --json` and the C API (Tests/Fuzz/capi_driver.c);
  4. seeded mutants of extended-XYZ frames through `snnp eval` (table and --json);
  5. seeded mutants of a fit configuration through a 2-epoch `snnp fit` on 6 frames;
  6. random geometries (coincident, dense, far apart) through the C API;
  7. one LAMMPS run per kind (accepted mutant potential, rejected one, coincident
     atoms, pair_modify shift yes) through lammps-plugin/build/lmp_snnp.

A run fails on any crash (exit by a signal), hang (timeout), non-finite number or
invalid JSON printed with exit status 0, or a corpus case whose message changed.
Mutation stages share a time budget (--budget seconds); what ran is printed. Python 3
standard library only. Exits 1 on any failure and prints one line per failure.
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")
SNNP = os.path.join(REPO, ".build", "release", "snnp")
LMP = os.path.join(REPO, "lammps-plugin", "build", "lmp_snnp")
NONFINITE = re.compile(r"(?<![A-Za-z_])[-+]?(nan|inf|infinity)(?![A-Za-z_])", re.IGNORECASE)

failures = []
counts = {}


def fail(what, why):
    failures.append(f"FAIL {what}: {why}")
    print(failures[-1], flush=True)


def run(cmd, timeout, cwd=None):
    """(status, stdout, stderr); status None on timeout, negative for a signal."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout, text=True, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", ""


def judge(what, cmd, timeout=30, cwd=None, json_output=False):
    """Runs cmd and records a failure for a crash, a hang or a lie; returns (status, out, err)."""
    kind = what.split(" ")[0]
    counts[kind] = counts.get(kind, 0) + 1
    status, out, err = run(cmd, timeout, cwd)
    if status is None:
        fail(what, f"timed out after {timeout} s (hang): {' '.join(cmd)}")
    elif status < 0 or status >= 128:
        fail(what, f"crashed (status {status}): {' '.join(cmd)}; {err.strip()[-300:]}")
    elif status == 0:
        if json_output:
            try:
                json.loads(out, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
            except ValueError as e:
                fail(what, f"exit 0 with invalid or non-finite JSON ({str(e)[:80]}): {' '.join(cmd)}")
        else:
            m = NONFINITE.search(out)
            if m:
                fail(what, f"exit 0 with a non-finite number '{m.group(0)}' in the output: {' '.join(cmd)}")
    elif status == 1 and not err.strip():
        fail(what, f"exit 1 without a message: {' '.join(cmd)}")
    return status, out, err


# ---- mutations -------------------------------------------------------------------
EXTREMES = ["1e308", "-1e308", "1e10", "-1e10", "1e19", "1e20", "1e300", "0", "-0", "1e-300", "nan", "inf", "-inf",
            "9223372036854775807", "-9223372036854775808", "-1", "2.5", "abc", "1.0000000000000002", "4.9e-324"]
NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def mutate_text(text, rng):
    """One to three random edits of a line-oriented text file."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        k = rng.randrange(len(lines)) if lines else 0
        if op < 0.55 and lines:  # replace a number
            words = lines[k].split(" ")
            numeric = [i for i, w in enumerate(words) if NUMBER.match(w)]
            if numeric:
                i = rng.choice(numeric)
                if rng.random() < 0.7:
                    words[i] = rng.choice(EXTREMES)
                else:
                    v = float(words[i])
                    words[i] = repr(v * rng.choice([-1, 0.5, 2, 1 + 1e-15, 1e3, 1e-3]) + rng.choice([0, 1e-9, 1]))
                lines[k] = " ".join(words)
        elif op < 0.65 and lines:
            del lines[k]
        elif op < 0.72 and lines:
            lines.insert(k, lines[k])
        elif op < 0.78 and len(lines) > 1:
            j = min(k + 1, len(lines) - 1)
            lines[k], lines[j] = lines[j], lines[k]
        elif op < 0.84:
            lines = lines[: rng.randrange(len(lines) + 1)]
        elif op < 0.90 and lines:
            words = lines[k].split(" ")
            words.insert(rng.randrange(len(words) + 1), rng.choice(["x", "1", "-", "#", "\t", "Mo", "1e400"]))
            lines[k] = " ".join(words)
        elif op < 0.95:
            return ("\ufeff" if rng.random() < 0.5 else "") + "\r\n".join(lines)
        elif lines:
            lines[k] = lines[k][: rng.randrange(len(lines[k]) + 1)]
    return "\n".join(lines)


def elements_of(path):
    for line in open(path, encoding="utf-8"):
        w = line.split()
        if w and w[0] == "elements":
            return w[2:]
    return ["Mo"]


def frames_for(elements, rng, count=2):
    """Small periodic frames (bcc, rattled) of the given elements."""
    out = []
    for f in range(count):
        a = 3.1 + 0.1 * f
        pos = [(0, 0, 0), (a / 2, a / 2, a / 2)]
        out.append("2")
        out.append(f'Lattice="{a} 0 0 0 {a} 0 0 0 {a}" Properties=species:S:1:pos:R:3:forces:R:3 energy={-10.0 - f} pbc="T T T"')
        for i, p in enumerate(pos):
            q = [c + rng.uniform(-0.1, 0.1) for c in p]
            out.append(f"{elements[i % len(elements)]} {q[0]:.6f} {q[1]:.6f} {q[2]:.6f} 0 0 0")
    return "\n".join(out) + "\n"


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as fp:
        fp.write(text)


# ---- stages ----------------------------------------------------------------------
def corpus_cases(tmp):
    pot = os.path.join(REPO, "potentials", "Mo.int-all.snnp")
    for row in open(os.path.join(CORPUS, "cases.tsv"), encoding="utf-8"):
        if row.startswith("#") or not row.strip():
            continue
        name, command, status, message = row.rstrip("\n").split("\t")
        out_dir = tempfile.mkdtemp(prefix=name + "-", dir=tmp)
        cmd = [w.replace("{snnp}", SNNP).replace("{pot}", pot).replace("{out}", out_dir) for w in command.split(" ")]
        got, out, err = judge(f"corpus {name}", cmd, timeout=60, cwd=CORPUS)
        if got is not None and (got != int(status) or message not in out + err):
            fail(f"corpus {name}", f"expected exit {status} and '{message}', got exit {got}: {(err or out).strip()[-400:]}")


def checkpoint_resume(tmp):
    out_dir = os.path.join(tmp, "ckpt")
    status, _, err = judge("corpus fit-for-checkpoint", [SNNP, "fit", "--config", "c-base.json", "-o", out_dir], 60, CORPUS)
    if status != 0:
        fail("corpus fit-for-checkpoint", err.strip()[-300:])
        return
    state = json.load(open(os.path.join(out_dir, "last.ckpt")))
    n = len(state["theta"])
    state["theta"] = state["theta"][:5]
    short = os.path.join(tmp, "short.ckpt")
    json.dump(state, open(short, "w"))
    status, out, err = judge("corpus resume-short-theta", [SNNP, "fit", "--resume", short, "--epochs", "3"], 60, CORPUS)
    want = f"checkpoint: 'theta' holds 5 parameters, but its model has {n}"
    if status != 1 or want not in err:
        fail("corpus resume-short-theta", f"expected exit 1 and '{want}', got exit {status}: {err.strip()[-300:]}")
    # A stale temporary of a dead process is swept on resume.
    stale = os.path.join(out_dir, "best.ckpt.tmp.999999999")
    write(stale, "x")
    status, _, err = judge("corpus resume-sweeps-tmp", [SNNP, "fit", "--resume", os.path.join(out_dir, "last.ckpt"), "--epochs", "3"], 60, CORPUS)
    if status != 0 or os.path.exists(stale):
        fail("corpus resume-sweeps-tmp", f"exit {status}, stale file {'left' if os.path.exists(stale) else 'removed'}: {err.strip()[-200:]}")


def capi(what, pot, atoms, tmp):
    path = os.path.join(tmp, "atoms.txt")
    write(path, f"{len(atoms)}\n" + "".join(f"{x!r} {y!r} {z!r} {s}\n" for x, y, z, s in atoms))
    status, out, _ = judge(what, [os.path.join(tmp, "capi_driver"), pot, path], 30)
    if status == 0:
        fields = dict(line.split(" ", 1) for line in out.strip().split("\n") if " " in line)
        if fields.get("compute", "").startswith("0 ") and not (
                math.isfinite(float(fields["energy"])) and math.isfinite(float(fields["force"]))):
            fail(what, f"snnp_compute returned OK with energy {fields['energy']}, max |f| {fields['force']}")
    return out


def potential_mutants(rng, tmp, deadline, per_file):
    accepted, rejected = [], []
    # Every shipped file, plus the tensor-form and four-body test files (three_body_basis,
    # four_body), forms no shipped file has yet.
    sources = [os.path.join(REPO, "potentials", p) for p in sorted(os.listdir(os.path.join(REPO, "potentials")))
               if p.endswith(".snnp")]
    sources.append(os.path.join(REPO, "lammps-plugin", "tests", "data", "MoNb-tensor.snnp"))
    sources.append(os.path.join(REPO, "lammps-plugin", "tests", "data", "MoNb-four.snnp"))
    for src in sources:
        pot = os.path.basename(src)
        text = open(src, encoding="utf-8").read()
        els = elements_of(src)
        xyz = os.path.join(tmp, f"frames-{'-'.join(els)}.xyz")
        write(xyz, frames_for(els, rng))
        for m in range(per_file):
            if time.time() > deadline:
                return accepted, rejected
            mutant = os.path.join(tmp, f"{pot[:-5]}.m{m}.snnp")
            write(mutant, mutate_text(text, rng))
            status, _, _ = judge(f"potential check {os.path.basename(mutant)}", [SNNP, "check", mutant])
            if status == 0:
                accepted.append(mutant)
                judge(f"potential eval {os.path.basename(mutant)}", [SNNP, "eval", "--json", mutant, xyz], json_output=True)
                if m % 3 == 0:
                    capi(f"capi {os.path.basename(mutant)}", mutant,
                         [(0, 0, 0, 0), (2.6, 0.1, 0, 0), (0.2, 2.5, 0.3, 0)], tmp)
            elif status == 1:
                rejected.append(mutant)
    return accepted, rejected


def xyz_mutants(rng, tmp, deadline, count):
    pot = os.path.join(REPO, "potentials", "Mo.int-all.snnp")
    base = open(os.path.join(CORPUS, "train-tiny.xyz"), encoding="utf-8").read()
    specials = [
        lambda t: t.replace('Lattice="3.1 0 0 0 3.1 0 0 0 3.1"', 'Lattice="3.1 0 0 0 3.1 0 3.1 3.1 1e-12"'),
        lambda t: t.replace('Lattice="3.1 0 0 0 3.1 0 0 0 3.1"', 'Lattice="0.01 0 0 0 0.01 0 0 0 0.01"'),
        lambda t: re.sub(r"^2$", "-5", t, count=1, flags=re.M),
        lambda t: t.replace(":forces:R:3", ":forces:R:2"),
        lambda t: t.replace("species:S:1:pos:R:3", "species:S:2:pos:R:1"),
    ]
    for m in range(count):
        if time.time() > deadline:
            return
        text = base
        if rng.random() < 0.25:
            text = rng.choice(specials)(text)
        if rng.random() < 0.2:  # coincident atoms: copy one atom line over the next
            lines = text.split("\n")
            lines[3] = lines[2]
            text = "\n".join(lines)
        text = mutate_text(text, rng)
        path = os.path.join(tmp, f"frames.m{m}.xyz")
        write(path, text)
        if m % 2:
            judge(f"xyz eval-json frames.m{m}.xyz", [SNNP, "eval", "--json", pot, path], json_output=True)
        else:
            judge(f"xyz eval frames.m{m}.xyz", [SNNP, "eval", pot, path])


CONFIG_VALUES = [-1, 0, 2.5, "x", 1e300, -1e300, [], {}, True, None, 9223372036854775807, 1e30, ["Xx"], [0.5]]
CONFIG_SMALL = {
    "epochs": [1, 3], "three_body": [1, 3], "two_body": [0, 2], "radial_knots": [3, 4], "angular_knots": [3, 6],
    "cutoff": [2.6, 4.0], "radial_min": [0, 2.0], "pair_cutoff": [2.0, 3.0], "pair_knots": [3], "hidden": [[], [3, 2]],
    "energy_weight": [0, 1], "force_weight": [0, 5], "stress_weight": [0, 1], "l2": [0, 0.01], "gamma": [0.5, 2],
    "learning_rate": [1e-2], "milestones": [[1], []], "batch_size": [1, 100], "validate_every": [1, 2],
    "validation_fraction": [0.5, 0.99], "elements": [["Mo"], ["Mo", "Nb"], ["Mo", "Mo"]], "variant": ["linear", "network", "int-skip", "nope"],
    "optimizer": ["lbfgs", "adam"], "polish_epochs": [1], "seed": [7], "split_seed": [3], "stratify_split": [True],
    "config_type_weights": [{"": 0}, {"x": 2}], "isolated_atom_energies": [{"Mo": -4.5}, {"W": 1}],
    "core_repulsion": [[1.0, 2.0], [2.0, 1.0]], "pair_term": [True, False], "train": [["nope.xyz"]], "validation": ["train-tiny.xyz"],
}


def config_mutants(rng, tmp, deadline, count):
    base = json.load(open(os.path.join(CORPUS, "c-base.json")))
    for m in range(count):
        if time.time() > deadline:
            return
        c = dict(base)
        for key in rng.sample(sorted(CONFIG_SMALL), rng.randint(1, 2)):
            c[key] = rng.choice(CONFIG_VALUES + CONFIG_SMALL[key] * 2)
        path = os.path.join(tmp, f"config.m{m}.json")
        write(path, json.dumps(c))
        out_dir = os.path.join(tmp, f"fit.m{m}")
        before = len(failures)
        status, out, _ = judge(f"fit config.m{m}.json", [SNNP, "fit", "--config", path, "-o", out_dir], 90, CORPUS)
        if status == 0 and not os.path.exists(os.path.join(out_dir, "best.ckpt")):
            fail(f"fit config.m{m}.json", "exit 0 but no best.ckpt")
        if len(failures) > before:
            print(f"  config.m{m}.json: {json.dumps(c)}\n  output: {out.strip()[-300:]}")


def capi_geometries(rng, tmp, count):
    pots = [os.path.join(REPO, "potentials", p) for p in ("Mo.int-all.snnp", "MoNb.int-all.snnp", "Mo.smeam.snnp")]
    for m in range(count):
        pot = rng.choice(pots)
        n = rng.randint(1, 6)
        atoms = [(rng.uniform(0, 5), rng.uniform(0, 5), rng.uniform(0, 5), rng.choice([0, 0, -1])) for _ in range(n)]
        kind = rng.choice(["random", "coincident", "dense", "far"])
        if kind == "coincident" and n > 1:
            atoms[0] = atoms[0][:3] + (0,)
            atoms[1] = atoms[0]
        elif kind == "dense":
            atoms = [(rng.uniform(0, 0.01), rng.uniform(0, 0.01), rng.uniform(0, 0.01), 0) for _ in range(n)]
        elif kind == "far":
            atoms[0] = (1e15, 0.0, 0.0, 0)
        out = capi(f"capi-geometry {kind} {m}", pot, atoms, tmp)
        if kind == "coincident" and n > 1 and "are at the same position" not in out:
            fail(f"capi-geometry coincident {m}", f"expected a coincident-atoms error, got: {out.strip()[:200]}")


def lammps_runs(tmp, accepted, rejected):
    head = ("units metal\natom_style atomic\nlattice bcc 3.16\nregion box block 0 2 0 2 0 2\n"
            "create_box 1 box\ncreate_atoms 1 box\nmass 1 95.95\n")
    mo = os.path.join(REPO, "potentials", "Mo.int-all.snnp")
    kinds = []
    if accepted:
        kinds.append(("accepted-mutant", accepted[0], "", None))
    if rejected:
        kinds.append(("rejected-mutant", rejected[0], "", "ERROR"))
    kinds.append(("coincident-atoms", mo, "create_atoms 1 single 0 0 0 units box\n", "are at the same position"))
    kinds.append(("pair-modify-shift", mo, "", "does not support pair_modify shift yes"))
    for name, pot, extra, expect in kinds:
        script = head + extra + f"pair_style snnp\npair_coeff * * {pot} Mo\n"
        if name == "pair-modify-shift":
            script += "pair_modify shift yes\n"
        script += "thermo_style custom step pe press\nrun 0\n"
        path = os.path.join(tmp, f"in.{name}")
        write(path, script)
        counts["lammps"] = counts.get("lammps", 0) + 1
        status, out, err = run([LMP, "-in", path, "-log", "none"], 120, tmp)
        text = out + err
        if status is None:
            fail(f"lammps {name}", "timed out (hang)")
        elif status < 0 or status >= 128:
            fail(f"lammps {name}", f"crashed (status {status})")
        elif expect is not None and (status == 0 or expect not in text):
            fail(f"lammps {name}", f"expected an ERROR with '{expect}', got exit {status}: {text.strip()[-300:]}")
        elif status == 0:
            m = re.search(r"^\s*Step\s+PotEng\s+Press\s*\n\s*0\s+(\S+)\s+(\S+)", text, re.M)
            if not m:
                fail(f"lammps {name}", "exit 0 but no thermo line")
            elif not all(math.isfinite(float(v)) for v in m.groups()):
                fail(f"lammps {name}", f"exit 0 with pe {m.group(1)}, press {m.group(2)}")
        elif "ERROR" not in text:
            fail(f"lammps {name}", f"exit {status} without an ERROR line")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--budget", type=float, default=120, help="seconds for the mutation stages (default 120)")
    ap.add_argument("--no-lammps", action="store_true", help="skip stage 7 (no lmp_snnp)")
    args = ap.parse_args()
    start = time.time()
    if not os.access(SNNP, os.X_OK):
        print(f"FAIL fuzz: {SNNP} missing (swift build -c release first)")
        return 1
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="snnp-fuzz-")
    try:
        status, _, err = run(["cc", "-O1", "-I", os.path.join(REPO, "Sources", "CSNNPKernel", "include"),
                              os.path.join(HERE, "capi_driver.c"), "-L", os.path.dirname(SNNP), "-lsnnpkernel",
                              "-Wl,-rpath," + os.path.dirname(SNNP), "-o", os.path.join(tmp, "capi_driver")], 120)
        if status != 0:
            fail("fuzz capi_driver", f"does not build (libsnnpkernel.so built?): {err.strip()[-300:]}")
            return 1
        corpus_cases(tmp)
        checkpoint_resume(tmp)
        deadline = start + args.budget
        share = lambda f: time.time() + (deadline - time.time()) * f
        accepted, rejected = potential_mutants(rng, tmp, share(0.4), per_file=50)
        xyz_mutants(rng, tmp, share(0.35), count=250)
        config_mutants(rng, tmp, share(0.8), count=60)
        capi_geometries(rng, tmp, count=60)
        if args.no_lammps:
            print("fuzz: LAMMPS stage skipped (--no-lammps)")
        elif not os.access(LMP, os.X_OK):
            fail("lammps", f"{LMP} missing (bash lammps-plugin/build.sh)")
        else:
            lammps_runs(tmp, accepted, rejected)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(counts.values())
    print(f"fuzz: seed {args.seed}, {total} runs ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}) "
          f"in {time.time() - start:.0f} s: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
