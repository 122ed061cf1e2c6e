"""KPI3xx comparators: the sign of a target must match the direction of its indicator.

The direction comes from the head of the indicator's name (lexicon `directions`): 满意度,
合格率, 覆盖率 … are better when higher (≥ or =); 成本, 投诉率, 响应时间 … when lower (≤ or =).
Ambiguous heads (控制率, 占比) and negated negatives (无安全事故, 不出现极端事件) are skipped.
"""
from __future__ import annotations

from typing import Iterable, Optional

from kpicheck.models import Indicator
from kpicheck.rules._reading import ValueView, category_of, fold, lex, read_name, subcategory_of
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register

LOWER = {"≤", "<"}
HIGHER = {"≥", ">"}


def _fmt(x: float) -> str:
    return f"{x:g}"


def _leading(v: ValueView) -> Optional[str]:
    """The comparator that governs a single-number value, or None if there is none or several."""
    n = v.single
    if n is None or not v.tokens:
        return None
    dirs = {t.canonical for t in v.tokens}
    if len(dirs) > 1:  # doubled or contradictory: KPI304's business
        return None
    return next(iter(dirs))


def _mentions_negative(name: str) -> bool:
    d = lex("directions").get("direction", {})
    return any(stem in name for stem in d.get("negative", []) + d.get("negations", []) + d.get("ambiguous", []))


def _tautological(v: ValueView) -> bool:
    n = v.single
    if n is None or not v.is_percent:
        return False
    cmp = _leading(v)
    return (cmp == "≤" and n.value == 100) or (cmp == "≥" and n.value == 0)


def _benefit_like(ind: Indicator) -> Optional[str]:
    """For a name with no direction of its own: is more better because of what it is?

    "error" for a benefit or satisfaction (a higher share is the goal), "warning" for a count of
    delivered outputs, None when nothing can be said.
    """
    r = read_name(ind.name)
    if r.direction or r.ambiguous or r.negated or _mentions_negative(ind.name):
        return None
    cats = category_of(ind)
    if cats & {"效益", "满意度"}:
        return "error"
    if r.expects in ("count", "bulk") and "成本" not in cats:
        return "warning"
    return None


def _counts_people(r, unit: str) -> bool:
    """A head count (鉴定人数, 服务人次, 100人): people served on demand may be capped (≤100人),
    where things built or done (建设数量 ≤4) may not."""
    expects = lex("directions").get("expects", {})
    people_units = {u for units in expects.get("count_units", {}).values() for u in units}
    return unit.split("/")[0] in people_units or any(r.head.endswith(p) for p in expects.get("people", []))


def _delivered(name: str) -> bool:
    """The name counts what an act delivers (建设数量, 改造卫生厕所数量), not a stock that may be
    capped (公务用车数量)."""
    return any(v in fold(name) for v in lex("directions").get("expects", {}).get("delivery_verbs", []))


def _positive(ind: Indicator) -> tuple[bool, Optional[str]]:
    """(more is better, severity) for the direction checks."""
    r = read_name(ind.name)
    if r.direction == "positive":
        return True, "error"
    sev = _benefit_like(ind)
    return sev is not None, sev


