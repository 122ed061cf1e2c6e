"""What a single cell looks like: a label, a target value, a unit, a comparator, a note or a name.

Pure regex scoring, no NLP: segmentation must stay fast and predictable.
"""
from __future__ import annotations

import re

from kpicheck import lexicons, patterns
from kpicheck.segment.labels import parse_label, simplify
from kpicheck.textcache import text_cache

COMPARATOR = patterns.compile(r"^\s*(?:[≥≤=＝<>＜＞]=?|>=|<=|大于等于|小于等于|不低于|不高于|不超过|不少于|大于|小于|等于|≧|≦)\s*$")


@lexicons.reading_cache
def units() -> str:
    """Every printed unit of `lexicons/units.toml` (each dimension's and the nonstandard forms)
    as one alternation, longest first: the one list of units, shared with the value parser."""
    data = lexicons.for_reading("units")
    words: set[str] = set()
    for table, entries in data.items():
        if table == "magnitudes" or not isinstance(entries, dict):
            continue
        for printed, canonical in entries.items():
            words.add(printed)
            if isinstance(canonical, str):
                words.add(canonical)
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@lexicons.reading_cache
def _unit_cell() -> re.Pattern:
    """A unit cell, with a magnitude before it (万件, 亿元), per another unit (元/人), or a bare
    magnitude (万: a 计量单位 column beside an amount or a count)."""
    u = units()
    return patterns.compile(rf"^\s*(?:余|多)?(?:(?:万|亿|千|百万)?(?:{u})(?:\s*/\s*(?:{u}))?|万|亿)\s*$")
NUMBER = patterns.compile(r"\d")
# What may stand before the number of a value: a comparator or 达到/约/近 (shared with prose).
CMP_LEAD = r"(?:[≥≤=＝<>＜＞≧≦]|>=|<=|不低于|不高于|不超过|不少于|大于|小于|达到|约|近)"
_VALUE_START = patterns.compile(CMP_LEAD + r"?\s*[\d０-９]")
_DATE = patterns.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}|\d{1,2}\s*月\s*(?:底|末|前|\d)|年底|年末|月底|季度末|工作日")
_PUNCT_ONLY = patterns.compile(r"^[\s|/\\\-—－…·.,，。、:：;；*]*$")

@lexicons.reading_cache
def _value_word_start() -> re.Pattern:
    """`value_starts` of `[names]` in `lexicons/headers.toml`, with the grades and yes/no words
    of `lexicons/values.toml`, at a cell's start."""
    values = lexicons.for_reading("values")
    words = set(lexicons.for_reading("headers").get("names", {}).get("value_starts", []))
    words |= set(values.get("grades", {}).get("words", [])) | set(values.get("binary", {}).get("words", {}))
    words = sorted(words, key=len, reverse=True)
    return patterns.compile("^(?:" + "|".join(map(re.escape, words)) + ")" if words else "(?!)")


def _comparator_forms(*tables: str) -> str:
    """The forms of lexicons/comparators.toml's `tables` as one alternation, longest first."""
    data = lexicons.for_reading("comparators")
    words = {w for table in tables for w in data.get(table, {})}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@lexicons.reading_cache
def comparator_words() -> str:
    """The comparators printed before a number ([symbols] and [prefix], the neutral 达到 / 为
    among them)."""
    return _comparator_forms("symbols", "prefix")


@lexicons.reading_cache
def bound_words() -> str:
    """The bounds printed after a number and its unit (以上, 以内: [suffix])."""
    return _comparator_forms("suffix")


def is_blank(text: str) -> bool:
    return not text or _PUNCT_ONLY.match(text) is not None


@lexicons.reading_cache
def _selfeval_words(table: str, key: str) -> tuple[str, ...]:
    words = lexicons.for_reading("selfeval").get(table, {}).get(key, [])
    return tuple(simplify(w).replace(" ", "") for w in words)


def says_nothing(text: str) -> bool:
    """A cell printed to stand for nothing (无, 不适用, a dash): `[cells] blank` of
    lexicons/selfeval.toml, the list the KPI8 rules read too."""
    t = simplify(text).replace(" ", "") if text else ""
    return is_blank(t) or t in _selfeval_words("cells", "blank")


