"""Performance tables printed on their side: one row of names, then a row of targets per period.

Some templates (a 广东 省级专项资金绩效目标表 among them) lay the indicators out across the page:

    三级指标      新建高校(校区)   工程质量达标率(%)   开工率(%)
    年度目标值    7                100%                100%
    实施周期目标值 7               100%                100%

Read as text, a row's first cell is a heading and the cells after it are the indicators. This
module reads such a table where the parse found none: a line that starts with the 三级 heading
and holds at least two names (a name wrapped onto the next line included), followed by lines
that start with a target heading (年度目标值, 实施周期目标值, 指标值) and hold at least as many
values, every one of them value-like. The i-th value is the i-th name's target in that row's
period; cells past the names (a row cut short above) are not guessed at."""
from __future__ import annotations

from typing import Optional

from kpicheck import patterns
from kpicheck.segment import roles as R
from kpicheck.segment.assemble import RawIndicator, clean_name, position_of
from kpicheck.segment.anchors import line_start
from kpicheck.segment.atoms import Atom

# A row's heading that says it holds targets, and of which period (实施周期 / 中期 / 长期: the
# whole implementation period; 年度 / 当年 or none: the year).
_TARGET_ROW = patterns.compile(r"(长期|中期|实施周期|实施期|年度|本年度|当年)?(?:绩效)?(?:目标值|指标值)[:：]?")
_LONG_TERM = ("长期", "中期", "实施周期", "实施期")
_MAX_NAMES = 16
_MIN_NAMES = 2


def _target_row(text: str) -> Optional[str]:
    """The period of a row headed `text` ('年度目标值' → annual), or None if it heads no targets."""
    m = _TARGET_ROW.fullmatch(R.fold(text).replace(" ", "")) if text else None
    if m is None:
        return None
    return "long_term" if m.group(1) in _LONG_TERM else "annual"


def _row_end(atoms: list[Atom], k: int) -> bool:
    """Whether atom k starts the next row of the table: a heading at the start of a line."""
    a = atoms[k]
    return line_start(atoms, k) and bool(a.text) and (_target_row(a.text) is not None or R.header_role(a.text) is not None)


def read(atoms: list[Atom], covered: bytearray) -> tuple[list[RawIndicator], list[tuple[int, int]]]:
    """The indicators of every table printed on its side among the atoms no table covers, and
    the atoms [lo, hi) each such table takes."""
    out: list[RawIndicator] = []
    spans: list[tuple[int, int]] = []
    n = len(atoms)
    k = 0
    while k < n:
        a = atoms[k]
        if covered[k] or not a.text or not line_start(atoms, k) or R.header_role(a.text) != "name":
            k += 1
            continue
        names, j = [], k + 1
        while j < n and not _row_end(atoms, j) and len(names) <= _MAX_NAMES:
            if atoms[j].text:
                names.append(j)
            j += 1
        if not _MIN_NAMES <= len(names) <= _MAX_NAMES or j >= n or _target_row(atoms[j].text) is None \
                or any(R.header_role(atoms[i].text) or R.label_of(atoms[i].text) or R.value_like(atoms[i].text) >= 2.5
                       for i in names):
            k += 1
            continue
        rows = []
        while j < n and _target_row(atoms[j].text) is not None and line_start(atoms, j):
            period = _target_row(atoms[j].text)
            values, m = [], j + 1
            while m < n and not _row_end(atoms, m):
                if atoms[m].text:
                    values.append(m)
                m += 1
            if len(values) < len(names) or any(R.value_like(atoms[v].text) < 2.0 for v in values[:len(names)]):
                break
            rows.append((period, values[:len(names)]))
            j = m
        for period, values in rows:
            for i, v in zip(names, values):
                name, value = atoms[i], atoms[v]
                out.append(RawIndicator(
                    name=clean_name(name.text), value=value.text.strip(), level1=None, level2=None,
                    level1_raw=None, level2_raw=None, period=period, line=name.line, column=name.column,
                    pos=position_of(name), positions={"name": position_of(name), "value": position_of(value)}, atom=i))
        if rows:
            spans.append((k, j))
        k = j if rows else k + 1
    return out, spans
