"""The frames of an extended-XYZ file: the minimal subset the mlearn files and
examples/data use (Lattice, energy, stress, config_type, description, forces).
Standard library only; for general files use ase.io.read."""

import re
from pathlib import Path


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
    """The frames of an extended-XYZ file as dicts: n, cell (3 rows, Å), energy (eV),
    stress (9 values or None), config_type, description; with forces=True each also
    carries its forces (eV/Å, one [fx, fy, fz] per atom)."""
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
        config = re.search(r"config_type=(\S+)", header)
        frame = {
            "n": n,
            "cell": [cell[0:3], cell[3:6], cell[6:9]],
            "energy": float(re.search(r"energy=(\S+)", header).group(1)),
            "stress": [float(x) for x in stress.group(1).split()] if stress else None,
            "config_type": config.group(1) if config else "",
            "description": desc.group(1) if desc else "",
        }
        if forces:
            c = forces_column(header)
            frame["forces"] = [[float(x) for x in line.split()[c:c + 3]] for line in lines[i + 2:i + 2 + n]]
        yield frame
        i += n + 2