def is_total_label(text: str) -> bool:
    """The label of a funds block's total row (年度资金总额, 合计): `[funds] total_labels` of
    lexicons/selfeval.toml."""
    t = simplify(text).replace(" ", "") if text else ""
    return any(w in t for w in _selfeval_words("funds", "total_labels"))


def is_comparator(text: str) -> bool:
    return COMPARATOR.match(text) is not None


@lexicons.reading_cache
def attributes() -> dict[str, frozenset[str]]:
    """`[attributes]` of `lexicons/headers.toml`: what an attribute column's cell holds."""
    data = lexicons.for_reading("headers").get("attributes", {})
    return {key: frozenset(data.get(key, [])) for key in ("directions", "value_types", "natures")}


def _attribute(text: str, key: str) -> bool:
    t = simplify(text).strip()
    if t.endswith("指标"):
        t = t[:-2]  # '正向指标', '定量指标'
    return t in attributes()[key]


def is_direction(text: str) -> bool:
    return _attribute(text, "directions")


def is_value_type(text: str) -> bool:
    """定量 / 定性 (the indicator's nature as the rules read it)."""
    return _attribute(text, "value_types")


def is_attribute(text: str) -> bool:
    """Any cell of an attribute column: a direction, 定量/定性, or a planning indicator's nature
    (预期性 / 约束性), which the rules do not read."""
    return is_direction(text) or is_value_type(text) or _attribute(text, "natures")


def is_unit(text: str) -> bool:
    return _unit_cell().match(text.replace(" ", "")) is not None


@lexicons.reading_cache
def _note_words() -> re.Pattern:
    """`notes` of `[names]` in `lexicons/headers.toml`: what a note column holds."""
    words = lexicons.for_reading("headers").get("names", {}).get("notes", []) or ["(?!)"]
    return patterns.compile("^(?:" + "|".join(f"(?:{w})" for w in words) + ")$")


def is_note(text: str) -> bool:
    return _note_words().match(text.replace(" ", "")) is not None


_NOT_CJK = patterns.compile(r"[^\u4e00-\u9fff]+")


def cjk_count(text: str) -> int:
    return len(_NOT_CJK.sub("", text))  # one C pass, ~3x a Python loop over the characters


@text_cache(8192)  # asked twice of a cell's text (kind, then grid's look) and of repeated values
def value_score(text: str) -> float:
    """How much a cell looks like a target value (0 = not at all, 3 = certainly)."""
    t = text.strip()
    if not t:
        return 0.0
    cjk = cjk_count(t)
    has_num = NUMBER.search(t) is not None
    if has_num:
        if cjk <= 4:
            return 3.0
        if _VALUE_START.match(t) or _DATE.search(t):
            return 2.5 if cjk <= 12 else 1.5
        return 1.0 if cjk <= 10 else 0.5
    if t.startswith(("≥", "≤", ">", "<", "=", "＞", "＜")):
        return 2.5
    if cjk <= 4 and _value_word_start().match(t):
        return 2.0  # '优', '按时', '全覆盖': a qualitative target
    if "百分之" in t:
        return 2.0
    return 0.0


def kind(text: str) -> str:
    """One word for a cell: blank, label, comparator, direction, value_type, unit, note, value, name."""
    if is_blank(text):
        return "blank"
    if parse_label(text) is not None:
        return "label"
    if is_comparator(text):
        return "comparator"
    if is_direction(text):
        return "direction"
    if is_value_type(text):
        return "value_type"
    if is_unit(text):
        return "unit"
    if is_note(text):
        return "note"
    if value_score(text) >= 2.0:
        return "value"
    return "name"


def split_name_value(text: str) -> tuple[str, str]:
    """A cell holding name and target together ('参保人员满意度100%') → ('参保人员满意度', '100%')."""
    t = text.strip()
    for m in _VALUE_START.finditer(t):
        start = m.start()
        if start == 0:
            continue
        head = t[:start].rstrip()
        if cjk_count(head) >= 2:
            return head, t[start:].strip()
    pct = t.find("百分之")
    if pct > 1:
        return t[:pct], t[pct:]
    return t, ""
