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


def committee_file(tmp_path, heads=3):
    """The shipped Mo file as a committee of `heads` networks: copies of its network with
    the output layer scaled by 1, 1.1, 1.2, ... (so the heads disagree); its training
    domain is kept."""
    lines = POTENTIAL.read_text().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("regressor Mo network"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].split()[0] in ("layer", "row"))
    block = lines[start:end]
    last_layer = max(i for i, l in enumerate(block) if l.startswith("layer"))
    copies = []
    for h in range(heads):
        scale = 1 + 0.1 * h
        copies += [(" ".join(["row"] + [repr(float(v) * scale) for v in l.split()[1:]]) if i > last_layer else l)
                   for i, l in enumerate(block)]
    path = tmp_path / "Mo.committee.snnp"
    path.write_text("\n".join(lines[:start] + [f"committee {heads}"] + copies + lines[end:]) + "\n")
    return path


def test_uncertainty_matches_snnp_eval(tmp_path):
    from snnp.ase import SNNP
    path = committee_file(tmp_path)
    frames = ase_io.read(DATA, index=":3")
    reference = snnp_eval(path, DATA)[:3]
    calc = SNNP(path)
    assert calc.model.head_count == 3 and calc.model.has_domain
    for atoms, ref in zip(frames, reference):
        atoms.calc = calc
        sigmas = calc.get_property("sigmas", atoms)
        np.testing.assert_allclose(sigmas, ref["sigmas"], rtol=1e-10, atol=1e-12)
        assert sigmas.max() > 0
        assert calc.get_property("energy_spread", atoms) == pytest.approx(ref["energy_spread"], rel=1e-9)
        np.testing.assert_allclose(calc.get_property("grades", atoms), ref["grades"], rtol=1e-8)
        np.testing.assert_array_equal(calc.get_property("close_flags", atoms), ref["close_flags"])
        assert atoms.get_potential_energy() == pytest.approx(ref["energy"], rel=1e-10)


def test_grades_without_domain_name_calibrate(tmp_path):
    from ase.calculators.calculator import PropertyNotImplementedError
    from snnp.ase import SNNP
    lines = [l for l in POTENTIAL.read_text().splitlines()
             if l.split()[:1] not in (["training_domain"], ["min"], ["max"], ["active"], ["closest_approach"])]
    path = tmp_path / "Mo.nodomain.snnp"
    path.write_text("\n".join(lines) + "\n")
    atoms = bulk("Mo", "bcc", a=3.16, cubic=True).repeat(2)
    atoms.calc = SNNP(path)
    assert atoms.calc.get_property("sigmas", atoms).max() == 0  # one head: no spread
    with pytest.raises(PropertyNotImplementedError, match="snnp calibrate"):
        atoms.calc.get_property("grades", atoms)


def test_bad_geometry_gives_clear_errors():
    """Issue 25's ASE cases: a near-singular cell and coincident atoms are errors (they
    used to loop forever and to give inf); a slab with a zero c vector (pbc T T F) is
    evaluated like the same slab with any c."""
    from ase import Atoms
    from ase.calculators.calculator import CalculationFailed
    calc = calculator()
    flat = Atoms("Mo", positions=[[0, 0, 0]], cell=[[9.45, 0, 0], [0, 9.45, 0], [9.45, 9.45, 1e-9]], pbc=True)
    flat.calc = calc
    with pytest.raises(CalculationFailed, match="singular"):
        flat.get_potential_energy()
    tiny = Atoms("Mo", positions=[[0, 0, 0]], cell=[0.1, 0.1, 0.1], pbc=True)
    tiny.calc = calc
    with pytest.raises(CalculationFailed, match="too small for the cutoff|neighbours"):
        tiny.get_potential_energy()
    pair = Atoms("Mo2", positions=[[1, 1, 1], [1, 1, 1]], cell=[6, 6, 6], pbc=True)
    pair.calc = calc
    with pytest.raises(CalculationFailed, match="same position"):
        pair.get_potential_energy()
    slab = bulk("Mo", "bcc", a=3.16, cubic=True).repeat((2, 2, 2))
    slab.pbc = (True, True, False)
    tall = slab.copy()
    tall.cell[2] = [0, 0, 30]
    slab.cell[2] = [0, 0, 0]
    slab.calc = calculator()
    tall.calc = calculator()
    assert slab.get_potential_energy() == pytest.approx(tall.get_potential_energy(), rel=1e-12)
