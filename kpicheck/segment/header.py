"""Column roles from header words: which column holds the 一级, the name, the target, the unit…

Roles: l1, l2, name, value, year (an earlier year's value), multi (one value per place: joined),
unit, attr (指标性质/方向/类型: content decides), actual, score, note, project, budget, other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from kpicheck import patterns
from kpicheck.segment.labels import parse_label, simplify
from kpicheck.textcache import text_cache

_RULES: list[tuple[str, re.Pattern]] = [
    ("note", patterns.compile(r"确定依据|设定依据|设立依据|指标解释|指标说明|评.{0,3}分标准|扣分|绩效标准|备注|原因|说明|指标定义|计算方法|数据来源")),
    ("attr", patterns.compile(r"指标值类型|指标类型|指标性质|计算符号|指标方向|方向性|符号|正向|反向")),
    ("l1", patterns.compile(r"^一级(?:指标)?$")),
    ("l2", patterns.compile(r"^二级(?:指标)?$")),
    ("name", patterns.compile(r"^三级|指标名称|指标内容|具体指标|^绩效指标名称$")),
    ("value", patterns.compile(r"预期当年|当年实现|预计当年|本年度?预期|现值$")),
    ("year", patterns.compile(r"^(?:19|20)\d\d年?(?:度)?(?:指标值|完成值|实际值)?$|近两年|上年|前年")),
    ("actual", patterns.compile(r"完成值|实际值|实际完成|完成情况|实现值|执行数|全年实际")),
    ("score", patterns.compile(r"分值|权重|得分|分数")),
    ("value", patterns.compile(r"指标值|目标值|示值|指标目标值|年度指标|预期值|标准值|指标值及单位")),
    ("unit", patterns.compile(r"计量单位|度量单位|^单位$")),
    ("project", patterns.compile(r"项目名称|项目单位")),
    ("code", patterns.compile(r"编码|代码|编号")),
    ("budget", patterns.compile(r"资金总额|预算数|项目金额|预算金额|资金|金额")),
]

_ANY_RULE = patterns.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _RULES))
# A header of one cell per line opens with an 一级, 二级 or 三级 column (`role_of` l1/l2/name).
_OPENS_STREAM = patterns.compile("|".join(f"(?:{pattern.pattern})" for role, pattern in _RULES
                                    if role in ("l1", "l2", "name")))
_ANNUAL_FIRST = patterns.compile(r"年度.*(?:长期|中期|实施期)")
_LONG_FIRST = patterns.compile(r"(?:长期|中期|实施期).*年度")
_CURRENT = patterns.compile(r"预期当年|当年实现|预计当年|现值")
HEADER_WORDS = patterns.compile(
    r"一级指标|二级指标|三级指标|指标值|指标名称|指标内容|目标值|计量单位|度量单位|指标性质|"
    r"指标权重|评.{0,3}分标准|绩效标准|指标解释|完成值|实际值|预期当年"
)


def header_hits(texts: list[str]) -> int:
    return sum(map(_is_header_word, texts))


def _holds_header_word(text: str) -> bool:
    t = simplify(text)
    # Every header word holds 标, 值, 单 or 预: substring tests first (a regex scan of a
    # long line costs ~40 instructions a character, `in` about one)
    if "标" not in t and "值" not in t and "单" not in t and "预" not in t:
        return False
    return HEADER_WORDS.search(t.replace(" ", "")) is not None


@text_cache(256)  # a table's row is asked twice in a row (is it a header? does it repeat one?)
def may_hold_header_words(text: str) -> bool:
    """False when no cell of a line can hold a header word: a whole line's text holds every
    word its cells hold (one search per line instead of one per cell)."""
    return _holds_header_word(text)


@text_cache(8192)  # asked of every row of a document; cells repeat across a table
def _is_header_word(text: str) -> bool:
    return _holds_header_word(text)


@text_cache(8192)
def is_header_cell(text: str) -> bool:
    """The whole cell is a header word (a repeated header line inside a table)."""
    return HEADER_WORDS.fullmatch(simplify(text).replace(" ", "")) is not None


def may_open_stream(text: str) -> bool:
    """False when `role_of(text)` cannot be l1, l2 or name (the same words, one search)."""
    t = simplify(text)
    if "级" not in t and "指" not in t:
        return False  # every opening word holds 级 or 指 (the pattern has no literal first: tried at every position)
    return _OPENS_STREAM.search(t.replace(" ", "").replace("\u3000", "")) is not None


@text_cache(4096)
def role_of(text: str) -> Optional[str]:
    t = simplify(text).replace(" ", "").replace("\u3000", "")
    if not t:
        return None
    if parse_label(t, prefer=1) is not None:
        return "category"
    if not _ANY_RULE.search(t):
        return "other"  # most cells are names and values: one search instead of one per rule
    for role, pattern in _RULES:
        if pattern.search(t):
            return role
    return "other"


@dataclass
class Slot:
    role: str
    col: int  # column index (or order for streams)
    group: int = 0
    level1: Optional[str] = None  # category a column carries (one (三级, 值) pair per 一级)
    period: Optional[str] = None


def build_slots(cells: list[tuple[int, str]], sub: list[tuple[int, str]] | None = None) -> list[Slot]:
    """Slots from one header row (col, text) and an optional sub-header row (years, 现值)."""
    slots: list[Slot] = []
    for col, text in cells:
        role = role_of(text)
        if role is None or role == "category":
            continue
        slots.append(Slot(role, col))
    if sub:
        by_col = {s.col: s for s in slots}
        for col, text in sub:
            role = role_of(text)
            if role in ("year", "value") and col in by_col:
                by_col[col].role = role
            elif role in ("year", "value"):
                slots.append(Slot(role, col))
        slots.sort(key=lambda s: s.col)
    # Unknown columns after the name are per-place value columns (one per village…)
    names = [s for s in slots if s.role == "name"]
    if names:
        first_name = names[0].col
        has_value = any(s.role == "value" for s in slots)
        for s in slots:
            if s.role == "other" and s.col > first_name:
                s.role = "multi" if not has_value else "note"
    # With a current-year column, the other value columns are earlier years.
    if any(s.role == "value" and _is_current(s, cells, sub) for s in slots):
        for s in slots:
            if s.role == "value" and not _is_current(s, cells, sub):
                s.role = "year"
    # Groups: a new group starts at each repeated name column.
    group = -1
    for s in slots:
        if s.role == "name":
            group += 1
        s.group = max(group, 0)
    # l1/l2 columns before a later group's name belong to that group.
    for i, s in enumerate(slots):
        if s.role in ("l1", "l2"):
            nxt = next((t for t in slots[i:] if t.role == "name"), None)
            if nxt is not None:
                s.group = nxt.group
    return slots


def _is_current(slot: Slot, cells, sub) -> bool:
    texts = [t for c, t in cells if c == slot.col] + [t for c, t in (sub or []) if c == slot.col]
    return any(_CURRENT.search(simplify(t).replace(" ", "")) for t in texts)


def assign_categories(slots: list[Slot], above: list[list[tuple[int, str]]]) -> None:
    """Rows above the header that print one 一级 per column group (成本指标 | 产出指标 | …)."""
    for row in above:
        marks = []
        for col, text in row:
            label = parse_label(text, prefer=1)
            if label is not None:
                marks.append((col, label.canonical if label.level == 1 else label.parent))
        if len(marks) < 2:
            continue
        marks.sort()
        groups = sorted({s.group for s in slots if s.role == "name"})
        if len(groups) < 2:
            continue
        # map each name group to the nearest mark at or before its column (tolerate a shift of one)
        for s in slots:
            if s.role not in ("name", "value", "l2"):
                continue
            best = None
            for col, cat in marks:
                if col <= s.col + 1:
                    best = cat
            if best:
                s.level1 = best
        return


def assign_periods(slots: list[Slot], above: list[list[tuple[int, str]]]) -> None:
    groups = sorted({s.group for s in slots})
    if len(groups) < 2 or any(s.level1 for s in slots):
        return
    text = " ".join(t for row in above for _, t in row)
    if len(groups) == 2:
        periods = {groups[0]: "long_term", groups[1]: "annual"}
        if _ANNUAL_FIRST.search(text) and not _LONG_FIRST.search(text):
            periods = {groups[0]: "annual", groups[1]: "long_term"}
        for s in slots:
            s.period = periods.get(s.group)
