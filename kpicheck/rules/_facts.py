"""Facts about an indicator that the KPI1/KPI2/KPI6/KPI7 rules share.

Each fact reads the parsed value (`ind.parsed`, kpicheck/values.py) and the classifier's
output first; the small text checks here only cover what the parser does not state (is the
name a goal statement? does the value mention time?) or stand in while a field is unset.
Word lists live in `lexicons/boilerplate.toml` and `lexicons/values.toml`.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Optional

from kpicheck import lexicons, patterns
from kpicheck.charmap import GLOSS, CharMap
from kpicheck.models import Indicator
from kpicheck.textcache import text_cache

COST_L2 = {"经济成本", "社会成本", "生态环境成本"}
BENEFIT_L2 = {"经济效益", "社会效益", "生态效益", "可持续影响"}
OUTPUT_L2 = {"数量", "质量", "时效", "成本"}  # 成本 = the legacy 二级 under 产出
PARENT = {
    "数量": "产出", "质量": "产出", "时效": "产出", "成本": "产出",
    "经济效益": "效益", "社会效益": "效益", "生态效益": "效益", "可持续影响": "效益",
    "服务对象满意度": "满意度",
    "经济成本": "成本", "社会成本": "成本", "生态环境成本": "成本",
}
MONEY_TO_WAN = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "万": 1.0, "亿元": 1e4, "亿": 1e4}

_PUNCT = patterns.compile(r"[\s\u3000|:：,，。.;；、()（）\[\]【】\"'“”‘’《》<>\-—_/\\!！?？★☆]+")
_SENTENCE = patterns.compile(r"[。；;！!？?]+")
_DIGIT = patterns.compile(r"\d")
# A numeral run is tried from its first character only (a match inside it implies one from its
# start): retried from every character, a 20k-character run took seconds.
_CN_COUNT = patterns.compile(r"(百分之|(?<![一二两三四五六七八九十百千])[一二两三四五六七八九十百千]+"
                             r"(?:个|条|名|人|次|台|套|项|张|户|株|亩|年|月|天|家|所|座|批|期))")
_MONEY = patterns.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|元|亿(?![\u4e00-\u9fff])|万(?![\u4e00-\u9fff]))(?![/每])")
_PER_MONEY = patterns.compile(r"[元万]\s*/")
_TRAILING_UNIT = patterns.compile(r"\d\s*([^\d\s≥≤=<>.,，。%]{1,6})\s*$")
_MAGNITUDE_LEAD = patterns.compile(r"^[余多约近]?[万亿千百]?[余多]?")
_FIRST_NUMBER = patterns.compile(r"\d[\d,]*(?:\.\d+)?")
_LIST_COMMA = patterns.compile(r"[，,、]")
_ONLY_DIGITS = patterns.compile(r"[\d.%％*xX×…]+")
# A percentage or a score at the start of a name (no name begins so; a value or a score does).
_GLUED_FIGURE = patterns.compile(r"\s*\d+(?:\.\d+)?\s*(?:[%％]|分(?=[\s、，,;；.。(（\d]|$))")
# The number of a list item and its mark, with nothing after it (2、, 3., (4), 1:/).
_ENUMERATION = patterns.compile(r"\(?\d{1,2}[、.):：]\s*[/／]?")
# A fragment spilled from the next cell is a few characters (医院东); from four on, the value reads
# as a clause, as the segmenter reads a prose statement (segment/assemble._statement).
_HAN = patterns.compile(r"[\u4e00-\u9fff]")
_CLAUSE_CHARS = 4
# What a value cell of an unfilled template holds besides a unit or a comparator word.
_PLACEHOLDER_MARKS = patterns.compile(r"[\s*＊%％‰≥≤≧≦＝=><＞＜]")


@lru_cache(maxsize=None)
def words(table: str, key: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A word list from lexicons/boilerplate.toml (merged with the user's extra files)."""
    return tuple(lexicons.load("boilerplate", extra).get(table, {}).get(key, []))


@lru_cache(maxsize=None)
def patterns(table: str, key: str, extra: tuple[str, ...] = ()) -> lexicons.PatternSet:
    """Regular expressions from lexicons/boilerplate.toml (and the user's files): compiled once,
    each search time-limited, since a user's pattern may backtrack without end."""
    return lexicons.patterns("boilerplate", (table,), key, extra)


@lru_cache(maxsize=1)
def _trad_table() -> dict[int, str]:
    return {ord(k): v for k, v in lexicons.folded_characters(numerals=True).items()}


