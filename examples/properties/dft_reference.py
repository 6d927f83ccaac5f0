#!/usr/bin/env python3
"""DFT reference properties implied by the mlearn training data itself.

    python3 examples/properties/dft_reference.py ../shared/data/mlearn > examples/properties/dft-reference.json

For each element directory <El>/train.xyz (Zuo et al. 2020, PBE):
  a0         lattice constant of the ground-state frame: the "Ground state crystal"
             (Mo, Si, Ge, Li) or, where the data name none (Cu, Ni, whose Elastic
             frames are reconstructed from the SNAP repositories), the single Elastic
             frame with an unstrained cubic cell, the cell the others are strained from
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
             Reported with the frame's volume per lattice site. Loose for Cu and
             Ni (about 11 and 12 eV): their Vacancy frames are hot AIMD snapshots
             of a 107-atom cell, about 0.1 eV/atom above the ground state.
Cu and Ni Ev, Em (no literature values in snnp.crosssystem.LITERATURE yet): none.
The frame reading and the elastic fit are snnp.extxyz and snnp.elastic (python/).
"""
import json
import sys
from pathlib import Path

from snnp.elastic import det3, elastic_fit, ground_state
from snnp.elements import ATOMS_PER_CELL, element
from snnp.extxyz import frames

ELEMENTS = ("Mo", "Si", "Ge", "Li", "Cu", "Ni")


def reference_frame(path, data):
    """The ground-state frame: the "Ground state crystal" where the data name one, else
    the one Elastic frame whose cell is cubic (equal diagonal, zero off-diagonal) at the
    most common diagonal length of the Elastic frames, i.e. their unstrained cell
    (ValueError naming the file unless exactly one)."""
    try:
        return ground_state(path, data)
    except ValueError:
        pass
    elastic = [f for f in data if f["config_type"] == "Elastic"]
    diagonal = [round(f["cell"][i][i], 6) for f in elastic for i in range(3)]
    side = max(set(diagonal), key=diagonal.count)
    cubic = [f for f in elastic
             if all(round(f["cell"][i][i], 6) == side for i in range(3))
             and all(f["cell"][i][j] == 0 for i in range(3) for j in range(3) if i != j)]
    if len(cubic) != 1:
        raise ValueError(f"{path}: no 'Ground state crystal' frame and {len(cubic)} unstrained cubic Elastic frames")
    return cubic[0]


def element_reference(el, path):
    data = list(frames(path))
    lattice = element(el).lattice
    g = reference_frame(path, data)
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
    for el in ELEMENTS:
        out[el] = element_reference(el, root / el / "train.xyz")
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
