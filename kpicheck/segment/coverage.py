"""What the parse explained, and what table-like text it did not: never a silent pass.

A document shows performance-table signals (category labels, header words, value-like cells).
`measure` compares them with what the parse explained: the share of the table regions'
characters that some role or recognised junk accounts for (`coverage`), and the stretches of
table-like text left unexplained (`unread`), which rule KPI100 reports.
"""
from __future__ import annotations

import re
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.models import Indicator, Position, UnreadRegion
from kpicheck.segment import roles as R
from kpicheck.segment.anchors import TARGET_MARK
from kpicheck.segment.atoms import NEWLINE, Atom
from kpicheck.values.text import STOPS_MID_VALUE

_WINDOW = 12  # signals this close together form a cluster
_MIN_SIGNALS = 4  # a cluster of fewer signals is a sentence, not a table
_MIN_UNREAD_CHARS = 16
# Headings of an indicator table (a project form's 项目名称 or 预算金额 are not).
_TABLE_HEADINGS = frozenset({"l1", "l2", "name", "value", "current", "actual", "unit", "attr"})


def _signal(a: Atom) -> Optional[str]:
    if not a.text:
        return None
    if R.label_of(a.text) is not None:
        return "label"
    if R.header_role(a.text) in _TABLE_HEADINGS:
        return "header"
    if R.value_like(a.text) >= 2.5 and len(a.text) <= 24:
        return "values"
    return None


def measure(atoms: list[Atom], tables: list,
            indicators: list[Indicator]) -> tuple[Optional[float], list[UnreadRegion]]:
    """`tables`: what the parse read (`segment.Table`: lo, hi, fields)."""
    used = bytearray(len(atoms))  # 1: inside a table; 2: explained
    for t in tables:
        lo, hi = t.lo, t.hi
        fields = t.fields if t.explained is None else t.explained
        for k in range(lo, hi):
            used[k] = 1
            if not atoms[k].text or R.junk_kind(atoms[k].text) is not None:
                used[k] = 2
        for f in fields:
            for k in range(f.lo, f.hi):
                used[k] = 2
        head = t.template
        for k in range(max(0, head.header_lo), max(0, head.header_hi)):
            used[k] = 2  # the heading (its category row included) is read
    total = done = 0
    for k, a in enumerate(atoms):
        if used[k]:
            total += len(a.text)
            if used[k] == 2:
                done += len(a.text)
    unread = _unread(atoms, used, read_any=bool(tables))
    if not indicators and not unread:
        unread = _unread_document(atoms)
    for region in unread:
        total += region_chars(atoms, region)
    if total == 0:
        return None, unread
    return round(done / total, 3), unread


_MIN_DOCUMENT_VALUES = 8
_MIN_TARGETS = 4


@lexicons.reading_cache
def _signal_words(key: str) -> str:
    """The alternation of `[signals] key` of lexicons/headers.toml (regular expressions)."""
    words = lexicons.for_reading("headers").get("signals", {}).get(key, []) or ["(?!)"]
    return "|".join(f"(?:{w})" for w in words)


@lexicons.reading_cache
def _document_signal() -> re.Pattern:
    return patterns.compile(_signal_words("document"))