@lru_cache(maxsize=1)
def _to_simplified() -> CharMap:
    return CharMap(_trad_table())


@text_cache(8192)  # the same names and values are folded by many rules
def fold(text: Optional[str]) -> str:
    """Compare form: NFKC, simplified characters, no pinyin glosses, no spaces or punctuation."""
    if not text:
        return ""
    text = _to_simplified()(unicodedata.normalize("NFKC", GLOSS.sub("", text)))
    return _PUNCT.sub("", text)


def shown(text: Optional[str]) -> str:
    """Display form for messages: glosses removed, simplified, trimmed."""
    if not text:
        return ""
    return _shown(text)


@text_cache(8192)  # every rule shows names and values in its tests and messages
def _shown(text: str) -> str:
    return _to_simplified()(GLOSS.sub("", text)).strip()


def has_any(text: str, items: Iterable[str]) -> bool:
    return any(w and w in text for w in items)


def matches_any(text: str, pats: Iterable[Any]) -> bool:
    return any(p.search(text) for p in pats)


@text_cache(4096)  # asked of every value by KPI202, KPI205 and KPI701
def states_budget_compliance(text: str, extra: tuple[str, ...] = ()) -> bool:
    """A budget statement (不超出预算安排): the folded value matches [inputs] budget_compliance."""
    return matches_any(text, patterns("inputs", "budget_compliance", extra))


def extra_lexicons(ctx: Any) -> tuple[str, ...]:
    return tuple(getattr(ctx.config, "lexicons", ()) or ())


# ---------------------------------------------------------------- the value


def value_text(ind: Indicator) -> str:
    return fold(ind.value)


def is_empty(ind: Indicator) -> bool:
    return not value_text(ind)


@lru_cache(maxsize=8)
def _placeholder_words(files: tuple[str, ...] = ()) -> tuple[frozenset[str], tuple[str, ...]]:
    """(the unit words of units.toml, the comparator forms of comparators.toml, longest first)."""
    units = lexicons.load("units", files)
    unit_words = frozenset(w for table, entries in units.items() if table != "magnitudes" and isinstance(entries, dict)
                           for w in entries)
    comparators = lexicons.load("comparators", files)
    forms = {w for table, entries in comparators.items() if isinstance(entries, dict) for w in entries}
    return unit_words, tuple(sorted(forms, key=len, reverse=True))


def is_placeholder(ind: Indicator, files: tuple[str, ...] = ()) -> bool:
    """A value cell of an unfilled template, or a target whose number was lost: only a unit, a
    comparator, a % sign ('公里', '≧ %', '万元', '不低于'). No target was given."""
    text = value_text(ind)
    if not text or has_digit(text):
        return False
    units, comparators = _placeholder_words(files)
    rest = _PLACEHOLDER_MARKS.sub("", text)
    for form in comparators:
        if rest.startswith(form):
            rest = rest[len(form):]
            break
    rest = rest.lstrip("万亿千")
    return not rest or rest in units


