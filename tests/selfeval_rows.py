"""Real self-evaluation rows (tests/data/selfeval_rows.json) as reports the KPI8 rules run on.

The rows were transcribed by hand from self-evaluation documents of the shared corpus, every
field as printed, the way the parser is to read them (`Indicator.actual/weight/score/
deviation_reason`, `Project.funds/total_*`). They stand in for the parser until it reads these
fields, and stay afterwards as the reviewer's verdict on each document: `expected` are the KPI8
findings a reviewer accepts; any other KPI8 finding on them is a false alarm.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpicheck.models import FileReport, Funds, Indicator, Project
from kpicheck.pipeline import understand

DATA = Path(__file__).parent / "data" / "selfeval_rows.json"


def documents() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["documents"]


def report_of(doc: dict[str, Any]) -> FileReport:
    """One document's rows as a FileReport (parsed and classified, no findings yet)."""
    projects, indicators = [], []
    for p in doc["projects"]:
        funds = Funds.model_validate(p["funds"]) if p.get("funds") else None
        projects.append(Project(name=p["name"] or "", funds=funds, total_weight=p.get("total_weight"),
                                total_score=p.get("total_score"), budget_year=doc.get("budget_year")))
        for row in p["indicators"]:
            n = len(indicators) + 1
            indicators.append(Indicator(id=f"I{n:04d}", project=p["name"] or "", line=n, **row))
    understand(indicators)
    return FileReport(path=f"{doc['doc']}.txt", budget_year=doc.get("budget_year"),
                      truncated=doc.get("truncated"), projects=projects, indicators=indicators)


def matches(finding, expected: dict[str, Any], report: FileReport) -> bool:
    """A finding is the expected one: same code and, where given, indicator name, field, severity."""
    if finding.code != expected["code"]:
        return False
    if "name" in expected and (finding.indicator or {}).get("name") != expected["name"]:
        return False
    if "field" in expected and finding.field != expected["field"]:
        return False
    return "severity" not in expected or finding.severity == expected["severity"]
