"""KPI2xx classification: the category the table files an indicator under contradicts its meaning."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

from kpicheck import lexicons, patterns
from kpicheck.models import Indicator
from kpicheck.rules import _facts as F
from kpicheck.rules._reading import clean_name, read_name
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register
from kpicheck.textcache import text_cache


def _filed(ind: Indicator) -> str:
    return "/".join(x for x in (ind.declared_level1, ind.declared_level2) if x) or "未分类"


@register
class SatisfactionMisfiled(Rule):
    code = "KPI201"
    name = "satisfaction-misfiled"
    severity = "warning"
    summary = "满意度指标填在了效益或产出指标下"
    summary_en = "A satisfaction indicator is filed under benefit (效益) or output (产出)."
    why = ("满意度是独立的一级指标（服务对象满意度），用满意度代替效益是常见的编报问题："
           "效益应反映项目对经济、社会、生态的实际影响。")
    why_en = ("Satisfaction is its own first-level category; using it in place of a benefit hides "
              "whether the project had any real effect.")
    source = "rules.md CLS-003, CLS-004 (S1/S7, S10, S22)"
    messages = {
        "zh": "满意度指标“{name}”（{value}）填在了“{filed}”下，应归入满意度指标/服务对象满意度指标",
        "en": "Satisfaction indicator '{name}' ({value}) is filed under '{filed}'; it belongs under 满意度/服务对象满意度",
    }
    suggestions = {
        "zh": "把“{name}”移到“满意度指标—服务对象满意度指标”下；{filed}下改填反映实际{effect}的指标，如{example}",
        "en": "Move '{name}' to 满意度/服务对象满意度 and give {filed} a real {effect_en} indicator, e.g. {example_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "持卡人满意度", "value": "≥90%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "持卡人满意度", "value": "≥90%"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "社保卡持有率", "value": "≥90%"},
        {"declared_level1": "效益", "declared_level2": "可持续影响", "name": "保障正常办公服务参保人员。满意率提高",
         "value": "有效提升"},
    ), note="一句目标后附带“满意率提高”的口号不算满意度指标（由 KPI701 报告）")

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            if ind.declared_level1 not in ("效益", "产出") or not F.is_satisfaction_name(ind):
                continue
            benefit = ind.declared_level1 == "效益"
            yield Hit(indicator=ind, args={
                "filed": _filed(ind),
                "effect": "效果" if benefit else "产出",
                "effect_en": "benefit" if benefit else "output",
                "example": "“社保卡持有率≥90%”“业务办理时间缩短至3个工作日”" if benefit else "“验收合格率=100%”",
                "example_en": "a coverage rate or a shorter processing time" if benefit else "an acceptance rate",
            })


def money_or_input(ind: Indicator, extra: tuple[str, ...] = ()) -> Optional[str]:
    """Why an indicator measures money or inputs rather than results, or None."""
    phrase, noun, paid_out = _money_in_name(ind.name, extra)
    if phrase is not None:
        return phrase
    if _staff_funded(ind.name, extra):
        return "人员经费"
    if F.states_budget_compliance(F.value_text(ind), extra):
        return "预算执行"
    if noun is not None:
        return noun
    if F.filed_l1(ind) == "产出" and F.money_wan(ind) is not None and not paid_out \
            and not F.has_any(F.fold(ind.name), F.words("inputs", "benefit_verbs", extra)):
        return "金额"  # (an amount earned or saved, 医疗收入达到5亿元, is an effect, not an input)
    return None


def reported_input(ind: Indicator, extra: tuple[str, ...] = ()) -> Optional[str]:
    """What KPI202 reports of an indicator filed as a result (产出 or 效益): the money or input it
    measures, or None (a legacy 产出/成本 row; how money is paid out, under 产出)."""
    filed = F.filed_l1(ind)
    if filed not in ("产出", "效益") or F.is_legacy_cost(ind):
        return None
    what = money_or_input(ind, extra)
    if what is None or (filed == "产出" and pays_out(ind.name, extra)):
        return None
    return what


def names_fund_management(ind: Indicator, extra: tuple[str, ...] = ()) -> Optional[str]:
    """The budget-management phrase KPI202 reports of an indicator filed as a result (专款专用
    under 产出, 收支平衡 under 效益), or None. Its vague value is the same defect, reported once
    (by KPI202)."""
    what = reported_input(ind, extra)
    return what if what in F.words("inputs", "management_phrases", extra) else None


@text_cache(4096)
def _staff_funded(name: str, extra: tuple[str, ...] = ()) -> bool:
    """A count of the unit's own staff the budget keeps (保障在职职工人数, 保障遗属人数): the act is
    funding (保障), the people are the unit's staff by their status (在职, 退休, 遗属)."""
    text = F.fold(clean_name(name))
    return (text.endswith(("人数", "人员", "人次")) and F.has_any(text, F.words("inputs", "staff_status", extra))
            and F.has_any(text[:3], F.words("inputs", "staff_funding", extra)))