def is_scrap_value(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """The value cell holds a scrap of the table, not a target: an enumeration mark ('2、', '3.',
    the number of a list item with nothing after it) or a heading word ('指标指标1:/'); or a
    category label read as the name with a fragment of words beside it (效益: 医院东), which is a
    heading and whatever spilled into its row, since a label with a real target has a figure, a
    grade, an answer, a time or at least vague words (社会效益指标: 是, 时效指标: 全年). The row
    was misread (coverage reports what was not read); no rule judges it, since whatever a rule
    said of it would be said of the misreading. So is a row whose name begins with a percentage
    or a score (10分、预算资金执行率; 100%及时、足额发放…): the cell before it ran into the name."""
    return _scrap(ind.value or "", extra) or bool(_GLUED_FIGURE.match(ind.name or "")) \
        or (names_no_measure(ind.name) and _fragment(ind, extra))


def _fragment(ind: Indicator, extra: tuple[str, ...]) -> bool:
    """A value that states nothing a target could: no figure, grade, answer, time, placeholder,
    and no words of a (vague) target either."""
    text = value_text(ind)
    if not text or has_number(ind) or is_grade(ind) or is_yes(ind) or is_no(ind) or is_time_like(ind, extra) \
            or is_placeholder(ind, extra):
        return False
    if len(_HAN.findall(text)) >= _CLAUSE_CHARS:
        return False  # a clause in words (带动周边群众就业, 符合国家标准) states a target, however vaguely
    vague = lexicons.load("values", extra).get("vague", {})
    return not has_any(text, (*vague.get("phrases", []), *vague.get("verbs", []), *vague.get("adverbs", [])))


@text_cache(4096)
def _scrap(value: str, extra: tuple[str, ...] = ()) -> bool:
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return False
    if _ENUMERATION.fullmatch(text):
        return True
    return has_any(fold(text), words("scraps", "heading_words", extra))


def has_digit(text: Optional[str]) -> bool:
    return bool(text) and _DIGIT.search(text) is not None


def has_number(ind: Indicator) -> bool:
    p = ind.parsed
    if p is not None and (p.number is not None or p.low is not None or p.high is not None):
        return True
    text = unicodedata.normalize("NFKC", ind.value or "")
    return bool(_DIGIT.search(text) or _CN_COUNT.search(text))


def is_time_like(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """The value states a date, deadline, period, duration or cadence."""
    p = ind.parsed
    if p is not None and (p.kind in ("date", "period", "duration", "cadence") or p.dates
                          or p.period_start or p.deadline or p.dimension == "time"):
        return True
    text = value_text(ind)
    # a time word inside a long statement ('全年预算全额用于保障教育教学') states no time target,
    # unless the row is a timeliness row
    return has_any(text, _time_words(extra)) and (len(text) <= _TIME_VALUE_CHARS or ind.declared_level2 == "时效")


_TIME_VALUE_CHARS = 12


@lru_cache(maxsize=None)
def _time_words(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    data = lexicons.load("values").get("time", {})
    return (*data.get("deadline_words", []), *data.get("cadence", []), *words("categories", "time_values", extra))


def is_grade(ind: Indicator) -> bool:
    """The whole value is a recognised grade or yes/no answer (好, 优良, 合格, 是)."""
    return value_text(ind) in _grades_and_answers()


@lru_cache(maxsize=1)
def _grades_and_answers() -> frozenset[str]:
    data = lexicons.load("values")
    return frozenset(data.get("grades", {}).get("words", [])) | frozenset(data.get("binary", {}).get("words", {}))


def is_yes(ind: Indicator) -> bool:
    """The whole value is a yes (是, 有): an answer to a question the name must ask."""
    return _answer(ind) in ("是", "有")


def is_no(ind: Indicator) -> bool:
    """The whole value is a no (否, 无)."""
    return _answer(ind) in ("否", "无")


def _answer(ind: Indicator) -> str:
    p = ind.parsed
    return (p.binary or "") if p is not None and p.kind == "binary" else value_text(ind)


# Words that make a name a yes/no question (是否达标, 有无事故).
QUESTION_WORDS = ("是否", "有无", "能否")


def names_no_measure(name: str) -> bool:
    """The name is only a category label (社会效益指标, 成本): it names nothing to measure."""
    from kpicheck.rules.kpi1_structure import _label_name

    return _label_name(name) is not None


def money_wan(ind: Indicator, bare_wan: bool = False) -> Optional[float]:
    """A total money amount in 万元 (the upper bound of a range), or None.

    Per-unit amounts (元/人, 万元/公里) and incoherent units are not totals and give None. A bare
    万 ("250万") is a magnitude; it is read as 万元 only where money is expected (`bare_wan`).
    """
    p = ind.parsed
    if p is not None and p.dimension is not None:
        if p.dimension != "money" or p.unit_problem:
            return None
        unit = p.unit_canonical or p.unit or ""
        if "/" in unit or unit not in MONEY_TO_WAN or (unit in ("万", "亿") and not bare_wan):
            return None
        number = p.high if p.high is not None else p.number
        return None if number is None else number * MONEY_TO_WAN[unit]
    text = unicodedata.normalize("NFKC", ind.value or "")
    if _PER_MONEY.search(text) or "%" in text:
        return None
    found = _MONEY.findall(text)
    if len(found) != 1:
        return None
    number, unit = found[0]
    if unit in ("万", "亿") and not bare_wan:
        return None
    try:
        return float(number.replace(",", "")) * MONEY_TO_WAN[unit]
    except ValueError:
        return None


def comparator(ind: Indicator) -> Optional[str]:
    p = ind.parsed
    if p is not None and p.comparator:
        return p.comparator
    text = unicodedata.normalize("NFKC", ind.value or "")
    for sym, forms in (("≤", ("≤", "<=", "不超过", "不高于", "以内", "以下", "不超出")),
                       ("≥", ("≥", ">=", "不低于", "不少于", "以上", "至少")),
                       ("<", ("<",)), (">", (">",)), ("=", ("=",))):
        if any(f in text for f in forms):
            return sym
    return None


def unit_of(ind: Indicator) -> str:
    p = ind.parsed
    if p is not None and (p.unit_canonical or p.unit):
        return p.unit_canonical or p.unit or ""
    m = _TRAILING_UNIT.search(unicodedata.normalize("NFKC", ind.value or ""))
    unit = m.group(1) if m else ""
    bare = _MAGNITUDE_LEAD.sub("", unit)  # 1100余万人 → 人
    return bare if bare and bare != unit and bare in lexicons.load("units").get("count", {}) else unit


def number_of(ind: Indicator) -> Optional[float]:
    p = ind.parsed
    if p is not None and p.number is not None:
        return p.number
    m = _FIRST_NUMBER.search(unicodedata.normalize("NFKC", ind.value or ""))
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", ""))
    except ValueError:
        return None


def dimension_of(ind: Indicator) -> Optional[str]:
    p = ind.parsed
    if p is not None and p.dimension:
        return p.dimension
    unit = unit_of(ind)
    if "%" in (ind.value or "") or "百分" in (ind.value or ""):
        return "percent"
    if unit in MONEY_TO_WAN:
        return "money"
    if unit and unit in lexicons.load("units").get("count", {}):
        return "count"
    return None


# ---------------------------------------------------------------- the name and the category


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(shown(text)) if fold(s)]


def is_satisfaction_name(ind: Indicator) -> bool:
    """The indicator measures satisfaction (and nothing else): 持卡人满意度, 参保职工满意."""
    return _satisfaction_name(ind.name or "")


@text_cache(4096)  # asked by several rules of every indicator
def _satisfaction_name(name: str) -> bool:
    try:  # the classifier's own test, once it exists
        from kpicheck import classify

        helper = getattr(classify, "is_satisfaction", None)
    except Exception:  # noqa: BLE001 - a half-written classifier must not stop the rules
        helper = None
    parts = sentences(name)
    if len(parts) > 1 and not all("满意" in fold(s) for s in parts):
        return False  # a goal statement with a satisfaction clause tacked on
    if helper is not None:
        return bool(helper(name))
    return "满意" in fold(name)


@text_cache(4096)  # asked of every name without a value, by KPI103 and KPI701
def is_goal_statement(name: str, extra: tuple[str, ...] = ()) -> bool:
    """A name that states an intention (缩短参保人员业务办理时间) rather than naming a measure."""
    text = fold(name)
    if not text:
        return False
    verbs = words("measurability", "goal_verbs", extra)
    heads = words("measurability", "measure_heads", extra)
    if any(text.startswith(v) for v in verbs):
        return True
    endings = lexicons.load("values").get("vague", {}).get("judgement_endings", [])
    if any(text.endswith(e) for e in endings) and not any(text.endswith(h) for h in heads):
        return True  # 质量好使用率高, 人员素质高: a judgement, not a measure
    if len(sentences(name)) > 1 or len(_LIST_COMMA.split(shown(name))) > 1:
        return True
    return has_any(text, verbs) and not any(text.endswith(h) for h in heads)


@text_cache(4096)  # asked of every name without a value, by KPI103 and KPI701
def is_slogan(name: str, extra: tuple[str, ...] = ()) -> bool:
    """A goal statement that is itself the target (缩短参保人员业务办理时间, 质量好使用率高), as
    against a short verb-object name of a 定性 indicator (保障收入, 促进社会和谐) whose value was
    left blank. The statement carries its own result: several clauses, a judgement at its end,
    or more than a verb and its object (over six characters)."""
    if not is_goal_statement(name, extra):
        return False
    text = fold(name)
    endings = lexicons.load("values").get("vague", {}).get("judgement_endings", [])
    return (len(text) > _SHORT_NAME or len(sentences(name)) > 1 or len(_LIST_COMMA.split(shown(name))) > 1
            or any(text.endswith(e) for e in endings))


_VALUE_CHARS = 20  # the longest value seen in a name cell is half that (2023年12月31日前)
_SHORT_NAME = 6  # a two-character verb and an object of up to four: 促进经济发展


def effective_l1(ind: Indicator) -> Optional[str]:
    """The 一级 the table files the indicator under, else the classifier's reading."""
    return ind.declared_level1 or ind.category


def filed_l1(ind: Indicator) -> Optional[str]:
    """The 一级 the table files the indicator under: the printed 一级, else the parent of the
    printed 二级 (a table that prints only 质量 / 时效 / 经济效益 files its rows under 产出 / 效益
    all the same; a bare 成本 is a cost, whatever template it comes from); None when the table
    files it under nothing."""
    if ind.declared_level1:
        return ind.declared_level1
    return "成本" if ind.declared_level2 == "成本" else PARENT.get(ind.declared_level2 or "")


def is_legacy_cost(ind: Indicator) -> bool:
    return ind.declared_level1 == "产出" and ind.declared_level2 == "成本"


def name_is_blank(name: str) -> bool:
    """No name, or one that is only digits, punctuation or a placeholder ('88', '**')."""
    text = fold(name)
    return not text or bool(_ONLY_DIGITS.fullmatch(text))


@text_cache(4096)  # asked of every name by KPI104
def name_is_a_value(name: str, whole_year: bool = False) -> bool:
    """The name cell holds a value, not a name (15万元, 2020年全年, 2023年12月31日前): it parses
    as an amount or a date and nothing but time words and punctuation is left around it. A year
    alone (2021年度) heads a row of a prose layout; it is a value only where asked
    (`whole_year`: the name cell repeats the value cell)."""
    from kpicheck.values import parse_value

    if not has_digit(name) or len(name) > _VALUE_CHARS:
        return False  # a value in a name cell prints a figure (15万元, 2020年全年) and is short
    p = parse_value(shown(name))
    if p.kind not in ("quantity", "date", "period", "duration", "range"):
        return False
    if p.kind == "date" and all(d.month is None for d in p.dates) and not whole_year:
        return False  # a year alone (2021年度) heads a row of a prose layout: KPI104 asks the value
    spans = [s for s in (p.comparator_span, p.number_span, p.unit_span) if s is not None]
    spans += [d.span for d in p.dates if d.span is not None]
    if not spans:
        return False
    text = p.text
    for s in sorted(spans, key=lambda s: -s.start):
        text = text[: s.start] + text[s.end:]
    rest = fold(text)
    if rest.strip("前底内年月日"):  # most values in a name cell leave nothing: no words to remove
        for word in _time_words_longest_first():
            rest = rest.replace(word, "")
    return not rest.strip("前底内年月日")


@lru_cache(maxsize=1)
def _time_words_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_time_words(), key=len, reverse=True))


