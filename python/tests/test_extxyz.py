"""snnp.extxyz reads the shipped data subsets."""

from pathlib import Path

import pytest

from snnp.extxyz import forces_column, frames

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def test_reads_every_frame_with_forces():
    data = list(frames(DATA / "Mo-mlearn-subset.xyz", forces=True))
    assert len(data) > 10
    for f in data:
        assert len(f["forces"]) == f["n"] and all(len(row) == 3 for row in f["forces"])
        assert len(f["cell"]) == 3 and f["energy"] < 0
        assert f["config_type"]


def test_forces_column_counts_property_widths():
    assert forces_column('Properties=species:S:1:pos:R:3:forces:R:3 energy=-1') == 4
    with pytest.raises(ValueError):
        forces_column('Properties=species:S:1:pos:R:3')