@text_cache(4096)
def pays_out(name: str, extra: tuple[str, ...] = ()) -> bool:
    """The name measures how money is paid out (工资发放准确性, 费用结算及时性): the head is a
    quality or timeliness of the act, and the act is a payment, not the money arriving."""
    text = F.fold(clean_name(name))  # 工资发放准确性(%): the note in brackets is not the head
    heads = F.words("inputs", "process_heads", extra)
    head = next((h for h in sorted(heads, key=len, reverse=True) if text.endswith(h)), None)
    if head is None:
        return False
    act = text[: len(text) - len(head)]
    acts = F.words("inputs", "payout_acts", extra)
    at = max((act.rfind(a) for a in acts if a in act[-4:]), default=-1)
    if at < 0:
        return False
    if head in F.words("inputs", "extent_heads", extra):
        # how much was paid: of a settlement with someone (与运营方结算完成率) the work delivered;
        # of the funds themselves (年度资金支付完成率) the budget executed, an input
        payer = act[:at]
        return not F.has_any(payer, F.words("inputs", "money_nouns", extra)) \
            or F.has_any(payer, F.words("inputs", "transfer_nouns", extra))
    return True


@text_cache(4096)  # the name's part of `money_or_input`, asked by KPI202 and KPI205
def _money_in_name(name: str, extra: tuple[str, ...]) -> tuple[Optional[str], Optional[str], bool]:
    """(the management phrase in the name, the money noun that makes it an input, whether the
    name pays money out to people: 发放补助资金)."""
    name = F.fold(name)
    for phrase in F.words("inputs", "management_phrases", extra):
        if phrase in name:
            return phrase, None, False
    nouns = [w for w in F.words("inputs", "money_nouns", extra) if w in name]
    paid_out = F.has_any(name, F.words("inputs", "transfer_nouns", extra)) \
        and F.has_any(name, F.words("inputs", "transfer_delivery", extra))
    if nouns and not paid_out and not F.has_any(name, F.words("inputs", "benefit_verbs", extra)) \
            and not any(name.endswith(h) for h in F.words("inputs", "count_heads", extra)):
        return None, nouns[0], paid_out
    return None, None, paid_out


