"""Read a rendered document with kpicheck and score it against its expected indicators, with the
matching of ../shared/eval/score.py (its own functions, imported)."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .render import SHARED, Rendered

sys.path.insert(0, str(SHARED / "eval"))
from score import indicator_score, norm  # noqa: E402  (the scorer's own matching)


def extract(doc: Rendered, tmp: Path, name: str = "doc") -> tuple[list[dict], str | None]:
    """kpicheck's indicators for the document (extract_text, or extract_file for .xlsx/.docx),
    and the file error code if it reported one."""
    preds, error, _ = extract_with_unread(doc, tmp, name)
    return preds, error


def extract_with_unread(doc: Rendered, tmp: Path, name: str = "doc") -> tuple[list[dict], str | None, int]:
    """As `extract`, and how many regions kpicheck reported it could not read (KPI100)."""
    from kpicheck.api import extract_file, extract_text

    if doc.text is not None:
        report = extract_text(doc.text, path=f"{name}.txt")
    else:
        report = extract_file(doc.write(Path(tmp) / f"{name}{doc.suffix}"))
    f = report.files[0]
    return [i.model_dump(mode="json") for i in f.indicators], (f.error.code if f.error else None), len(f.unread)


def same_project(gold: str, pred: str | None) -> bool:
    g, p = norm(gold), norm(pred)
    return bool(p) and (g == p or (len(p) >= 4 and (g in p or p in g)))


class _Keys:
    """An indicator's normalised name and name+value, with their character counts."""

    __slots__ = ("name", "joined", "name_counts", "joined_counts")

    def __init__(self, ind: dict):
        self.name = norm(ind.get("name"))
        self.joined = norm((ind.get("name") or "") + (ind.get("value") or ""))
        self.name_counts = Counter(self.name)
        self.joined_counts = Counter(self.joined)


def _bound(a: str, b: str, ca: Counter, cb: Counter) -> float:
    """An upper bound of score.py's similar() on normalised strings (difflib's quick_ratio)."""
    if not a or not b:
        return 0.0
    if a == b or a in b or b in a:
        return 1.0
    return 2 * sum((ca & cb).values()) / (len(a) + len(b))


def _may_match(g: _Keys, p: _Keys) -> bool:
    """False only where indicator_score < 0.7 for certain: a score of 0.7 needs a name
    similarity of 0.5 (0.6·name + 0.4 ≥ 0.7) or one of 0.737 for name and value joined
    (0.95·joined ≥ 0.7)."""
    return (_bound(g.name, p.name, g.name_counts, p.name_counts) >= 0.5
            or _bound(g.joined, p.joined, g.joined_counts, p.joined_counts) >= 0.7 / 0.95)


def match(expected: list[dict], preds: list[dict], threshold: float = 0.7) -> dict[int, int]:
    """score.py's greedy matching, ties (one name and value in two projects) broken by project.
    Pairs that cannot reach 0.7 are skipped before difflib (most of the time otherwise)."""
    gk, pk = [_Keys(g) for g in expected], [_Keys(p) for p in preds]
    pairs = []
    for gi, g in enumerate(expected):
        for pi, p in enumerate(preds):
            if threshold >= 0.7 and not _may_match(gk[gi], pk[pi]):
                continue
            s = indicator_score(g, p)
            if s >= threshold:
                pairs.append((s + 0.002 * same_project(g["project"], p.get("project")), gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out[gi] = pi
    return out


@dataclass
class DocScore:
    gold: int
    pred: int
    matched: int
    value: int  # matched with exactly the expected value (score.py's value_exact)
    declared1: int  # matched with the declared 一级 the printed label folds to (None without labels)
    declared2: int
    category: int  # matched whose kpicheck category is one of gold's l1
    error: str | None
    missed: list = field(default_factory=list)  # expected dicts
    spurious: list = field(default_factory=list)  # predicted dicts matching nothing
    wrong: list = field(default_factory=list)  # (what, expected, predicted)

    @property
    def f1(self) -> float:
        return 2 * self.matched / (self.gold + self.pred) if self.gold + self.pred else 1.0


def score_document(expected: list[dict], preds: list[dict], error: str | None = None) -> DocScore:
    m = match(expected, preds)
    s = DocScore(len(expected), len(preds), len(m), 0, 0, 0, 0, error)
    for gi, g in enumerate(expected):
        if gi not in m:
            s.missed.append(g)
            continue
        p = preds[m[gi]]
        ok_value = norm(p.get("value")) == norm(g["value"])
        ok1 = p.get("declared_level1") == g["declared_l1"]
        ok2 = p.get("declared_level2") == g["declared_l2"]
        s.value += ok_value
        s.declared1 += ok1
        s.declared2 += ok2
        s.category += p.get("category") in (g.get("l1") or [])
        if not ok_value:
            s.wrong.append(("value", g, p))
        if not ok1:
            s.wrong.append(("declared", g, p))
    used = set(m.values())
    s.spurious = [p for pi, p in enumerate(preds) if pi not in used]
    return s


@dataclass
class Tally:
    docs: int = 0
    gold: int = 0
    pred: int = 0
    matched: int = 0
    value: int = 0
    declared1: int = 0
    declared2: int = 0
    category: int = 0
    errors: int = 0

    def add(self, s: DocScore) -> None:
        self.docs += 1
        self.errors += s.error is not None
        for k in ("gold", "pred", "matched", "value", "declared1", "declared2", "category"):
            setattr(self, k, getattr(self, k) + getattr(s, k))

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    def share(self, key: str) -> float:
        return getattr(self, key) / self.matched if self.matched else 0.0
