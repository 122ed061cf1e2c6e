"""A rule-side view of an indicator's value and name, shared by the KPI3/KPI4/KPI5 rules.

The value parser (`kpicheck.values`) fills `Indicator.parsed`; this view takes each field from
there when the parser set it, and otherwise reads it from the text with the same lexicons
(`comparators`, `units`), so the rules keep working on any value the parser leaves as text.
It also reads the indicator NAME: its head (the end of the last clause), which decides the
direction and the expected unit of the indicator (lexicon `directions`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.charmap import CharMap
from kpicheck.models import Indicator
from kpicheck.textcache import text_cache
from kpicheck.values.text import DEBRIS

# Traditional forms seen in units and comparators (a few characters; the parser folds the rest).
_TRAD = str.maketrans({"萬": "万", "億": "亿", "個": "个", "項": "项", "場": "场", "戶": "户",
                       "輛": "辆", "噸": "吨", "臺": "台", "時": "时", "間": "间", "於": "于",
                       "應": "应", "盡": "尽", "證": "证", "運": "运", "轉": "转", "單": "单",
                       "費": "费", "資": "资", "額": "额", "數": "数", "條": "条", "錯": "错",
                       "務": "务", "標": "标", "準": "准", "網": "网", "絡": "络"})
_TO_SIMPLIFIED = CharMap(_TRAD)

CN_DIGITS = "〇零一二三四五六七八九十两"


@text_cache(8192)  # the same names and values are folded by many rules
def fold(text: Optional[str]) -> str:
    """Full-width → half-width, a few traditional characters → simplified, spaces trimmed."""
    text = _TO_SIMPLIFIED(unicodedata.normalize("NFKC", text or ""))
    return DEBRIS.sub("", text).strip()  # OCR debris ('1100 \$余万人') never means anything


def lex(name: str) -> dict:
    return lexicons.load(name)


# ---------------------------------------------------------------------------- comparators

@lru_cache(maxsize=1)
def _comparator_forms() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    data = lex("comparators")
    symbols = dict(data.get("symbols", {})) or {"≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<",
                                                  ">=": "≥", "<=": "≤"}
    prefix = dict(data.get("prefix", {})) or {"不低于": "≥", "不超过": "≤", "不高于": "≤"}
    suffix = dict(data.get("suffix", {})) or {"以上": "≥", "以内": "≤", "以下": "≤"}
    by_len = lambda d: sorted(d.items(), key=lambda kv: -len(kv[0]))  # noqa: E731
    return by_len(symbols), by_len(prefix), by_len(suffix)


def _after_quantity(text: str, i: int) -> bool:
    """Is position i right after a number or a unit (spaces aside)? A few steps back at most."""
    j = i - 1
    while j >= 0 and i - j <= 4 and text[j].isspace():
        j -= 1
    return j >= 0 and (text[j].isdigit() or text[j] in "%万元人个次")


@dataclass
class ComparatorToken:
    canonical: str
    text: str
    start: int
    end: int
    kind: str  # "symbol", "prefix", "suffix"


@lru_cache(maxsize=1)
def _comparator_patterns() -> tuple[Optional[re.Pattern], tuple[tuple[re.Pattern, dict[str, str], str], ...]]:
    """One pattern for where any comparator form starts, and per kind an alternation of its
    forms in `_comparator_forms` order (longest first: `match` takes the first that fits)."""
    kinds = []
    every = []
    for forms, kind in zip(_comparator_forms(), ("symbol", "prefix", "suffix")):
        forms = [(f, c) for f, c in forms if f]
        if not forms:
            continue
        canonical: dict[str, str] = {}
        for f, c in forms:
            canonical.setdefault(f, c)
        kinds.append((patterns.compile("|".join(re.escape(f) for f, _ in forms)), canonical, kind))
        every += [f for f, _ in forms]
    anywhere = patterns.compile("|".join(re.escape(f) for f in every)) if every else None
    return anywhere, tuple(kinds)


def comparator_tokens(text: str) -> list[ComparatorToken]:
    """Every comparator printed in a value, left to right (symbols, words before and after)."""
    anywhere, kinds = _comparator_patterns()
    out: list[ComparatorToken] = []
    i = 0
    while anywhere is not None:
        start = anywhere.search(text, i)  # skip the characters where no form starts
        if start is None:
            break
        i = start.start()
        for pattern, canonical, kind in kinds:
            hit = pattern.match(text, i)
            if hit:
                form = hit.group()
                # a suffix word counts only right after a number/unit (not 以内 inside prose),
                # and 内 alone only at the very end
                if kind == "suffix" and (form == "内" and i + 1 != len(text.rstrip("。.")) or
                                         not _after_quantity(text, i)):
                    continue
                if kind == "prefix" and form in ("达", "为", "达到", "等于", "最高", "最低", "超过"):
                    continue  # neutral or ambiguous words: not a comparator by themselves
                out.append(ComparatorToken(canonical[form], form, i, i + len(form), kind))
                i += len(form)
                break
        else:
            i += 1
    return out


# ---------------------------------------------------------------------------- numbers and units

NUMBER_RE = patterns.compile(r"(?<![\d.,])\d+(?:,\d+)*(?:\.\d+)?")


@lru_cache(maxsize=1)
def _units_by_first_char() -> dict[str, list[tuple[str, str, str]]]:
    """The known units indexed by their first character, longest first (fast prefix look-up)."""
    index: dict[str, list[tuple[str, str, str]]] = {}
    for unit in _units()[0]:
        index.setdefault(unit[0][0], []).append(unit)
    return index


@lru_cache(maxsize=1)
def _magnitudes_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_units()[2], key=len, reverse=True))


def _unit_at(text: str, i: int) -> Optional[tuple[str, str, str]]:
    if i >= len(text):
        return None
    return next((u for u in _units_by_first_char().get(text[i], ()) if text.startswith(u[0], i)), None)


@lru_cache(maxsize=1)
def _units() -> tuple[list[tuple[str, str, str]], dict[str, tuple[str, str]], dict[str, int]]:
    """(printed, canonical, dimension) longest first; nonstandard forms; magnitudes."""
    data = lex("units")
    known = []
    for dim, table in data.items():
        if dim in ("nonstandard", "magnitudes") or not isinstance(table, dict):
            continue
        for printed, canonical in table.items():
            known.append((printed, canonical, dim))
    nonstandard = {k: tuple(v) for k, v in data.get("nonstandard", {}).items()}
    for printed, (dim, canonical) in nonstandard.items():
        known.append((printed, canonical, dim))
    known.sort(key=lambda t: -len(t[0]))
    return known, nonstandard, dict(data.get("magnitudes", {}))


@dataclass
class UnitRead:
    """The unit printed after a number: its parts split on '/', each (printed, canonical, dim)."""

    text: str = ""  # as printed, magnitudes included ("万人/次")
    parts: list[tuple[str, str, str]] = field(default_factory=list)
    magnitude: str = ""  # 万, 亿 ... printed before the unit
    rest: str = ""  # what follows the unit

    @property
    def canonical(self) -> str:
        return "/".join(p[1] for p in self.parts)

    @property
    def dimension(self) -> Optional[str]:
        if not self.parts:
            return None
        if len(self.parts) > 1:
            return "rate" if self.parts[0][2] != "percent" else "percent"
        return self.parts[0][2]

    @property
    def head_dimension(self) -> Optional[str]:
        return self.parts[0][2] if self.parts else None


def read_unit(text: str) -> UnitRead:
    """Read the unit at the start of `text` (what follows a number)."""
    magnitudes = _magnitudes_longest_first()
    out = UnitRead()
    i = 0
    while i < len(text) and text[i] in " \t余多":  # 1100余万人, 30多个: approximate markers
        i += 1
    unit = _unit_at(text, i)  # a longer unit wins over a magnitude (万元 is not 万 + 元)
    for mag in magnitudes:
        if text.startswith(mag, i) and not (unit and len(unit[0]) > len(mag)):
            out.magnitude = mag
            i += len(mag)
            break
    start = i
    while True:
        hit = _unit_at(text, i)
        if hit is None:
            break
        # a Latin unit must not run on into more letters ("M" of "MB" is not 米)
        end = i + len(hit[0])
        if hit[0][-1].isascii() and hit[0][-1].isalpha() and end < len(text) and text[end].isascii() and text[end].isalpha():
            break
        out.parts.append(hit)
        i = end
        if text.startswith("/", i) or text.startswith("每", i):
            j = i + 1
            if _unit_at(text, j) is None:
                break
            i = j
            continue
        break
    out.text = text[:i].strip() if out.parts else (out.magnitude if out.magnitude else "")
    out.rest = text[i:] if out.parts else text[start:]
    return out


@dataclass
class NumberRead:
    text: str
    value: float
    start: int
    end: int
    unit: UnitRead


def numbers(text: str) -> list[NumberRead]:
    out = []
    for m in NUMBER_RE.finditer(text):
        try:
            value = float(m.group().replace(",", ""))
        except ValueError:  # pragma: no cover - the regex admits only numbers
            continue
        out.append(NumberRead(m.group(), value, m.start(), m.end(), read_unit(text[m.end():])))
    return out


# ---------------------------------------------------------------------------- the view


@dataclass
class ValueView:
    """What the rules need to know about one indicator's value."""

    text: str  # folded value text
    comparator: Optional[str]
    comparator_text: Optional[str]
    tokens: list[ComparatorToken]
    numbers: list[NumberRead]
    # Asked by most rules of every indicator: set once, with the view.
    single: Optional[NumberRead] = field(init=False, compare=False)  # the number when the value holds exactly one
    is_percent: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        n = self.single = self.numbers[0] if len(self.numbers) == 1 else None
        self.is_percent = bool(n and n.unit.parts and n.unit.parts[0][2] == "percent")

    @property
    def number(self) -> Optional[NumberRead]:
        return self.numbers[0] if self.numbers else None

    @property
    def is_relative_change(self) -> bool:
        """同比下降10%, 较上年增长5%: a change against a baseline, so a % fits any quantity."""
        return self.is_percent and any(w in self.text for w in
                                       lex("directions").get("expects", {}).get("relative_change", []))


