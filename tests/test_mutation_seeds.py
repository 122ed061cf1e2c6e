"""Mutation tests: damaged copies of the real documents never crash the pipeline.

Each mutant applies one to three edits a real submission suffers (lines dropped, cells shuffled,
stray characters, lines joined or split, the file cut short, a block duplicated). The RNG is
seeded per document, so a failure names a reproducible mutant. Every mutant must be checked
without an exception, and a run through `process_path` must never produce `internal-error`.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from kpicheck.pipeline import check_document, process_path
from kpicheck.read.text import text_to_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CORPUS = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))  # beside the clone, when present
MUTANTS_PER_SEED = 30
MUTANTS_PER_CORPUS_DOC = 8
STRAY = list("|｜\t \u3000≥≤%％.,，。：:-—~（）()*×X0123456789一二三年月日万元个\x00\u200b\ufeff\u0301\U0001F600")
CELL_SPLIT = re.compile(r"(\s*\|\s*|\t|\s{2,})")


def drop_lines(lines: list[str], rng: random.Random) -> list[str]:
    return [ln for ln in lines if rng.random() > 0.15]


def shuffle_cells(lines: list[str], rng: random.Random) -> list[str]:
    out = []
    for ln in lines:
        parts = CELL_SPLIT.split(ln)
        cells, seps = parts[0::2], parts[1::2]
        if len(cells) > 1 and rng.random() < 0.3:
            rng.shuffle(cells)
            ln = "".join(c + (seps[i] if i < len(seps) else "") for i, c in enumerate(cells))
        out.append(ln)
    return out


def insert_chars(lines: list[str], rng: random.Random) -> list[str]:
    text = "\n".join(lines)
    for _ in range(rng.randint(1, 40)):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(STRAY) + text[at:]
    return text.split("\n")


def join_lines(lines: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    for ln in lines:
        if out and rng.random() < 0.2:
            out[-1] += rng.choice(["", " ", "|"]) + ln
        else:
            out.append(ln)
    return out


def split_lines(lines: list[str], rng: random.Random) -> list[str]:
    out = []
    for ln in lines:
        if len(ln) > 2 and rng.random() < 0.2:
            at = rng.randrange(1, len(ln))
            out += [ln[:at], ln[at:]]
        else:
            out.append(ln)
    return out


def truncate(lines: list[str], rng: random.Random) -> list[str]:
    keep = rng.randrange(len(lines) + 1)
    cut = lines[:keep]
    if cut and rng.random() < 0.5:
        cut[-1] = cut[-1][: rng.randrange(len(cut[-1]) + 1)]
    return cut


def duplicate_block(lines: list[str], rng: random.Random) -> list[str]:
    if not lines:
        return lines
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.randint(1, 30))
    return lines[:b] + lines[a:b] + lines[b:]


MUTATIONS = [drop_lines, shuffle_cells, insert_chars, join_lines, split_lines, truncate, duplicate_block]


def mutants(path: Path, count: int) -> list[tuple[str, str]]:
    """(description, text) for `count` reproducible mutants of the document at `path`."""
    rng = random.Random(f"kpicheck-mutation:{path.name}")
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for n in range(count):
        chosen = rng.sample(MUTATIONS, rng.randint(1, 3))
        mutated = lines
        for mutate in chosen:
            mutated = mutate(mutated, rng)
        out.append((f"{path.name} mutant {n}: {'+'.join(m.__name__ for m in chosen)}", "\n".join(mutated)))
    return out


def test_sources_are_present():
    assert len(SEEDS) == 5


def _check_all(items: list[tuple[str, str]]) -> None:
    for label, text in items:
        report = check_document(text_to_document(text, path=label))  # an exception fails with its traceback
        ids = [ind.id for ind in report.indicators]
        assert len(ids) == len(set(ids)), f"{label}: duplicate indicator ids"
        assert all(f.indicator_id is None or f.indicator_id in ids for f in report.findings), label


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seed_mutants_never_raise(path):
    _check_all(mutants(path, MUTANTS_PER_SEED))


@pytest.mark.skipif(not CORPUS, reason="shared corpus not beside this checkout")
def test_corpus_mutants_never_raise():
    _check_all([m for path in CORPUS for m in mutants(path, MUTANTS_PER_CORPUS_DOC)])


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_mutant_files_never_give_internal_error(path, tmp_path):
    for n, (label, text) in enumerate(mutants(path, 6)):
        target = tmp_path / f"m{n}.txt"
        target.write_text(text, encoding="utf-8")
        report = process_path(target)
        assert report.error is None, f"{label}: {report.error}"
