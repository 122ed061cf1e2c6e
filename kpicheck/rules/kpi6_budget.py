"""KPI6xx budget consistency: cost targets and stated funds against the project's own budget."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional

from kpicheck import patterns
from kpicheck.models import Indicator
from kpicheck.rules import _facts as F
from kpicheck.rules import _selfeval as S
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register


@dataclass(frozen=True)
class ProjectExample(Example):
    """An example whose project also states its funds elsewhere (Project.other_budgets_wan)."""

    other_budgets_wan: tuple[float, ...] = ()


def _wan(amount: float) -> str:
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _is_total_cost(ind: Indicator, extra: tuple[str, ...]) -> bool:
    if not F.is_cost_row(ind):
        return False
    return not F.has_any(F.fold(ind.name), F.words("budget", "per_unit", extra))


@register
class CostAboveBudget(Rule):
    code = "KPI601"
    name = "cost-above-budget"
    severity = "error"
    judges_value = True
    summary = "总成本目标高于项目预算"
    summary_en = "A total cost target is above the project's budget."
    why = ("成本指标给出资金的控制上限，不能超过项目本身的预算；超过预算的上限等于没有约束，"
           "常见于套用上年数或单位换算错误（元与万元）。")
    why_en = ("A cost target caps spending and cannot exceed the project's own budget; a cap above it "
              "constrains nothing and usually comes from last year's figure or a 元/万元 slip.")
    source = "rules.md CST-001 (S1, S2, S12); threshold config.thresholds.budget_tolerance"
    messages = {
        "zh": "成本指标“{name}”的目标“{value}”（{amount}万元）高于项目“{project}”的预算 {budget}万元",
        "en": "Cost target '{name}' = '{value}' ({amount}万元) is above the {budget}万元 budget of '{project}'",
    }
    suggestions = {
        "zh": "把“{name}”的目标改为不超过项目预算，如“≤{budget}万元”，或按成本构成分项设定上限；如预算已调整，请同步更新预算数",
        "en": "Cap '{name}' at the budget (≤{budget}万元) or per cost component; update the budget if it changed",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "name": "年初预算", "value": "≤36万元"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "支出不超预算安排", "value": "≤1000000元"},
    ), budget_wan=34.0)
    good = Example(indicators=(
        {"declared_level1": "成本", "name": "不超出预算", "value": "≤34万元"},
        {"declared_level1": "成本", "name": "人均培训成本", "value": "≤1500元/人"},
    ), budget_wan=34.0)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        tolerance = ctx.config.thresholds.budget_tolerance
        for ind in ctx.indicators:
            project = ctx.project(ind.project)
            if project is None or not project.budget_wan or not _is_total_cost(ind, extra):
                continue
            amount = F.money_wan(ind, bare_wan=True)
            if amount is None or amount <= project.budget_wan * (1 + tolerance) + 1e-6:
                continue
            budget = _wan(project.budget_wan)
            yield Hit(indicator=ind, fix=f"≤{budget}万元", args={"amount": _wan(amount), "budget": budget})


@register
class FundsMismatch(Rule):
    code = "KPI602"
    name = "funds-mismatch"
    severity = "warning"
    summary = "同一文件中项目资金的表述前后不一致（申报表资金与项目预算不同）"
    summary_en = "The project's funds are stated differently in two places of the same document."
    why = ("绩效目标要与预算资金相匹配；申报表的资金总额与项目支出预算表或文字说明不一致时，"
           "无法判断目标是按哪笔钱设定的，审核时会被要求核对。")
    why_en = ("Targets must match the money; when the application form and the budget table disagree, "
              "nobody can tell which amount the targets were set for.")
    source = "rules.md CST-001 (budget B from the 申报表 header or the 项目支出预算表), §7"
    messages = {
        "zh": "项目“{project}”的资金表述不一致：预算为 {budget}万元（{source}），文件中另有 {others}万元",
        "en": "Project '{project}' states its funds inconsistently: {budget}万元 ({source_en}) vs {others}万元 elsewhere",
    }
    suggestions = {
        "zh": "核对项目“{project}”的资金总额，使申报表、项目支出预算表和绩效目标中的金额一致（以批复预算 {budget}万元 为准，或说明差异原因）",
        "en": "Make the funds of '{project}' agree across the form, the budget table and the targets ({budget}万元), or explain the difference",
    }
    bad = ProjectExample(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "信息运维系统建设数", "value": "1个"},
    ), budget_wan=83.0, other_budgets_wan=(33.0,), note="申报表写年度资金总额 33万元")
    good = ProjectExample(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "信息运维系统建设数", "value": "1个"},
    ), budget_wan=83.0, other_budgets_wan=(83.0,))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for project in ctx.projects:
            budget = project.budget_wan
            if not budget:
                continue
            others = [b for b in project.other_budgets_wan if b and abs(b - budget) > max(0.01, 0.005 * budget)]
            if others:
                yield Hit(project=project.name, args={
                    "budget": _wan(budget), "others": "、".join(_wan(b) for b in dict.fromkeys(others)),
                    "source": project.budget_source or "项目预算", "source_en": project.budget_source or "budget",
                })


_PER_UNIT = patterns.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|千元|元)\s*/\s*([^\d\s/]{1,3}?)(?=$|[^\u4e00-\u9fff]|给|的)")


def _unit_cost(ind: Indicator) -> Optional[tuple[float, str]]:
    """(万元 per unit, the unit) for a per-unit money value such as 1500元/人."""
    p = ind.parsed
    if p is not None and p.dimension == "money" and p.number is not None and "/" in (p.unit_canonical or ""):
        money, per = (p.unit_canonical or "").split("/", 1)
        if money in F.MONEY_TO_WAN and per:
            return p.number * F.MONEY_TO_WAN[money], per
    m = _PER_UNIT.search(unicodedata.normalize("NFKC", ind.value or ""))
    if not m:
        return None
    try:
        return float(m.group(1).replace(",", "")) * F.MONEY_TO_WAN[m.group(2)], m.group(3)
    except ValueError:
        return None


_ROUNDING = 0.01


def _exact(ind: Indicator) -> bool:
    """The value states one figure exactly (=10个, 23万元/个), not a cap, a floor or an estimate."""
    p = ind.parsed
    return F.comparator(ind) in (None, "=") and not (p is not None and (p.approximate or p.low is not None))


@register
class UnitCostAboveBudget(Rule):
    code = "KPI603"
    name = "unit-cost-above-budget"
    severity = "warning"
    summary = "单位成本 × 数量明显超过项目预算"
    summary_en = "Unit cost times quantity is clearly above the project's budget."
    why = ("单位成本与数量指标相乘就是所需资金；明显超过预算说明单价、数量或预算至少有一个填错，"
           "目标无法在预算内完成。")
    why_en = ("Unit cost times quantity is the money needed; well above the budget means the price, the "
              "quantity or the budget is wrong, and the target cannot be met within the money.")
    source = "rules.md CST-002; threshold config.thresholds.unit_cost_tolerance"
    messages = {
        "zh": "单位成本“{name} {value}”×“{quantity_name} {quantity}”= {product}万元，超过项目“{project}”预算 {budget}万元",
        "en": "Unit cost '{name} {value}' × '{quantity_name} {quantity}' = {product}万元, above the {budget}万元 budget of '{project}'",
    }
    suggestions = {
        "zh": "核对单价“{value}”与数量“{quantity}”：按预算 {budget}万元，单价不应超过 {max_unit}{money_unit}/{unit}，或数量不应超过 {max_qty}{unit}",
        "en": "Check the price '{value}' and the quantity '{quantity}': within {budget}万元 the price can be at most {max_unit}{money_unit}/{unit}",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "人均培训成本", "value": "≤1500元/人"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥2000人"},
    ), budget_wan=100.0)
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "成本", "name": "成本控制", "value": "严格按照预算标准1000元/人给补助对象兑付补助"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "扶助人数", "value": "63人"},
    ), budget_wan=6.3)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        tolerance = ctx.config.thresholds.unit_cost_tolerance
        for (project_name, _period), inds in ctx.blocks().items():
            project = ctx.project(project_name)
            if project is None or not project.budget_wan:
                continue
            costs = [_unit_cost(ind) for ind in inds]
            for ind, cost in zip(inds, costs):
                if cost is None or F.comparator(ind) in ("≥", ">"):
                    continue
                per_unit, unit = cost
                quantities = [(F.number_of(q), q) for q, q_cost in zip(inds, costs)
                              if q is not ind and F.unit_of(q) == unit and q_cost is None
                              and F.dimension_of(q) == "count" and F.number_of(q)]
                if not quantities:
                    continue
                number, quantity = min(quantities, key=lambda x: x[0])
                product = per_unit * number
                # Two exact figures (=23万元/个, =10个) multiply to an exact sum: beyond rounding it
                # cannot exceed the budget; a cap or an estimate gets the configured tolerance.
                exact = _exact(ind) and _exact(quantity)
                if product <= project.budget_wan * (1 + (_ROUNDING if exact else tolerance)):
                    continue
                money_unit = "元" if per_unit < 1 else "万元"
                scale = 1e4 if money_unit == "元" else 1.0
                yield Hit(indicator=ind, args={
                    "quantity_name": F.shown(quantity.name), "quantity": quantity.value, "unit": unit,
                    "product": _wan(product), "budget": _wan(project.budget_wan),
                    "max_unit": _wan(project.budget_wan / number * scale), "money_unit": money_unit,
                    "max_qty": f"{int(project.budget_wan / per_unit)}",
                })


@register
class CostMagnitudeSlip(Rule):
    code = "KPI604"
    name = "cost-magnitude-slip"
    severity = "warning"
    summary = "总成本目标与预算差了一个量级（写成“元”的预算数，或不到预算的万分之一）"
    summary_en = "A total cost target off by a magnitude (the budget's 万元 figure written in 元, or under 1/10,000 of it)"
    why = ("“≤250元”对 250万元的项目，是把“万元”漏成了“元”；这样的上限比预算小几个量级，"
           "年底必然超标，目标形同虚设。")
    why_en = ("'≤250元' on a 250万元 project drops the 万 of 万元; a cap orders of magnitude below the budget "
              "is certain to be exceeded and constrains nothing.")
    source = "rules.md CST-003"
    messages = {
        "zh": "成本指标“{name}”的目标“{value}”（{amount}万元）与项目“{project}”的预算 {budget}万元 相差一个量级以上，疑似单位写错。",
        "en": "Cost target '{name}' = '{value}' ({amount}万元) is off by a magnitude from the {budget}万元 budget of '{project}': a unit slip?",
    }
    suggestions = {
        "zh": "核对单位：应为“{suggested}”吗？",
        "en": "Check the unit: is '{suggested}' meant?",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "项目总成本", "value": "≤250元"},
    ), budget_wan=250.0)
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "项目总成本", "value": "≤250万元"},
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "人均补助标准", "value": "≤250元/人"},
    ), budget_wan=250.0)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            project = ctx.project(ind.project)
            if project is None or not project.budget_wan or not _is_total_cost(ind, extra):
                continue
            amount = F.money_wan(ind, bare_wan=True)
            p = ind.parsed
            if amount is None or amount <= 0 or p is None or p.number is None:
                continue
            budget = project.budget_wan
            same_figure = (p.unit_canonical or p.unit) == "元" and abs(p.number - budget) <= 0.005 * budget
            if not (same_figure or amount * 1e4 < budget):
                continue
            number = _wan(p.number)
            suggested = (ind.value or "").replace(f"{number}元", f"{number}万元") if same_figure else f"≤{_wan(budget)}万元"
            yield Hit(indicator=ind, args={"amount": _wan(amount), "budget": _wan(budget), "suggested": suggested})


# Cost-control phrases that state no amount: 不超预算, 控制在预算内, 严格按预算执行.
_NO_AMOUNT = patterns.compile(r"不超(?:出|过)?预算|控制在预算(?:范围)?内|按预算执行|预算内")


@register
class CostNotMonetary(Rule):
    code = "KPI605"
    name = "cost-not-monetary"
    severity = "info"
    summary = "经济成本指标只写了比率或“不超预算”，没有金额"
    summary_en = "An economic cost target states only a rate or 不超预算, no amount"
    why = ("财预〔2021〕101号要求成本指标写明成本控制的金额或单位成本上限；“100%”“不超预算”"
           "无法与预算核对。社会成本和生态环境成本可以是定性描述，不在此列。")
    why_en = ("Cost indicators should state an amount or a unit-cost cap (财预〔2021〕101号); '100%' or 不超预算 "
              "cannot be checked against the budget. Social and environmental costs may be qualitative.")
    source = "rules.md CST-004 (S2, S13, S14)"
    messages = {
        "zh": "成本指标“{name}”的目标“{value}”没有金额，无法与预算核对。",
        "en": "Cost target '{name}' = '{value}' states no amount and cannot be checked against the budget.",
    }
    suggestions = {
        "zh": "写明金额上限，如“项目总成本≤{example}”或“单位成本≤X元/件”。",
        "en": "State an amount, e.g. 'total cost ≤{example}' or a unit cost '≤X元/件'.",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "成本控制率", "value": "100%"},
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "项目支出", "value": "不超预算"},
    ), budget_wan=30.0)
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "项目总成本", "value": "≤30万元"},
        {"declared_level1": "成本", "declared_level2": "生态环境成本", "name": "对周边环境影响", "value": "无明显影响"},
        {"declared_level1": "成本", "declared_level2": "社会成本", "name": "社会成本", "value": "100%"},
    ), budget_wan=30.0)

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            if not F.is_cost_row(ind) or ind.declared_level2 in ("社会成本", "生态环境成本") \
                    or any(w in F.fold(ind.name) for w in ("社会成本", "生态", "环境成本")):
                continue  # social and environmental costs may be qualitative
            p = ind.parsed
            if p is None or F.money_wan(ind, bare_wan=True) is not None or (p.dimension == "money"):
                continue
            rate_only = p.kind == "quantity" and p.unit_canonical == "%"
            phrase_only = not F.has_number(ind) and bool(_NO_AMOUNT.search(F.fold(ind.value)))
            if not (rate_only or phrase_only):
                continue
            if phrase_only and F.states_budget_compliance(F.value_text(ind), F.extra_lexicons(ctx)):
                continue  # 控制在预算内: a vague value, KPI701 reports it (one defect, one family)
            project = ctx.project(ind.project)
            example = f"{_wan(project.budget_wan)}万元" if project and project.budget_wan else "X万元"
            yield Hit(indicator=ind, args={"example": example})


@register
class PeriodCapAboveBudget(Rule):
    code = "KPI606"
    name = "period-cap-above-budget"
    severity = "error"
    judges_value = True
    summary = "按期（每月、每季、每天）给出的金额乘以项目期内的期数，超过项目预算"
    summary_en = "An amount per period (per month, quarter, day) times the periods of the project exceeds its budget."
    why = ("“≤3万元/月”这样的上限要乘以项目期内的月数才是全部资金：一年 12 个月共 36 万元，超过 34 万元的预算，"
           "说明单价、期数或预算至少有一个填错，上限也就约束不了支出。")
    why_en = ("A cap such as 3万元 a month is 36万元 over a 12-month year; above a 34万元 budget it means the "
              "cap, the period or the budget is wrong, and the cap constrains nothing.")
    source = "issue 16 (a monthly cost cap × the months of the period above the budget); ANNOTATION KPI6"
    messages = {
        "zh": "“{name}”的目标“{value}”按项目期 {periods} 个{period}计共 {product}万元，超过项目“{project}”的预算 {budget}万元",
        "en": "'{name}' = '{value}' over the project's {periods} {period_en}s comes to {product}万元, above the {budget}万元 budget of '{project}'",
    }
    suggestions = {
        "zh": "核对“{value}”与项目期（{period_source}）：按预算 {budget}万元，每{period}不应超过 {max_per}万元",
        "en": "Check '{value}' against the project period ({period_source_en}): within {budget}万元 it can be at most {max_per}万元 a {period_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "雾炮车租赁费用", "value": "≤3万元/月"},
    ), budget_wan=34.0, project_facts={"period_text": "2023年1月-2023年12月"})
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "雾炮车租赁费用", "value": "≤2.8万元/月"},
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "每月运营费用", "value": "≤2.5万元"},
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "低保补助标准", "value": "≥530元/人·月"},
    ), budget_wan=34.0, project_facts={"period_text": "2023年1月-2023年12月"})
    PERIOD_EN = {"月": "month", "季度": "quarter", "季": "quarter", "半年": "half-year", "周": "week",
                 "天": "day", "日": "day"}

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            per = F.money_per_period(ind, extra)  # first: the cheapest test, and most values fail it
            if per is None or F.comparator(ind) in ("≥", ">"):
                continue  # not money per period, or a floor, which says nothing of what may be spent
            project = ctx.project(ind.project)
            if project is None or not project.budget_wan:
                continue
            amount, period = per
            months = F.period_months(project)
            if months is None:
                if ind.period != "annual":
                    continue  # a long-term target over a period nobody stated
                months, source, source_en = 12, "年度目标按 12 个月", "an annual target: 12 months"
            else:
                source, source_en = f"起止时间“{project.period_text}”共 {months} 个月", f"{months} months"
            periods = months / F.PERIOD_MONTHS[period]
            product = amount * periods
            if product <= project.budget_wan * (1 + _ROUNDING):
                continue
            yield Hit(indicator=ind, args={
                "periods": f"{periods:.0f}" if abs(periods - round(periods)) < 0.05 else f"{periods:.1f}",
                "period": period, "period_en": self.PERIOD_EN.get(period, period),
                "product": _wan(product), "budget": _wan(project.budget_wan),
                "max_per": _wan(project.budget_wan / periods),
                "period_source": source, "period_source_en": source_en,
            })


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.01, 0.005 * max(abs(a), abs(b)))


def _self_evaluation_block(project) -> bool:
    """A funds block that prints what was spent (执行数 or 执行率): a self-evaluation's."""
    return any(r.executed is not None or r.rate is not None for r in project.funds.rows)


