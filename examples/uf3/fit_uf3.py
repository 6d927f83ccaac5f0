"""UF3 (the uf3 package, PyPI 0.4.0) fitted to an mlearn training set, the peer of
snnp's fast tier: its documented 2+3-body workflow, validated on the same seeded
split snnp uses, exported to LAMMPS `pair_style uf3`.

    python fit_uf3.py featurize EL OUTDIR [VALIDATION.xyz]   # B-spline features of every frame (slow, resumable)
    python fit_uf3.py fit EL OUTDIR VALIDATION.xyz   # ridge + curvature on the rest, MAE on VALIDATION
    python fit_uf3.py check EL OUTDIR VALIDATION.xyz LMP   # LAMMPS pair_style uf3 == uf3 on VALIDATION
    python fit_uf3.py ablate EL OUTDIR VALIDATION.xyz   # refits without the 3-body term / the long pair range
    (VALIDATION.xyz: the frames `snnp fit` held out, RUN/validation.xyz; see README.md)

Settings (uf3 tutorials, examples/tungsten_extxyz/uf23_potential_demo.ipynb and the
manuscript's knot spacing): 2-body 1.5-5.5 A with 18 knot intervals; 3-body legs
r_ij, r_ik to 4.0 A (r_jk to 8.0 A) with 9, 9, 18 intervals (~0.28 A, the manuscript's
4.25-4.25-8.5 A / 10-10-20 spacing); trailing_trim 3 (smooth to the second
derivative at the cutoff). Regularisation (ridge_3b, curvature_2b, curvature_3b) and
the energy/force weight are picked on an inner 10 % of the training frames (seed 0)
from a small grid around uf3's defaults, then refitted on all training frames.
"""
import json
import os
import sys
import time

import numpy as np
from ase.io import read

from uf3.data import composition, io
from uf3.regression import least_squares
from uf3.representation import bspline, process

SETTINGS = {  # element: 3-body cutoff (A): past the second neighbour shell, as Mo and Si
    "Mo": 4.0,
    "Si": 4.25,
    "Ge": 4.5,   # Si's 4.25 scaled by the lattice constants (5.76 / 5.47 A)
    "Li": 4.0,
    "Cu": 4.0,
    "Ni": 4.0,
}
# The selection's yardstick: GAP's published test MAE (meV/atom, eV/A) of the element, so
# energy and force errors weigh alike; Mo and Si keep Mo's, as recorded in docs/results.md.
YARDSTICK = {"Ge": (2.06, 0.05), "Li": (0.49, 0.01), "Cu": (0.46, 0.01), "Ni": (0.42, 0.02)}
TRAIN = "../shared/data/mlearn/{}/train.xyz"


def basis(el):
    r3 = SETTINGS.get(el, 4.0)
    system = composition.ChemicalSystem(element_list=[el], degree=3)
    return bspline.BSplineBasis(
        system,
        r_min_map={(el, el): 1.5, (el, el, el): [1.5, 1.5, 1.5]},
        r_max_map={(el, el): 5.5, (el, el, el): [r3, r3, 2 * r3]},
        resolution_map={(el, el): 18, (el, el, el): [9, 9, 18]},
        trailing_trim=3)


def load(el, repo):
    coordinator = io.DataCoordinator()
    coordinator.dataframe_from_trajectory(os.path.join(repo, TRAIN.format(el)), prefix="dft")
    return coordinator.consolidate()


def featurize(el, out, repo, validation=None):
    """Features of every frame, in chunks of 10 (OUTDIR/features.<k>.pkl), the
    validation frames first, so that an interrupted run resumes where it stopped."""
    os.makedirs(out, exist_ok=True)
    config = basis(el)
    df = load(el, repo)
    order = list(df.index)
    if validation:
        held = set(held_out(el, validation, repo))
        rest = [n for n in order if n not in held]
        rest = [rest[i] for i in np.random.default_rng(0).permutation(len(rest))]  # any prefix: a random sample
        order = [n for n in order if n in held] + rest
    path = os.path.join(out, "features")
    done = json.load(open(path + ".json")) if os.path.exists(path + ".json") else {"chunks": [], "seconds": 0.0}
    featurizer = process.BasisFeaturizer(config)
    for k in range(0, len(order), 10):
        if k in done["chunks"]:
            continue
        t = time.time()
        feats = featurizer.evaluate(df.loc[order[k:k + 10]], progress=None)
        feats.to_pickle(f"{path}.{k}.pkl")  # (uf3's save_feature_db fails under pandas 3)
        done["chunks"].append(k)
        done["seconds"] += time.time() - t
        json.dump(done, open(path + ".json", "w"))
        print(f"featurized {min(k + 10, len(order))}/{len(order)} frames, {done['seconds']:.0f} s", flush=True)


