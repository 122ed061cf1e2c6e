"""KPI7xx measurability: can anyone check at the end of the year whether the target was met?"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from kpicheck import lexicons
from kpicheck.models import Indicator
from kpicheck.rules import _facts as F
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register
from kpicheck.rules.kpi2_classification import names_fund_management
from kpicheck.rules.kpi4_dates import _ANY_TIME, _filed_as_timeliness
from kpicheck.rules._reading import fold as _time_fold
from kpicheck.textcache import text_cache


def _typed_quantitative(ind: Indicator) -> bool:
    return bool(ind.value_type and "定量" in ind.value_type)


def unmeasurable(ind: Indicator, extra: tuple[str, ...] = ()) -> Optional[str]:
    """Why the value cannot be checked ("vague", "slogan", "typed"), or None when it can."""
    if F.name_is_blank(ind.name):
        return None  # no name: KPI104
    if F.is_empty(ind):
        if F.vague_in_name(ind.name):
            return "vague-name"
        return "slogan" if F.is_slogan(ind.name, extra) else None
    occasion = _only_occasion_numbers(ind.value or "")
    if F.has_number(ind) and not occasion:
        return "goal-figure" if _figure_on_a_change(ind, extra) else None
    if F.is_placeholder(ind, extra):
        return None  # '公里', '≧ %': no target filled in, KPI103
    if _typed_quantitative(ind):
        return "typed"  # 定量 row with no number at all (按月安排)
    if _reports_status(F.value_text(ind), extra):
        return "status"  # 已完成: the actual, not a target
    if F.is_yes(ind) and not F.has_any(F.fold(ind.name), F.QUESTION_WORDS) and (
            F.names_no_measure(ind.name) or F.is_goal_statement(ind.name, extra)
            and F.has_any(F.fold(ind.name), _change_verbs(extra))):
        return "yes"  # 社会效益指标: 是, 改善人居环境: 是 — yes to what, how much?
    if ind.declared_level1 == "效益" and F.is_no(ind) and F.has_any(F.fold(ind.name), F.QUESTION_WORDS) \
            and not F.has_any(F.fold(ind.name), (*F.words("categories", "negative_effect", extra),
                                                 *F.words("categories", "negative_counts", extra))):
        return "no-benefit"  # 项目实施是否产生经济价值: 否 — a benefit row that promises none
    if F.is_grade(ind) or (F.has_any(F.value_text(ind), F._time_words(extra)) if occasion
                           else F.is_time_like(ind, extra)):
        return None  # (95周年 names an occasion, no time the target is due)
    if F.states_budget_compliance(F.value_text(ind), extra):
        # 不超出预算安排: on a cost row a cap with no amount (ANNOTATION convention 6); filed as
        # an output or a benefit it is money as a result, KPI202's
        # an amount-free cost target wherever it is filed (成本控制 不超过预算 under 产出/数量 is
        # misfiled too, KPI202's, and still states no amount)
        return "budget" if F.is_cost_row(ind) or _names_cost(ind, extra) else None
    if "%" in (ind.value or "") or "％" in (ind.value or ""):
        return None  # a unit with no number (应保尽保%): a unit problem, KPI5
    if ind.declared_level2 in ("社会成本", "生态环境成本") and not F.has_any(F.value_text(ind), _vague_phrases(extra)) \
            and not _bare_change(F.value_text(ind), extra):
        return None  # social and environmental costs may be stated qualitatively (无明显影响), not as '提升'
    if _checkable_state(F.value_text(ind), extra):
        return None
    return "vague"


def _figure_on_a_change(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """A percentage or a bare number on a name that states a change and names no measure (降低交通
    事故损失，提升…保障水平 ≥95%; 对经济发展的促进作用 10): a change has a size, and nothing says
    what the figure is a share or a count of; so is a bare number on an abstract quality (基本公共
    服务水平 10) or a vague time (按期完成投资 10), which no count measures. A
    share of something done (保障设备正常运行 100%, 加强社保卡的发放覆盖) or of people satisfied
    (提升群众安全感 ≥90%) says what it counts."""
    p = ind.parsed
    bare = p is not None and p.number is not None and not (p.unit or p.unit_canonical) and p.kind != "date"
    name = F.fold(ind.name)
    if _names_a_measure(ind.name, extra):
        return False
    vague = lexicons.load("values", extra).get("vague", {})
    if bare and (name.endswith(tuple(vague.get("abstract_heads", [])))
                 or F.has_any(name, lexicons.load("directions", extra).get("time_names", {}).get("vague", []))):
        return True  # 基本公共服务水平 10, 按期完成投资 10: a level or a vague time has no count
    if not (F.dimension_of(ind) == "percent" or bare) or not F.is_goal_statement(ind.name, extra):
        return False  # (a bare number, 对经济发展的促进作用 10, says even less what it counts)
    if F.has_any(name, F.words("measurability", "rate_statements", extra)) \
            or F.has_any(name, F.words("categories", "satisfaction_like", extra)):
        return False
    if F.matches_any(name, F.patterns("measurability", "slogan_patterns", extra)):
        return False  # a slogan that fits any project (促进经济发展 ≥95%): KPI702 says so
    return F.has_any(name, _change_verbs(extra))


def _names_a_measure(name: str, extra: tuple[str, ...] = ()) -> bool:
    """A clause of the name ends in a measure (…率, …人数), before or after its change: 覆盖率提高
    and 提高覆盖率 both say what the figure measures."""
    heads = tuple(F.words("measurability", "measure_heads", extra))
    verbs = tuple(sorted(_change_verbs(extra), key=len, reverse=True))
    for clause in _CLAUSE.split(F.shown(name)):
        text = F.fold(clause)
        for verb in verbs:
            if text.endswith(verb):
                text = text[: -len(verb)]
                break
        if text.endswith(heads):
            return True
    return False


_CLAUSE = re.compile(r"[，,、;；。]")


def _only_occasion_numbers(value: str) -> bool:
    """Every figure in the value names an occasion or a rank (成立95周年, 第3届), none states how
    much is to be done: '向社会宣传建党95周年来取得的成就' has no target figure."""
    text = _time_fold(value)
    figures = _FIGURE.findall(text)
    return bool(figures) and len(_OCCASION.findall(text)) == len(figures)


_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_OCCASION = re.compile(r"\d+(?=周年)|(?<=第)\d+(?=[届次期批轮个项])")


def _names_cost(ind: Indicator, extra: tuple[str, ...] = ()) -> bool:
    """The name, read on its own, is a cost (成本控制, 运维总费用): money, and nothing else."""
    from kpicheck.classify import classify_text

    scores = classify_text(ind.name, "", lexicon_files=extra).scores
    return scores.get("成本", 0) > 0 and all(v <= 0 for k, v in scores.items() if k != "成本")


def _reports_status(value: str, extra: tuple[str, ...] = ()) -> bool:
    q = lexicons.load("values", extra).get("qualitative", {})
    for marker in q.get("status_markers", []):
        if value.startswith(marker):
            return any(value[len(marker):].startswith(v) for v in q.get("status_verbs", []))
    return False


def _change_verbs(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Verbs of change (提高, 改善, 促进) or of a problem solved (解决, 缓解): a change has a size,
    which a yes cannot state."""
    return (*lexicons.load("values", extra).get("vague", {}).get("verbs", []),
            *F.words("measurability", "outcome_verbs", extra))


