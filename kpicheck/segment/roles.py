"""Typed recognizers: how much a piece of text looks like each column role, and where run-together
text may be cut.

Every role has one scoring function of the text alone (cached: cells repeat), on one scale:
about +3 for "certainly this", 0 for "no evidence either way", negative for "unlikely", and
`NEG` for "impossible". The parser (`tableparse`) adds these to the boundary evidence and picks
the best reading of a whole table. Word lists come from the lexicons (labels, headers, values).
"""
from __future__ import annotations

import re
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.segment import cells as C
from kpicheck.segment.labels import Label, normalize, parse_label, simplify, without_glosses
from kpicheck.textcache import text_cache

NEG = -1e9

ROLES = ("l1", "l2", "name", "value", "actual", "unit", "attr", "weight", "score", "desc", "note", "reason",
         "year", "current", "project", "code", "budget", "other")

_CJK = patterns.compile(r"[\u4e00-\u9fff]")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@text_cache(16384)
def fold(text: str) -> str:
    """Simplified characters, no spaces: the form recognizers compare."""
    t = simplify(text)
    if " " in t or "\u3000" in t:
        t = t.replace(" ", "").replace("\u3000", "")
    return t


# ---------------------------------------------------------------------- labels


@lexicons.reading_cache
def _label_stems() -> tuple[tuple[str, str, Optional[str]], ...]:
    """(stem, canonical, level) of every known stem, longest first, for labels known by shape."""
    data = lexicons.for_reading("labels")
    out = []
    for stem, canonical in data.get("level2", {}).items():
        out.append((stem, canonical, "2"))
    for stem, canonical in data.get("level1", {}).items():
        out.append((stem, canonical, "1"))
    out.sort(key=lambda x: -len(x[0]))
    return tuple(out)


_LABEL_SUFFIX = patterns.compile(r"(?:类指标|指标|目标|类)$")
_HAS_DIGIT = patterns.compile(r"\d")


@text_cache(16384)
def label_of(text: str) -> Optional[Label]:
    """The category label a whole cell states: a known label ('产出指标', '效果指标'), or one
    known by its shape, a short phrase ending in 指标/目标 that holds a category stem
    ('预期产出指标', '实施效果指标', '社会、经济、生态效益指标'). None otherwise."""
    if not text or len(text) > 40:
        return None
    label = parse_label(text)
    if label is not None:
        return label
    norm = normalize(text)
    m = _LABEL_SUFFIX.search(norm)
    if not m or _HAS_DIGIT.search(norm):
        return None
    stem = norm[: m.start()].strip("、,，")
    if not 2 <= len(stem.replace("、", "")) <= 8 or any(ch in stem for ch in ":：,，;；()（）"):
        return None
    if not any(stem.endswith(known) for known, _, _ in _label_stems()):
        return None  # '预期产出', '实施效果', '社会、经济、生态效益': a known stem closes it
    level2 = set()
    level1 = set()
    for known, canonical, level in _label_stems():
        if known in stem:
            (level2 if level == "2" else level1).add(canonical)
    parents = lexicons.for_reading("labels").get("level2_parent", {})
    if len(level2) == 1:
        canonical = next(iter(level2))
        return Label(2, canonical, parents.get(canonical), text.strip())
    if level2:
        tops = {parents.get(c) for c in level2}
        if len(tops) == 1:
            return Label(1, tops.pop(), None, text.strip())
    if len(level1) == 1:
        return Label(1, next(iter(level1)), None, text.strip())
    return None


def unknown_label(text: str) -> bool:
    """A short phrase in a 一级/二级 column that no lexicon knows ('项目决策', '过程管理指标'): a
    label whose category is unknown, never a lost row."""
    t = fold(text)
    return 2 <= len(t) <= 8 and not _HAS_DIGIT.search(t) and C.value_score(t) == 0 and header_role(t) is None


# ---------------------------------------------------------------------- headers


_WIDE = patterns.compile(r"^(.{2,12}?)\s*(\d+)\s*[(（]\s*(中期|年度|长期|实施期)\s*[)）]$")


@text_cache(4096)
def wide_heading(text: str) -> Optional[tuple[Label, str]]:
    """A heading of one column per category and period: '质量指标1 (中期)', '经济效益指标2(年度)'."""
    if "(" not in text and "（" not in text:
        return None
    m = _WIDE.match(fold(text))
    if not m:
        return None
    label = label_of(m.group(1))
    if label is None:
        return None
    return label, "annual" if m.group(3) == "年度" else "long_term"


@lexicons.reading_cache
def _header_pattern() -> tuple[re.Pattern, tuple[str, ...]]:
    """One pattern for every heading: a named group per role, tried in the lexicon's `order`
    (the first role whose words match the whole text wins, as one pattern per role would)."""
    data = lexicons.for_reading("headers")
    roles = data.get("roles", {})
    names, alts = [], []
    for n, role in enumerate(data.get("order", list(roles))):
        words = roles.get(role, [])
        if words:
            names.append(role)
            alts.append(f"(?P<r{n}>" + "|".join(f"(?:{w})" for w in words) + ")")
    return patterns.compile("|".join(alts)), tuple(names)


_ROLE_OF_GROUP: dict[str, str] = {}


def _role_of_group(group: str) -> str:
    data = lexicons.for_reading("headers")
    roles = data.get("roles", {})
    for n, role in enumerate(data.get("order", list(roles))):
        _ROLE_OF_GROUP[f"r{n}"] = role
    return _ROLE_OF_GROUP[group]