def load_features(out):
    import pandas as pd
    path = os.path.join(out, "features")
    done = json.load(open(path + ".json"))
    return pd.concat([pd.read_pickle(f"{path}.{k}.pkl") for k in sorted(done["chunks"])])


def held_out(el, validation, repo):
    frames = read(os.path.join(repo, TRAIN.format(el)), index=":")
    held = {fingerprint(a) for a in read(validation, index=":")}
    names = [f"dft_{i}" for i, a in enumerate(frames) if fingerprint(a) in held]
    assert len(names) == len(held), (len(names), len(held))
    return names


def fingerprint(atoms):
    """Identity of a frame across files: the data's config_type and source_index (unique in
    every mlearn train.xyz; the Si data repeats energies and first positions), size, energy."""
    return (atoms.info.get("config_type"), int(atoms.info.get("source_index", -1)), len(atoms),
            round(float(atoms.get_potential_energy()), 6))


def split_rows(feats, names):
    """Energy rows and force rows of the frames `names`: x, y and atom counts."""
    sub = feats.loc[feats.index.get_level_values(0).isin(names)]
    kind = sub.index.get_level_values(-1)
    e, f = sub[kind == "energy"], sub[kind != "energy"]
    ncol = [c for c in sub.columns if c.startswith("n_")]
    return (e.iloc[:, 1:].to_numpy(), e.iloc[:, 0].to_numpy(), e[ncol].sum(axis=1).to_numpy(),
            f.iloc[:, 1:].to_numpy(), f.iloc[:, 0].to_numpy())


def train(config, feats, names, reg, weight):
    xe, ye, _, xf, yf = split_rows(feats, names)
    model = least_squares.WeightedLinearModel(config, regularizer=config.get_regularization_matrix(**reg))
    model.fit(xe, ye, xf, yf, weight=weight)
    return model


def errors(model, feats, names):
    xe, ye, n, xf, yf = split_rows(feats, names)
    de = (model.predict(xe) - ye) / n
    df = model.predict(xf) - yf
    return {"energy_mae_meV": 1000 * float(np.mean(np.abs(de))), "energy_rmse_meV": 1000 * float(np.sqrt(np.mean(de ** 2))),
            "force_mae": float(np.mean(np.abs(df))), "force_rmse": float(np.sqrt(np.mean(df ** 2))),
            "frames": len(ye), "force_components": len(yf)}


def write_lammps(model, config, el, path):
    """pair_style uf3 file (LAMMPS ML-UF3 format: 2B and 3B blocks, non-uniform knots)."""
    pair, trio = (el, el), (el, el, el)
    size, start = config.get_interaction_partitions()
    c2 = model.coefficients[start[pair]:start[pair] + size[pair]]
    head = f"#UF3 POT UNITS: metal DATE: {time.strftime('%Y-%m-%d')} AUTHOR: snnp_examples_uf3 CITATION:\n"
    k2 = config.knots_map[pair]
    lines = [head + f"2B {el} {el} {config.leading_trim} {config.trailing_trim} nk",
             f"{config.r_max_map[pair]} {len(k2)}", " ".join(f"{v:.17g}" for v in k2),
             str(len(c2)), " ".join(f"{v:.17g}" for v in c2), "#"]
    k3 = config.knots_map[trio]
    r3 = config.r_max_map[trio]
    grid = config.decompress_3B(least_squares.arrange_coefficients(model.coefficients, config)[trio], trio)
    lines += [head + f"3B {el} {el} {el} {config.leading_trim} {config.trailing_trim} nk",
              f"{r3[2]} {r3[1]} {r3[0]} {len(k3[2])} {len(k3[1])} {len(k3[0])}",
              " ".join(f"{v:.17g}" for v in k3[2]), " ".join(f"{v:.17g}" for v in k3[1]),
              " ".join(f"{v:.17g}" for v in k3[0]), " ".join(str(s) for s in grid.shape)]
    lines += [" ".join(f"{v:.17g}" for v in grid[i, j]) for i in range(grid.shape[0]) for j in range(grid.shape[1])]
    lines.append("#")
    open(path, "w").write("\n".join(lines) + "\n")