def _self_evaluation_parts(ctx: RuleContext) -> Iterable[Hit]:
    """A self-evaluation's funds block (with 执行数 and 执行率): its sub-rows against its total row, column by
    column (年初预算数, 全年预算数, 全年执行数), to the printed precision."""
    extra = F.extra_lexicons(ctx)
    markers = [F.fold(m) for m in S.lexicon("funds", "sub_row_markers", extra)]
    for project in ctx.projects:
        if project.funds is None or not _self_evaluation_block(project):
            continue
        found = S.total_row(project, extra)
        if found is None:
            continue
        index, total_row = found
        if sum(1 for _, r in S.funds_rows(project) if S.is_total_label(r.label, extra)) > 1:
            continue  # two blocks (预算 and 使用情况), each with its total: not one partition
        subs = [r for j, r in S.funds_rows(project) if j != index]
        if not subs or sum(1 for r in subs if any(F.fold(r.label).startswith(m) for m in markers)) > 1:
            continue  # nested breakdowns (其中 … 其中 …) are not a partition of the total
        for key in ("adjusted", "initial", "executed"):
            total = S.figure(getattr(total_row, key))
            if total is None:
                continue
            parts, readable = [], True
            for r in subs:
                cell = getattr(r, key)
                fig = S.figure(cell)
                if fig is not None:
                    parts.append(fig)
                elif not S.is_blank(cell, extra):
                    readable = False  # a figure we cannot read: no sum
            if not readable or not parts:
                continue
            tol = sum(0.5 * f.ulp for f in parts if f.value) + 0.5 * total.ulp + S.EPS
            if abs(sum(f.value for f in parts) - total.value) <= tol:
                continue
            decimals = max(f.decimals for f in [*parts, total])
            label, shown = F.shown(total_row.label).rstrip(":："), f"{sum(f.value for f in parts):.{decimals}f}"
            yield S.project_hit(project, f"funds[{index}].{key}", S.funds_pos(total_row, key), **{
                "problem": f"中“{label}”的{S.FIELD_ZH[key]}为 {total.text}，而资金来源明细合计 {shown}，两者不符",
                "problem_en": f"gives {total.text} as the {S.FIELD_EN[key]} of '{label}', but its sub-rows add up to {shown}",
                "advice": f"补全或更正资金来源明细，使其合计等于总额 {total.text}",
                "advice_en": f"Complete or correct the sub-rows so that they add up to {total.text}"})
            break  # one finding per block: the other columns usually repeat the gap