@register
class MoneyAsResult(Rule):
    code = "KPI202"
    name = "money-as-result"
    severity = "warning"
    summary = "把资金、经费、工资或预算执行等投入当作产出或效益"
    summary_en = "Money or inputs (wages, fees, funds, budget execution) are given as an output or a benefit."
    why = ("产出是资金买到的东西，效益是产出带来的影响；工资、费用、资金到位、预算执行率衡量的是投入"
           "和预算管理，不能说明项目做成了什么。")
    why_en = ("Outputs are what the money buys and benefits their effects; wages, fees, funds arrival "
              "and budget execution measure inputs, not results.")
    source = "rules.md CLS-008 (S11, S13, S15; S5 scores 预算执行率 separately)"
    messages = {
        "zh": "“{name}”（{value}）衡量的是{what}（投入或预算管理），却填在“{filed}”下作为{role}",
        "en": "'{name}' ({value}) measures {what_en} (an input), but is filed under '{filed}' as {role_en}",
    }
    suggestions = {
        "zh": "把资金类内容移到成本指标（如“{name} ≤预算金额”），{filed}下改写这笔钱{goal}，如{example}",
        "en": "Move the money to a cost indicator and state what the money {goal_en} under {filed}, e.g. {example_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "name": "维护硬件软件设备需用资金", "value": "≥99%"},
        {"declared_level1": "效益", "declared_level2": "经济效益", "name": "优化资源配置", "value": "各项支出不超出预算安排"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "成本", "name": "设备维护费用", "value": "≤34万元"},
        {"declared_level1": "效益", "declared_level2": "经济效益", "name": "特色产业带动农户增加收入", "value": "≥11.4万元"},
        {"declared_level1": "效益", "declared_level2": "经济效益", "name": "节约成本确保财政资金安全", "value": "=100%"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "发放补助资金户数", "value": "≥63户"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            what = reported_input(ind, extra)
            if what is None:
                continue
            output = F.filed_l1(ind) == "产出"
            yield Hit(indicator=ind, args={
                "filed": _filed(ind), "what": what if what != "金额" else "金额", "what_en": "money",
                "role": "产出" if output else "效益", "role_en": "an output" if output else "a benefit",
                "goal": "买到了什么（数量、质量、时效）" if output else "带来了什么效果",
                "goal_en": "buys" if output else "achieves",
                "example": "“设备正常运行率≥99%”“维护设备台数”" if output else "“业务办理时间缩短至3个工作日”",
                "example_en": "a normal-operation rate" if output else "a shorter processing time",
            })


def _filed_as_cost(ind: Indicator) -> bool:
    """The table itself files the row as a cost (一级 成本, a cost 二级, the legacy 产出/成本); a row
    filed under nothing is not misfiled, whatever the classifier reads."""
    return ind.declared_level1 == "成本" or ind.declared_level2 in F.COST_L2 | {"成本"}


def output_share(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """A share of delivered work (社会化发放率 100%): a percentage on a name that speaks of no
    money or cost, and that the name's own words, read without the filing, make an output."""
    from kpicheck.classify import classify_text, is_money

    if F.dimension_of(ind) != "percent" or ind.declared_level2 in ("社会成本", "生态环境成本"):
        return False  # a social or environmental cost may well be a rate of harm (水土流失率 ≤5%)
    if is_money(ind.name, ind.parsed, ind.value or "", extra):
        return False  # 成本控制率, 预算执行率, 资金使用效率: money, whatever else
    if F.is_goal_statement(ind.name, extra):
        return False  # 保障社会保障卡正常运行 ≤100%: an intention with a %, no share named as such
    scores = classify_text(ind.name, "", lexicon_files=extra).scores
    return scores.get("产出", 0) > 0 and scores.get("成本", 0) <= 0


@register
class CountAsCost(Rule):
    code = "KPI203"
    name = "count-as-cost"
    severity = "warning"
    summary = "人数、物品数量或产出的比率（发放率、合格率）填在成本指标下"
    summary_en = "A count of people or things, or a share of delivered work (发放率), is filed as a cost indicator."
    why = ("成本指标应给出资金的控制范围（总成本、单位成本、成本控制率）；人数、件数是产出或效益，"
           "发放率、合格率是产出的质量，都不能控制成本。")
    why_en = ("Cost indicators state how much money may be spent; a head count is an output or a benefit, and a "
              "payout or pass rate is the quality of the output: neither controls cost.")
    source = "rules.md §2.1, CST-004 (S2: cost indicators give the expected control range); ANNOTATION KPI2"
    messages = {
        "zh": "成本指标“{name}”的值“{value}”是{what}，不是金额，不能反映成本控制",
        "en": "Cost indicator '{name}' has '{value}', {what_en}, not an amount of money",
    }
    suggestions = {
        "zh": "把“{name} {value}”移到{right}；成本指标改填金额，如“人均服务成本≤X元/人”或“项目总成本≤预算”",
        "en": "Move '{name} {value}' to {right_en}; give the cost indicator an amount of money",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "社会成本", "name": "服务全市参保人群", "value": "1100万人"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "社会化发放率", "value": "100%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "人均服务成本", "value": "≤35元/人"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "服务全市参保人群", "value": "1100万人"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "项目成本控制率", "value": "≤100%"},
        {"declared_level1": "成本", "declared_level2": "生态环境成本", "name": "水土流失率", "value": "≤5%"},
        {"name": "办理市场变更或出租", "value": "2场"},
    ), note="最后一行没有填在任何类别下，谈不上填错")

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            if not _filed_as_cost(ind):
                continue
            if F.dimension_of(ind) == "count" and "/" not in F.unit_of(ind):
                unit = F.unit_of(ind)
                yield Hit(indicator=ind, args={
                    "what": f"数量（{unit}）", "what_en": f"a count ({unit})",
                    "right": "产出/数量指标（或效益/社会效益指标）", "right_en": "output/quantity (or social benefit)"})
            elif output_share(ind, extra):
                yield Hit(indicator=ind, args={
                    "what": "产出的比率", "what_en": "a share of the delivered work",
                    "right": "产出/质量指标", "right_en": "output/quality"})


@register
class SubcategoryParent(Rule):
    code = "KPI204"
    name = "subcategory-wrong-parent"
    severity = "warning"
    summary = "二级指标填在了不属于它的一级指标下（如社会成本填在效益下）"
    summary_en = "A second-level category sits under the wrong first-level one (e.g. 社会成本 under 效益)."
    why = ("二级指标各有所属：数量/质量/时效属产出，经济/社会/生态效益和可持续影响属效益，"
           "经济/社会/生态环境成本属成本。错挂会使汇总和评分出错。")
    why_en = "Each second-level category belongs to one first-level category; a wrong parent breaks totals and scoring."
    source = "rules.md CLS-002 (S2, S6, S7)"
    messages = {
        "zh": "二级指标“{level2}”属于{parent}指标，却填在“{level1}”下（指标“{name}”）",
        "en": "Second-level '{level2}' belongs to {parent}, but is filed under '{level1}' (indicator '{name}')",
    }
    suggestions = {
        "zh": "把“{name}”连同二级“{level2}”移到一级“{parent}指标”下，或按其含义改挂到“{level1}”下合适的二级指标",
        "en": "Move '{name}' with '{level2}' under '{parent}', or re-file it under a fitting second level of '{level1}'",
    }
    bad = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "社会成本", "name": "施工扰民投诉次数", "value": "≤2次"},
    ))
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "社会成本", "name": "施工扰民投诉次数", "value": "≤2次"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "出差总成本", "value": "≤1万元"},
    ), note="成本作为产出下的二级（旧模板）不在此报告（见 KPI206）")

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            l1, l2 = ind.declared_level1, ind.declared_level2
            if not l1 or not l2 or F.PARENT.get(l2) in (None, l1) or (l1, l2) == ("成本", "成本"):
                continue
            yield Hit(indicator=ind, args={"level1": l1, "level2": l2, "parent": F.PARENT[l2]})


