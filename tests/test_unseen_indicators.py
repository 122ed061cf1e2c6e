"""Invented indicators from sectors and value forms the seeds and corpus do not show
(tests/data/unseen_indicators.tsv): a well-formed target must draw no error or warning, and a
defective one must draw a finding of the family named in the fixture."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kpicheck.api import check_indicators

DATA = Path(__file__).parent / "data" / "unseen_indicators.tsv"


def _rows() -> list[dict]:
    with DATA.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


ROWS = _rows()


@pytest.fixture(scope="module")
def findings_by_row() -> dict[str, list]:
    """Every row checked once, each as the only indicator of its own project."""
    indicators = [{"id": f"r{i}", "project": f"项目{i}", "declared_level1": r["declared_l1"],
                   "declared_level2": r["declared_l2"], "name": r["name"], "value": r["value"]}
                  for i, r in enumerate(ROWS)]
    report = check_indicators(indicators, budget_year=2023).files[0]
    assert report.error is None
    by_row: dict[str, list] = {}
    for f in report.findings:
        by_row.setdefault(f.indicator_id, []).append(f)
    return by_row


def test_fixture_is_broad():
    ok = [r for r in ROWS if r["expect"] == "ok"]
    assert len(ok) >= 300 and len(ROWS) - len(ok) >= 100
    assert {r["expect"] for r in ROWS} <= {"ok", "KPI1", "KPI2", "KPI3", "KPI4", "KPI5", "KPI6", "KPI7"}
    assert len({tuple(r.values()) for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("i", [i for i, r in enumerate(ROWS) if r["expect"] == "ok"],
                         ids=lambda i: f"{ROWS[i]['name']}={ROWS[i]['value']}")
def test_well_formed_target_draws_no_alarm(i, findings_by_row):
    alarms = [f"{f.code} {f.message}" for f in findings_by_row.get(f"r{i}", [])
              if f.severity in ("error", "warning")]
    assert not alarms


@pytest.mark.parametrize("i", [i for i, r in enumerate(ROWS) if r["expect"] != "ok"],
                         ids=lambda i: f"{ROWS[i]['name']}={ROWS[i]['value']}")
def test_defective_target_is_reported(i, findings_by_row):
    codes = [f.code for f in findings_by_row.get(f"r{i}", [])]
    assert any(c.startswith(ROWS[i]["expect"]) for c in codes), codes