@register
class FundsTableInconsistent(Rule):
    code = "KPI607"
    name = "funds-table-inconsistent"
    severity = "error"
    summary = "资金表自相矛盾：年度资金总额与其中各项（财政拨款、上年结转、其他资金）之和不符"
    summary_en = "A funds table contradicts itself: the total differs from the sum of its parts."
    replaces = ("KPI809",)
    why = ("年度资金总额应等于其中财政拨款、上年结转和其他资金之和；总额与分项对不上，说明有一处填错，"
           "成本目标无从核对。申报表和自评表（有执行数、执行率）的资金表都在此核对（自评表原为 KPI809）。")
    why_en = ("The total must equal the sum of its parts (appropriation, carry-over, other funds); when they "
              "disagree one figure is wrong and no cost target can be checked. Target forms and self-evaluations "
              "(with spending and an execution rate) alike (a self-evaluation's was KPI809).")
    source = "issue 16 (a funds table whose total contradicts its parts); ANNOTATION KPI6 (funds stated differently in one document)"
    messages = {
        "zh": "项目“{project}”的资金表{problem}",
        "en": "The funds table of '{project}' {problem_en}",
    }
    suggestions = {
        "zh": "{advice}",
        "en": "{advice_en}",
    }
    COLUMN = {"initial": ("年初预算数", "initial budget"), "adjusted": ("全年预算数", "full-year budget"),
              "executed": ("全年执行数", "spending")}
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "帮扶人数", "value": "≥20人"},
    ), budget_wan=2.0, project_facts={"funds": {"unit": "元", "rows": [
        {"label": "年度资金总额", "initial": "20000.00", "adjusted": "20000.00"},
        {"label": "当年财政拨款", "initial": "0", "adjusted": "0"},
        {"label": "上年结转资金", "initial": "0", "adjusted": "0"},
        {"label": "其他资金", "initial": "0", "adjusted": "0"}]}})
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "帮扶人数", "value": "≥20人"},
    ), budget_wan=55.0, project_facts={"funds": {"unit": "万元", "rows": [
        {"label": "年度资金总额", "initial": "55", "adjusted": "55"},
        {"label": "本年财政拨款", "initial": "55", "adjusted": "55"},
        {"label": "上年结转资金", "initial": "0", "adjusted": "0"},
        {"label": "其他资金", "initial": "—", "adjusted": "—"}]}})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        yield from _self_evaluation_parts(ctx)
        for project in ctx.projects:
            figures = F.funds_figures(project)
            if figures is None or _self_evaluation_block(project):
                continue  # a self-evaluation's block: read above, with its 执行数 column
            label, total, parts = figures
            unit = project.funds.unit or ""
            hit = self._parts(project.name, label, total, parts, unit)
            if hit is not None:
                yield hit

    def _parts(self, project: str, label: str, total: dict, parts: list, unit: str) -> Optional[Hit]:
        for column, (zh, en) in self.COLUMN.items():
            t = total.get(column)
            printed = [(name, f[column]) for name, f in parts if f.get(column) is not None]
            if t is None or not printed:
                continue
            s = sum(v for _, v in printed)
            every = len(printed) == len(parts)
            # blank parts may hold the difference: only a sum above the total contradicts it then
            if _close(s, t) or (not every and s < t):
                continue
            shown = "、".join(f"{n} {v:g}" for n, v in printed)
            return Hit(project=project, args={
                "problem": f"中{label}的{zh}为 {t:g}{unit}，而其中各项（{shown}）合计 {s:g}{unit}，两者不符",
                "problem_en": f"gives a {en} of {t:g}{unit} as {label}, but its parts ({shown}) add up to {s:g}{unit}",
                "advice": f"核对{label}与其中各项的{zh}，使分项之和等于总额（{t:g}{unit}），或改正总额",
                "advice_en": f"Make the parts of the {en} add up to the total ({t:g}{unit}), or correct the total",
            })
        return None


