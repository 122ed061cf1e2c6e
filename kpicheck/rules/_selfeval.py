"""The reading the KPI8 rules share: a self-evaluation row's printed figures and how its actual
stands against its target.

Everything here reads what the parser left on `Indicator` (`actual`, `weight`, `score`,
`deviation_reason`, `actual_parsed`) and on `Project` (`funds`, `total_*`), as printed. A
printed figure keeps its precision (`Figure.decimals`): a sum, a ratio or a score is compared
with the tolerance that precision allows, never more exactly than the document could print it.
The target's direction comes from the readings the KPI3 rules use (`_reading.read_name`,
`kpi3_comparators._positive`); word lists are in `lexicons/selfeval.toml`.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Optional

from kpicheck import lexicons, patterns
from kpicheck.models import DateValue, FundsRow, Indicator, ParsedValue, Position, Project
from kpicheck.rules import _facts as F
from kpicheck.rules._reading import read_name
from kpicheck.rules.base import Example, Hit, RuleContext
from kpicheck.rules.kpi3_comparators import _mentions_negative, _positive

# A figure as printed in a score, weight, amount or rate cell: "10", "1.9", "100.00%",
# "215,457.6", "20%" (a weight in per cent of 100), "10分", "9.48万元".
_FIGURE = patterns.compile(r"[约]?([+-]?\d[\d,]*(?:\.(\d+))?)(%|分|万元|元)?")
# Dimensions that can never measure the same thing: a target in one and an actual in another
# cannot be compared (a count against a percentage, an amount against a count).
COMPARABLE_DIMENSIONS = ("money", "percent", "count", "time", "area", "length", "weight", "volume")
EPS = 1e-9
# An approximate actual (约, 余, 近) is judged only when it is this far from the target.
APPROXIMATE_MARGIN = 0.10


@lru_cache(maxsize=None)
def lexicon(table: str, key: str, extra: tuple[str, ...] = ()) -> tuple:
    return tuple(lexicons.load("selfeval", extra).get(table, {}).get(key, []))


# ---------------------------------------------------------------- printed figures


@dataclass(frozen=True)
class Figure:
    """A number as printed, with the precision it was printed at."""

    value: float
    decimals: int
    percent: bool
    text: str

    @property
    def ulp(self) -> float:
        """One unit in the last printed place (1 for an integer)."""
        return 10.0 ** -self.decimals

    @property
    def exact_half_ulp(self) -> float:
        """Half a unit in the last place for a decimal; 0 for an integer. Weights and scores
        printed as integers are exact (nobody prints a weight of 4.6 as 5); a score printed
        with decimals may be rounded there (1.946 → 1.9)."""
        return 0.5 * self.ulp if self.decimals else 0.0


def is_blank(text: Optional[str], extra: tuple[str, ...] = ()) -> bool:
    """No figure and no words: an empty cell, a dash, a slash, 无."""
    folded = F.fold(text)
    return not folded or folded in _blank_words(extra)


@lru_cache(maxsize=None)
def _blank_words(extra: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(F.fold(w) for w in lexicon("cells", "blank", extra))


def figure(text: Optional[str]) -> Optional[Figure]:
    """The printed figure of a cell, or None when the cell holds anything else."""
    if not text:
        return None
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    m = _FIGURE.fullmatch(cleaned)
    if m is None:
        return None
    digits = m.group(1)
    if "," in digits and not _good_thousands(digits):
        return None  # 1000,000: a malformed number is KPI505's business, not a figure to sum
    try:
        value = float(digits.replace(",", ""))
    except ValueError:  # pragma: no cover - the pattern admits numbers only
        return None
    return Figure(value, len(m.group(2) or ""), m.group(3) == "%", text.strip())


def _good_thousands(digits: str) -> bool:
    head = digits.lstrip("+-").split(".")[0].split(",")
    return 1 <= len(head[0]) <= 3 and all(len(g) == 3 for g in head[1:])


def fmt(x: float, decimals: int = 2) -> str:
    """A computed figure for a message: at most `decimals` places, no trailing zeros."""
    text = f"{x:.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- a row's fields


def weight_of(ind: Indicator) -> Optional[Figure]:
    return figure(ind.weight)


def score_of(ind: Indicator) -> Optional[Figure]:
    return figure(ind.score)


def has_reason(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """The row explains itself: a deviation reason that is more than 无 or a dash."""
    folded = F.fold(ind.deviation_reason)
    return bool(folded) and folded not in _no_reason_words(extra)


@lru_cache(maxsize=None)
def _no_reason_words(extra: tuple[str, ...] = ()) -> frozenset[str]:
    return frozenset(F.fold(w) for w in lexicon("reasons", "none", extra))


def reason_column_printed(ind: Indicator, siblings: Iterable[Indicator]) -> bool:
    """The table has a deviation-reason column: the parser said so for this row (an empty
    printed cell is "" and has a position), or another row of the project fills it in."""
    if ind.deviation_reason is not None or "deviation_reason" in ind.positions:
        return True
    return any(F.fold(s.deviation_reason) for s in siblings)


def is_percent_scale(figures: Iterable[Figure]) -> bool:
    return any(f.percent for f in figures)


def scored_like_weighted(inds: list[Indicator]) -> bool:
    """Scores are on the weights' scale. A 权重 printed in % (20%) may score out of another
    total (20% of 90 = 18); such a table is read as points only when some row scores exactly
    its weight."""
    pairs = [(weight_of(i), score_of(i)) for i in inds]
    pairs = [(w, s) for w, s in pairs if w is not None and s is not None]
    if not any(w.percent for w, _ in pairs):
        return True
    return any(abs(s.value - w.value) <= EPS for w, s in pairs)


def exceeds(a: Figure, b: Figure) -> bool:
    """a > b beyond what printing at the coarser precision could explain."""
    return a.value - b.value > max(a.exact_half_ulp, b.exact_half_ulp) + EPS


def same(a: Figure, b: Figure) -> bool:
    return abs(a.value - b.value) <= max(a.exact_half_ulp, b.exact_half_ulp) + EPS


# ---------------------------------------------------------------- target against actual


@dataclass(frozen=True)
class Judgement:
    """How a row's actual stands against its target.

    state: "met", "missed", "incomparable" or "unknown" (nothing safe to say). `ratio` is the
    completion ratio a proportional score uses (actual/target for a ≥ target, target/actual for
    a ≤ target; rules.md S5), when a number gives one. `quantitative`: judged on a number or a
    date (a qualitative row may lose points by its grade band even when 达成)."""

    state: str
    ratio: Optional[float] = None
    quantitative: bool = False
    target: str = ""  # the target as the judgement read it, for messages ("≥95%", "11月底前")
    why: str = ""  # incomparable: "dimension", "words"; missed: "below", "above", "late", "grade", "answer"
    dims: tuple[str, str] = ("", "")  # incomparable by dimension: (target's, actual's)


UNKNOWN = Judgement("unknown")


def judge(ind: Indicator, budget_year: Optional[int] = None, extra: tuple[str, ...] = ()) -> Judgement:
    """Read the actual against the target (direction-aware); `unknown` whenever unsure."""
    target, actual = ind.parsed, ind.actual_parsed
    if target is None or actual is None or is_blank(ind.actual, extra) or is_blank(ind.value, extra):
        return UNKNOWN
    if target.placeholder or actual.placeholder:
        return UNKNOWN
    counted = target.kind in ("quantity", "range") and (target.number is not None or target.low is not None) \
        and target.dimension not in (None, "time") and not target.dates
    if not counted and (_time_like(target) or F.is_time_like(ind, extra)):
        return _judge_date(target, actual, budget_year)  # (a count 'within the year' stays a count)
    if target.kind in ("quantity", "range") and (target.number is not None or target.low is not None):
        return _judge_number(ind, target, actual, extra)
    if target.kind == "grade" and actual.kind == "grade":
        return _judge_grade(target, actual, extra)
    if target.kind == "binary" and actual.kind == "binary":
        return _judge_answer(target, actual, extra)
    return UNKNOWN


def _reports_completion(actual: str, extra: tuple[str, ...]) -> bool:
    text = actual.strip()
    return any(text.startswith(w) for w in lexicon("actuals", "completion", extra))


def _time_like(p: ParsedValue) -> bool:
    return p.kind in ("date", "period", "duration", "cadence") or bool(p.dates) or p.period_start is not None


def _judge_number(ind: Indicator, target: ParsedValue, actual: ParsedValue, extra: tuple[str, ...] = ()) -> Judgement:
    if len(target.numbers) > 1 and target.kind != "range":
        return UNKNOWN  # 6280元购买书籍3000元: which number is the target?
    if actual.number is None and actual.low is None:
        if actual.kind in ("text", "vague", "binary", "grade"):
            return Judgement("incomparable", target=target.text, why="words")  # 已完成 for ≥200人
        return UNKNOWN
    if actual.dates or _time_like(actual) or (len(actual.numbers) > 1 and actual.kind != "range"):
        return UNKNOWN
    t_dim, a_dim = target.dimension, actual.dimension
    if t_dim and a_dim and t_dim != a_dim:
        if a_dim == "percent" and _reports_completion(ind.actual or "", extra):
            return UNKNOWN  # '已完成100%' for ≥2次: the share of the plan done, not another quantity
        if t_dim in COMPARABLE_DIMENSIONS and a_dim in COMPARABLE_DIMENSIONS:
            return Judgement("incomparable", target=target.text, why="dimension", dims=(t_dim, a_dim))
        return UNKNOWN
    pair = _common_scale(target, actual)
    if pair is None:
        return UNKNOWN
    (t_low, t_high), a = pair
    if actual.kind == "range":
        return UNKNOWN  # an actual range (90%-95%) is not a result
    if target.kind == "range":
        if t_low <= a <= t_high:
            return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
        return UNKNOWN  # outside a range: which side is worse depends on the indicator
    t = t_low
    if abs(a - t) <= EPS * max(1.0, abs(t)):
        if target.comparator in (">", "<") or actual.approximate:
            return UNKNOWN  # >95% with 95%, or 近200人 for 200人: cannot tell
        return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
    if actual.approximate and actual.comparator is None and abs(a - t) <= APPROXIMATE_MARGIN * abs(t):
        return UNKNOWN  # 200余人, 近200人 for 200人: too close to tell (600余人 for 500 is plainly met)
    sense = direction(ind, target)
    if sense is None:
        return UNKNOWN
    if sense == "min":
        if a > t:
            return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
        ratio = a / t if t > 0 and a >= 0 else None
        return Judgement("missed", ratio=ratio, quantitative=True, target=target.text, why="below")
    if a < t:
        return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
    ratio = t / a if a > 0 and t >= 0 else None
    return Judgement("missed", ratio=ratio, quantitative=True, target=target.text, why="above")


def _common_scale(target: ParsedValue, actual: ParsedValue) -> Optional[tuple[tuple[float, float], float]]:
    """((target low, target high), actual) in one unit, or None when the units differ in a way
    that cannot be converted (人 and 户, 元/人 and 元/户). A bare number takes the other's unit:
    in a table with a 计量单位 column, the unit is printed once for both."""
    t_low = target.low if target.kind == "range" and target.low is not None else target.number
    t_high = target.high if target.kind == "range" and target.high is not None else t_low
    a = actual.number
    if t_low is None or t_high is None or a is None:
        return None
    t_unit = target.unit_canonical or target.unit
    a_unit = actual.unit_canonical or actual.unit
    if _fraction_against_percent(t_unit, t_low, a_unit, a) or _fraction_against_percent(a_unit, a, t_unit, t_low):
        return None  # 0.95 against ≥90%: a fraction, or 0.95%? cannot tell
    if not t_unit or not a_unit or t_unit == a_unit:
        return (t_low, t_high), a
    if target.base_unit and target.base_unit == actual.base_unit and target.number and \
            target.base_number is not None and actual.base_number is not None:
        scale = target.base_number / target.number  # 万元 → 元, 万人 → 人
        return (t_low * scale, t_high * scale), actual.base_number
    return None


def _fraction_against_percent(p_unit: Optional[str], p_number: float, bare_unit: Optional[str], bare: float) -> bool:
    """A bare number up to 1.5 beside a percentage above 1.5 may be a fraction of one."""
    return p_unit == "%" and not bare_unit and abs(bare) <= 1.5 < abs(p_number)


def direction(ind: Indicator, target: ParsedValue) -> Optional[str]:
    """"min" when the actual must reach the target (≥), "max" when it must stay under it (≤),
    None when the row does not say. Without a comparator (or with =) the name decides, as for
    the KPI3 rules: a positive head, a benefit or satisfaction, a delivered count; a target of 0
    can only be missed from above, 100% of a share from below; an amount filed as a cost is a
    cap."""
    if target.comparator in ("≥", ">"):
        return "min"
    if target.comparator in ("≤", "<"):
        return "max"
    reading = read_name(ind.name or "")
    if reading.direction == "positive":
        return "min"
    if reading.direction == "negative":
        return "max"
    if reading.ambiguous:
        return None
    # a target at the end of its scale can be missed from one side only: 0 (no accidents) from
    # above, 100% of a share (查办率 100%) from below
    if target.number == 0 and target.kind == "quantity":
        return "max"
    if target.number == 100 and target.unit_canonical == "%" and not reading.unbounded:
        return "min"
    if F.is_cost_row(ind) and F.money_wan(ind, bare_wan=True) is not None:
        return "max"  # a cost target is a cap (rules.md §3.5); 19.6万 under 成本 is money
    if reading.negated:
        return None
    positive, _ = _positive(ind)
    if positive:
        return "min"
    # a delivered quantity (数量指标) with no direction word of its own: more is at least as good
    if "数量" in {ind.declared_level2, ind.subcategory} and not _mentions_negative(ind.name or "") \
            and target.dimension not in ("money", "percent", "time"):
        return "min"
    return None


def _judge_date(target: ParsedValue, actual: ParsedValue, budget_year: Optional[int]) -> Judgement:
    """A deadline against the date it was done: late only when plainly later (a month-only
    deadline, 11月前, is read as the end of that month)."""
    due = _last_date(target)
    done = _last_date(actual)
    if due is None or done is None or due.month is None or done.month is None:
        return UNKNOWN
    if not (due.valid and done.valid):
        return UNKNOWN
    due_year, done_year = due.year, done.year
    if due_year is None or done_year is None:
        known = due_year or done_year
        if known is not None and budget_year is not None and known != budget_year:
            return UNKNOWN
        if known is not None and budget_year is None:
            return UNKNOWN
        due_year = done_year = 0
    if (done_year, done.month) < (due_year, due.month):
        return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
    if (done_year, done.month) > (due_year, due.month):
        return Judgement("missed", quantitative=True, target=target.text, why="late")
    if due.day is None:
        return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
    if done.day is None:
        return UNKNOWN  # 12月15日前 done in 12月: cannot tell
    if done.day <= due.day:
        return Judgement("met", ratio=1.0, quantitative=True, target=target.text)
    return Judgement("missed", quantitative=True, target=target.text, why="late")


def _last_date(p: ParsedValue) -> Optional[DateValue]:
    if p.period_end is not None:
        return p.period_end
    return p.dates[-1] if p.dates else None


def _judge_grade(target: ParsedValue, actual: ParsedValue, extra: tuple[str, ...]) -> Judgement:
    t, a = F.fold(target.grade), F.fold(actual.grade)
    for scale in lexicon("grades", "scales", extra):
        if t in scale and a in scale:
            if scale.index(a) <= scale.index(t):
                return Judgement("met", ratio=1.0, target=target.text)
            return Judgement("missed", target=target.text, why="grade")
    return UNKNOWN


def _judge_answer(target: ParsedValue, actual: ParsedValue, extra: tuple[str, ...]) -> Judgement:
    t, a = target.binary, actual.binary
    if t == a:
        return Judgement("met", ratio=1.0, target=target.text)
    for pair in lexicon("binary", "opposites", extra):
        if {t, a} == set(pair):
            return Judgement("missed", target=target.text, why="answer")
    return UNKNOWN


# ---------------------------------------------------------------- the funds block


def is_total_label(label: str, extra: tuple[str, ...] = ()) -> bool:
    folded = F.fold(label)
    if any(folded.startswith(F.fold(m)) for m in lexicon("funds", "sub_row_markers", extra)):
        return False
    return any(F.fold(w) in folded for w in lexicon("funds", "total_labels", extra))


def total_row(project: Project, extra: tuple[str, ...] = ()) -> Optional[tuple[int, FundsRow]]:
    """The funds block's total row (年度资金总额), when the block prints one."""
    funds = project.funds
    if funds is None or not funds.rows:
        return None
    for i, row in enumerate(funds.rows):
        if is_total_label(row.label, extra):
            return i, row
    return None


