"""snnp.ase.SNNP against `snnp eval --json` on shipped data, and its ASE conventions.
Skipped when ASE, the kernel library or the snnp executable are missing (build with
`swift build -c release`); examples/ase/check_ase.py (LAMMPS tests, check m) adds
finite differences, open clusters and slabs."""

import os
from pathlib import Path

import numpy as np
import pytest

ase_io = pytest.importorskip("ase.io")
from ase.build import bulk  # noqa: E402
from ase.calculators.calculator import CalculatorSetupError  # noqa: E402

from snnp.evaluate import default_binary, snnp_eval  # noqa: E402
from snnp.kernel import default_library_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
POTENTIAL = REPO / "potentials" / "Mo.int-all.snnp"
DATA = REPO / "examples" / "data" / "Mo-mlearn-subset.xyz"

pytestmark = pytest.mark.skipif(
    not (os.path.exists(default_library_path()) and os.path.exists(default_binary())),
    reason="no libsnnpkernel.so / snnp (swift build -c release)")


def calculator():
    from snnp.ase import SNNP
    return SNNP(POTENTIAL)


def test_matches_snnp_eval():
    frames = ase_io.read(DATA, index=":4")
    reference = snnp_eval(POTENTIAL, DATA)[:4]
    calc = calculator()
    for atoms, ref in zip(frames, reference):
        atoms.calc = calc
        assert atoms.get_potential_energy() == pytest.approx(ref["energy"], rel=1e-10)
        np.testing.assert_allclose(atoms.get_forces(), np.array(ref["forces"]), rtol=1e-9, atol=1e-10)


def test_ase_conventions():
    from snnp.ase import SNNP
    assert {"energy", "free_energy", "energies", "forces", "stress"} <= set(SNNP.implemented_properties)
    atoms = bulk("Mo", "bcc", a=3.16, cubic=True).repeat(2)
    atoms.rattle(0.02, seed=3)
    atoms.calc = calculator()
    energy = atoms.get_potential_energy()
    assert atoms.calc.get_property("free_energy", atoms) == energy
    assert atoms.calc.get_property("energies", atoms).sum() == pytest.approx(energy, rel=1e-12)
    assert atoms.get_forces().shape == (len(atoms), 3)
    assert atoms.get_stress().shape == (6,)


def test_setup_errors_name_the_problem(tmp_path):
    from snnp.ase import SNNP
    with pytest.raises(CalculatorSetupError, match="missing.snnp"):
        SNNP(tmp_path / "missing.snnp")
    atoms = bulk("W", "bcc", a=3.17)
    atoms.calc = calculator()
    with pytest.raises(CalculatorSetupError, match="W"):
        atoms.get_potential_energy()