def _time_word(text: str, extra: tuple[str, ...]) -> bool:
    return F.has_any(text, F.words("categories", "timeliness", extra))


@register
class TimelinessMismatch(Rule):
    code = "KPI205"
    name = "timeliness-mismatch"
    severity = "warning"
    summary = "时效指标下填了质量或数量内容，或时效内容填在质量指标下"
    summary_en = "A quality or quantity statement under 时效, or a timeliness statement under 质量."
    why = ("时效指标衡量完成得是否及时（日期、期限、及时率）；质量指标衡量达到的标准；"
           "数量指标衡量完成多少。放错位置会让评价对错尺度。质量指标下的及时率（响应及时率≥95%）是服务达到的标准，"
           "名称里写明年份的时效指标（取得2018-2022监测资料）已说明时间，都不报告。")
    why_en = ("Timeliness measures when (dates, deadlines, on-time rates), quality the standard reached, "
              "quantity how much; a misfiled indicator is judged on the wrong scale. An on-time rate under 质量 "
              "(响应及时率 ≥95%) is a standard of service reached, and a 时效 row whose name prints its years "
              "(取得2018-2022监测资料) states its time: neither is reported.")
    source = "rules.md CLS-011, CLS-012 (S6/S7 definitions of 时效); ANNOTATION KPI2"
    messages = {
        "zh": "“{name}”（{value}）{problem}，却填在“{filed}”下",
        "en": "'{name}' ({value}) {problem_en}, but is filed under '{filed}'",
    }
    suggestions = {
        "zh": "{fix}",
        "en": "{fix_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "时效", "name": "质量好使用率高", "value": "质量好使用率高"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "按时发放", "value": "≥1人/年"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "实验室仪器维修维护", "value": "≥4次"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "时效", "name": "年底以前达到预期目标", "value": "年底以前达到预期目标"},
        {"declared_level1": "产出", "declared_level2": "时效", "name": "就学补助及时发放率", "value": ">=100%"},
        {"declared_level1": "产出", "declared_level2": "时效", "name": "检测时限", "value": "≤7工作日"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "逾期发放率", "value": "≤1%"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "安全事故次数", "value": "=0次"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "运维响应及时率", "value": "达到95%以上"},
        {"declared_level1": "产出", "declared_level2": "时效", "name": "取得2018-2022监测资料", "value": "100%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            if F.is_empty(ind) or F.name_is_blank(ind.name):
                continue  # no value (KPI103) or no name (KPI104): nothing to compare
            name = F.fold(ind.name)
            args = None
            if ind.declared_level2 == "时效":
                if F.is_time_like(ind, extra) or _time_word(name, extra) or money_or_input(ind, extra) \
                        or _names_a_time(ind.name):
                    continue  # a time target, or money (KPI202 says so)
                counted = F.dimension_of(ind) == "count"
                args = {
                    "problem": "是数量，不是时间" if counted else "说的是质量或状态，没有任何时间要求",
                    "problem_en": "is a quantity, not a time" if counted else "states a quality, with no time at all",
                    "fix": (f"把“{F.shown(ind.name)}”移到{'数量' if counted else '质量'}指标下；时效指标改填完成日期或及时率，"
                            "如“2023年12月31日前完成”“按时完成率=100%”"),
                    "fix_en": f"Move it to {'quantity' if counted else 'quality'}; give 时效 a deadline or an on-time rate",
                }
            elif ind.declared_level2 == "质量":
                if F.matches_any(name, F.patterns("categories", "timeliness_names", extra)) \
                        and F.dimension_of(ind) != "percent":
                    # (a share done on time, 响应及时率 ≥95%, is a standard of service reached)
                    args = {
                        "problem": "是时效要求", "problem_en": "is a timeliness requirement",
                        "fix": f"把“{F.shown(ind.name)}”移到时效指标下，并改为可核对的形式，如“按时发放率=100%”或“每月10日前发放”",
                        "fix_en": "Move it to 时效 as an on-time rate (=100%) or a payment date",
                    }
                elif _positive_count(ind, extra):
                    args = {
                        "problem": "是完成数量，不是质量标准", "problem_en": "is an amount of work, not a quality standard",
                        "fix": f"把“{F.shown(ind.name)} {ind.value}”移到数量指标下；质量指标改填达到的标准，如“设备完好率≥95%”",
                        "fix_en": "Move it to quantity; give quality a standard such as a working-order rate",
                    }
            if args:
                yield Hit(indicator=ind, args={"filed": _filed(ind), **args})


@text_cache(4096)
def _names_a_time(name: str) -> bool:
    """The name itself states the time the row is about (取得2018-2022监测资料, 2023年度资料上报):
    a date, a year or a span of years printed in it."""
    from kpicheck.rules._reading import fold as fold_value, numbers

    text = fold_value(name)
    if not F.has_digit(text):
        return False
    return bool(_YEAR_SPAN.search(text)) or any(n.unit.head_dimension == "time" for n in numbers(text))


_YEAR_SPAN = patterns.compile(r"(?<!\d)(?:19|20)\d\d\s*[-—~至到]\s*(?:19|20)?\d\d(?!\d)")


def _positive_count(ind: Indicator, extra: tuple[str, ...]) -> bool:
    """A count target that asks for more of something (≥4次), not a cap on failures (=0次)."""
    if F.dimension_of(ind) != "count" or "/" in F.unit_of(ind) or read_name(ind.name).dimensionless:
        return False  # a per-unit figure, or a level on a scale (桥梁技术状况等级 二类以上)
    number = F.number_of(ind)
    if number is None or number <= 0 or F.comparator(ind) in ("≤", "<"):
        return False
    return not F.has_any(F.fold(ind.name), F.words("categories", "negative_counts", extra))


@register
class LegacyCostPlacement(Rule):
    code = "KPI206"
    name = "legacy-cost-placement"
    severity = "info"
    summary = "成本指标作为产出下的二级指标（2021 年以前的模板）"
    summary_en = "Cost is a second-level category under output (the pre-2021 template)."
    why = ("财预〔2021〕101号 把成本指标提升为一级指标（经济/社会/生态环境成本）；旧模板把成本放在产出下，"
           "仍然常见，并非错误，仅提示表格采用的体例。")
    why_en = ("Since 2021 cost is a first-level category; the older template puts it under output. "
              "This is not a defect, only a note on which template the table follows.")
    source = "rules.md CLS-005, §6.1 (S2 vs S6/S7/S8)"
    messages = {
        "zh": "项目“{project}”的成本指标（如“{name}”）填在产出指标下，是 2021 年以前的模板体例",
        "en": "Project '{project}' files cost (e.g. '{name}') under output, the pre-2021 template",
    }
    suggestions = {
        "zh": "如按财预〔2021〕101号编报，把成本指标单列为一级“成本指标”，下设经济成本、社会成本、生态环境成本",
        "en": "Under the 2021 framework, make 成本 a first-level category with 经济/社会/生态环境成本",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "成本", "name": "出差总成本", "value": "≤1万元"},
    ))
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "出差总成本", "value": "≤1万元"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for (project, _period), inds in ctx.blocks().items():
            legacy = next((i for i in inds if F.is_legacy_cost(i)), None)
            if legacy is not None:
                yield Hit(indicator=legacy, project=project)