_NOTE_PARENS = patterns.compile(r"[(（][^()（）]{0,16}[)）]")
_HEADER_TRIM = " :：*＊#.、"


@text_cache(16384)
def header_role(text: str) -> Optional[str]:
    """The role of the column a heading names, or None when `text` is no heading."""
    if len(text) > 40 or not _heading_chars().intersection(text):
        return None
    t = fold(text)
    if not t or len(t) > 24:
        return None
    pattern, _ = _header_pattern()
    full = None
    if "(" in t or "（" in t:
        full = t.strip(_HEADER_TRIM)  # '评(扣)分标准': brackets that are part of the word
        bare = _NOTE_PARENS.sub("", t).strip(_HEADER_TRIM)
        if bare:
            t = bare  # '分值(扣分标准)': a bracketed note, dropped first
    t = t.strip(_HEADER_TRIM)
    m = pattern.fullmatch(t) or (pattern.fullmatch(full) if full else None)
    if m is None:
        return None
    return _ROLE_OF_GROUP[m.lastgroup] if m.lastgroup in _ROLE_OF_GROUP else _role_of_group(m.lastgroup)


@lexicons.reading_cache
def _heading_chars() -> frozenset[str]:
    """Every Chinese character of every heading pattern: a text holding none is no heading."""
    data = lexicons.for_reading("headers")
    chars = {ch for words in data.get("roles", {}).values() for w in words for ch in w if is_cjk(ch)}
    folded = lexicons.folded_characters(lexicons.reading_files())
    chars |= {k for k, v in folded.items() if v in chars}  # and their traditional forms
    return frozenset(chars)


@lexicons.reading_cache
def _fragments() -> frozenset[str]:
    return frozenset(lexicons.for_reading("headers").get("fragments", {}).get("words", []))


def header_fragment(text: str) -> bool:
    """A piece of a heading broken over two cells or lines ('一级' / '指标')."""
    return fold(text).strip(_HEADER_TRIM) in _fragments()


# ---------------------------------------------------------------------- junk


_PAGE = patterns.compile(r"^(?:[-—－]\s*\d{1,3}\s*[-—－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|\d+\s*/\s*\d+|"
                         r"page\s*\d+)$", re.I)
_BLANK_DATE = patterns.compile(r"^(?:(?:19|20)\d\d|\s)*年\s*月\s*日$|^年\s*月\s*日$")
_SUBTOTAL_NOTE = patterns.compile(r"^[(（]\s*\d{1,3}(?:\s*[-—~]\s*\d{1,3})?\s*分?\s*[)）]\s*分?$")
# A form's check boxes ('优秀□ 良好□ 合格□', '新增□'): options to tick, not a target (a box
# with no word before it, '□□%', is a template's placeholder: a value, KPI1 reports it).
_OPTIONS = patterns.compile(r"^(?:[\u4e00-\u9fff]{1,12}\s*[□☐■☑]\s*)+$")


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(f"(?:{w})" for w in words) + ")" if words else "(?!)"


@lexicons.reading_cache
def _junk_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The junk kinds in one pattern (in this order), a group per kind: one match instead of
    seven; and the footnote's opening alone. Words from `[junk]` of `lexicons/headers.toml`."""
    data = lexicons.for_reading("headers").get("junk", {})
    signature = _alternation(data.get("signatures", [])) + r"\s*[:：]?.{0,20}"
    total = _alternation(data.get("totals", [])) + r"\s*[:：]?\s*(?:\d+(?:\.\d+)?\s*分?)?"
    footnote = _alternation(data.get("footnotes", [])) + r"\s*\d*\s*[:：]"
    scoring = _alternation(data.get("scoring", []) or ["(?!)"])
    kinds = (("page", _PAGE.pattern), ("total", total), ("subtotal", _SUBTOTAL_NOTE.pattern),
             ("date", _BLANK_DATE.pattern), ("signature", signature), ("options", _OPTIONS.pattern),
             ("scoring", scoring))
    junk = "|".join(f"(?P<{kind}>(?:{p.lstrip('^').rstrip('$')})$)" for kind, p in kinds)
    return (patterns.compile(junk + f"|(?P<footnote>{footnote})", re.I), patterns.compile(footnote))


_LIST_NUMBER = patterns.compile(r"\d{1,2}\s*[.．、]")
# A template's numbered slot left empty ('指标2:', '指标3：/'), the form's row with nothing in it.
_EMPTY_SLOT = patterns.compile(r"(?:指标|目标)\s*\d{1,2}\s*[:：]\s*[/／\\—\-…]*")
_BULLET = patterns.compile(r"^[\s|/\\\-—－…·.,，。、:：;；*★☆]*$")


@text_cache(16384)
def junk_kind(text: str) -> Optional[str]:
    """What a piece is when it is none of the table's content: page, signature, date, total,
    subtotal, scoring (a scoring rule), footnote, header, punct; None for anything else."""
    t = text.strip()
    if not t or _BULLET.match(t) or _LIST_NUMBER.fullmatch(t) or _EMPTY_SLOT.fullmatch(t):
        return "punct"  # a bullet, the number of a list item ('1.', '2、'), an empty slot ('指标2:')
    f = fold(t)
    junk, footnote = _junk_patterns()
    if len(f) > _LONG:
        return "footnote" if footnote.match(f) else None
    m = junk.match(f)
    if m is not None:
        return m.lastgroup
    if header_role(f) is not None or header_fragment(f):
        return "header"
    return None


