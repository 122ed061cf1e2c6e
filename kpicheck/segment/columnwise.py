"""Self-evaluation tables whose cells a PDF extractor printed a column block at a time.

Text taken from a PDF often comes out in the order the cells were drawn, not row by row: every
row's figures first ('=100% 100% 10 10  =100% 100% 20 20  及时 及时 20 20 …'), then the names
and category labels ('合同结算条款完成率 费用结算及时性 …'). Read row by row, such a table gives
figures without names and names without figures. A reviewer pairs them in order, and so does
this module: where a self-evaluation table holds a run of at least three complete rows of
figures (target, actual, 分值, 得分 in the heading's order, nothing between them) and exactly as
many names around them, the i-th name gets the i-th row of figures, and the i-th 二级 label when
the labels are as many. The counts agreeing is the evidence; without it the parse stands.

A name broken by the extractor ('与委托运营方结算完成' … '率') has its lone character joined back
to the name before it."""
from __future__ import annotations

from typing import Optional

from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.assemble import RawIndicator, clean_name, position_of
from kpicheck.segment.atoms import Atom

_FIGURES = ("value", "actual", "weight", "score")
_MIN_ROWS = 3
_REACH = 160  # atoms after the heading a table's dump may take
_LABELS_BEFORE = 3  # a first 二级 label printed among the heading's words


def _number(text: str) -> Optional[float]:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _target_like(text: str) -> bool:
    """What a target or an actual cell holds: a figure, a comparator, a grade, a short word."""
    return R.value_like(text) >= 2.0 or (C.cjk_count(text) <= 4 and not R.label_of(text)
                                         and R.name_score(text) <= 0 and R.junk_kind(text) is None)


def _fits(atoms: list[Atom], k: int, order: list[str]) -> bool:
    """Whether atoms k… hold one row's figures in the heading's order."""
    if k + len(order) > len(atoms):
        return False
    for j, role in enumerate(order):
        text = atoms[k + j].text
        if not text:
            return False
        if role in ("weight", "score"):
            if _number(text) is None:
                return False
        elif not _target_like(text):
            return False
    return True


def _consistent(atoms: list[Atom], k: int, order: list[str]) -> bool:
    """Whether the row of figures at atom k scores no more than its weight (a score above it is a
    defect to report, not a reason to misread the row, but a run in phase has fewer of them)."""
    weight, score = (_number(atoms[k + order.index(role)].text) for role in ("weight", "score"))
    return score <= weight + 1e-9


def _longest_run(atoms: list[Atom], lo: int, hi: int, order: list[str]) -> tuple[int, int]:
    """(first atom, rows) of the longest run of figure rows back to back in [lo, hi); of runs as
    long, the one whose scores stay within their weights most often (the one in phase)."""
    best, best_key = (lo, 0), (0, 0)
    for k in range(lo, hi):
        rows = consistent = 0
        j = k
        while j + len(order) <= hi and _fits(atoms, j, order):
            rows += 1
            consistent += _consistent(atoms, j, order)
            j += len(order)
        if (rows, consistent) > best_key:
            best, best_key = (k, rows), (rows, consistent)
    return best


def read(atoms: list[Atom], heading_lo: int, hi: int,
         roles: list[str]) -> Optional[tuple[int, list[RawIndicator]]]:
    """The rows of a self-evaluation printed column block by column block, and the atom from
    which they replace what the parse read; None where the table is no such dump."""
    order = [r for r in roles if r in _FIGURES]
    if sorted(order) != sorted(_FIGURES):
        return None
    hi = min(hi, heading_lo + _REACH, len(atoms))
    start, rows = _longest_run(atoms, heading_lo, hi, order)
    if rows < _MIN_ROWS:
        return None
    stop = start + rows * len(order)
    names: list[list[int]] = []
    labels = []
    for k in range(max(0, heading_lo - _LABELS_BEFORE), hi):
        if start <= k < stop:
            continue
        text = atoms[k].text
        if not text:
            continue
        label = R.label_of(text)
        if label is not None:
            if label.level == 2:
                labels.append(label)
            continue
        if k < heading_lo:
            continue  # before the heading only its labels count ('一级指标 二级指标 数量指标 三级指标')
        junk = R.junk_kind(text)
        if junk is not None or R.header_fragment(text):
            if junk == "total" and k > stop:
                break  # the 总分 row closes the table
            continue
        if C.cjk_count(text) == 1 and len(text.strip()) == 1 and names:
            names[-1].append(k)  # '率': the end of a name the extractor broke off
        elif R.name_score(text) > 0:
            names.append([k])
    after = [parts for parts in names if parts[0] >= stop]
    if len(names) == rows:
        cut = heading_lo
    elif len(after) == rows:
        # the rows above printed their figures beside their names: only the run is a dump
        names, cut = after, start
    else:
        return None
    if len(labels) != rows:
        labels = [None] * rows
    out = []
    for i, (parts, label) in enumerate(zip(names, labels)):
        first = start + i * len(order)
        figures = {role: atoms[first + j] for j, role in enumerate(order)}
        name_atom = atoms[parts[0]]
        positions = {"name": position_of(name_atom), **{role: position_of(a) for role, a in figures.items()}}
        out.append(RawIndicator(
            name=clean_name("".join(atoms[k].text for k in parts)), value=figures["value"].text,
            level1=label.parent if label is not None else None,
            level2=label.canonical if label is not None else None,
            level1_raw=None, level2_raw=label.raw if label is not None else None,
            period=None, line=name_atom.line, column=name_atom.column, pos=position_of(name_atom),
            actual=figures["actual"].text, weight=figures["weight"].text, score=figures["score"].text,
            positions=positions, atom=parts[0]))
    return cut, out