@register
class BenefitWrongSubcategory(Rule):
    code = "KPI207"
    name = "benefit-wrong-subcategory"
    severity = "warning"
    summary = "效益内容与所填二级不符（营商环境作生态效益），或正面效益填在社会/生态环境成本下"
    summary_en = "A benefit does not fit its second level (营商环境 as 生态效益), or a positive effect is filed as a cost."
    why = ("社会成本、生态环境成本衡量项目的负面影响；生态效益衡量对自然环境的改善。"
           "把正面效益当成本、把营商环境当生态效益，评价时对不上号。")
    why_en = ("Social and environmental costs are negative effects; ecological benefits improve the natural "
              "environment. A positive effect filed as a cost, or business climate as ecology, is misjudged.")
    source = "rules.md CLS-002, §2.1 (S2 社会/生态环境成本 = 负作用); ANNOTATION KPI2"
    messages = {
        "zh": "“{name}”（{value}）{problem}，却填在“{filed}”下",
        "en": "'{name}' ({value}) {problem_en}, but is filed under '{filed}'",
    }
    suggestions = {
        "zh": "{fix}",
        "en": "{fix_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "生态效益", "name": "优化营商环境", "value": "办事时间缩短20%"},
        {"declared_level1": "成本", "declared_level2": "生态环境成本", "name": "提升博物馆绿化水平", "value": "绿化率≥30%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "生态效益", "name": "新增和改善灌溉达标面积", "value": "≥500亩"},
        {"declared_level1": "效益", "declared_level2": "经济效益", "name": "为当地提供就业岗位", "value": "≥20个"},
        {"declared_level1": "成本", "declared_level2": "生态环境成本", "name": "施工扬尘污染投诉", "value": "≤2次"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            name = F.fold(ind.name)
            if not name:
                continue
            args = None
            l2 = ind.declared_level2
            if (ind.declared_level1 == "成本" or l2 in ("社会成本", "生态环境成本")) and l2 != "经济成本" \
                    and F.has_any(name, F.words("categories", "positive_effect", extra)) \
                    and not F.has_any(name, F.words("categories", "negative_effect", extra)) \
                    and F.money_wan(ind) is None:
                right = "生态效益" if F.has_any(name, F.words("categories", "ecological", extra)) else "社会效益"
                args = {"problem": "是正面效益，不是成本（负面影响）", "problem_en": "is a positive effect, not a cost",
                        "fix": f"把“{F.shown(ind.name)}”移到效益指标/{right}下并给出可衡量的值；{l2 or '成本'}指标改填项目可能造成的负面影响及控制要求",
                        "fix_en": f"Move it to 效益/{right} with a measurable value; state negative effects under the cost"}
            elif l2 == "生态效益":
                rest = name
                for compound in F.words("categories", "not_ecological", extra):
                    rest = rest.replace(compound, "")
                if not F.has_any(rest, F.words("categories", "ecological", extra)) \
                        and F.has_any(name, F.words("categories", "economic_or_social", extra)):
                    args = {"problem": "与自然环境无关", "problem_en": "has nothing to do with the natural environment",
                            "fix": f"把“{F.shown(ind.name)}”移到社会效益或经济效益下；生态效益不适用时可删除该行",
                            "fix_en": "Move it to social or economic benefit; drop 生态效益 if it does not apply"}
            elif l2 == "经济效益":
                if F.has_any(name, F.words("categories", "social_only", extra)) \
                        and not F.has_any(name, F.words("categories", "economic", extra)):
                    args = {"problem": "是社会效益，不是经济效益", "problem_en": "is a social, not an economic, benefit",
                            "fix": f"把“{F.shown(ind.name)}”移到社会效益下并给出可衡量的值；经济效益改填收入、产值或节约资金等",
                            "fix_en": "Move it to social benefit; give economic benefit income, output value or savings"}
            if args:
                yield Hit(indicator=ind, args={"filed": _filed(ind), **args})


@register
class NotSatisfaction(Rule):
    code = "KPI209"
    name = "not-satisfaction"
    severity = "warning"
    summary = "满意度指标下填的不是满意度（如资料审核率、完成率，或一项工作配百分比：整编资料审核 98%）"
    summary_en = ("A row filed under satisfaction (满意度) measures something else (a review rate, a completion rate, "
                  "a piece of work with a share: 整编资料审核 98%).")
    why = ("满意度指标衡量服务对象对项目的满意程度；填在这里的审核率、完成率是产出的质量或数量，"
           "按满意度评价时对不上号，真正的满意度也就没有设定。")
    why_en = ("A satisfaction indicator measures how satisfied those served are; a review or completion rate "
              "filed there is an output, and the real satisfaction target is missing.")
    source = "rules.md CLS-003 (S1/S7: 满意度 = 服务对象满意度); ANNOTATION KPI2 (classification defects are warnings)"
    messages = {
        "zh": "“{name}”（{value}）填在“{filed}”下，但它衡量的不是服务对象的满意程度",
        "en": "'{name}' ({value}) is filed under '{filed}' but measures no satisfaction of those served",
    }
    suggestions = {
        "zh": "把“{name}”移到产出指标下（如质量指标）；满意度指标改填“服务对象满意度≥90%”等",
        "en": "Move '{name}' under output (e.g. quality) and give 满意度 a real target such as 服务对象满意度 ≥90%",
    }
    bad = Example(indicators=(
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "整编资料审核合格率", "value": "98%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "整编资料审核", "value": "98%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "受助群众满意度", "value": "≥95%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "服务对象", "value": "满意"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "群众投诉率", "value": "≤1%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "社会公众", "value": "≥90%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        kin = F.words("categories", "satisfaction_like", extra)
        heads = F.words("measurability", "measure_heads", extra)
        for ind in ctx.indicators:
            if ind.declared_level1 != "满意度" or F.name_is_blank(ind.name) or F.is_empty(ind):
                continue
            name = F.fold(ind.name)
            if F.has_any(name + F.fold(ind.value or ""), kin) or F.names_no_measure(ind.name):
                continue  # (a row named only by its label says nothing either way)
            if not (name.endswith("率") or any(name.endswith(h) for h in heads)) \
                    and (F.dimension_of(ind) != "percent" or _names_people(ind.name, extra)
                         or F.is_goal_statement(ind.name, extra)):
                continue  # '服务对象 ≤100%': those served, their satisfaction meant by the category;
                # an act with a share (整编资料审核 98%) is the share of the work done; an
                # intention with a % (保障设备正常运行 100%) names no share at all
            yield Hit(indicator=ind, args={"filed": _filed(ind)})


def _names_people(name: str, extra: tuple[str, ...] = ()) -> bool:
    """The name ends in people (服务对象, 社会公众, 受助群众): whose satisfaction the row is about."""
    people = lexicons.load("directions", extra).get("expects", {}).get("people", [])
    return F.fold(clean_name(name)).endswith(tuple(people))


@register
class UnknownLevel1(Rule):
    code = "KPI208"
    name = "unknown-level1"
    severity = "warning"
    summary = "一级指标不是产出、效益、满意度、成本中的任何一类（如“项目决策”“项目过程”）"
    summary_en = "The first-level category is none of output, benefit, satisfaction or cost (e.g. 项目决策)."
    why = ("绩效目标表的一级指标只有产出、效益、满意度（及 2021 年起的成本）四类；“项目决策”“项目过程”"
           "“项目管理”是绩效评价指标体系的维度，填在目标表里，审核时无法按类别核对指标。")
    why_en = ("A target table has four first-level categories (output, benefit, satisfaction, and cost since "
              "2021); 项目决策 / 项目过程 are dimensions of the evaluation framework, not of targets.")
    source = "rules.md CLS-001 (S1/S2: the four 一级; the shared annotations treat it as a warning)"
    messages = {
        "zh": "指标“{name}”填在一级指标“{raw}”下，它不是绩效目标的一级类别（产出、效益、满意度、成本）",
        "en": "Indicator '{name}' is filed under the first-level '{raw}', which is none of 产出/效益/满意度/成本",
    }
    suggestions = {
        "zh": "按指标内容把“{raw}”改为“{right}指标”",
        "en": "Replace '{raw}' with '{right}指标' as the indicator's content says",
    }
    bad = Example(indicators=(
        {"declared_level1_raw": "项目决策", "declared_level2": "数量", "name": "宣传次数", "value": "≥2次"},
    ))
    good = Example(indicators=(
        {"declared_level1_raw": "产出指标", "declared_level1": "产出", "declared_level2": "数量", "name": "宣传次数",
         "value": "≥2次"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        stems = _category_stems(F.extra_lexicons(ctx))
        for ind in ctx.indicators:
            raw = F.fold(ind.declared_level1_raw)
            # a variant no list knows still names its category ('产出类指标'); '项目决策' names none
            if not raw or not any("\u4e00" <= ch <= "\u9fff" for ch in raw) or any(s in raw for s in stems):
                continue
            yield Hit(indicator=ind, args={"raw": ind.declared_level1_raw.strip(), "right": ind.category or "产出"})


@lru_cache(maxsize=8)
def _category_stems(extra: tuple[str, ...]) -> tuple[str, ...]:
    """Every stem of a category label, 一级 and 二级 (lexicons/labels.toml)."""
    data = lexicons.load("labels", extra)
    return tuple(F.fold(s) for table in ("level1", "level2") for s in data.get(table, {}))