# Every rule asks for the view of every indicator: remembered per indicator object (checked to
# be the same object, value and parse), which is cheaper than building the cache key each time.
# Forgotten after each document's rules (`forget_views`): kept, they would hold its indicators.
_VIEWS: dict[int, tuple[Indicator, str, object, "ValueView"]] = {}


def forget_views() -> None:
    _VIEWS.clear()


def view(ind: Indicator) -> ValueView:
    parsed = ind.parsed
    hit = _VIEWS.get(id(ind))
    if hit is not None and hit[0] is ind and hit[1] is ind.value and hit[2] is parsed:
        return hit[3]
    spelled_percent = parsed.number if parsed and (parsed.unit or "").startswith("百分之") else None
    out = _view(ind.value, parsed.comparator if parsed else None, parsed.comparator_text if parsed else None,
                spelled_percent)
    if len(_VIEWS) >= 4096:
        _VIEWS.clear()  # the indicators of the last few documents are plenty
    _VIEWS[id(ind)] = (ind, ind.value, parsed, out)
    return out


_NUMERIC_ONLY = patterns.compile(r"[\d.\s%]*")
_SPELLED_PERCENT = patterns.compile(r"百分之[零〇一二两三四五六七八九十百点\d.]+")


@text_cache(2048)
def _view(value: str, parsed_comparator: Optional[str], parsed_comparator_text: Optional[str],
          spelled_percent: Optional[float] = None) -> ValueView:
    """One reading per value text (every rule asks for it); treat the result as read-only.
    `spelled_percent` is the parser's number for 百分之九十, read here as 90%."""
    text = fold(value)
    if spelled_percent is not None:
        text = _SPELLED_PERCENT.sub(f"{spelled_percent:g}%", text, count=1)
    tokens = comparator_tokens(text)
    comparator = parsed_comparator or (tokens[0].canonical if tokens else None)
    comparator_text = parsed_comparator_text or (tokens[0].text if tokens else None)
    return ValueView(text=text, comparator=comparator, comparator_text=comparator_text,
                     tokens=tokens, numbers=numbers(text))


