"""Crystal data of the shipped elements and alloys: the one source of truth for the
example drivers, Python and shell alike.

    from snnp.elements import element
    element("Mo").a0                                  # 3.1676

    python3 -m snnp.elements Mo a0                    # 3.1676
    python3 -m snnp.elements --shell MoNbTaW          # species='Mo Nb Ta W' masses=... lat=bcc a=3.25 Tm=3158
    eval "$(python3 -m snnp.elements --shell Mo)"     # sets species masses lat a mass Tm in a shell script

Elements (the six mlearn elements, Zuo et al. 2020): a0 is the lattice constant of the
DFT ground state in the training data (Å), the starting point of every relaxation
(Cu, Ni: the unstrained cubic Elastic frame, their data name no "Ground state crystal";
examples/properties/dft_reference.py); Tm the experimental melting point (K); mass in g/mol.
Alloys (equiatomic random bcc, for the MD check): a0 is the Vegard average of the
elements' lattice constants (the NPT runs relax it); Tm the rule-of-mixtures average of
the elements' experimental melting points (Mo 2896, Nb 2750, Ta 3290, W 3695 K), not a
measured alloy value.
"""

import sys
from dataclasses import dataclass
from typing import Tuple

ATOMS_PER_CELL = {"bcc": 2, "fcc": 4, "diamond": 8}  # conventional cubic cell


@dataclass(frozen=True)
class Crystal:
    """An element or an equiatomic alloy: species, masses (g/mol), lattice, a0 (Å), Tm (K)."""

    name: str
    species: Tuple[str, ...]
    masses: Tuple[float, ...]
    lattice: str
    a0: float
    Tm: float

    @property
    def mass(self):
        """Mass of a pure element (g/mol)."""
        if len(self.masses) != 1:
            raise ValueError(f"{self.name} is an alloy: use masses")
        return self.masses[0]

    def shell(self):
        """Shell assignments: species masses lat a Tm, and mass for a pure element."""
        words = [f"species='{' '.join(self.species)}'", f"masses='{' '.join(str(m) for m in self.masses)}'",
                 f"lat={self.lattice}", f"a={self.a0}", f"Tm={self.Tm}"]
        if len(self.species) == 1:
            words.append(f"mass={self.mass}")
        return " ".join(words)


ELEMENTS = {c.name: c for c in (
    Crystal("Mo", ("Mo",), (95.95,), "bcc", 3.1676, 2896),
    Crystal("Li", ("Li",), (6.94,), "bcc", 3.4268, 453.7),
    Crystal("Si", ("Si",), (28.0855,), "diamond", 5.4687, 1687),
    Crystal("Ge", ("Ge",), (72.630,), "diamond", 5.7542, 1211),
    Crystal("Cu", ("Cu",), (63.546,), "fcc", 3.6164, 1357.8),
    Crystal("Ni", ("Ni",), (58.693,), "fcc", 3.5080, 1728),
)}

ALLOYS = {c.name: c for c in (
    Crystal("MoNbTaW", ("Mo", "Nb", "Ta", "W"), (95.95, 92.906, 180.948, 183.84), "bcc", 3.25, 3158),
    Crystal("MoNb", ("Mo", "Nb"), (95.95, 92.906), "bcc", 3.24, 2823),
)}


def element(name):
    """The Crystal of an element or alloy; KeyError listing the known names otherwise."""
    found = ELEMENTS.get(name) or ALLOYS.get(name)
    if found is None:
        raise KeyError(f"unknown element or alloy '{name}' (expected {', '.join([*ELEMENTS, *ALLOYS])})")
    return found


FIELDS = {"lat": "lattice", "lattice": "lattice", "a": "a0", "a0": "a0", "Tm": "Tm", "mass": "mass",
          "masses": "masses", "species": "species"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    usage = ("usage: python3 -m snnp.elements NAME [FIELD]   (FIELD: " + " ".join(sorted(set(FIELDS))) + ")\n"
             "       python3 -m snnp.elements --shell NAME   (shell assignments for eval)")
    shell = "--shell" in argv
    if shell:
        argv.remove("--shell")
    if len(argv) not in (1, 2) or (shell and len(argv) != 1) or argv[0] in ("-h", "--help"):
        print(usage, file=sys.stderr)
        return 2
    try:
        crystal = element(argv[0])
    except KeyError as error:
        print(error.args[0], file=sys.stderr)
        return 2
    if shell:
        print(crystal.shell())
    elif len(argv) == 1:
        print(crystal)
    else:
        field = FIELDS.get(argv[1])
        if field is None:
            print(f"unknown field '{argv[1]}'\n{usage}", file=sys.stderr)
            return 2
        try:
            value = getattr(crystal, field)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(" ".join(str(v) for v in value) if isinstance(value, tuple) else value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
