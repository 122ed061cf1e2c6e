"""Every distinct value string of the gold annotations parses to what a reviewer reads in it.

tests/data/value_strings.json: one entry per value, with the fields that matter; a field left
out must be empty (None / False), so a stray comparator or unit is a failure too.
"""
import json
from pathlib import Path

import pytest

from kpicheck.values import parse_value

DATA = json.loads((Path(__file__).parent / "data" / "value_strings.json").read_text(encoding="utf-8"))
KEYS = ("kind", "comparator", "comparator_problem", "number", "number_problem", "approximate",
        "low", "high", "unit_canonical", "dimension", "unit_problem", "deadline", "grade",
        "binary", "vague_phrase", "placeholder", "ocr_suspect", "cadence")
EMPTY = {"approximate": False, "deadline": False}


def test_table_is_large_and_distinct():
    texts = [row["text"] for row in DATA]
    assert len(set(texts)) == len(texts) >= 150


@pytest.mark.parametrize("row", DATA, ids=[row["text"][:24] or "<empty>" for row in DATA])
def test_gold_value(row):
    pv = parse_value(row["text"])
    got = {k: getattr(pv, k) for k in KEYS}
    want = {k: row.get(k, EMPTY.get(k)) for k in KEYS}
    assert got == want
    if "dates" in row:
        assert [[d.year, d.month, d.day, d.problem] for d in pv.dates] == row["dates"]
    else:
        assert pv.dates == []
    if "numbers" in row:
        assert pv.numbers == row["numbers"]