# ---------------------------------------------------------------------------- the name


_CLAUSE_SPLIT = patterns.compile(r"[，,；;。、:：\s]+")
_PAREN = patterns.compile(r"[（(][^（()）]*[)）]")


def clean_name(name: str) -> str:
    """The name without parenthesised notes (`(≥**%)`, `(个)`) and trailing punctuation."""
    return _PAREN.sub("", fold(name)).strip(" 。.，,；;")


def clauses(name: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(clean_name(name)) if c]


def name_head(name: str) -> str:
    """The head of the name: its last clause (the end of the phrase carries the meaning)."""
    parts = clauses(name)
    return parts[-1] if parts else ""


def is_numeric_name(name: str) -> bool:
    return bool(_NUMERIC_ONLY.fullmatch(fold(name)))


# ---------------------------------------------------------------------------- what the name says


_STEM_INDEX: dict[int, tuple[object, frozenset[str], int]] = {}


def _ends(text: str, stems: "list[str] | dict[str, object]") -> Optional[str]:
    """The longest stem the text ends with: the text's endings looked up, longest first (the
    stem lists are the lexicons', hundreds long; an ending is a few characters)."""
    if not stems:
        return None
    entry = _STEM_INDEX.get(id(stems))
    if entry is None or entry[0] is not stems:
        if len(_STEM_INDEX) >= 256:
            _STEM_INDEX.clear()  # the lexicons' lists are a few dozen; anything else is transient
        entry = _STEM_INDEX[id(stems)] = (stems, frozenset(stems), max(map(len, stems), default=0))
    _, index, longest = entry
    for k in range(min(longest, len(text)), 0, -1):
        if text[-k:] in index:
            return text[-k:]
    return "" if "" in index else None


