#!/usr/bin/env python3
"""DFT reference properties implied by the mlearn training data itself.

    python3 examples/properties/dft_reference.py ../shared/data/mlearn > examples/properties/dft-reference.json

For each element directory <El>/train.xyz (Zuo et al. 2020, PBE):
  a0         lattice constant of the "Ground state crystal" frame
  C11 C12 C44, B
             clamped-ion elastic constants from a least-squares fit of the DFT
             stress of the "Elastic" frames with |strain| <= 2 % against the
             strain of their cell relative to the ground-state cell of the same
             size (sigma = sigma0 + C eps, cubic symmetry). The Elastic frames
             keep the atoms at the homogeneously strained positions (their DFT
             forces are not zero under shear in diamond), so these are the
             clamped-ion constants; compare them with in.elastic's *_clamped.
Vacancy energies are not derivable from the data: its 'Vacancy' frames are
AIMD snapshots (Si and Ge partly in other cells) whose energies scatter by
several eV per frame, and it holds no relaxed vacancy or migration path. They
do bound Ev from above:
  Ev_upper_bound  min over Vacancy frames of E_frame - n e0 (n atoms, e0 the
             ground-state energy per atom): the relaxed vacancy in that cell is
             no higher than the snapshot, and the perfect crystal in that cell
             no lower than n e0 + e0, so Ev in that cell is at most this.
             Reported with the frame's volume per lattice site.
Standard library only; the extxyz parsing is the minimal subset these files use.
"""
import json
import math
import re
import subprocess
import sys
from pathlib import Path

EV_PER_A3_TO_GPA = 160.21766208
ATOMS_PER_CELL = {"bcc": 2, "diamond": 8}
LATTICE = {"Mo": "bcc", "Li": "bcc", "Si": "diamond", "Ge": "diamond"}


def forces_column(header):
    """First column of the forces:R:3 property in an extended-XYZ comment line."""
    properties = re.search(r"Properties=(\S+)", header).group(1).split(":")
    column = 0
    for name, kind, width in zip(properties[0::3], properties[1::3], properties[2::3]):
        if name == "forces":
            return column
        column += int(width)
    raise ValueError(f"no forces in Properties={':'.join(properties)}")


def frames(path, forces=False):
    """The frames of an extended-XYZ file; with forces=True each also carries its DFT
    forces (eV/A, one [fx, fy, fz] per atom)."""
    lines = Path(path).read_text().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        n = int(lines[i])
        header = lines[i + 1]
        cell = [float(x) for x in re.search(r'Lattice="([^"]*)"', header).group(1).split()]
        stress = re.search(r'stress="([^"]*)"', header)
        desc = re.search(r'description="([^"]*)"', header)
        frame = {
            "n": n,
            "cell": [cell[0:3], cell[3:6], cell[6:9]],
            "energy": float(re.search(r"energy=(\S+)", header).group(1)),
            "stress": [float(x) for x in stress.group(1).split()] if stress else None,
            "config_type": re.search(r"config_type=(\S+)", header).group(1),
            "description": desc.group(1) if desc else "",
        }
        if forces:
            c = forces_column(header)
            frame["forces"] = [[float(x) for x in line.split()[c:c + 3]] for line in lines[i + 2:i + 2 + n]]
        yield frame
        i += n + 2


def det3(m):
    """Determinant of a 3x3 matrix (rows): a cell's signed volume."""
    a, b, c = m
    return (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
            + a[2] * (b[0] * c[1] - b[1] * c[0]))


def inverse3(m):
    a, b, c = m
    det = det3(m)
    cof = [[b[1] * c[2] - b[2] * c[1], a[2] * c[1] - a[1] * c[2], a[1] * b[2] - a[2] * b[1]],
           [b[2] * c[0] - b[0] * c[2], a[0] * c[2] - a[2] * c[0], a[2] * b[0] - a[0] * b[2]],
           [b[0] * c[1] - b[1] * c[0], a[1] * c[0] - a[0] * c[1], a[0] * b[1] - a[1] * b[0]]]
    return [[cof[i][j] / det for j in range(3)] for i in range(3)]


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def small_strain(cell0, cell):
    """eps = sym(F) - I with cell rows a_i' = a_i F^T, i.e. F^T = cell0^-1 cell."""
    ft = matmul(inverse3(cell0), cell)
    return [[0.5 * (ft[i][j] + ft[j][i]) - (1.0 if i == j else 0.0) for j in range(3)] for i in range(3)]


