"""snnp.elements: the data and the CLI the shell drivers eval."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from snnp.elements import ALLOYS, ATOMS_PER_CELL, ELEMENTS, element, main


def run(*args):
    return subprocess.run([sys.executable, "-m", "snnp.elements", *args], capture_output=True, text=True)


def test_every_crystal_is_consistent():
    for crystal in [*ELEMENTS.values(), *ALLOYS.values()]:
        assert crystal.lattice in ATOMS_PER_CELL
        assert len(crystal.species) == len(crystal.masses) >= 1
        assert 2.0 < crystal.a0 < 7.0 and crystal.Tm > 0
    for name, crystal in ALLOYS.items():
        # masses are the elements' masses where the element is known
        for s, m in zip(crystal.species, crystal.masses):
            if s in ELEMENTS:
                assert ELEMENTS[s].mass == m


def test_field_cli():
    out = run("Mo", "a0")
    assert out.returncode == 0 and out.stdout == "3.1676\n"
    assert run("Si", "lat").stdout == "diamond\n"


def test_shell_cli_sets_variables():
    out = run("--shell", "MoNbTaW").stdout
    script = f"{out}\necho \"$species|$masses|$lat|$a|$Tm\""
    echoed = subprocess.run(["bash", "-c", script], capture_output=True, text=True).stdout.strip()
    assert echoed == "Mo Nb Ta W|95.95 92.906 180.948 183.84|bcc|3.25|3158"
    li = subprocess.run(["bash", "-c", run("--shell", "Li").stdout + "\necho $mass $a $Tm"],
                        capture_output=True, text=True).stdout.strip()
    assert li == "6.94 3.4268 453.7"


def test_fcc_elements_and_their_dft_lattice_constants():
    cu = subprocess.run(["bash", "-c", run("--shell", "Cu").stdout + "\necho $lat $a $mass $Tm"],
                        capture_output=True, text=True).stdout.strip()
    assert cu == "fcc 3.6164 63.546 1357.8"
    assert ATOMS_PER_CELL["fcc"] == 4 and element("Ni").lattice == "fcc"
    # a0 is the ground-state lattice constant that dft_reference.py reads off the data
    reference = json.loads((Path(__file__).resolve().parents[2] / "examples/properties/dft-reference.json").read_text())
    for name, crystal in ELEMENTS.items():
        assert reference[name]["lattice"] == crystal.lattice
        assert abs(reference[name]["a0"] - crystal.a0) < 5e-5, name


def test_unknown_names_fail_with_the_known_ones(capsys):
    assert main(["Xx"]) == 2
    assert "expected Mo, Li, Si, Ge, Cu, Ni, MoNbTaW, MoNb" in capsys.readouterr().err
    assert main(["Mo", "colour"]) == 2
    with pytest.raises(KeyError):
        element("Nb")