@text_cache(4096)  # asked of every name without a value, by KPI103 and KPI701
def vague_in_name(name: str) -> Optional[str]:
    """A vague target written into the name cell (历史文化传承环保意识时限长远), or None."""
    text = fold(name)
    return next((p for p in _vague_name_phrases() if text.endswith(p)), None)


@lru_cache(maxsize=1)
def _vague_name_phrases() -> tuple[str, ...]:
    return tuple(p for p in lexicons.load("values").get("vague", {}).get("phrases", []) if len(p) >= 2)


def grade_in_name(name: str) -> bool:
    """A graded target written at the end of the name cell (网络质量优)."""
    text = fold(name)
    grades = lexicons.load("values").get("grades", {}).get("words", [])
    return any(len(text) > len(g) and text.endswith(g) for g in grades)


def is_cost_row(ind: Indicator) -> bool:
    """Filed as a cost (一级 成本, a cost 二级, or the legacy 产出/成本)."""
    return (ind.declared_level1 == "成本" or ind.declared_level2 in COST_L2 | {"成本"}
            or (ind.declared_level1 is None and ind.category == "成本"))


# ---------------------------------------------------------------- the project's own facts


def period_months(project: Any) -> Optional[int]:
    """The months of the project's 起止时间 (202301-202312 → 12), or None when it states none."""
    from kpicheck.rules.kpi4_dates import project_dates

    dates = [d for d in project_dates(getattr(project, "period_text", None)) if d.year and d.month]
    if len(dates) < 2:
        return None
    start, end = min(dates, key=lambda d: (d.year, d.month)), max(dates, key=lambda d: (d.year, d.month))
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return months if 1 <= months <= 120 else None