def rate_percent(row: FundsRow) -> Optional[tuple[float, float]]:
    """The printed execution rate in %, with its tolerance (one unit in the last place, so a
    rate truncated rather than rounded still agrees). "0.86" without % is a fraction."""
    rate = figure(row.rate)
    if rate is None:
        return None
    if rate.percent:
        return rate.value, rate.ulp
    if rate.value <= 1.5:  # 0.86 / 1: a fraction
        return rate.value * 100, rate.ulp * 100
    return rate.value, rate.ulp


def computed_rates(row: FundsRow) -> list[tuple[float, float, float, str]]:
    """Executed / budget in %, for each budget the row prints (全年/调整后 first, then 年初):
    (low, high, nominal, which budget) from the figures' printed precision."""
    executed = figure(row.executed)
    if executed is None:
        return []
    out = []
    for key in ("adjusted", "initial"):
        budget = figure(getattr(row, key))
        if budget is None or budget.value <= 0:
            continue
        e_half, b_half = 0.5 * executed.ulp, 0.5 * budget.ulp
        if budget.value - b_half <= 0:
            continue
        low = max(executed.value - e_half, 0.0) / (budget.value + b_half) * 100
        high = (executed.value + e_half) / (budget.value - b_half) * 100
        out.append((low, high, executed.value / budget.value * 100, key))
    return out