def _unread_document(atoms: list[Atom]) -> list[UnreadRegion]:
    """A document that says it holds performance tables and prints values, yet gave nothing
    to read (a layout or a script the parser does not know): its values' stretch is unread."""
    if not any(_document_signal().search(R.fold(a.text)) for a in atoms if a.text):
        return []
    values = [k for k, a in enumerate(atoms) if _signal(a) == "values"]
    if len(values) >= _MIN_DOCUMENT_VALUES and sum(1 for k in values if TARGET_MARK.search(atoms[k].text)) >= _MIN_TARGETS:
        # (a budget table's amounts are no targets: rates and comparators are)
        return [_region(atoms, values[0], values[-1] + 1, ["document", "values"])]
    # a table in a layout the parser does not know (printed without separators: '年度目标值自评得分
    # 指标名称…470人/天7检查差旅费…'): three headings close together, then quantities
    headings = [k for k, a in enumerate(atoms) if a.text and _heading_words(a.text)]
    start = next((k for n, k in enumerate(headings)
                  if len(headings) > n + 2 and headings[n + 2] - k <= _WINDOW), None)
    if start is not None:
        quantities = [k for k in range(start, len(atoms)) if atoms[k].text and R.quantity(atoms[k].text)]
        if len(quantities) >= _MIN_GLUED_QUANTITIES:
            return [_region(atoms, start, quantities[-1] + 1, ["document", "header", "values"])]
    # a small table with neither heading nor label ('发放(缴纳)覆盖率=100%正向63'): targets stated
    # as targets, a comparator or a percentage before a number
    marked = [k for k, a in enumerate(atoms) if a.text and _STATED_TARGET.search(a.text)]
    if len(marked) >= _MIN_STATED_TARGETS:
        return [_region(atoms, marked[0], marked[-1] + 1, ["document", "values"])]
    # a document whose title announces a performance table (…绩效目标表, …自评表) and that prints
    # something after it, yet gave not one indicator: whatever layout it is in, it was not read
    title = next((k for k, a in enumerate(atoms) if a.text and _is_table_title(a.text)), None)
    if title is not None and not _says_empty(atoms, title):
        after = [k for k in range(title + 1, len(atoms)) if atoms[k].text.strip(" |｜")]
        if len(after) >= _MIN_AFTER_TITLE:
            return [_region(atoms, title, after[-1] + 1, ["document"])]
    return []


# A table's title: a document signal (headers.toml [signals]) ending in 表 within a few characters.
_TABLE_TITLE_REACH = 12
_MIN_AFTER_TITLE = 2


@lexicons.reading_cache
def _table_title() -> re.Pattern:
    return patterns.compile(f"(?:{_signal_words('document')})(?:[^。；;\\n]{{0,{_TABLE_TITLE_REACH}}}表)?")


@lexicons.reading_cache
def _empty_signal() -> re.Pattern:
    return patterns.compile(_signal_words("empty"))


def _says_empty(atoms: list[Atom], title: int) -> bool:
    """The title, or one of the few pieces after it, says the table is empty on purpose."""
    return any(_empty_signal().search(R.fold(atoms[k].text)) for k in range(title, min(len(atoms), title + 4))
               if atoms[k].text)


def _is_table_title(text: str) -> bool:
    """A title: a signal that ends in 表, or is followed by one within a few characters, with at
    most a bracketed note after it ('…项目支出绩效目标表（2021年度）'); not a sentence or a notice
    that names such a table ('关于报送…绩效目标表的通知')."""
    folded = R.fold(text)
    if len(folded) > _TITLE_CHARS or any(ch in folded for ch in "。，,；;"):
        return False
    return any(m.group().endswith("表") and _TITLE_TAIL.fullmatch(folded, m.end())
               for m in _table_title().finditer(folded))


_TITLE_CHARS = 60
_TITLE_TAIL = patterns.compile(r"\s*(?:[(（][^()（）]{0,16}[)）])?\s*[:：]?\s*")


_MIN_GLUED_QUANTITIES = 3
_MIN_STATED_TARGETS = 2
_STATED_TARGET = patterns.compile(r"(?:[≥≤><＝＞＜≧≦]|>=|<=|=)\s*\d|\d\s*[%％]\s*(?:以上|以下|以内)|"
                                  r"(?:不低于|不少于|不超过|不高于|超过|高于|低于)\s*\d")


def _heading_words(text: str) -> bool:
    """A heading of an indicator table, alone or run together with others."""
    return R.header_role(text) in _TABLE_HEADINGS or next(R.glued_headings(R.fold(text)), None) is not None


def _region(atoms: list[Atom], lo: int, hi: int, signals: list[str]) -> UnreadRegion:
    first = atoms[lo]
    text = "".join(atoms[k].text for k in range(lo, hi))
    return UnreadRegion(start_line=first.line, end_line=atoms[hi - 1].line,
                        pos=first.pos or Position(line=first.line, column=first.column),
                        signals=signals, excerpt=text[:200])