@lexicons.reading_cache
def _ends() -> tuple[re.Pattern, re.Pattern]:
    data = lexicons.for_reading("headers").get("ends", {})
    starts = data.get("starts", []) or ["(?!)"]
    titles = (data.get("titles", []) + data.get("sections", [])) or ["(?!)"]
    return (patterns.compile("(?:" + "|".join(f"(?:{w})" for w in starts) + r")(?:[:：(（]|$)"),
            patterns.compile("(?:" + "|".join(f"(?:{w})" for w in titles) + ")"))


@text_cache(16384)
def terminator(text: str) -> bool:
    """Whether a line that starts with `text` closes the table above it (`[ends]` of the header
    lexicon: the next project's form, another table's title, conclusions, signatures)."""
    t = fold(text)
    if not t or _is_label(t) or _label_finder().search(t):
        return False
    starts, titles = _ends()
    return starts.match(t) is not None or titles.fullmatch(t) is not None


def _is_label(t: str) -> bool:
    return label_of(t) is not None


# ---------------------------------------------------------------------- targets in prose


_TARGETS_LEAD = patterns.compile(r"^(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]?)?\s*"
                                 r"(?:绩效目标|绩效指标|具体指标|考核指标|年度指标|主要指标)(?:设置|内容)?(?:为|是|如下)?\s*[:：]?$")


def targets_lead(text: str) -> bool:
    """'(二)绩效目标：' / '具体指标设置为：': prose that lists the targets follows."""
    return ("标" in text or "標" in text) and _TARGETS_LEAD.search(fold(text)) is not None


# ---------------------------------------------------------------------- periods


_ENUM = r"(?:\d{1,2}\s*[、.．]|[一二三四五六七八九十]+\s*、|[(（][一二三四五六七八九十\d]+[)）])?"
_PERIOD_CELL = patterns.compile(rf"^{_ENUM}(长期|中期|实施期|年度|本年度|当年)(?:绩效)?(?:总)?(?:目标|指标|绩效指标)\s*\d*[:：]?$")
_PERIOD_LEAD = patterns.compile(r"^(?:\d{1,2}\s*[、.．]|[一二三四五六七八九十]+\s*、|[(（][一二三四五六七八九十\d]+[)）])?"
                                r"(长期|中期|实施期|年度|总)(?:绩效)?目标\s*(?:\d+\s*)?是?[:：]")


@text_cache(8192)
def period_marker(text: str) -> Optional[str]:
    """'长期绩效指标', '年度目标1:', '中期目标' open the targets of one period: long_term or annual."""
    if "目标" not in text and "指标" not in text and "目標" not in text and "指標" not in text:
        return None
    t = fold(text)
    m = _PERIOD_CELL.match(t) or _PERIOD_LEAD.match(t)
    if not m:
        return None
    return "annual" if m.group(1) in ("年度", "本年度", "当年") else "long_term"


# ---------------------------------------------------------------------- values


_MONEY = patterns.compile(r"^[\d,，]+(?:\.\d+)?(?:万元|元|万)?$")
_RATE = patterns.compile(r"^\d{1,3}(?:\.\d+)?\s*[%％]$")
_EMPTY_SKIP = -0.4
_LABEL_SKIP = -2.5
_COMPARATOR_CHARS = frozenset("≥≤><=＝＞＜≧≦")
_LONG = 40  # characters: no label, heading or junk cell is longer
_CMP_WORDS = r"[≥≤><=＝＞＜≧≦]=?|不低于|不少于|不高于|不超过|达到"
_SCORE_NUM = patterns.compile(r"^\d{1,3}(?:\.\d{1,2})?\s*(?:分|%|％)?$")


@lexicons.reading_cache
def _quantity() -> re.Pattern:
    # starts only at the first digit of a run, which it takes whole (possessive): one pass over
    # a line of 100,000 digits, not one per digit
    return patterns.compile(rf"(?:{_CMP_WORDS})?(?<![\d,，.])\d[\d,，]*+(?:\.\d+)?\s*[余多]?\s*(?:%|％|‰|(?:万|亿|千)?(?:{C.units()}))")


_NUMBERED_ITEM = patterns.compile(r"^\d{1,2}\s*[.、．]\s*[\u4e00-\u9fff]{2}")
_NUMBERING = patterns.compile(r"^(?:指标|目标)\s*\d+\s*[:：.．、]?|^\d{1,2}\s*[、.．]\s*(?=\D)|^[(（]\d{1,2}[)）]")