def _figure(text: Optional[str]) -> Optional[float]:
    if not text:
        return None
    try:
        return float(unicodedata.normalize("NFKC", text).replace(",", "").replace("，", ""))
    except ValueError:
        return None


def funds_figures(project: Any) -> Optional[tuple[str, dict[str, Optional[float]], list[tuple[str, dict[str, Optional[float]]]]]]:
    """(total label, its figures, [(part label, its figures)]) of the project's funds block, each
    figure by column (initial / adjusted / executed: 年初预算数, 全年预算数, 全年执行数), None where the
    cell is blank or a dash; None when there is no block with a total row."""
    funds = getattr(project, "funds", None)
    if funds is None or not funds.rows:
        return None
    columns = ("initial", "adjusted", "executed")
    rows = [(r.label, {c: _figure(getattr(r, c)) for c in columns}) for r in funds.rows]
    totals = [i for i, (label, _) in enumerate(rows) if "总额" in label]
    if not totals:
        return None
    total = rows[totals[0]]
    parts = [r for i, r in enumerate(rows) if i != totals[0]]
    return total[0], total[1], parts


# Money per period (3万元/月, 2000元/天): the period's length in months.
PERIOD_MONTHS = {"月": 1.0, "季度": 3.0, "季": 3.0, "半年": 6.0, "周": 12 / 52, "天": 12 / 365, "日": 12 / 365}