_TRAILING_ABBREVIATION = patterns.compile(r"[A-Za-z][A-Za-z0-9.]*$")
_TRAILING_QUANTITY = patterns.compile(r"[\d.]+[^\d]{0,3}$")


def _strip_quantity(clause: str) -> str:
    """`村组干部230人` → `村组干部`: a quantity printed at the end of a name is not its head."""
    stripped = _TRAILING_QUANTITY.sub("", clause)
    return stripped or clause


@dataclass
class NameReading:
    head: str  # the head clause, trailing quantity removed
    direction: Optional[str] = None  # "positive", "negative"; None when unknown or skipped
    stem: Optional[str] = None  # the stem that decided it
    ambiguous: bool = False  # a stem such as 控制率: never check direction
    negated: bool = False  # 无安全事故, 不出现极端事件: a negative stem under a negation
    bounded: bool = False  # a share, in [0, 100] %
    unbounded: bool = False  # a rate that may pass 100 % (增长率)
    dimensionless: bool = False  # 指数, 系数, 得分: no unit needed
    expects: Optional[str] = None  # the unit dimension the head needs: percent/money/time/count/bulk
    count_units: list[str] = field(default_factory=list)  # 户数 → [户, 户次]


@lru_cache(maxsize=1)
def _direction_stems() -> list[str]:
    d = lex("directions").get("direction", {})
    return d.get("positive", []) + d.get("negative", []) + d.get("ambiguous", [])