def lstsq(rows, rhs):
    """Normal-equation least squares for a few unknowns; returns (x, rms residual)."""
    k = len(rows[0])
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    atb = [sum(r[i] * y for r, y in zip(rows, rhs)) for i in range(k)]
    # Gauss-Jordan
    m = [ata[i] + [atb[i]] for i in range(k)]
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(k):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    x = [m[i][k] / m[i][i] for i in range(k)]
    res = [sum(a * b for a, b in zip(r, x)) - y for r, y in zip(rows, rhs)]
    return x, math.sqrt(sum(e * e for e in res) / len(res))


def elastic_fit(data, g):
    """Clamped-ion C11, C12, C44 (GPa), residual stress sigma0 (GPa), the fit's rms
    (normal, shear; GPa) and the number of frames used: least squares of the stress of
    the "Elastic" frames of g's size with |strain| <= 2 % against their strain relative
    to the ground-state frame g (sigma = sigma0 + C eps, cubic symmetry)."""
    normal_rows, normal_rhs, shear_rows, shear_rhs = [], [], [], []
    used = 0
    for f in data:
        if f["config_type"] != "Elastic" or f["n"] != g["n"] or f["stress"] is None:
            continue
        eps = small_strain(g["cell"], f["cell"])
        if max(abs(e) for row in eps for e in row) > 0.0201:
            continue
        s = [[f["stress"][3 * i + j] * EV_PER_A3_TO_GPA for j in range(3)] for i in range(3)]
        for i in range(3):
            others = sum(eps[j][j] for j in range(3) if j != i)
            normal_rows.append([eps[i][i], others, 1.0])
            normal_rhs.append(s[i][i])
        for i, j in ((1, 2), (0, 2), (0, 1)):
            shear_rows.append([2 * eps[i][j], 1.0])
            shear_rhs.append(s[i][j])
        used += 1
    (c11, c12, s0), rms_n = lstsq(normal_rows, normal_rhs)
    (c44, _), rms_s = lstsq(shear_rows, shear_rhs)
    return c11, c12, c44, s0, rms_n, rms_s, used


def snnp_eval(potential, data, frame_count, binary=".build/release/snnp"):
    """`snnp eval POTENTIAL DATA --json`: per-frame model energy, forces, stress and the
    reference energy of every frame of DATA, in order; exits unless that is frame_count
    frames (the number the caller's own reading of DATA found)."""
    run = subprocess.run([binary, "eval", potential, data, "--json"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{binary} eval {potential} {data} failed (exit {run.returncode}): {run.stderr.strip()}")
    model = json.loads(run.stdout)["frames"]
    if len(model) != frame_count:
        sys.exit(f"{data}: {frame_count} frames read here, {len(model)} by snnp eval")
    return model


def ground_state(path, data):
    """The single "Ground state crystal" frame of the data (exits naming the file otherwise)."""
    ground = [f for f in data if f["config_type"] == "Elastic" and f["description"] == "Ground state crystal"]
    if len(ground) != 1:
        raise SystemExit(f"{path}: expected one 'Ground state crystal' frame, found {len(ground)}")
    return ground[0]


def element_reference(el, path):
    data = list(frames(path))
    lattice = LATTICE[el]
    g = ground_state(path, data)
    cells = round((g["n"] / ATOMS_PER_CELL[lattice]) ** (1 / 3))
    a0 = g["cell"][0][0] / cells

    c11, c12, c44, s0, rms_n, rms_s, used = elastic_fit(data, g)

    e0 = g["energy"] / g["n"]
    vacancies = [f for f in data if f["config_type"] == "Vacancy"]
    bound = min(vacancies, key=lambda f: f["energy"] - f["n"] * e0)
    volume = abs(det3(bound["cell"]))
    return {
        "lattice": lattice,
        "Ev_upper_bound": round(bound["energy"] - bound["n"] * e0, 3),
        "Ev_bound_volume_per_site": round(volume / (bound["n"] + 1), 3),
        "volume_per_atom_ground": round(abs(g["cell"][0][0] * g["cell"][1][1] * g["cell"][2][2]) / g["n"], 3),
        "a0": round(a0, 5),
        "C11_clamped": round(c11, 1), "C12_clamped": round(c12, 1), "C44_clamped": round(c44, 1),
        "B": round((c11 + 2 * c12) / 3, 1),
        "residual_stress_GPa": round(s0, 2),
        "fit_rms_GPa": {"normal": round(rms_n, 2), "shear": round(rms_s, 2)},
        "elastic_frames": used,
    }


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mlearn")
    out = {"source": "Zuo et al. 2020 mlearn training data (PBE), reduced by examples/properties/dft_reference.py"}
    for el in ("Mo", "Si", "Ge", "Li"):
        out[el] = element_reference(el, root / el / "train.xyz")
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
