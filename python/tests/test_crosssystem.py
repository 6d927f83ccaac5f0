"""snnp.crosssystem: normalisation to DFT, ranking of filter removals, tables and figure."""

import json
import math

import pytest

from snnp import crosssystem as cs


def result(a0=3.2, c11=500.0, c12=200.0, c44=100.0, b=300.0, ev=3.0, em=1.0):
    """A run.sh-like result (keys as run.sh writes them)."""
    return {"a0": a0, "C11_clamped": c11, "C12_clamped": c12, "C44_clamped": c44, "B": b, "Ev": ev, "Em": em,
            "C11": c11 + 1.0}


@pytest.fixture
def refs(tmp_path):
    p = tmp_path / "dft.json"
    p.write_text(json.dumps({
        "source": "test",
        "Mo": {"a0": 3.2, "C11_clamped": 400.0, "C12_clamped": 160.0, "C44_clamped": 100.0, "B": 240.0},
        "Li": {"a0": 3.4, "C11_clamped": 16.0, "C12_clamped": 14.0, "C44_clamped": -0.3, "B": 15.0},
    }))
    return cs.references(p)


def test_references_add_literature_vacancies_and_drop_li_c44(refs):
    assert set(refs) == {"Mo", "Li"}
    assert refs["Mo"]["Ev"] == 2.9 and refs["Mo"]["Em"] == 1.25
    assert math.isnan(refs["Li"]["C44_clamped"])


def test_ratios_use_clamped_constants_and_literature(refs):
    r = cs.ratios(result(), refs["Mo"])
    assert r == {"a0": 1.0, "C11": 500 / 400, "C12": 200 / 160, "C44": 1.0, "B": 300 / 240, "Ev": 3.0 / 2.9,
                 "Em": 1.0 / 1.25}
    li = cs.ratios(result(), refs["Li"])
    assert li["C44"] is None and li["Ev"] == 3.0 / 0.55
    assert cs.ratio({"a0": 3.2}, refs["Mo"], "C11") is None


def test_rank_removals_orders_by_distance_to_dft(refs):
    base = result(c12=240.0)  # 1.5 of DFT
    removed = {1: result(c12=170.0), 2: result(c12=120.0), 3: result(c12=400.0), 4: result(c12=150.0)}
    rows = cs.rank_removals(base, removed, "C12", refs["Mo"])
    assert [row["filter"] for row in rows] == [1, 4, 2, 3]
    # |150/160 - 1| = 0.0625, |170/160 - 1| = 0.0625: ties break by filter number
    assert rows[0]["error"] == pytest.approx(0.0625) and rows[1]["error"] == pytest.approx(0.0625)
    assert rows[2]["ratio"] == pytest.approx(0.75) and rows[2]["gain"] == pytest.approx(0.5 - 0.25)
    assert rows[3]["gain"] == pytest.approx(0.5 - 1.5)
    table = cs.ranking_table(rows, "C12", 240.0, 1.5)
    assert "| none | 240 | 1.500 | – | – |" in table and "| 3 | 400 | 2.500 | -1.000 | none |" in table


def test_rank_removals_flags_repairs_that_break_another_constant(refs):
    """Filter 1 repairs C12 but takes C44 from 1.00 to 0.50 of DFT: not acceptable with a
    tolerance of 0.1; filter 2 repairs less and moves C11 by 0.05 only."""
    base = result(c12=240.0)
    removed = {1: result(c12=160.0, c44=50.0), 2: result(c12=200.0, c11=520.0)}
    rows = cs.rank_removals(base, removed, "C12", refs["Mo"], tolerance=0.1)
    assert [row["filter"] for row in rows] == [1, 2]
    assert rows[0]["worst_other"] == "C44" and rows[0]["other_loss"] == pytest.approx(0.5)
    assert not rows[0]["acceptable"]
    assert rows[1]["worst_other"] == "C11" and rows[1]["other_loss"] == pytest.approx(520 / 400 - 500 / 400)
    assert rows[1]["acceptable"]
    # without a tolerance only the gain counts; a0 (another run.sh input) is never compared
    assert all(row["acceptable"] for row in cs.rank_removals(base, removed, "C12", refs["Mo"]))
    assert cs.rank_removals(base, {3: result(c12=160.0, a0=4.0)}, "C12", refs["Mo"], 0.1)[0]["worst_other"] is None
    assert "| 1 | 160 | 1.000 | +0.500 | C44 (+0.500) |" in cs.ranking_table(rows, "C12", 240.0, 1.5)


def test_rank_removals_needs_values(refs):
    with pytest.raises(ValueError, match="C12: no value for the potential without filter 2"):
        cs.rank_removals(result(), {2: {"a0": 3.1}}, "C12", refs["Mo"])
    with pytest.raises(ValueError, match="unedited"):
        cs.rank_removals({"a0": 3.1}, {}, "C12", refs["Mo"])


def test_markdown_table_and_svg(refs):
    md = cs.markdown_table({"Mo": {"before": result(), "after": result(c12=160.0)}}, refs, ["before", "after"])
    lines = md.splitlines()
    assert lines[2] == "| Mo | DFT | 3.200 | 400 | 160 | 100 | 240 | 2.900* | 1.250* |"
    assert lines[3].startswith("| Mo | before | 3.200 (1.00) | 500 (1.25) | 200 (1.25) |")
    assert "| 160 (1.00) |" in lines[4]
    svg = cs.svg([("Mo", "before", cs.ratios(result(), refs["Mo"]), False),
                  ("Mo", "after", cs.ratios(result(c11=1200.0), refs["Mo"]), True)], "t")
    assert svg.count("<polyline") == 2 and 'stroke-dasharray="6,4"' in svg
    assert "<polygon" in svg  # C11 = 3 x DFT is off the 0-2 scale