@register
class InvertedOnPositive(Rule):
    code = "KPI301"
    name = "inverted-comparator-positive"
    severity = "error"
    judges_value = True
    summary = "越高越好的指标（满意度、合格率、覆盖率、正常运行率、效益等）用了 ≤ / < / 不超过 / 以内"
    summary_en = "≤ / < / 不超过 / 以内 on an indicator where more is better (satisfaction, pass, coverage, benefits)"
    why = ("比较符号表明指标方向（≥ 正向、≤ 反向）。满意度、合格率等越高越好，写成“≤95%”等于把 95% 定为上限，"
           "实际越好得分越低，目标失去意义。")
    why_en = ("The comparator states the direction of the indicator (≥ positive, ≤ negative). For a "
              "satisfaction or pass rate, '≤95%' makes 95% a ceiling: the better the result, the worse the score.")
    source = "rules.md §3.1, VAL-001 (S5)"
    messages = {
        "zh": "指标“{name}”越高越好，目标值“{value}”却使用了“{comparator}”，方向颠倒。",
        "en": "'{name}' is better when higher, but its target '{value}' uses '{comparator}': the direction is inverted.",
    }
    suggestions = {
        "zh": "改为“≥{number}{unit}”（或“={number}{unit}”），请按实际目标值确认。",
        "en": "Write '≥{number}{unit}' (or '={number}{unit}'); confirm the target level.",
    }
    bad = Example(indicators=({"name": "设施稳定运行率", "value": "≤99%", "declared_level1": "产出",
                               "declared_level2": "质量"},))
    good = Example(indicators=({"name": "服务对象满意度", "value": "≥99%", "declared_level1": "满意度"},
                               {"name": "社保卡持有率", "value": "≥90%", "declared_level1": "效益"},
                               {"name": "成本控制率", "value": "≤98%", "declared_level1": "成本"},
                               {"name": "检测时限", "value": "≤7个工作日", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            cmp = _leading(v)
            if cmp not in LOWER or _tautological(v):
                continue
            n = v.single
            if n.unit.dimension in ("time", "money", "rate"):  # a duration or an amount: ≤ is natural
                continue
            positive, sev = _positive(ind)
            if not positive:
                continue
            r = read_name(ind.name)
            dim = n.unit.head_dimension
            if r.direction and r.expects and dim and r.expects != dim:
                continue  # a rate given in days, a count in %: KPI503's business
            counted_output = (sev == "warning" and "数量" in subcategory_of(ind)
                              and (dim == "count" or (dim is None and not n.unit.rest.strip()))
                              and not _counts_people(r, n.unit.canonical) and _delivered(ind.name))
            if r.direction is None and not v.is_percent and not counted_output:
                continue  # a benefit judged by its category only: only its share (%) is safe to read;
                # a count of delivered outputs (建设数量 ≤4) reads as more-is-better by its head
            yield Hit(indicator=ind, severity=sev,
                      args={"comparator": v.comparator_text or cmp, "number": n.text, "unit": n.unit.text})


@register
class InvertedOnNegative(Rule):
    code = "KPI302"
    name = "inverted-comparator-negative"
    severity = "error"
    judges_value = True
    summary = "越低越好的指标（成本、费用、单价、投诉率、事故率、逾期率、响应时间等）用了 ≥ / > / 不低于 / 以上"
    summary_en = "≥ / > / 不低于 / 以上 on an indicator where less is better (cost, price, complaints, delays)"
    why = ("成本、投诉率、办理时限等越低越好，写成“≥”把目标变成下限：花得越多、投诉越多反而“达标”。")
    why_en = ("Cost, complaint rates and durations are better when lower; '≥' turns the target into a "
              "floor, so spending more or having more complaints would 'meet' it.")
    source = "rules.md §3.1, VAL-003 (S5)"
    messages = {
        "zh": "指标“{name}”越低越好，目标值“{value}”却使用了“{comparator}”，方向颠倒。",
        "en": "'{name}' is better when lower, but its target '{value}' uses '{comparator}': the direction is inverted.",
    }
    suggestions = {
        "zh": "改为“≤”加可接受的上限（如“{suggested}”）；不要只把符号翻转，请确认数值。",
        "en": "Use '≤' with an acceptable ceiling (e.g. '{suggested}'); do not just flip the sign, check the number.",
    }
    bad = Example(indicators=({"name": "逾期发放率", "value": ">=100%", "declared_level1": "产出",
                               "declared_level2": "质量"},
                              {"name": "人均培训成本", "value": "≥800元", "declared_level1": "成本"}))
    good = Example(indicators=({"name": "人均培训成本", "value": "≤800元", "declared_level1": "成本"},
                               {"name": "投诉办结率", "value": "≥95%", "declared_level1": "产出"},
                               {"name": "事故下降率", "value": "≥10%", "declared_level1": "效益"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            cmp = _leading(v)
            if cmp not in HIGHER or _tautological(v):
                continue
            r = read_name(ind.name)
            if r.direction != "negative":
                continue
            n = v.single
            dim = n.unit.head_dimension
            if r.expects and dim and r.expects != dim and not (r.expects == "money" and dim == "rate"):
                continue  # the unit says something else is measured: KPI503's business
            if v.is_percent and n.value >= 100:
                suggested = "=0%"
            else:
                suggested = f"≤{n.text}{n.unit.text}"
            yield Hit(indicator=ind, args={"comparator": v.comparator_text or cmp, "suggested": suggested})


@register
class TautologicalBound(Rule):
    code = "KPI303"
    name = "tautological-bound"
    severity = "error"
    judges_value = True
    summary = "比率目标写成“≤100%”或“≥0%”，恒成立，无法考核"
    summary_en = "A share target of '≤100%' or '≥0%', which is always met"
    why = ("比率不会超过 100%、也不会低于 0，“≤100%”“≥0%”任何结果都达标，等于没有目标；"
           "对满意度、正常运行率等正向指标同时也是方向颠倒。")
    why_en = ("A share never exceeds 100% nor falls below 0, so '≤100%' or '≥0%' is met by any result "
              "and measures nothing; on a positive indicator it is also inverted.")
    source = "rules.md VAL-002 (S3, S4, S5)"
    messages = {
        "zh": "指标“{name}”的目标值“{value}”恒成立（比率不可能超出该界限），无法衡量绩效。",
        "en": "The target '{value}' of '{name}' is always met (a share cannot pass that bound): it measures nothing.",
    }
    suggestions = {
        "zh": "{advice_zh}",
        "en": "{advice_en}",
    }
    bad = Example(indicators=({"name": "保障社会保障卡正常运行", "value": "≤100%", "declared_level1": "产出"},
                              {"name": "群众满意度", "value": "≤100%", "declared_level1": "满意度"}))
    good = Example(indicators=({"name": "群众满意度", "value": "≥95%", "declared_level1": "满意度"},
                               {"name": "成本控制率", "value": "≤100%", "declared_level1": "成本"},
                               {"name": "营业收入增长率", "value": "≥0%", "declared_level1": "效益"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            if not _tautological(v):
                continue
            r = read_name(ind.name)
            if r.ambiguous or r.unbounded:
                continue
            upper = v.single.value == 100
            if upper:
                positive, _ = _positive(ind)
                if not (positive or r.bounded):
                    continue
                if positive:
                    advice = ("改为实际可达的下限，如“≥95%”，或要求全部达成时写“=100%”。",
                              "Set a reachable floor such as '≥95%', or '=100%' when everything must be achieved.")
                else:
                    advice = ("改为可接受的上限，如“≤5%”。", "Set an acceptable ceiling such as '≤5%'.")
            else:
                advice = ("写出实际要达到的水平，如“≥5%”。", "State the level to reach, such as '≥5%'.")
            yield Hit(indicator=ind, args={"advice_zh": advice[0], "advice_en": advice[1]})


@register
class MalformedComparator(Rule):
    code = "KPI304"
    name = "malformed-comparator"
    severity = "error"
    judges_value = True
    summary = "比较符号重复或相互矛盾（≥≥、=≥、≥不低于、≥90%以下、≤≥）"
    summary_en = "Doubled or contradictory comparators (≥≥, =≥, ≥不低于, ≥90%以下, ≤≥)"
    why = "重复或矛盾的符号让目标方向无法确定，考核时无法判定是否达标。"
    why_en = "A doubled or contradictory comparator leaves the direction undecidable, so the target cannot be scored."
    source = "rules.md VAL-007"
    messages = {
        "zh": "指标“{name}”的目标值“{value}”中比较符号{problem_zh}（{tokens}）。",
        "en": "The target '{value}' of '{name}' has {problem_en} comparators ({tokens}).",
    }
    suggestions = {
        "zh": "只保留一个比较符号，如“{suggested}”。",
        "en": "Keep a single comparator, e.g. '{suggested}'.",
    }
    bad = Example(indicators=({"name": "验收合格率", "value": "≥≥95%", "declared_level1": "产出"},
                              {"name": "群众满意度", "value": "不低于90%以下", "declared_level1": "满意度"}))
    good = Example(indicators=({"name": "验收合格率", "value": "≥95%", "declared_level1": "产出"},
                               {"name": "群众满意度", "value": "达到90%以上", "declared_level1": "满意度"},
                               {"name": "年度完成率", "value": ">=100%", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            n = v.single
            problem = ind.parsed.comparator_problem if ind.parsed else None
            if not problem and (n is None or len(v.tokens) < 2):
                continue  # one comparator can be neither doubled nor contradictory
            before = [t for t in v.tokens if n is None or t.end <= n.start]
            after = [t for t in v.tokens if n is not None and t.start >= n.end and t.kind == "suffix"]
            dirs = {_side(t.canonical) for t in before + after}
            contradictory = len(dirs - {"="}) > 1
            doubled = len(before) > 1
            if not (contradictory or doubled or problem):
                continue
            if problem == "contradictory":
                contradictory = True
            tokens = "、".join(t.text for t in before + after) or (v.comparator_text or "")
            main = before[-1].canonical if before else (v.comparator or "")
            if contradictory:
                suggested, fix = f"{'≥' if '≥' in dirs else '≤'}{n.text if n else ''}{n.unit.text if n else ''}", None
                problem_zh, problem_en = "相互矛盾", "contradictory"
            else:
                strongest = next((t.canonical for t in before if t.canonical != "="), main)
                rest = v.text[before[-1].end:] if before else v.text
                suggested = fix = f"{strongest}{rest}"
                problem_zh, problem_en = "重复", "doubled"
            yield Hit(indicator=ind, fix=fix, args={
                "problem_zh": problem_zh, "problem_en": problem_en, "tokens": tokens, "suggested": suggested})


def _side(canonical: str) -> str:
    return {"≥": "≥", ">": "≥", "≤": "≤", "<": "≤"}.get(canonical, "=")


@register
class MissingComparator(Rule):
    code = "KPI305"
    name = "missing-comparator"
    severity = "info"
    judges_value = True
    summary = "有方向的比率目标只写了数字，没有比较符号（满意度“90%”是 ≥ 还是 =？）"
    summary_en = "A directional rate target with a bare number and no comparator"
    why = "没有比较符号，考核时不清楚是下限还是精确值；填报系统常要求单独填写计算符号。"
    why_en = "Without a comparator it is unclear whether the number is a floor or an exact value."
    source = "rules.md VAL-008 (S22)"
    messages = {
        "zh": "指标“{name}”的目标值“{value}”缺少比较符号。",
        "en": "The target '{value}' of '{name}' has no comparator.",
    }
    suggestions = {"zh": "写成“{suggested}”。", "en": "Write '{suggested}'."}
    bad = Example(indicators=({"name": "学生家长满意度", "value": "90%", "declared_level1": "满意度"},))
    good = Example(indicators=({"name": "学生家长满意度", "value": "≥90%", "declared_level1": "满意度"},
                               {"name": "验收合格率", "value": "100%", "declared_level1": "产出"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            n = v.single
            if n is None or v.tokens or not v.is_percent or v.text != f"{n.text}{n.unit.text}":
                continue
            r = read_name(ind.name)
            if r.direction is None or not r.bounded or n.value in (0, 100) or n.value > 100:
                continue
            sign = "≥" if r.direction == "positive" else "≤"
            yield Hit(indicator=ind, args={"suggested": f"{sign}{n.text}%"})


@register
class StrictComparator(Rule):
    code = "KPI306"
    name = "strict-comparator"
    severity = "info"
    judges_value = True
    summary = "目标使用严格不等号 > / <，通常应为 ≥ / ≤"
    summary_en = "A strict > / < where ≥ / ≤ is the convention"
    why = "“>92%”时恰好 92% 算未达标，多数情况下并非本意；规范写法为 ≥ / ≤。"
    why_en = "With '>92%' a result of exactly 92% fails, which is rarely intended; the convention is ≥ / ≤."
    source = "rules.md VAL-008 (S14)"
    messages = {
        "zh": "指标“{name}”的目标值“{value}”使用了严格不等号“{comparator}”。",
        "en": "The target '{value}' of '{name}' uses the strict comparator '{comparator}'.",
    }
    suggestions = {"zh": "如恰好达到也算完成，改为“{suggested}”。", "en": "If reaching it exactly counts, write '{suggested}'."}
    bad = Example(indicators=({"name": "验收合格率", "value": ">92%", "declared_level1": "产出"},))
    good = Example(indicators=({"name": "验收合格率", "value": "≥92%", "declared_level1": "产出"},))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            cmp = _leading(v)
            if cmp not in (">", "<") or v.tokens[0].kind != "symbol":
                continue
            wide = "≥" if cmp == ">" else "≤"
            yield Hit(indicator=ind, fix=None,
                      args={"comparator": cmp, "suggested": wide + v.text[v.tokens[0].end:]})


_TIME_UNITS = {"年", "月", "日", "天", "号", "时", "小时", "周"}


def _stated_bounds(v: ValueView) -> Optional[tuple[float, float, str]]:
    """(floor, ceiling, unit) when a value states a floor above its ceiling (≥90%，≤85%), else None."""
    if len(v.numbers) != 2 or len(v.tokens) != 2:
        return None
    floor = ceiling = None
    for n in v.numbers:
        before = [t for t in v.tokens if t.end <= n.start and t.kind != "suffix"]
        if not before:
            return None
        side = _side(before[-1].canonical)
        if side == "≥" and floor is None:
            floor = n
        elif side == "≤" and ceiling is None:
            ceiling = n
    if floor is None or ceiling is None or floor.unit.text != ceiling.unit.text or floor.value <= ceiling.value:
        return None
    return floor.value, ceiling.value, floor.unit.text


@register
class InvertedRange(Rule):
    code = "KPI307"
    name = "inverted-range"
    severity = "error"
    judges_value = True
    summary = "区间目标的下限不小于上限（95%-85%）"
    summary_en = "A range target whose lower bound is not below its upper bound (95%-85%)"
    why = "区间写反后，任何结果都无法同时满足“不低于下限、不高于上限”，目标无法考核。"
    why_en = "With the bounds swapped no result can be both above the floor and below the ceiling: the target cannot be scored."
    source = "rules.md VAL-009"
    messages = {
        "zh": "指标“{name}”的区间目标“{value}”下限 {low} 不小于上限 {high}。",
        "en": "The range target '{value}' of '{name}' has its lower bound {low} at or above its upper bound {high}.",
    }
    suggestions = {"zh": "改为“{fixed}”（先写下限，再写上限）。", "en": "Write '{fixed}' (floor first, then ceiling)."}
    bad = Example(indicators=({"name": "项目验收合格率", "value": "95%-85%", "declared_level1": "产出"},
                              {"name": "监测数据有效率", "value": "≥90%，≤85%", "declared_level1": "产出"}))
    good = Example(indicators=({"name": "项目验收合格率", "value": "85%-95%", "declared_level1": "产出"},
                               {"name": "设备负载率", "value": "≥60%，≤85%", "declared_level1": "产出"},
                               {"name": "实施期间", "value": "1-12月", "declared_level1": "产出", "declared_level2": "时效"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, v in ctx.viewed():
            p = ind.parsed
            bounds = _stated_bounds(v)
            if bounds:
                low, high, unit = bounds
                yield Hit(indicator=ind, args={"low": _fmt(low), "high": _fmt(high),
                                               "fixed": f"≥{_fmt(high)}{unit}，≤{_fmt(low)}{unit}"})
                continue
            if p is None or p.kind != "range" or p.low is None or p.high is None or p.low <= p.high:
                continue
            if (p.unit_canonical or p.unit or "") in _TIME_UNITS or p.dates:
                continue  # 12-1月 may be a period across the year end: KPI4's business
            unit = p.unit or ""
            fixed = f"{_fmt(p.high)}{unit}-{_fmt(p.low)}{unit}"
            yield Hit(indicator=ind, args={"low": _fmt(p.low), "high": _fmt(p.high), "fixed": fixed})