@lru_cache(maxsize=1)
def _per_base_patterns() -> tuple[re.Pattern, ...]:
    return tuple(patterns.compile(p) for p in lex("directions").get("rates", {}).get("per_base", []))


@text_cache(4096)
def read_name(name: str) -> NameReading:
    data = lex("directions")
    d = data.get("direction", {})
    positive, negative, ambiguous = d.get("positive", []), d.get("negative", []), d.get("ambiguous", [])
    parts = [_strip_quantity(c) for c in clauses(name)]
    reading = NameReading(head=parts[-1] if parts else "")
    for clause in reversed(parts):
        stem = _ends(clause, _direction_stems())
        if stem is None:
            continue
        reading.stem = stem
        before = clause[: len(clause) - len(stem)]
        if stem in ambiguous and not (stem in positive or stem in negative):
            reading.ambiguous = True
        elif stem in positive:
            reading.direction = "positive"
            if stem.endswith("率") and any(m in before for m in d.get("negative_modifiers", [])):
                reading.direction = "negative"
        else:
            if any(n in before for n in d.get("negations", [])):
                reading.negated = True
            else:
                reading.direction = "negative"
        break

    head = reading.head
    rates = data.get("rates", {})
    # 公路技术状况指数MQI: a Latin abbreviation after the head repeats it
    core = _TRAILING_ABBREVIATION.sub("", head) or head
    frequency = _ends(core, rates.get("frequency", [])) is not None  # 频率 is 次/周, not a share
    reading.unbounded = not frequency and _ends(head, rates.get("unbounded", [])) is not None
    reading.bounded = not frequency and not reading.unbounded and _ends(head, rates.get("bounded", [])) is not None
    reading.dimensionless = _ends(core, rates.get("dimensionless", [])) is not None \
        or any(p.search(head) for p in _per_base_patterns())
    expects = data.get("expects", {})
    if frequency:
        pass  # counted per period (每周1次): no one unit dimension is expected
    elif reading.bounded or reading.unbounded:
        reading.expects = "percent"
    elif _ends(head, expects.get("time", [])):
        reading.expects = "time"
    elif _ends(head, expects.get("money", [])):
        reading.expects = "money"
    else:
        stem = _ends(head, expects.get("count", []))
        if stem == "量" and len(head) >= 2 and head[-2] in expects.get("count_not_before_liang", []):
            stem = None
        if stem:
            reading.expects = "count"
    if _bulk_quantity(head, expects):
        reading.expects = "bulk"
    if reading.expects in ("money", "count") and head.startswith(tuple(data.get("time_names", {}).get("vague", []))):
        # 按时交纳税费, 及时发放补助资金: the act done on time is measured (a deadline, an on-time
        # rate), not the money or the things it moves
        reading.expects = None
    cu = expects.get("count_units", {})
    stem = _ends(head, cu)  # the dict itself: its keys are the stems (one index, built once)
    if stem:
        reading.count_units = list(cu[stem])
    return reading


def _bulk_quantity(head: str, expects: dict) -> bool:
    """A quantity of a bulk material (农作物秸秆数量, 生活垃圾清运量): the material, perhaps an act
    done to it (综合利用), then 数量 or 量. 垃圾桶数量 counts bins, not refuse."""
    for ending in ("数量", "量"):
        if head.endswith(ending):
            before = head[: -len(ending)]
            break
    else:
        return False
    for act in sorted(expects.get("bulk_acts", []), key=len, reverse=True):
        if before.endswith(act):
            before = before[: -len(act)]
            break
    return before.endswith(tuple(expects.get("bulk", [])))


def category_of(ind: Indicator) -> set[str]:
    """The 一级 categories the indicator may belong to: the classifier's and the declared one."""
    return {c for c in (ind.category, ind.declared_level1) if c}


def subcategory_of(ind: Indicator) -> set[str]:
    return {c for c in (ind.subcategory, ind.declared_level2) if c}
