"""The weights of a self-evaluation table as evidence for which column a bare number sits in.

A self-evaluation row that prints only '10 10' under 年度指标值 / 实际完成值 / 分值 / 得分 is
ambiguous on its own: the two numbers fill the first two empty columns as well as the last two.
The parse reads them as target and actual; a reviewer reads the table, sees the other rows'
分值 and the 总分 row, and knows they are a weight and a score. This module does what the reviewer
does, after a table is assembled: where reading such rows as weight and score makes the table's
weights add up to its printed total (or to 100 less the funds block's weight, or to 100), and the
reading as targets does not, the rows are read again that way. Without a total that decides, the
rows stay as parsed: the sum is the evidence, nothing else.

Two shapes of row are candidates:
- nothing in 分值 or 得分, and bare numbers (no unit, comparator or percent) in the target and
  actual columns, the second not above the first ('10 10', '10 9', '10');
- a row shifted by one: a target that is not a bare number (100%, 合格), then bare numbers in the
  actual and weight columns and nothing in 得分 (an actual '10' against a target '100%' cannot be
  compared anyway).
"""
from __future__ import annotations

from typing import Optional

from kpicheck import patterns
from kpicheck.segment.assemble import RawIndicator

_BARE = patterns.compile(r"\d{1,3}(?:\.\d+)?")
_BLANK = patterns.compile(r"[-—–/／\\无]*")  # a cell crossed out, not a weight


def _number(text: Optional[str]) -> Optional[float]:
    text = (text or "").strip()
    return float(text) if _BARE.fullmatch(text) else None


def _as_weight_score(row: RawIndicator) -> Optional[tuple[str, Optional[str]]]:
    """The (weight, score) a row's bare numbers would be, read the other way; None if it is no candidate."""
    if row.score:
        return None
    if not row.weight:
        numbers = [t for t in (row.value, row.actual) if t]
        if not numbers or any(_number(t) is None for t in numbers):
            return None
        weight, score = numbers[0].strip(), (numbers[1].strip() if len(numbers) > 1 else None)
    else:
        if not row.value or _number(row.value) is not None or _number(row.actual) is None \
                or _number(row.weight) is None:
            return None
        weight, score = row.actual.strip(), row.weight.strip()
    if score is not None and _number(score) > _number(weight):
        return None  # a score above its weight: not this reading
    return weight, score


def _close(total: float, targets: set[float]) -> bool:
    return any(abs(total - t) < 0.01 for t in targets)


def rebalance(rows: list[RawIndicator], columns: set[str], printed_total: Optional[str],
              funds_weight: Optional[str]) -> None:
    """Read candidate rows of one table as weight and score where the table's weights say so (in place)."""
    if not {"weight", "score", "value"} <= columns or not rows:
        return
    readings = [(row, _as_weight_score(row)) for row in rows]
    candidates = [(row, reading) for row, reading in readings if reading is not None]
    if not candidates:
        return
    others = [_number(row.weight) for row, reading in readings
              if reading is None and row.weight and not _BLANK.fullmatch(row.weight.strip())]
    if any(w is None for w in others):
        return  # a weight that is not a plain number: no sum to trust
    if not others and _number(printed_total) is None:
        return  # no row prints a weight, no total is printed: a sum of targets meeting 100 is chance
    as_parsed = sum(others) + sum(_number(row.weight) or 0 for row, _ in candidates)
    as_weights = sum(others) + sum(_number(reading[0]) for _, reading in candidates)
    targets = {100.0}
    if _number(printed_total) is not None:
        targets.add(_number(printed_total))
    if _number(funds_weight) is not None:
        targets.add(100.0 - _number(funds_weight))  # 预算执行率 takes its 分值 out of the 100
    if not _close(as_weights, targets) or _close(as_parsed, targets):
        return
    if len(others) + len(candidates) < 3 or any(_number(r[0]) >= min(targets) for _, r in candidates):
        return  # one '100' alone, or a weight that is the whole total, is a target, not a weight
    for row, (weight, score) in candidates:
        # where the two numbers were printed: target and actual, or (a row shifted by one) actual and weight
        moved = ("actual", "weight") if row.weight else ("value", "actual")
        places = {k: v for k, v in row.positions.items() if k not in ("value", "actual", "weight", "score")}
        if row.weight:
            places["value"] = row.positions.get("value")
        else:
            row.value = ""
        places["weight"] = row.positions.get(moved[0])
        places["score"] = row.positions.get(moved[1]) if score is not None else None
        row.positions = {k: v for k, v in places.items() if v is not None}
        row.actual, row.weight, row.score = None, weight, score