@register
class SpendingAboveBudget(Rule):
    code = "KPI608"
    name = "spending-above-budget"
    severity = "warning"
    summary = "预算执行率超过100%（执行数大于预算数）"
    summary_en = "A budget execution rate above 100% (more spent than budgeted)"
    why = ("支出超过批复（调整后）预算，要么是预算调整没有反映在全年预算数中，要么是超预算支出；"
           "两者都需要在自评中说明，执行率一栏不应超过 100%。这是预算本身的问题，归入 KPI6（原 KPI808）。")
    why_en = ("Spending above the (adjusted) budget is either a budget change not recorded or overspending; both need "
              "explaining, and the rate should not pass 100%. A budget matter, so KPI6 (formerly KPI808).")
    source = ("ANNOTATION KPI6 (a funds mismatch is a budget defect); 财政部《项目支出绩效评价管理办法》"
              "(财预〔2020〕10号) 项目支出绩效自评表")
    replaces = ("KPI808",)
    messages = {
        "zh": "资金行“{label}”的执行率为 {rate}（执行数 {executed} 大于预算数 {budget}），超过了100%。",
        "en": "The funds row '{label}' has an execution rate of {rate} (spent {executed} above the budget {budget}).",
    }
    suggestions = {
        "zh": "如预算已调整，请填写调整后的全年预算数；如确属超预算支出，请说明原因。",
        "en": "Enter the adjusted budget if it changed; otherwise explain the overspending.",
    }
    bad = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(
        ("年度资金总额", "329.77", "329.77", "338.31", "102.59%", "10", None),
        ("其中：当年财政拨款", "329.77", "329.77", "338.31", "102.59%", None, None))})
    good = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(
        ("年度资金总额", "329.77", "338.31", "338.31", "100%", "10", "10"))})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for project, _ in S.by_project(ctx):
            total_flagged = False
            for i, row in S.funds_rows(project):
                printed = S.rate_percent(row)
                computed = S.computed_rates(row)
                if printed is not None:
                    above = printed[0] > 100 + S.EPS
                    rate = F.shown(row.rate)
                elif computed:
                    above = computed[0][0] > 100 + S.EPS
                    rate = f"{computed[0][2]:.2f}%"
                else:
                    continue
                if not above:
                    continue
                if i > 0 and total_flagged:
                    continue  # the sub-row repeats the total's overspending
                total_flagged = total_flagged or i == 0
                budget = row.adjusted if S.figure(row.adjusted) else row.initial
                yield S.project_hit(project, f"funds[{i}].rate", S.funds_pos(row, "rate"), label=F.shown(row.label),
                                   rate=rate, executed=F.shown(row.executed) or "?", budget=F.shown(budget) or "?")
