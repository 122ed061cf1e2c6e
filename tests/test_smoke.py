"""The pipeline runs end to end on every seed and reports unreadable files without stopping."""
from __future__ import annotations

from pathlib import Path

from kpicheck.api import check_file
from kpicheck.pipeline import process_path

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


def test_seeds_are_present():
    assert len(SEEDS) == 5


def test_missing_file_is_an_error_entry(tmp_path):
    report = process_path(tmp_path / "missing.txt")
    assert report.error is not None and report.error.code == "not-found"


def test_check_file_returns_schema_v1():
    report = check_file(SEEDS[0])
    dumped = report.model_dump(mode="json")
    assert dumped["schema_version"] == 1
    assert dumped["files"][0]["error"] is None