def region_chars(atoms: list[Atom], region: UnreadRegion) -> int:
    return len(region.excerpt)


def _unread(atoms: list[Atom], used: bytearray, read_any: bool = True) -> list[UnreadRegion]:
    """Clusters of table signals that no parsed field covers. In a document where nothing was
    read at all, an indicator table's headings among values are enough: a table in a layout
    or a script the parser does not know is still a table, and never a silent pass."""
    out: list[UnreadRegion] = []
    cluster: list[int] = []
    kinds: set[str] = set()
    signal: dict[int, str] = {}  # of the atoms in clusters, worked out once

    def flush() -> None:
        # inside a table the parse read, values alone are enough (the table is known to be
        # there); elsewhere a cluster needs labels or headings of an indicator table too
        specific = sum(1 for k in cluster if used[k] == 1 or signal[k] in ("label", "header"))
        labelled = any(signal[k] == "label" or used[k] == 1 for k in cluster) or (
            not read_any and sum(1 for k in cluster if signal[k] == "header") >= 2)
        if len(cluster) >= _MIN_SIGNALS and specific >= 2 and labelled:
            lo, hi = cluster[0], cluster[-1] + 1
            text = "".join(atoms[k].text for k in range(lo, hi) if used[k] != 2)
            if len(text) >= _MIN_UNREAD_CHARS:
                first = atoms[lo]
                out.append(UnreadRegion(
                    start_line=first.line, end_line=atoms[hi - 1].line,
                    pos=first.pos or Position(line=first.line, column=first.column),
                    signals=sorted(kinds), excerpt=text[:200]))
        cluster.clear()
        kinds.clear()

    for k, a in enumerate(atoms):
        if used[k] == 2:
            continue
        kind = _signal(a)
        if kind is None:
            continue
        if cluster and k - cluster[-1] > _WINDOW:
            flush()
        cluster.append(k)
        signal[k] = kind
        kinds.add(kind)
    flush()
    return out


# What follows a complete target table: its 合计 row, signatures, notes, a date, the next
# table or section. Seen after the last indicator, the document was not cut off there.
_CLOSED_AFTER = patterns.compile(
    r"合\s*计|总\s*分|负责人|填报人|审核人|审核意见|联系电话|填报日期|盖章|^\s*注\s*[:：]|^\s*说明\s*[:：]|^\s*附件|"
    r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|项目名称|第[一二三四五六七八九十]+部分|"
    r"^\s*#*\s*[一二三四五六七八九十]+\s*、|绩效目标表|申报表|评价结论|改进措施|存在问题")


def truncated(atoms: list[Atom], indicators: list[Indicator]) -> Optional[bool]:
    """False when something that closes a table follows the last indicator; True when the text
    stops on the last indicator's value and that value stops on a number or a comparator
    ('>=9' for '>=90%': an excerpt cut inside its table); None otherwise (a table that ends
    with the document may be complete or cut off: rules stay cautious)."""
    last = max((i.line or 0 for i in indicators), default=None)
    if last is None:
        return None
    ends = [p.line for i in indicators for p in i.positions.values() if p.line] + [last]
    if STOPS_MID_VALUE.search((indicators[-1].value or "").strip()) and \
            not any(a.text.strip(" |｜") for a in atoms if a.line > max(ends)):
        return True
    lines_seen = 0
    line_text: list[str] = []
    current = None
    for a in atoms:
        if a.line <= last:
            continue
        if a.line != current:
            if line_text and _CLOSED_AFTER.search(" ".join(line_text)):
                return False
            if line_text:
                lines_seen += 1
                if lines_seen >= 15:
                    return None
            line_text, current = [], a.line
        line_text.append(a.text)
    if line_text and _CLOSED_AFTER.search(" ".join(line_text)):
        return False
    return None


__all__ = ["measure", "truncated", "NEWLINE"]