def fit(el, out, validation, repo):
    config = basis(el)
    feats = load_features(out)
    have = set(feats.index.get_level_values(0))
    val = held_out(el, validation, repo)
    assert set(val) <= have, "validation frames not featurized"
    trn = [n for n in (f"dft_{i}" for i in range(len(read(os.path.join(repo, TRAIN.format(el)), index=":"))))
           if n in have and n not in set(val)]
    rng = np.random.default_rng(0)
    inner = set(rng.choice(trn, size=max(1, len(trn) // 10), replace=False))
    fit_part = [n for n in trn if n not in inner]
    grid = []
    e0, f0 = YARDSTICK.get(el, (2.24, 0.09))
    for r3 in (1e-6, 1e-5, 1e-4):
        for c in (1e-8, 1e-6, 1e-4):
            for w in (0.5, 0.8):
                reg = {"ridge_1b": 1e-8, "ridge_2b": 0.0, "ridge_3b": r3, "curvature_2b": c, "curvature_3b": c}
                e = errors(train(config, feats, fit_part, reg, w), feats, sorted(inner))
                grid.append((e["energy_mae_meV"] / e0 + e["force_mae"] / f0, reg, w, e))
                print(f"inner: ridge_3b {r3:g} curvature {c:g} weight {w}: "
                      f"{e['energy_mae_meV']:.2f} meV/atom {e['force_mae']:.4f} eV/A", flush=True)
    _, reg, w, _ = min(grid, key=lambda g: g[0])
    # uf3's default regularisation (ridge_3b 1e-5, curvature 1e-8) and weight 0.5, for reference
    defaults = {"ridge_1b": 1e-8, "ridge_2b": 0.0, "ridge_3b": 1e-5, "curvature_2b": 1e-8, "curvature_3b": 1e-8}
    at_defaults = errors(train(config, feats, trn, defaults, 0.5), feats, val)
    model = train(config, feats, trn, reg, w)
    result = {"element": el, "train_frames": len(trn), "validation_frames": len(val),
              "regularizer": reg, "weight": w, "validation": errors(model, feats, val),
              "training": errors(model, feats, trn),
              "selection": f"min over the grid of inner energy MAE / {e0} + force MAE / {f0} (GAP's test MAE"
                           f"{'' if el in YARDSTICK else ' of Mo'})",
              "validation_uf3_defaults_weight_0.5": at_defaults,
              "one_body_eV": float(model.coefficients[0])}
    model.to_json(os.path.join(out, f"{el}.uf3.json"))
    write_lammps(model, config, el, os.path.join(out, f"{el}.uf3"))
    json.dump(result, open(os.path.join(out, "result.json"), "w"), indent=1)
    print(json.dumps(result, indent=1))


def check(el, out, validation, lmp):
    """LAMMPS (pair_style uf3, OUTDIR/<El>.uf3) against uf3's own prediction on the
    validation frames: energy per atom (LAMMPS + N x the 1-body term) and forces."""
    import subprocess
    import tempfile
    from ase.io import write
    model = least_squares.WeightedLinearModel.from_json(os.path.join(out, f"{el}.uf3.json"))
    feats = load_features(out)
    one = json.load(open(os.path.join(out, "result.json")))["one_body_eV"]
    worst_e = worst_f = 0.0
    tmp = tempfile.mkdtemp()
    names = held_out(el, validation, os.environ.get("REPO", "."))
    full = read(os.path.join(os.environ.get("REPO", "."), TRAIN.format(el)), index=":")
    for name in names:
        atoms = full[int(name.split("_")[1])]
        xe, ye, n, xf, yf = split_rows(feats, [name])
        e_uf3 = float(model.predict(xe)[0])
        f_uf3 = model.predict(xf).reshape(3, -1).T  # uf3 rows: fx of all atoms, then fy, fz
        data = os.path.join(tmp, "frame.data")
        write(data, atoms, format="lammps-data", specorder=[el])
        inp = os.path.join(tmp, "in")
        open(inp, "w").write(f"units metal\natom_style atomic\nboundary p p p\nread_data {data}\nmass 1 1.0\n"
                             f"pair_style uf3 3\npair_coeff * * {os.path.join(out, el + '.uf3')} {el}\n"
                             f"compute f all property/atom fx fy fz\nthermo_style custom step pe\nrun 0\n"
                             f"print \"@@PE $(pe:%.10f)\"\nwrite_dump all custom {tmp}/f.dump id fx fy fz modify sort id format float %.10f\n")
        subprocess.run([lmp, "-in", inp, "-log", os.path.join(tmp, "log"), "-screen", "none"], check=True)
        pe = float([l for l in open(os.path.join(tmp, "log")) if l.startswith("@@PE")][0].split()[1])
        f_lmp = np.loadtxt(os.path.join(tmp, "f.dump"), skiprows=9)[:, 1:]
        # ase's lammps-data writer may rotate a triclinic cell: compare force norms, then components
        worst_e = max(worst_e, abs(pe + len(atoms) * one - e_uf3) / len(atoms))
        worst_f = max(worst_f, float(np.max(np.abs(np.linalg.norm(f_lmp, axis=1) - np.linalg.norm(f_uf3, axis=1)))))
    print(f"{len(names)} validation frames: LAMMPS vs uf3 max |dE| {worst_e:.2e} eV/atom, "
          f"max ||F_lmp|-|F_uf3|| {worst_f:.2e} eV/A")


def ablate(el, out, validation, repo):
    """Which part of UF3 fits the data: the fit's regulariser and weight (result.json)
    refitted with whole blocks of features left out (their columns zeroed, so the rest
    is the exact least-squares optimum without them); MAE on the validation frames."""
    config = basis(el)
    feats = load_features(out)
    chosen = json.load(open(os.path.join(out, "result.json")))
    val = held_out(el, validation, repo)
    trn = [n for n in set(feats.index.get_level_values(0)) if n not in set(val)]
    size, start = config.get_interaction_partitions()
    pair, trio = (el, el), (el, el, el)
    columns = list(feats.columns[1:])  # after y: n_<el>, then the 2-body and 3-body blocks
    two = columns[start[pair]:start[pair] + size[pair]]
    three = columns[start[trio]:start[trio] + size[trio]]
    knots = config.knots_map[pair]
    r3 = SETTINGS.get(el, 4.0)
    beyond = lambda rc: [c for i, c in enumerate(two) if knots[i + 4] > rc + 1e-9]  # support [k_i, k_i+4]
    variants = [(f"2-body to {knots[-1]:.1f} A + 3-body to {r3} A (the fit)", []),
                (f"2-body to {knots[-1]:.1f} A, no 3-body", three),
                (f"2-body to {r3} A, no 3-body", three + beyond(r3)),
                (f"2-body to {r3} A + 3-body to {r3} A", beyond(r3)),
                (f"2-body to {r3 - 0.5} A + 3-body to {r3} A", beyond(r3 - 0.5))]
    print(f"| UF3 {el}, exact least squares | validation E / F MAE (meV/atom / eV/A) | training E / F |")
    print("|---|---|---|")
    for label, drop in variants:
        f = feats.copy()
        f[drop] = 0.0
        model = train(config, f, trn, chosen["regularizer"], chosen["weight"])
        v, t = errors(model, f, val), errors(model, f, trn)
        print(f"| {label} | {v['energy_mae_meV']:.2f} / {v['force_mae']:.4f} | "
              f"{t['energy_mae_meV']:.2f} / {t['force_mae']:.4f} |", flush=True)


if __name__ == "__main__":
    stage, el, out = sys.argv[1:4]
    repo = os.environ.get("REPO", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    repo = os.path.abspath(repo)
    if stage == "featurize":
        featurize(el, out, repo, sys.argv[4] if len(sys.argv) > 4 else None)
    elif stage == "ablate":
        ablate(el, out, sys.argv[4], repo)
    elif stage == "check":
        check(el, out, sys.argv[4], sys.argv[5])
    else:
        fit(el, out, sys.argv[4], repo)