def proportional_rule(project: Project, extra: tuple[str, ...] = ()) -> bool:
    """The document prints a funds score proportional to the execution rate (预算执行率×分值)."""
    rule = project.funds.scoring_rule if project.funds else None
    folded = F.fold(rule)
    return bool(folded) and any(F.fold(w) in folded for w in lexicon("funds", "proportional_rule", extra))


# ---------------------------------------------------------------------- shared by the rules on a self-evaluation

FIELD_ZH = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数", "rate": "执行率",
             "weight": "分值", "score": "得分"}
FIELD_EN = {"initial": "initial budget", "adjusted": "full-year budget", "executed": "spent", "rate": "execution rate",
             "weight": "weight", "score": "score"}


@dataclass(frozen=True)
class SelfEvalExample(Example):
    """An example with project facts of a self-evaluation: `project` holds `Project` fields
    (funds, total_weight, total_score)."""

    project: dict[str, Any] = field(default_factory=dict)


def funds_example(*rows: tuple, rule: Optional[str] = None) -> dict[str, Any]:
    """A funds block for an example: rows of (label, initial, adjusted, executed, rate, weight, score)."""
    keys = ("label", "initial", "adjusted", "executed", "rate", "weight", "score")
    return {"unit": "万元", "scoring_rule": rule,
            "rows": [{k: v for k, v in zip(keys, r) if v is not None} for r in rows]}


def by_project(ctx: RuleContext) -> list[tuple[Optional[Project], list[Indicator]]]:
    """Each project with its indicators in document order (a project without indicators too)."""
    groups = ctx.by_project()
    out = [(ctx.project(name), inds) for name, inds in groups.items()]
    out += [(p, []) for p in ctx.projects if p.name not in groups]
    return out


def funds_pos(row: FundsRow, key: str) -> Position:
    return row.positions.get(key) or row.pos


def project_hit(project: Project, field_name: str, pos: Optional[Position], **args: Any) -> Hit:
    return Hit(project=project.name, field=field_name, pos=pos, args=args)


def funds_rows(project: Optional[Project]) -> list[tuple[int, FundsRow]]:
    return list(enumerate(project.funds.rows)) if project is not None and project.funds else []