def money_per_period(ind: Indicator, extra: tuple[str, ...] = ()) -> Optional[tuple[float, str]]:
    """(万元, the period) of a money amount stated per period: a unit of money over a period
    (3万元/月, 500元/天), or a plain amount on a name that says per period (每月运营费 ≤3万元, 月均…).
    A rate per person or thing per period (元/人·月) is no amount for the whole project."""
    p = ind.parsed
    if p is None or p.dimension != "money" or p.number is None or p.unit_problem:
        return None
    number = p.high if p.high is not None else p.number
    unit = p.unit_canonical or p.unit or ""
    if "/" in unit:
        money, per = unit.split("/", 1)
        per = per.lstrip("每")
        if money in MONEY_TO_WAN and per in PERIOD_MONTHS:
            return number * MONEY_TO_WAN[money], per
        return None
    if unit not in MONEY_TO_WAN or unit in ("万", "亿"):
        return None
    name = fold(ind.name)
    for word, per in _per_period_words(extra):
        if word in name:
            rest = name.replace(word, "")  # 每月人均补助: per person too, no amount for the project
            if any(w in rest for w in words("budget", "per_unit", extra) if w != "每") or "每" in rest:
                return None
            return number * MONEY_TO_WAN[unit], per
    return None


@lru_cache(maxsize=None)
def _per_period_words(extra: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    table = lexicons.load("boilerplate", extra).get("budget", {}).get("per_period", {})
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1024)
def goal_quantities(goal_text: str) -> tuple[tuple[float, str, str], ...]:
    """(number, unit, the words around it) of each count, area, length or weight the goal text
    states (10个合作社 → (10, 个, …入股10个合作社…)); money, shares and dates are not goal
    quantities here (other rules compare funds)."""
    from kpicheck.rules._reading import fold as fold_value, numbers

    text = fold_value(goal_text)
    out = []
    for n in numbers(text):
        if not n.unit.parts or n.unit.magnitude or len(n.unit.parts) > 1:
            continue
        if n.unit.head_dimension not in ("count", "area", "length", "weight", "volume"):
            continue
        before = _LIST_COMMA.split(text[max(0, n.start - 14):n.start])[-1]
        before = _SENTENCE.split(before)[-1]
        after = _SENTENCE.split(_LIST_COMMA.split(n.unit.rest[:10])[0])[0]
        out.append((n.value, n.unit.canonical, before + "|" + after))
    return tuple(out)


def shared_words(name: str, context: str, extra: tuple[str, ...] = ()) -> str:
    """The longest run of characters the name and the goal's words share, not counting general
    words (数量, 完成, 建设): what ties the indicator to the quantity, or ""."""
    generic = set(words("goals", "generic", extra))
    best = ""
    for part in context.split("|"):
        for i in range(len(part) - 1):
            if part[i:i + 2] not in name:
                continue  # no shared run starts here (most characters: one test each)
            for j in range(len(part), i + max(len(best), 1), -1):
                piece = part[i:j]
                if piece in name and piece not in generic and not _DIGIT.search(piece):
                    best = piece
                    break
    return best


def funds_rate(project: Any) -> Optional[float]:
    """The 执行率 the funds block's total row prints (102.59% → 1.0259), or None."""
    funds = getattr(project, "funds", None)
    row = next((r for r in (funds.rows if funds else []) if "总额" in r.label), None)
    text = (row.rate or "").rstrip("%") if row else ""
    value = _figure(text)
    return None if value is None else value / 100