@lexicons.reading_cache
def _name_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(a name's head at the end, a description's start, a qualitative target's ending): from
    `[names]` of `lexicons/headers.toml` and the measure heads of `lexicons/boilerplate.toml`."""
    names = lexicons.for_reading("headers").get("names", {})
    measures = lexicons.for_reading("boilerplate").get("measurability", {}).get("measure_heads", [])
    heads = sorted(set(measures) | set(names.get("heads", [])), key=len, reverse=True)
    endings = sorted(set(names.get("value_words", [])), key=len, reverse=True)
    return (patterns.compile("(?:" + "|".join(map(re.escape, heads)) + ")$" if heads else "(?!)"),
            patterns.compile("^" + _alternation(names.get("description_starts", []))),
            patterns.compile("(?:" + "|".join(map(re.escape, endings)) + ")$" if endings else "(?!)"))


def _ends_in_head(f: str) -> bool:
    return _name_patterns()[0].search(f) is not None


def starts_description(f: str) -> bool:
    return _name_patterns()[1].match(f) is not None


def _ends_in_value_word(f: str) -> bool:
    return _name_patterns()[2].search(f) is not None


def quantity(text: str) -> bool:
    """A number with its unit or a percentage somewhere in `text`."""
    return _quantity().search(fold(text)) is not None


_NUMBERED_NAME = patterns.compile(r"^(?:(?:指标|指標)\s*\d{1,2}\s*[:：]\s*\S|\d{1,2}\s*[.、．]\s*[\u4e00-\u9fff])")


def numbered_name(text: str) -> bool:
    """'指标3:早孕建册数', '6.高血压患者管理人数': a numbered indicator name (the list around it
    decides whether it is one: `tables` wants three close together, the parse wants values)."""
    return (text[:1] == "指" or text[:1].isdigit()) and _NUMBERED_NAME.match(text) is not None


def _cjk_count(text: str) -> int:
    return C.cjk_count(text)


@text_cache(16384)
def value_like(text: str) -> float:
    """0-3: how much a piece looks like a target value (number, comparator, date, grade)."""
    return C.value_score(text)


@text_cache(32768)
def name_score(text: str) -> float:
    t = text.strip()
    if not t:
        return NEG
    f = fold(t)
    if "年" in f and (_YEAR_LABEL.search(f) or _CURRENT_VALUE.search(f)):
        return NEG  # '…、2022年：全区', '预期当年实现值：…': the middle of a value given year by year
    if len(f) > _LONG:  # no label, heading or junk is this long: the length is what counts
        cjk = _cjk_count(f)
        return 1.5 - min(3.0, (len(f) - 40) / 15) - (1.5 if cjk < 2 else 0.0)
    if junk_kind(t) in ("page", "total", "subtotal", "date", "punct", "options", "scoring"):
        return NEG
    if label_of(t) is not None:
        return -0.5  # a label where the row has no other name ('服务对象满意度 | ≥99%')
    if header_role(f) is not None:
        return -3.0
    if C.is_note(t):
        return -1.0  # '计划标准', '反映…': what a note column holds
    if C.is_attribute(t) or C.is_unit(t):
        return NEG  # '定量', '正向', '万元': what an attribute or unit column holds
    if period_marker(t):
        return NEG  # '年度目标1：', '长期绩效指标': a period opens here
    if f in _grade_words():
        return NEG  # '优', '合格': a grade is what a value or an actual says
    cjk = _cjk_count(f)
    if cjk == 0:
        if f.isdigit() and len(f) <= 4:
            return -1.2  # a number where the name belongs: the row has no name (KPI1 reports it)
        return NEG if _HAS_DIGIT.search(f) or len(f) < 3 else -1.5
    v = value_like(t)
    if f[:1] in _COMPARATOR_CHARS or (v >= 2.5 and cjk <= 4 and ("%" in f or "％" in f)):
        return NEG  # '≥95%≥90%100%12个30人': values, whatever is left around them
    lead = _label_finder().match(f)
    if _HAS_DIGIT.search(f) and _cjk_count(_value_token().sub("", f[lead.end():] if lead else f)) < 2:
        return NEG  # '5次10场', '社会效益指标≥95%': no words left once the values are taken out
    score = 1.5
    if lead and len(f) - lead.end() < 4:
        score -= 2.0  # a label with a scrap after it ('经济效益指标8'), not a name
    elif f.endswith(("指标", "目标")) and any(m.end() == len(f) and m.start() >= 2
                                          for m in _label_finder().finditer(f)):
        score -= 2.5  # '生态修复功能提高可持续影响指标': the next group's label glued on
    if v >= 2.5:
        score -= 2.5 if cjk <= 4 else 1.0
    elif v >= 2.0:
        score -= 1.2
    if cjk < 2:
        score -= 1.5
    if len(f) > 40:
        score -= min(3.0, (len(f) - 40) / 15)
    if _ends_in_head(f):
        score += 0.5
    if _NUMBERING.match(f):
        score += 0.7
    elif starts_description(f) and cjk > 8:
        score -= 0.8
    elif cjk <= 6 and _ends_in_value_word(f) and not _ends_in_head(f):
        score -= 0.4
    return score


@text_cache(32768)
def value_score(text: str) -> float:
    """A target value: a number with its comparator and unit, a date, a grade, or a short
    qualitative statement."""
    t = text.strip()
    if not t:
        return 0.0
    f = fold(t)
    cur = _CURRENT_VALUE.search(f)
    if cur and cur.end() < len(f):  # earlier years, then the target: the target is what counts
        return value_score(f[cur.end():])
    if _YEAR_SERIES.match(f):
        return 0.0  # '2021年：…、2022年：…' without the current year's target: cut short
    if len(f) <= _LONG:
        if label_of(t) is not None or junk_kind(t) in ("page", "total", "date", "subtotal", "options", "scoring"):
            return NEG
        if header_role(f) is not None:
            return -3.0
    if f[:1] in ("%", "％", "‰", "/"):
        return -1.5  # a unit torn from its number
    if f[-1:] in (")", "）") and not _HAS_DIGIT.search(f) and _named_by_unit(f):
        return -1.5  # '上一轮退耕还林补助面积(万亩)': a name that states its unit, the next row's
    if "指" in f or "目" in f:
        lead = _label_finder().match(f)
        if lead and lead.end() < len(f):
            return -1.5  # '可持续影响指标持续发展': a label, then the next item
    if _NUMBERING.match(f) and not f[:1].isdigit() or _NUMBERED_ITEM.match(f):
        return -1.5  # '2.整治美丽宜居自然村庄', '指标2:…': the next item of a list, not a target
    if f.isdigit():
        if len(f) > 1 and f[0] == "0":
            return -1.0  # '0100': digits torn from a number
        if len(f) == 4 and f[:2] in ("19", "20"):
            return 1.0  # '2021' alone: a year torn from its 年 more often than a count
        return 2.8 if f == "100" else 2.6  # 100 is the most common target of all
    v = value_like(t)
    if v >= 3:
        return 2.6
    if v >= 2.5:
        return 2.3
    if v >= 2.0:
        return 1.9
    cjk = _cjk_count(f)
    if _quantity().search(f):
        # a statement holding a quantity ('三代卡补卡换卡年增7万张', '全区99.5%人员发放完毕')
        return max(0.4, 1.8 - max(0, cjk - 8) * 0.06)
    if v >= 1.5:
        return 1.0
    if v >= 1.0:
        return 0.6
    if f.startswith(("(", "（")) and f.endswith((")", "）")):
        f = f[1:-1]
    if cjk <= 10 and _ends_in_value_word(f):
        return 1.2 if cjk <= 6 else 0.8
    if cjk <= 8:
        return 0.4 - 0.3 * bool(_ends_in_head(f))
    if cjk <= 20:
        return 0.0
    return -0.5 - min(2.0, (cjk - 20) / 20)


def _named_by_unit(text: str) -> bool:
    """A name followed by its unit in brackets, no figure: '草原有害生物防治面积(万亩)'."""
    m = _PAREN_TAIL.search(text)
    return m is not None and m.start() >= 4 and C.is_unit(m.group(1)) and _cjk_count(text[:m.start()]) >= 4


def actual_score(text: str) -> float:
    """What was achieved: read like a target, but an achievement rarely carries a comparator."""
    s = value_score(text)
    if s <= NEG:
        return s
    return s - (1.2 if text.strip()[:1] in _COMPARATOR_CHARS else 0.2)


_GLOSSED_UNIT = patterns.compile(r"(.{1,6}?)\s*[(（][^()（）]{1,8}[)）]")


@text_cache(8192)
def unit_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    if C.is_unit(t):
        return 2.5
    glossed = _GLOSSED_UNIT.fullmatch(t)
    if glossed and C.is_unit(glossed.group(1)):
        return 2.3  # '%(百分比)', '人(人数)': the unit with what it measures in brackets
    f = fold(t)
    if C.is_attribute(t) or C.is_comparator(t):
        return NEG  # '正向', '定量': an attribute, whatever column it sits in
    if len(f) <= 4 and not _HAS_DIGIT.search(f) and label_of(t) is None and header_role(f) is None \
            and not actual_start(f) and junk_kind(t) is None:
        return 0.3  # a unit word no list knows, printed in its own column (人数, 平米); no heading,
        # no actual's key ('≥6架,实际布防6架'), no scrap of a scoring rule ('168,每减少1%')
    return NEG


@lexicons.reading_cache
def _unit_start() -> re.Pattern:
    return patterns.compile(rf"^(?:[年月日号%％‰]|(?:万|亿|千)?(?:{C.units()})(?![\u4e00-\u9fff]{{2}}))")


def unit_start(text: str) -> bool:
    """`text` opens with a unit (年, %, 万张, 人次) and no more than a word after it: what follows
    a number that a space tore from it."""
    return _unit_start().match(text) is not None


def unit_after_number(text: str, nxt: str) -> bool:
    """'1100' then '万人' in the next cell: the unit of the number, split off by OCR."""
    t = text.rstrip(" \\$¥*·.")
    return bool(t) and t[-1].isdigit() and C.is_unit(nxt)


@text_cache(8192)
def attr_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    if C.is_comparator(t) or C.is_attribute(t):
        return 2.5
    return NEG


@text_cache(8192)
def number_score(text: str) -> float:
    """A weight or a score: a number up to 100 (with 分 or %)."""
    t = text.strip()
    if not t:
        return 0.2
    if t in ("—", "-", "－", "/", "\\"):
        return 0.3
    f = fold(t)
    if _SCORE_NUM.match(f):
        try:
            n = float(f.rstrip("分%％"))
        except ValueError:
            return NEG
        return 1.8 if n <= 100 else NEG
    return NEG


@text_cache(16384)
def note_score(text: str) -> float:
    """Free text beside the indicator: how it is scored, why, what it means."""
    t = text.strip()
    if not t:
        return 0.2
    f = fold(t)
    if len(f) <= _LONG and (label_of(t) is not None or header_role(f) is not None):
        return NEG if label_of(t) is not None else -3.0
    score = 0.2
    if starts_description(f) or C.is_note(t):
        score += 1.2
    cjk = _cjk_count(f)
    if cjk >= 10:
        score += 0.5
    if value_like(t) >= 2.5 and cjk <= 4:
        score -= 1.0
    return score


def desc_score(text: str) -> float:
    return note_score(text)


@text_cache(8192)
def money_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    if t in ("—", "-", "－", "/"):
        return 0.3
    return 1.8 if _MONEY.match(fold(t)) else NEG


def project_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    return 0.8 if _cjk_count(t) >= 2 and label_of(t) is None else NEG


def other_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    if label_of(t) is not None:
        return NEG
    return 0.1


def l1_score(text: str, declared_column: bool) -> float:
    t = text.strip()
    if not t:
        return 0.1
    label = label_of(t)
    if label is not None:
        if label.level == 1:
            return 3.0
        return 2.0 if label.canonical == "成本" else (0.5 if declared_column else NEG)
    if declared_column and unknown_label(t):
        return 0.0
    return NEG


def l2_score(text: str, declared_column: bool) -> float:
    t = text.strip()
    if not t:
        return 0.1
    label = label_of(t)
    if label is not None:
        return 3.0 if label.level == 2 else 1.2
    if declared_column and unknown_label(t):
        return 0.0
    return NEG


def junk_score(text: str) -> float:
    """Skipping a piece: free for recognised junk, a cost that grows with the text otherwise. An
    empty cell costs a little: it holds a column's place (an empty 完成值 is not to be skipped
    so that the 权重 after it slides into its column)."""
    if not text:
        return _EMPTY_SKIP
    kind = junk_kind(text)
    if kind is not None:
        return 0.3 if kind != "punct" else 0.0
    if len(text) <= 30 and label_of(text) is not None:
        return _LABEL_SKIP  # a category label has its column: it opens a group, it is not debris
    return -0.6 - min(1.5, len(text) / 40)


@lexicons.reading_cache
def _actual_start() -> re.Pattern:
    words = lexicons.for_reading("headers").get("names", {}).get("actual_starts", []) or ["(?!)"]
    return patterns.compile("^(?:" + "|".join(f"(?:{w})" for w in words) + ")")


def actual_start(text: str) -> bool:
    """A text that starts as a prose report states an outcome: 实际…, 累计完成… (headers.toml
    [names] actual_starts), on folded text."""
    return _actual_start().match(text) is not None


@lexicons.reading_cache
def _funds_rows() -> re.Pattern:
    rows = lexicons.for_reading("headers").get("funds", {}).get("rows", []) or ["(?!)"]
    return patterns.compile("(?:" + "|".join(f"(?:{w})" for w in rows) + r")\s*[:：]?")


@text_cache(4096)
def funds_label_score(text: str) -> float:
    """The label of a row of a funds block: 年度资金总额, 其中：财政拨款, 上年结转资金, 其他资金."""
    t = fold(text)
    if not t:
        return NEG
    return 2.5 if _funds_rows().fullmatch(t) else NEG


def rate_score(text: str) -> float:
    t = text.strip()
    if not t:
        return 0.2
    if t in ("—", "-", "－", "/"):
        return 0.3
    return 2.0 if _RATE.match(fold(t)) else NEG


# No recognizer scores a text above this (l1/l2 give 3.0 to a label of their level; a name, a
# value, a unit score less). The parse prunes fields by it without scoring them (`tableparse`):
# a scorer that may give more must raise it, or the parse is no longer exact.
MAX_SCORE = 3.0

SCORERS = {
    "name": name_score, "value": value_score, "current": value_score, "actual": actual_score,
    "unit": unit_score, "attr": attr_score, "weight": number_score, "score": number_score,
    "desc": desc_score, "note": note_score, "reason": note_score, "goal": note_score, "year": lambda t: value_score(t) - 0.3,
    "project": project_score, "code": money_score, "budget": money_score, "other": other_score,
    "funds_label": funds_label_score, "funds_initial": money_score, "funds_adjusted": money_score,
    "funds_executed": money_score, "funds_rate": rate_score,
}


# ---------------------------------------------------------------------- cuts in run-together text


_CMP = r"(?:[≥≤><=＝＞＜≧≦]\s*=?|>=|<=|不低于|不少于|不高于|不超过|不大于|不小于|大于等于|小于等于|大于|小于|等于|达到|约|高于|低于)"
_NUM = r"\d[\d,，]*(?:\.\d+)?"
_CMP_FOUND = patterns.compile(_CMP)


def has_comparator(text: str) -> bool:
    """Whether `text` holds a comparator ('≥', '低于', '不超过') anywhere."""
    return _CMP_FOUND.search(text) is not None


@lexicons.reading_cache
def _value_token() -> re.Pattern:
    return patterns.compile(
        rf"(?:{_CMP}\s*)?(?:"
        r"(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:前|之前|以前|底前|底|末)?"  # a date
        rf"|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日(?:前|之前|以前)?"
        rf"|{_NUM}\s*(?:[-~～至到]\s*{_NUM})?\s*(?:万|亿|千|百万)?(?:{C.units()})?(?:\s*/\s*(?:{C.units()}))?"
        r")(?P<bound>以上|以下|以内|及以上|及以下)?"
    )


@lexicons.reading_cache
def _label_finder() -> re.Pattern:
    data = lexicons.for_reading("labels")
    stems = sorted(list(data.get("level1", {})) + list(data.get("level2", {})), key=len, reverse=True)
    suffixes = sorted(data.get("suffixes", []), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in stems)
    suf = "|".join(re.escape(s) for s in suffixes if s != "指")
    return patterns.compile(rf"(?:{alt})(?:{suf})(?:[（(][^（）()]{{0,20}}[）)]\s*分?)?")


def glued_headings(text: str):
    """The headings (`[glued]` of the header lexicon) inside a text printed without separators."""
    return _glued_header_finder().finditer(text)


@lexicons.reading_cache
def _glued_header_finder() -> re.Pattern:
    words = lexicons.for_reading("headers").get("glued", {}).get("words", [])
    words = sorted(words, key=len, reverse=True)
    return patterns.compile("|".join(re.escape(w) for w in words)) if words else patterns.compile(r"(?!)")


_CURRENT_VALUE = patterns.compile(r"(?:预期当年实现值|预计当年实现值|当年实现值|预期当年值)\s*[:：]\s*")
_YEAR_LABEL = patterns.compile(r"(?:19|20)\d\d\s*年\s*[:：]")
_YEAR_SERIES = patterns.compile(r"^(?:19|20)\d\d\s*年\s*[:：]")
_DIGIT_RUN = patterns.compile(r"\d{3,6}(?!\d)")


@lexicons.reading_cache
def _unit_tail() -> re.Pattern:
    return patterns.compile(rf"(?<=\d)\s*(?:%|％|(?:万|亿|千)?(?:{C.units()}))$")


@lexicons.reading_cache
def _qual_tail() -> re.Pattern:
    """An adverb and a verb of change closing a text (稳步提高, 明显改善): the vague-value words of
    `lexicons/values.toml`."""
    vague = lexicons.for_reading("values").get("vague", {})
    adverbs = sorted(vague.get("adverbs", []), key=len, reverse=True)
    verbs = sorted(vague.get("verbs", []), key=len, reverse=True)
    if not adverbs or not verbs:
        return patterns.compile(r"(?!)")
    return patterns.compile("(?:" + "|".join(map(re.escape, adverbs)) + ")(?:" + "|".join(map(re.escape, verbs)) + ")$")


@lexicons.reading_cache
def _grade_words() -> frozenset[str]:
    """`[grades]` and `[binary]` words of `lexicons/values.toml`: a cell that is one of them is a
    value (a time word such as 全年 does name a 时效 row now and then)."""
    values = lexicons.for_reading("values")
    return frozenset(values.get("grades", {}).get("words", [])) | frozenset(values.get("binary", {}).get("words", {}))


@lexicons.reading_cache
def _grade_tail() -> re.Pattern:
    """A grade or a time word closing a text (合格, 优良, 按时, 及时): `[grades]` of
    `lexicons/values.toml` and the time words of `lexicons/boilerplate.toml`, two characters or more."""
    words = set(lexicons.for_reading("values").get("grades", {}).get("words", []))
    words |= set(lexicons.for_reading("boilerplate").get("categories", {}).get("time_values", []))
    words = sorted((w for w in words if len(w) >= 2), key=len, reverse=True)
    return patterns.compile("(?:" + "|".join(map(re.escape, words)) + ")$") if words else patterns.compile(r"(?!)")


_NUMBERING_MID = patterns.compile(r"(?:指标|目标)\s*\d{1,2}\s*[:：]")
_PAREN_TAIL = patterns.compile(r"[(（]([^()（）]{1,16})[)）]$")


_INLINE_ROLES = frozenset({"value", "actual", "current"})  # headings printed inline before a figure
_ENDS_FIGURE = patterns.compile(r"[\d%％‰\-—－]$")


def _figure_before(text: str) -> bool:
    """`text` ends in a figure: a number, a number and its unit ('3550平方米', '一条'), a dash."""
    return bool(_ENDS_FIGURE.search(text) or _unit_tail().search(text) or _numeral_unit_tail().search(text))


@lexicons.reading_cache
def _numeral_unit_tail() -> re.Pattern:
    return patterns.compile(rf"[一二两三四五六七八九十百千万]\s*(?:{C.units()})$")


@lexicons.reading_cache
def _attribute_word() -> re.Pattern:
    """A direction or 定量/定性 word (headers.toml [attributes]) that ends a piece, or is followed
    by figures or a dash: an attribute cell run together with its neighbours."""
    found = C.attributes()
    words = sorted(found["directions"] | found["value_types"], key=len, reverse=True)
    if not words:
        return patterns.compile(r"(?!)")
    return patterns.compile("(?:" + "|".join(map(re.escape, words)) + r")(?=$|[\d\-—－])")


# Where a scoring rule (评(扣)分标准) starts inside run-together text: '得10分', '每少1元扣1分'.
_SCORING_MARK = patterns.compile(r"(?<!指标)(?<!总)(?<!自评)得\s*\d+(?:\.\d+)?\s*分|每[^\d,，;；。]{0,4}\d+(?:\.\d+)?\S{0,3}?扣\s*\d")


@text_cache(16384)
def glue_cuts(word: str) -> tuple[int, ...]:
    """Offsets where a piece printed without separators may hold two cells: around category
    labels and run-together headings, around runs of values ('≥10%115.25%20%20'), before a value
    that ends the piece or starts with a comparator, before 'N:' numbering, before a value in
    parentheses at the end. The parse decides which cuts to make. A mirror's pinyin glosses
    ('績(jī)效') are looked through: the cuts of the text without them, at their places in `word`."""
    clean, where = without_glosses(word)
    if where is not None:
        return tuple(sorted({where[c] for c in _cuts(clean)}))
    return _cuts(word)


def _cuts(word: str) -> tuple[int, ...]:
    n = len(word)
    if n <= 2:
        return ()
    cuts: set[int] = set()
    probe = simplify(word)
    if len(probe) != n:
        probe = word
    has_digit = _HAS_DIGIT.search(probe) is not None
    if n >= 6 and ("标" in probe or "目" in probe):
        for m in _label_finder().finditer(probe):
            if probe.startswith("值", m.end()) and m.group(0).endswith("指标"):
                continue  # '周边群众满意度指标值为…': the 指标 of the heading 指标值, not a label's
            if parse_label(m.group(0)) is not None or label_of(m.group(0)) is not None:
                cuts.add(m.start())
                cuts.add(m.end())
                d = _DIGIT_RUN.match(probe, m.end())
                if d and not unit_start(probe[d.end():]):
                    # '数量指标88100': two numeric cells run together after a label (not
                    # '数量指标375万平方米': a number with its unit is one value)
                    cuts.update(range(d.start() + 1, d.end()))
        for m in _NUMBERING_MID.finditer(probe):
            if m.start() and not is_cjk(probe[m.start() - 1]):
                cuts.add(m.start())
    if n >= 6:
        heads = list(_glued_header_finder().finditer(probe))
        if len(heads) >= 2:
            for m in heads:
                cuts.add(m.start())
                cuts.add(m.end())
        elif heads and heads[0].start() != 1 and header_role(heads[0].group()) in _INLINE_ROLES \
                and value_score(probe[heads[0].end():]) >= 1.5:
            # '…人均补助标准指标值1000元/生.年': a heading word between a name and its figure, as
            # prose reports print a table's row ('…，全年实际完成值1000元/生.年')
            cuts.add(heads[0].start())
            cuts.add(heads[0].end())
    if has_digit or not _COMPARATOR_CHARS.isdisjoint(probe):
        _value_cuts(probe, cuts)
    if n >= 4:
        for m in _attribute_word().finditer(probe):
            # '网络专线一条正向', '=100%正向63', '…扣1分-定量': an attribute cell run in after a
            # figure, a unit or a dash (not the end of a word: 稳定性, 确定性)
            if m.start() >= 2 and _figure_before(probe[:m.start()]):
                cuts.add(m.start())
                cuts.add(m.end())
    if "分" in probe:
        for m in _SCORING_MARK.finditer(probe):
            cuts.add(m.start())  # '…按标准发放得10分', '…每少1元扣1分': a scoring rule, no target
    colon = max(probe.rfind("："), probe.rfind(":"))
    if 2 <= colon < n - 1 and value_score(probe[colon + 1:]) >= 1.5:
        cuts.add(colon + 1)  # '食品安全监管人员培训：已完成': a name, a colon, its target
    q = _qual_tail().search(probe)
    if q and q.start() >= 3 and _cjk_count(probe[:q.start()]) >= 3:
        cuts.add(q.start())  # '办学条件改善情况稳步提高': a statement, then its qualitative target
    g = _grade_tail().search(probe)
    if g and _cjk_count(probe[:g.start()]) >= 4:
        cuts.add(g.start())  # '工资发放情况按时', '工程验收合格': a statement, then its grade or time
    m = _PAREN_TAIL.search(probe)
    if m and m.start() >= 2:
        inner = m.group(1)
        if not _SUBTOTAL_NOTE.match(m.group(0)) and (value_like(inner) >= 2 or _ends_in_value_word(inner)):
            cuts.add(m.start())
    cuts.discard(0)
    cuts.discard(n)
    return tuple(sorted(c for c in cuts if 0 < c < n))


def _value_cuts(text: str, cuts: set[int]) -> None:
    tokens = [m for m in _value_token().finditer(text) if m.end() > m.start() and _HAS_DIGIT.search(m.group(0))]
    if not tokens:
        return
    runs: list[list] = [[tokens[0]]]
    for m in tokens[1:]:
        prev = runs[-1][-1]
        if not text[prev.end():m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    n = len(text)
    for run in runs:
        first, last = run[0], run[-1]
        before_cjk = first.start() > 0 and _CJK.match(text[first.start() - 1]) is not None
        has_cmp = first.group(0)[:1] in "≥≤><=＝＞＜≧≦" or first.group(0)[:2] in ("不低", "不少", "不高", "不超", "大于", "小于", "达到")
        if len(run) >= 2:
            for m, nxt in zip(run, run[1:] + [None]):
                cuts.add(m.start())
                u = _unit_tail().search(m.group(0))
                if u and u.start() > 0 and nxt is not None and nxt.group(0)[:1] in "≥≤><=＝＞＜≧≦":
                    cuts.add(m.start() + u.start())  # '10%=100': a weight of 10, the unit %, then =100
            cuts.add(last.end())
            continue
        at_end = not text[last.end():].strip(" 。；;，,")
        followed_by_mark = _followed_by_marker(text, last.end())
        # '90%以上': a bound makes a figure a whole target, whatever text follows it
        bounded = last.group("bound") is not None
        if first.start() > 0 and (has_cmp or at_end or followed_by_mark or bounded) and (before_cjk or has_cmp or text[first.start() - 1] in ")）"):
            cuts.add(first.start())
        if last.end() < n and (has_cmp or followed_by_mark or bounded):
            cuts.add(last.end())


def _followed_by_marker(text: str, at: int) -> bool:
    rest = text[at:at + 12]
    if not rest:
        return False
    if _label_finder().match(rest) or _NUMBERING_MID.match(rest):
        return True
    # '补助学生数量168反映补助学生人数…': the figure, then the description of the next column
    return len(rest) >= 4 and starts_description(rest)