def _bare_change(value: str, extra: tuple[str, ...] = ()) -> bool:
    """The value is only a change, adverb and verb (提升, 有效改善): what changes, and by how
    much, is left unsaid wherever the row is filed."""
    vague = lexicons.load("values", extra).get("vague", {})
    text = value.strip(" 。.，,；;")
    for word in sorted((*vague.get("adverbs", []), *vague.get("verbs", [])), key=len, reverse=True):
        text = text.replace(word, "")
    return bool(value.strip()) and not text.strip(" 。.，,；;")


def _vague_phrases(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(lexicons.load("values", extra).get("vague", {}).get("phrases", []))


@text_cache(4096)  # values without a number repeat (无, 好, 按计划完成)
def _checkable_state(value: str, extra: tuple[str, ...] = ()) -> bool:
    """A yes/no outcome (建立, 已建成, 全面完成), compliance with a named standard (符合环保要求,
    达到国家二级标准) or a stated benchmark (不低于当地平均水平): checkable without a number."""
    q = lexicons.load("values", extra).get("qualitative", {})
    text = value.strip(" 。.，,；;")
    for prefix in q.get("state_prefixes", []):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
            break
    if text in q.get("states", []):
        return True
    if lexicons.patterns("values", ("qualitative",), "levels", extra).search(text):
        return True
    if lexicons.patterns("values", ("qualitative",), "zero_events", extra).search(text):
        return True
    if F.has_any(text, q.get("benchmark_comparators", [])) and F.has_any(text, q.get("benchmarks", [])):
        return True
    for verb in q.get("standard_verbs", []):
        at = text.find(verb)
        if at < 0:
            continue
        rest = text[at + len(verb):]
        for noun in q.get("standard_nouns", []):
            end = rest.find(noun)
            named = rest[:end]
            if end >= 2 and not any(w in named for w in q.get("unnamed_standard", [])):
                return True
    return False


@register
class VagueValue(Rule):
    code = "KPI701"
    name = "vague-value"
    severity = "warning"
    judges_value = True
    summary = ("指标值含糊、无法衡量（有效提升、明显提高、群众满意度高），或一句变化目标、一个抽象的“水平”"
               "配上说不清所指的百分比或数字（提升…保障水平 ≥95%、基本公共服务水平 10），应给出数字、日期或等级")
    summary_en = ("The value cannot be measured (有效提升, 明显提高, 满意度高), or a change or an abstract level carries a "
                  "figure nobody can tie to a measure (提升…保障水平 ≥95%); a number, date or graded level is needed.")
    why = ("绩效目标应尽量量化；确实无法量化的用“好/较好/一般/较差”等分级表述。"
           "“有效提升”“群众满意度高”之类的话年底无法对照，审核时会被退回。")
    why_en = ("Targets must be quantified where possible and graded (好/较好/一般/较差) otherwise; "
              "phrases like 有效提升 cannot be checked at the end of the year.")
    source = "rules.md VAL-005, VAL-006, §3.3, §8.4 (S3, S4, S7, S17, S23)"
    messages = {
        "zh": "指标“{name}”{problem}，年底无法核对是否完成",
        "en": "Indicator '{name}' {problem_en}; nobody can check at year end whether it was met",
    }
    suggestions = {
        "zh": "{fix}",
        "en": "{fix_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "保障正常办公提高业务办理速度", "value": "有效提升"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "人员素质高，工作积极主动", "value": "人员素质高"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "缩短参保人员业务办理时间", "value": ""},
        {"declared_level1": "效益", "declared_level2": "可持续影响", "name": "降低交通事故损失，提升公路交通安全保障水平",
         "value": "≥95%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "时效", "name": "年底以前达到预期目标", "value": "年底以前达到预期目标"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "服务周期内空气质量", "value": "优良"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "业务办理时间", "value": "≤3个工作日"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "群众满意度", "value": "较好", "value_type": "定性"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "保障设备正常运行", "value": "100%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "提升群众安全感", "value": "≥90%"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "提高农村道路硬化率", "value": "≥95%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            why = unmeasurable(ind, extra)
            if why is None or (why == "vague" and names_fund_management(ind, extra)):
                continue  # (专款专用 under 产出: KPI202 reports the indicator itself)
            yield Hit(indicator=ind, args=_explain(ind, why))


def _explain(ind: Indicator, why: str) -> dict[str, str]:
    name = F.shown(ind.name)
    value = F.shown(ind.value)
    if why == "slogan":
        problem = "只写了目标口号，没有指标值"
        problem_en = "is a goal statement with no target value"
    elif why == "vague-name":
        problem = f"的目标写在名称里，且是含糊表述“{F.vague_in_name(ind.name)}”，没有数字、日期或等级"
        problem_en = f"carries the vague target '{F.vague_in_name(ind.name)}' in its name, with no value"
    elif why == "status":
        problem = f"的指标值“{value}”是完成情况（实际值），不是事先设定的目标，没有数字、日期或等级"
        problem_en = f"has '{value}', a report of what was done (the actual), not a target set in advance"
    elif why == "no-benefit":
        problem = f"是效益指标，却回答“{value}”，等于没有设定任何效益"
        problem_en = f"is a benefit row answered '{value}': it sets no benefit at all"
    elif why == "yes":
        problem = f"的指标值“{value}”只是肯定回答，名称并没有提出可以回答“是/否”的事项，没有数字、日期或等级"
        problem_en = f"has the answer '{value}', but its name asks no yes/no question (no number, date or grade)"
    elif why == "goal-figure":
        problem = f"是一句变化目标，没有说明衡量什么，指标值“{value}”说不清是什么的数量或比例"
        problem_en = f"states a change without naming a measure, so nobody can say what '{value}' counts or is a share of"
    elif why == "budget":
        problem = f"是成本指标，指标值“{value}”只说不超预算，没有金额上限"
        problem_en = f"is a cost target whose value '{value}' only promises to stay within budget, with no amount"
    elif why == "typed":
        problem = f"标为定量，指标值“{value}”却没有任何数字"
        problem_en = f"is typed quantitative but its value '{value}' has no number"
    else:
        problem = f"的指标值“{value}”是含糊表述，没有数字、日期或等级"
        problem_en = f"has the vague value '{value}' (no number, date or grade)"
    return {"problem": problem, "problem_en": problem_en,
            "fix": f"把“{name}”改为可衡量的目标：{_replacement(ind)}",
            "fix_en": "State a measurable target: a number with a unit, a rate, a date, or a 定性 grade (好/较好/一般/较差)"}


def _replacement(ind: Indicator) -> str:
    text = F.fold(ind.name) + F.value_text(ind)
    if "满意" in text:
        return "如“服务对象满意度≥90%”"
    if ind.declared_level2 == "时效":
        return "如“2023年12月31日前完成”或“按时完成率=100%”"
    if any(w in text for w in ("时间", "速度", "效率")):
        return "如“业务平均办理时间≤3个工作日”或“办理时间比上年缩短20%”"
    if any(w in text for w in ("节约", "成本", "支出", "资金")):
        return "如“项目总成本≤预算金额（万元）”或“节支率≥5%”"
    if ind.declared_level2 == "质量":
        return "如“验收合格率=100%”，或标为定性并写“好/较好/一般/较差”"
    return "给出数字和单位（如“≥20%”“≥500人”），确实无法量化的标为定性并写“好/较好/一般/较差”"


@register
class BoilerplateEffect(Rule):
    code = "KPI702"
    name = "boilerplate-effect"
    severity = "info"
    summary = "套话式的效益指标（营造良好社会环境、维护社会稳定、不破坏自然环境），与项目无关"
    summary_en = "A boilerplate effect that fits any project (营造良好社会环境, 维护社会稳定, 不破坏自然环境)."
    why = ("效益指标应反映本项目产出带来的具体影响；放之四海皆准的口号与项目无关。"
           "给口号配一个百分比（“维护社会稳定≥95%”）更无法说明是什么的百分比，审核时会被退回。")
    why_en = ("A benefit must be this project's effect; a slogan fits any project. With a bare percentage "
              "('维护社会稳定 ≥95%') nobody can say what the percentage is of.")
    source = "rules.md VAL-005, §3.3; ANNOTATION KPI7 (boilerplate indicators unrelated to the project)"
    messages = {
        "zh": "“{name}”是套话式的效益表述，与项目“{project}”的产出无直接关系{detail}",
        "en": "'{name}' is a boilerplate effect, not tied to what '{project}' delivers{detail_en}",
    }
    suggestions = {
        "zh": "删除“{name}”，或改写为本项目可衡量的效果，如“业务办理时间缩短至3个工作日”“受益人数≥500人”；不适用的二级指标（如生态效益）可不填",
        "en": "Drop '{name}' or replace it with a measurable effect of this project; leave out second levels that do not apply",
    }
    bad = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "营造良好社会环境", "value": "≥98%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "社保卡持有率", "value": "≥90%"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "保障村社区正常运转", "value": "≥95%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        slogans = F.patterns("measurability", "slogan_patterns", extra)
        rates = F.words("measurability", "rate_statements", extra)
        heads = F.words("measurability", "measure_heads", extra)
        for ind in ctx.indicators:
            name = F.fold(ind.name)
            if not F.matches_any(name, slogans) or F.has_any(name, rates) or unmeasurable(ind, extra):
                continue  # not a slogan, a real rate, or a vague value KPI701 already reports
            measured = any(name.endswith(h) for h in heads)
            if F.is_empty(ind) or measured:
                yield Hit(indicator=ind, args={"detail": "", "detail_en": ""})
                continue
            percent = F.dimension_of(ind) == "percent"
            detail = (f"，指标值“{ind.value}”说不清是什么的百分比，无法衡量" if percent
                      else f"，指标值“{ind.value}”无法衡量")
            yield Hit(indicator=ind, severity="warning", args={
                "detail": detail, "detail_en": f"; the value '{ind.value}' measures nothing identifiable"})


@register
class TimelinessWithoutTime(Rule):
    code = "KPI703"
    name = "timeliness-without-time"
    severity = "warning"
    judges_value = True
    summary = ("时效指标只写“按时”“及时”“按计划”，没有日期、期限或比率；或“按时…”的事项只给出一年以上的时长"
               "（按时交纳税费 =1年），等于整个预算年度，没有说明何时完成")
    summary_en = ("A timeliness (时效) target of 按时 / 及时 / 按计划 with no date, duration or rate, or an on-time act "
                  "given a span of a year or more (按时交纳税费 =1年), which sets no deadline within the budget year")
    why = ("“按时”无法核对是否按时：应写明完成时限（如“2024年12月31日前”）或改为“按时完成率=100%”。"
           "年度目标里一年的时长就是整个预算年度，“按时”的事项配上“=1年”同样没有说明何时算按时。")
    why_en = ("'On time' cannot be checked: state a deadline (e.g. 2024-12-31) or use an on-time rate of 100%. "
              "In an annual target a span of one year is the budget year itself: it says no more when the act is due.")
    source = "rules.md TIM-003 (S3, S4, S9); ANNOTATION convention 6 (及时 with no date is a KPI7 matter; it was KPI405)"
    messages = {
        "zh": "时效指标“{name}”的值“{value}”{problem_zh}。",
        "en": "The timeliness target '{name}' has the value '{value}', {problem_en}.",
    }
    suggestions = {
        "zh": "写明完成时限，如“{deadline}”，或将指标改为“按时完成率”并填“=100%”。",
        "en": "State a deadline such as '{deadline}', or rename it an on-time rate with '=100%'.",
    }
    bad = Example(indicators=({"name": "完成时间", "value": "按时", "declared_level1": "产出",
                               "declared_level2": "时效"},
                              {"name": "按时交纳税费", "value": "=1年", "declared_level1": "产出",
                               "declared_level2": "时效"}))
    good = Example(indicators=({"name": "年底以前达到预期目标", "value": "年底以前达到预期目标",
                                "declared_level1": "产出", "declared_level2": "时效"},
                               {"name": "工作安排时间", "value": "按月安排", "declared_level1": "产出",
                                "declared_level2": "时效"},
                               {"name": "完成时间", "value": "12月底前", "declared_level1": "产出",
                                "declared_level2": "时效"},
                               {"name": "及时处理群众投诉", "value": "≤3天", "declared_level1": "产出",
                                "declared_level2": "时效"},
                               {"name": "项目完成周期", "value": "≤12个月", "declared_level1": "产出",
                                "declared_level2": "时效"}))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        words = lexicons.load("values").get("time", {})
        known = [w for key in ("deadline_words", "cadence", "deadline_markers") for w in words.get(key, [])]
        vague = lexicons.load("directions").get("time_names", {}).get("vague", ["及时", "按时", "按期", "按计划", "适时", "如期"])
        deadline = f"{ctx.budget_year}年12月31日前" if ctx.budget_year else "12月31日前"
        for ind in ctx.indicators:
            if not _filed_as_timeliness(ind):
                continue
            if _on_time_act_over_a_year(ind, vague):
                yield Hit(indicator=ind, args={
                    "deadline": deadline,
                    "problem_zh": "是一年以上的时长，等于整个预算年度，没有说明何时算按时完成",
                    "problem_en": "a span of a year or more, the whole budget year, which sets no deadline"})
                continue
            text = _time_fold(ind.value)
            if not text or _ANY_TIME.search(text):
                continue
            if any(w in text for w in known):
                continue
            if any(w in text for w in vague):
                yield Hit(indicator=ind, args={
                    "deadline": deadline, "problem_zh": "没有给出任何时间（日期、期限或比率）",
                    "problem_en": "which gives no time (date, duration or rate)"})


# A span in years of each duration unit (the value's canonical unit).
_YEARS_PER_UNIT = {"年": 1.0, "月": 1 / 12, "周": 7 / 365, "天": 1 / 365, "日": 1 / 365}


def _on_time_act_over_a_year(ind: Indicator, on_time: list[str]) -> bool:
    """An act to be done on time (按时交纳税费, 及时发放) whose target is a span of a year or more
    (=1年, ≥12个月): in an annual target that is the budget year itself, no deadline. A short
    span is a time limit (及时处理投诉 ≤3天); a name that is itself a span (完成周期, 使用年限) is
    measured in one."""
    p = ind.parsed
    if ind.period != "annual" or p is None or p.kind != "duration" or p.number is None \
            or p.unit_canonical not in _YEARS_PER_UNIT:
        return False  # (a long-term target may well run over years)
    if not F.fold(ind.name).startswith(tuple(on_time)):
        return False
    return p.number * _YEARS_PER_UNIT[p.unit_canonical] >= 1
