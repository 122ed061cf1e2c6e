"""KPI8xx self-evaluation consistency: a 自评表 checked as a finance reviewer checks it, with a
calculator: targets against results, scores against weights, money against money.

A self-evaluation row reports, beside its target, the actual (实际完成值), the weight (分值),
the score (得分) and a deviation reason (偏差原因); the project reports its funds block
(预算数, 执行数, 执行率, 分值, 得分) and a total (总分). The rules read those fields as printed
(`kpicheck/rules/_selfeval.py`) and say nothing where a figure, a unit or a direction leaves
doubt: a finding must hold on the document as it is. Scoring as the self-evaluation form notes
state it (rules.md S5): a ≥ target scores actual/target × weight, a ≤ target target/actual ×
weight, full marks only when met; 预算执行率 is a scored item of its own (commonly 10 of 100
points, the indicators 90).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from kpicheck import patterns
from kpicheck.models import FundsRow, Indicator, Project
from kpicheck.rules import _facts as F
from kpicheck.rules import _selfeval as S
from kpicheck.rules._reading import category_of, read_name
from kpicheck.rules.base import Hit, Rule, RuleContext, register

SOURCE = ("财政部《项目支出绩效评价管理办法》(财预〔2020〕10号) 单位自评 and its 项目支出绩效自评表; "
          "rules.md S5 (自评表 填表说明: 正向 actual/target×分值, 反向 target/actual×分值; "
          "预算执行率 scored on its own)")

_DIM_ZH = {"money": "金额", "percent": "百分比", "count": "数量", "time": "时间", "area": "面积",
           "length": "长度", "weight": "重量", "volume": "体积"}
_DIM_EN = {"money": "an amount", "percent": "a percentage", "count": "a count", "time": "a time",
           "area": "an area", "length": "a length", "weight": "a weight", "volume": "a volume"}


def _row(name: str, value: str, actual: str, weight: str, score: str, l1: str = "产出", l2: str = "数量",
         reason: Optional[str] = None, **more: Any) -> dict[str, Any]:
    row = {"name": name, "value": value, "actual": actual, "weight": weight, "score": score,
           "declared_level1": l1, "declared_level2": l2, **more}
    if reason is not None:
        row["deviation_reason"] = reason
    return row


def _scale_ok(inds: list[Indicator]) -> bool:
    return S.scored_like_weighted(inds)


# ====================================================================== scores and weights


@register
class ScoreAboveWeight(Rule):
    code = "KPI801"
    name = "score-above-weight"
    severity = "error"
    summary = "得分高于分值（指标行、资金行或总分行）"
    summary_en = "A score above its weight (an indicator row, a funds row or the total row)"
    why = ("每项指标的得分以其分值为满分，得分高于分值说明计分有误或分值、得分填反；"
           "财政部门复核自评结果时会直接退回。")
    why_en = ("An item's weight is its full marks; a score above it means a scoring slip or swapped "
              "columns, and the finance department returns the self-evaluation.")
    source = SOURCE
    messages = {
        "zh": "{what_zh}的得分 {score} 高于其分值 {weight}。",
        "en": "The score {score} of {what_en} is above its weight {weight}.",
    }
    suggestions = {
        "zh": "按完成情况重新计分，得分不超过分值 {weight}；如分值与得分填反，请对调。",
        "en": "Re-score the item within its weight {weight}; swap the columns if they were exchanged.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "10", "12"),
    ), project={"total_weight": "100", "total_score": "105"})
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "10", "10"),
        _row("满意度", "≥90%", "95%", "10", "10.0", l1="满意度", l2="服务对象满意度"),
    ), project={"total_weight": "100", "total_score": "100"})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for project, inds in S.by_project(ctx):
            if _scale_ok(inds):
                for ind in inds:
                    weight, score = S.weight_of(ind), S.score_of(ind)
                    if weight is not None and score is not None and S.exceeds(score, weight):
                        yield Hit(indicator=ind, field="score", args={
                            "what_zh": f"指标“{F.shown(ind.name)}”", "what_en": f"'{F.shown(ind.name)}'",
                            "score": score.text, "weight": weight.text})
            if project is None:
                continue
            for i, row in enumerate(project.funds.rows if project.funds else []):
                weight, score = S.figure(row.weight), S.figure(row.score)
                if weight is not None and score is not None and S.exceeds(score, weight):
                    yield S.project_hit(project, f"funds[{i}].score", S.funds_pos(row, "score"),
                                       what_zh=f"资金行“{F.shown(row.label)}”", what_en=f"the funds row '{F.shown(row.label)}'",
                                       score=score.text, weight=weight.text)
            weight, score = S.figure(project.total_weight), S.figure(project.total_score)
            if weight is not None and score is not None and S.exceeds(score, weight):
                yield S.project_hit(project, "total_score", project.total_pos, what_zh="总分行",
                                   what_en="the total row", score=score.text, weight=weight.text)


def _subtotal(raw: Optional[str]) -> Optional[S.Figure]:
    """The points a category cell prints: 产出指标(50分), (30分)."""
    if not raw:
        return None
    m = _SUBTOTAL.search(F.shown(raw))
    return S.figure(m.group(1)) if m else None


_SUBTOTAL = patterns.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def _opens_headless(ctx: RuleContext, run: list[Indicator]) -> bool:
    """The run is the first of its project and its first row has no 一级 cell."""
    first = ctx.by_project().get(run[0].project, [None])[0]
    return first is run[0] and not (first.declared_level1 or first.declared_level1_raw)


def _weights(inds: list[Indicator]) -> Optional[list[S.Figure]]:
    """The weights of the scored rows, or None when a row is scored but its weight unreadable
    (the sum would be a guess). Unscored rows (其中… sub-rows, empty rows) are left out."""
    out = []
    for ind in inds:
        weight = S.weight_of(ind)
        if weight is not None:
            out.append(weight)
        elif ind.weight and not S.is_blank(ind.weight):
            return None  # a weight printed as something else
        elif S.score_of(ind) is not None:
            return None  # scored without a weight: a missed cell
    return out


def _tolerance(figures: Iterable[S.Figure]) -> float:
    return sum(f.exact_half_ulp for f in figures) + S.EPS


def _subtotal_groups(inds: list[Indicator]) -> list[list[Indicator]]:
    """The rows each printed 一级 cell covers: every row of the block (period) printing the same
    cell, wherever it sits (a wide table repeats 产出指标(50分) on each of its rows, in any order);
    a cell that prints only its points, (50分), covers the consecutive rows under it."""
    groups: dict[tuple, list[Indicator]] = {}
    run = 0
    previous = None
    for ind in inds:
        raw = ind.declared_level1_raw
        if raw != previous:
            run += 1
            previous = raw
        named = bool(F.fold(_SUBTOTAL.sub("", F.shown(raw or ""))))
        key = (ind.period, F.fold(raw)) if named else (ind.period, F.fold(raw), run)
        groups.setdefault(key, []).append(ind)
    return list(groups.values())


def _may_be_cut(ctx: RuleContext, run: list[Indicator], is_last: bool) -> bool:
    """Rows of this run may be missing from the reading: it ends the file and the file may be
    cut off; it opens the reading without a 一级 cell (the table began before the excerpt);
    or text the parse could not explain sits among or right after its rows."""
    if is_last and ctx.report.truncated is not False:
        return True
    if _opens_headless(ctx, run):
        return True
    lines = [i.pos.line or i.line for i in run if (i.pos.line or i.line)]
    if not lines:
        return bool(ctx.report.unread)
    first, last = min(lines), max(lines)
    for region in ctx.report.unread:
        start = region.start_line or region.pos.line
        if start is not None and first <= start <= last + 3:
            return True
    return False


@register
class WeightsDoNotAddUp(Rule):
    code = "KPI802"
    name = "weights-do-not-add-up"
    severity = "error"
    summary = "分值合计与表中印出的总分（90 或 100）或一级指标小计（产出指标(50分)）不符"
    summary_en = "Weights that do not add up to the printed total (90 or 100) or a category's printed subtotal (产出指标(50分))"
    why = ("自评表的分值是事先确定的权重：各三级指标分值之和应等于一级指标的小计，全部指标加上预算执行率"
           "应等于总分（常见为预算执行率 10 分 + 绩效指标 90 分）。对不上说明有指标漏填、多填或分值改动过。")
    why_en = ("Weights are fixed in advance: an indicator category's weights sum to its printed subtotal, and all "
              "indicators plus budget execution to the total (commonly 10 points for execution + 90 for the "
              "indicators). A mismatch means a row was dropped, added or re-weighted.")
    source = SOURCE + "; the 10 + 90 split as printed in the documents (预算执行情况(10分), 绩效指标(90分))"
    messages = {
        "zh": "{what_zh}的分值合计为 {sum}，与印出的{label_zh} {printed} 不符。",
        "en": "The weights of {what_en} add up to {sum}, not the printed {label_en} {printed}.",
    }
    suggestions = {
        "zh": "核对各指标分值，使其合计等于 {printed}（或更正印出的{label_zh}）。",
        "en": "Check the weights so that they add up to {printed} (or correct the printed {label_en}).",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "30", "30", l1="产出", declared_level1_raw="产出指标(50分)"),
        _row("培训合格率", "≥95%", "98%", "10", "10", l1="产出", l2="质量", declared_level1_raw="产出指标(50分)"),
        _row("群众满意度", "≥90%", "95%", "40", "40", l1="满意度", l2="服务对象满意度", declared_level1_raw="满意度指标(40分)"),
    ), project={"total_weight": "100", "funds": S.funds_example(("年度资金总额", "50", "50", "50", "100%", "10", "10"))})
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "30", "30", l1="产出", declared_level1_raw="产出指标(50分)"),
        _row("培训合格率", "≥95%", "98%", "20", "20", l1="产出", l2="质量", declared_level1_raw="产出指标(50分)"),
        _row("其中：女性学员人数", "≥80人", "85人", "", "", l1="产出", declared_level1_raw="产出指标(50分)"),
        _row("群众满意度", "≥90%", "95%", "40", "40", l1="满意度", l2="服务对象满意度", declared_level1_raw="满意度指标(40分)"),
    ), project={"total_weight": "100", "funds": S.funds_example(("年度资金总额", "50", "50", "50", "100%", "10", "10"))})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for project, inds in S.by_project(ctx):
            weights = _weights(inds)
            if not weights:
                continue
            for run in _subtotal_groups(inds):
                printed = _subtotal(run[0].declared_level1_raw)
                run_weights = _weights(run)
                if printed is None or not run_weights:
                    continue
                total = sum(w.value for w in run_weights)
                if abs(total - printed.value) <= _tolerance(run_weights):
                    continue
                if total < printed.value and _may_be_cut(ctx, run, run[-1] is inds[-1]):
                    continue
                yield Hit(indicator=run[0], field="level1", args={
                    "what_zh": f"“{F.shown(run[0].declared_level1_raw)}”下各指标",
                    "what_en": f"the rows under '{F.shown(run[0].declared_level1_raw)}'",
                    "sum": S.fmt(total), "printed": printed.text, "label_zh": "小计", "label_en": "subtotal"})
            printed = S.figure(project.total_weight) if project else None
            if printed is None or len({i.period for i in inds}) > 1:
                continue  # a total under two blocks (长期 and 年度): which rows does it sum?
            total = sum(w.value for w in weights)
            tol = _tolerance(weights)
            found = S.total_row(project, F.extra_lexicons(ctx)) if project else None
            funds_weight = S.figure(found[1].weight) if found else None
            candidates = [total]
            if funds_weight is not None:
                candidates.append(total + funds_weight.value)
            else:  # the funds item not read, or not scored: the common 10 points
                candidates.append(total + 10)
            if any(abs(c - printed.value) <= tol for c in candidates):
                continue
            # short of the total (with the execution item's weight when printed): rows may be unread
            short = (total + funds_weight.value if funds_weight is not None else total) < printed.value
            if short and _may_be_cut(ctx, inds, True):
                continue
            yield S.project_hit(project, "total_weight", project.total_pos,
                               what_zh="全部指标" + ("（含预算执行率）" if funds_weight else ""),
                               what_en="all items" + (" (budget execution included)" if funds_weight else ""),
                               sum=S.fmt(total + (funds_weight.value if funds_weight else 0)),
                               printed=printed.text, label_zh="总分", label_en="total")


# ====================================================================== targets against results


def _budget_year(ctx: RuleContext) -> Optional[int]:
    return ctx.budget_year


def _judged(ctx: RuleContext) -> Iterable[tuple[Indicator, S.Judgement]]:
    extra = F.extra_lexicons(ctx)
    year = _budget_year(ctx)
    for ind in ctx.indicators:
        if ind.actual is None:
            continue
        yield ind, S.judge(ind, year, extra)


def _miss_words(j: S.Judgement) -> tuple[str, str]:
    return {
        "below": ("低于目标", "falls short of the target"),
        "above": ("超过了上限", "exceeds the ceiling"),
        "late": ("晚于时限", "is later than the deadline"),
        "grade": ("低于目标等级", "is below the target grade"),
        "answer": ("与目标相反", "is the opposite of the target"),
    }.get(j.why, ("未达到目标", "misses the target"))


@register
class FullMarksForMissedTarget(Rule):
    code = "KPI803"
    name = "full-marks-for-missed-target"
    severity = "error"
    summary = "实际完成值未达到目标（≥ 目标偏低、≤ 目标超出、时限延后、是/否未达成），却得了满分"
    summary_en = "Full marks for a missed target (below a ≥ target, above a ≤ target, late, a yes/no not met)"
    why = ("未完成指标值的，应按完成值与指标值的比例计分（正向：实际/目标×分值；反向：目标/实际×分值），"
           "定性指标按达成程度分档计分；未完成却给满分是自评中最常被退回的问题。")
    why_en = ("A missed target scores in proportion (actual/target × weight for ≥, target/actual × weight for ≤); "
              "qualitative rows by band. Full marks for a missed target is the defect most often returned.")
    source = SOURCE
    messages = {
        "zh": "指标“{name}”的实际完成值“{actual}”{miss_zh}（目标“{value}”），却得了满分 {score}/{weight}{expected_zh}。",
        "en": "'{name}': the actual '{actual}' {miss_en} ('{value}'), yet scores full marks {score}/{weight}{expected_en}.",
    }
    suggestions = {
        "zh": "按完成比例重新计分{expected_fix_zh}，并在偏差原因中说明未完成的原因和改进措施。",
        "en": "Re-score in proportion to what was achieved{expected_fix_en}, and explain the shortfall.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "150人", "10", "10", reason="疫情影响"),
        _row("项目完成时间", "2023年10月底前", "2023年12月", "5", "5", l2="时效", reason="审批延后"),
        _row("人均培训成本", "≤500元/人", "650元/人", "5", "5", l1="成本", l2="经济成本", reason="物价上涨"),
    ))
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "150人", "10", "7.5", reason="疫情影响"),
        _row("培训人数（按月平均）", "200人", "200余人", "10", "10"),
        _row("项目完成时间", "11月底前", "10月", "5", "5", l2="时效"),
        _row("人均培训成本", "≤500元/人", "480元/人", "5", "5", l1="成本", l2="经济成本"),
        _row("安全隐患排查成本", "=6万元", "5.5万元", "5", "5", l1="成本", l2="经济成本"),
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        precision = _score_precision(ctx)
        for ind, j in _judged(ctx):
            weight, score = S.weight_of(ind), S.score_of(ind)
            if j.state != "missed" or weight is None or score is None or weight.value <= 0:
                continue
            if not S.same(score, weight) or not _scale_ok(_siblings(ctx, ind)):
                continue
            zh, en = _miss_words(j)
            args = {"actual": F.shown(ind.actual), "miss_zh": zh, "miss_en": en, "score": score.text,
                    "weight": weight.text, "expected_zh": "", "expected_en": "", "expected_fix_zh": "",
                    "expected_fix_en": ""}
            severity = None
            if j.ratio is not None:
                expected = j.ratio * weight.value
                shown_expected = S.fmt(expected, 2)
                args.update(expected_zh=f"（按完成比例约 {shown_expected} 分）",
                            expected_en=f" (about {shown_expected} in proportion)",
                            expected_fix_zh=f"（约 {shown_expected} 分）", expected_fix_en=f" (about {shown_expected})")
                # printed at the table's precision, the proportional score may round to full marks
                if round(expected, precision.get(ind.project, 0)) >= weight.value - S.EPS:
                    severity = "warning"
            yield Hit(indicator=ind, field="score", severity=severity, args=args)


def _score_precision(ctx: RuleContext) -> dict[Optional[str], int]:
    """The decimals a project's scores are printed with (1 when any score shows 1.9)."""
    out: dict[Optional[str], int] = {}
    for ind in ctx.indicators:
        score = S.score_of(ind)
        if score is not None:
            out[ind.project] = max(out.get(ind.project, 0), score.decimals)
    return out


def _siblings(ctx: RuleContext, ind: Indicator) -> list[Indicator]:
    return ctx.by_project().get(ind.project, [])


@register
class DeductionWithoutReason(Rule):
    code = "KPI804"
    name = "deduction-without-reason"
    severity = "warning"
    summary = "实际完成值达到了目标却被扣分，且没有说明扣分原因"
    summary_en = "Points deducted although the actual meets the target, with no reason given"
    why = ("完成指标值的应记全部分值；确因目标设定明显偏低等原因调减分值的，应在偏差原因中说明。"
           "达标却扣分又不说明原因，复核时无法判断计分是否正确。")
    why_en = ("A met target earns its full weight; a deduction (e.g. for a target set too low) must be explained. "
              "Without a reason the score cannot be checked.")
    source = SOURCE
    messages = {
        "zh": "指标“{name}”的实际完成值“{actual}”已达到目标“{value}”，得分 {score} 却低于分值 {weight}，且未说明扣分原因。",
        "en": "'{name}': the actual '{actual}' meets the target '{value}', yet scores {score} of {weight} with no reason given.",
    }
    suggestions = {
        "zh": "达到目标应得满分 {weight}；如确需扣分（如目标设定明显偏低），请在偏差原因中写明理由。",
        "en": "A met target earns {weight}; if points are deducted on purpose, state why in the deviation reason.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训合格率", "≥95%", "98%", "10", "8", l2="质量", reason=""),
    ))
    good = S.SelfEvalExample(indicators=(
        _row("培训合格率", "≥95%", "98%", "10", "10", l2="质量", reason=""),
        _row("培训人数", "≥200人", "600人", "10", "8", reason="年初目标设定偏低，按偏离度调减2分"),
        _row("服务质量", "优", "优", "10", "9", l2="质量", reason=""),
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind, j in _judged(ctx):
            if j.state != "met" or not j.quantitative or S.has_reason(ind, extra):
                continue  # a qualitative row may lose points by its band even when met
            weight, score = S.weight_of(ind), S.score_of(ind)
            if weight is None or score is None or not S.exceeds(weight, score):
                continue
            if not _scale_ok(_siblings(ctx, ind)):
                continue
            yield Hit(indicator=ind, field="score", args={"actual": F.shown(ind.actual), "score": score.text,
                                                          "weight": weight.text})


@register
class MissedTargetWithoutReason(Rule):
    code = "KPI805"
    name = "missed-target-without-reason"
    severity = "warning"
    summary = "实际完成值未达到目标，偏差原因栏却是空的"
    summary_en = "A missed target with an empty deviation-reason cell"
    why = ("对未完成绩效目标或偏离绩效目标较大的，自评应分析说明原因并提出改进措施；"
           "偏差原因栏留空，自评结果无法用于改进管理。")
    why_en = ("A missed target must be explained with its cause and the remedy; an empty deviation reason makes "
              "the self-evaluation useless for improving the next year.")
    source = SOURCE
    messages = {
        "zh": "指标“{name}”的实际完成值“{actual}”{miss_zh}（目标“{value}”），偏差原因栏未填写。",
        "en": "'{name}': the actual '{actual}' {miss_en} ('{value}'), but no deviation reason is given.",
    }
    suggestions = {
        "zh": "在偏差原因分析及改进措施栏说明未完成的原因和下一步改进措施。",
        "en": "State the cause of the shortfall and the remedy in the deviation-reason column.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "150人", "10", "7.5", reason=""),
    ))
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "150人", "10", "7.5", reason="受疫情影响两期培训延期，已安排次年补训"),
        _row("培训合格率", "≥95%", "98%", "10", "10", l2="质量", reason=""),
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind, j in _judged(ctx):
            if j.state != "missed" or S.has_reason(ind, extra):
                continue
            if not S.reason_column_printed(ind, _siblings(ctx, ind)):
                continue  # the table has no such column: nowhere to write a reason
            zh, en = _miss_words(j)
            yield Hit(indicator=ind, field="deviation_reason",
                      args={"actual": F.shown(ind.actual), "miss_zh": zh, "miss_en": en})


@register
class ActualNotComparable(Rule):
    code = "KPI806"
    name = "actual-not-comparable"
    severity = "warning"
    summary = "实际完成值无法与目标比较：单位或量纲不同、数值目标只填了文字（如“已完成”）"
    summary_en = "An actual that cannot be compared with its target: another unit or dimension, words for a numeric target"
    why = ("自评要把实际完成值与年初指标值对比计分；目标是数值而实际填“已完成”、或目标是人数而实际是百分比，"
           "就无法判断是否完成，也无法按比例计分。")
    why_en = ("Scoring compares the actual with the target; words ('已完成') for a numeric target, or a percentage "
              "for a head count, say nothing about whether the target was met.")
    source = SOURCE
    messages = {
        "zh": "指标“{name}”的目标“{value}”是{target_zh}，实际完成值“{actual}”{actual_zh}，无法比较是否完成。",
        "en": "'{name}': the target '{value}' is {target_en}, but the actual '{actual}' {actual_en}: they cannot be compared.",
    }
    suggestions = {
        "zh": "按目标的口径填写实际完成值{unit_zh}，如“{example}”。",
        "en": "Report the actual in the target's terms{unit_en}, e.g. '{example}'.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "已完成", "10", "10"),
        _row("宣传次数", "≥2次", "已完成100%", "10", "10"),
    ))
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "10", "10"),
        _row("培训合格率", "≥95%", "98", "10", "10", l2="质量"),
        _row("培训任务", "已完成", "已完成", "10", "10"),
        _row("项目资金", "10万元", "100000元", "10", "10", l1="成本", l2="经济成本"),
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind, j in _judged(ctx):
            if j.state != "incomparable":
                continue
            p = ind.parsed
            unit = (p.unit_canonical or p.unit or "") if p else ""
            number = S.fmt(p.number) if p and p.number is not None else ""
            if j.why == "dimension":
                t_dim, a_dim = j.dims
                args = {"target_zh": _DIM_ZH[t_dim], "target_en": _DIM_EN[t_dim],
                        "actual_zh": f"却是{_DIM_ZH[a_dim]}", "actual_en": f"is {_DIM_EN[a_dim]}"}
            else:
                args = {"target_zh": "数值", "target_en": "a number",
                        "actual_zh": "却只有文字", "actual_en": "is words only"}
            args.update(actual=F.shown(ind.actual), example=f"{number}{unit}" if number else "实际数值",
                        unit_zh=f"（单位：{unit}）" if unit else "", unit_en=f" (unit: {unit})" if unit else "")
            yield Hit(indicator=ind, field="actual", args=args)


@register
class ImplausibleActual(Rule):
    code = "KPI812"
    name = "implausible-actual"
    severity = "error"
    summary = "实际完成值超出其取值范围：有上下界的比率（合格率、覆盖率、满意度）超过100%或为负"
    summary_en = "An actual outside its possible range: a bounded rate (pass, coverage, satisfaction) above 100% or negative"
    why = ("合格率、覆盖率、满意度等是份额，实际值不可能超过 100% 或为负；这样的实际值多为填错列、"
           "把数量填进了比率，或计算口径有误，据此计分没有意义。")
    why_en = ("Pass, coverage and satisfaction rates are shares: an actual above 100% or below 0 is a column slip or "
              "a wrong formula, and scoring on it means nothing.")
    source = SOURCE + "; rules.md VAL-004, §8.3 (rates bounded to [0, 100])"
    messages = {
        "zh": "指标“{name}”是有上下界的比率，实际完成值“{actual}”{problem_zh}。",
        "en": "'{name}' is a bounded rate, but its actual '{actual}' {problem_en}.",
    }
    suggestions = {
        "zh": "核对实际完成值的计算口径（分子不应大于分母），改为 0–100% 之间的实际比率。",
        "en": "Check how the actual was computed (the numerator cannot exceed the base); report a rate within 0-100%.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("验收合格率", "≥95%", "120%", "10", "10", l2="质量"),
        _row("群众满意度", "≥90%", "105", "10", "10", l1="满意度", l2="服务对象满意度"),
    ))
    good = S.SelfEvalExample(indicators=(
        _row("验收合格率", "≥95%", "98%", "10", "10", l2="质量"),
        _row("营业收入增长率", "≥10%", "115.25%", "10", "10", l1="效益", l2="经济效益"),
        _row("年度计划完成率", "≥100%", "112%", "10", "10"),
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        may_exceed = S.lexicon("actuals", "may_exceed", extra)
        for ind in ctx.indicators:
            actual, target = ind.actual_parsed, ind.parsed
            if actual is None or actual.number is None or actual.kind != "quantity" or len(actual.numbers) > 1:
                continue
            percent = actual.unit_canonical == "%" or (
                not (actual.unit_canonical or actual.unit) and target is not None and target.unit_canonical == "%")
            if not percent:
                continue
            r = read_name(ind.name or "")
            bounded = r.bounded or ("满意度" in category_of(ind) and not r.unbounded and r.expects in (None, "percent"))
            if not bounded or any(r.head.endswith(w) for w in may_exceed):
                continue
            if actual.number > 100:
                problem = ("超过了100%", "exceeds 100%")
            elif actual.number < 0:
                problem = ("为负数", "is negative")
            else:
                continue
            yield Hit(indicator=ind, field="actual", args={"actual": F.shown(ind.actual), "problem_zh": problem[0],
                                                           "problem_en": problem[1]})


# ====================================================================== the funds block


@register
class ExecutionRateMismatch(Rule):
    code = "KPI807"
    name = "execution-rate-mismatch"
    severity = "error"
    summary = "执行率不等于 执行数 ÷ 预算数（按印出的精度）"
    summary_en = "An execution rate that is not spent ÷ budget (to the printed precision)"
    why = ("预算执行率 = 全年执行数 ÷ 全年预算数（调整后预算数）；它决定预算执行率这一项的得分。"
           "与两项金额算出的比率不符，说明金额或比率有一项填错。")
    why_en = ("The execution rate is spent ÷ (adjusted) budget and decides the execution score; a rate that does not "
              "follow from the two amounts means one of them is wrong.")
    source = SOURCE + "; 预算执行率=预算执行数/调整后预算数 as the form notes print it"
    messages = {
        "zh": "资金行“{label}”的执行率 {rate} 与 执行数 {executed} ÷ {budget_zh} {budget} = {computed} 不符。",
        "en": "The funds row '{label}': execution rate {rate}, but spent {executed} ÷ {budget_en} {budget} = {computed}.",
    }
    suggestions = {
        "zh": "核对执行数与预算数，执行率应为 {computed}。",
        "en": "Check the amounts; the rate should be {computed}.",
    }
    bad = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(("年度资金总额", "55", "55", "50", "100%", "10", "9.09"))})
    good = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(
        ("年度资金总额", "250000.00", "250000.00", "215,457.6", "86.19%", "10", "8.62"),
        ("其中：当年财政拨款", "250000.00", "250000.00", "215457.6", None, None, None),
        ("财政专户管理资金", "0.00", "0.00", "0.00", "0.00%", None, None),
        ("年度资金总额", "0", "207.4538", "207.4538", "100%", "10", "10"))})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for project, _ in S.by_project(ctx):
            for i, row in S.funds_rows(project):
                printed = S.rate_percent(row)
                computed = S.computed_rates(row)
                if printed is None or not computed:
                    continue
                rate, tol = printed
                if any(low - tol - S.EPS <= rate <= high + tol + S.EPS for low, high, _, _ in computed):
                    continue
                _, _, nominal, key = computed[0]
                decimals = S.figure(row.rate).decimals  # type: ignore[union-attr]
                shown = f"{nominal:.{decimals}f}%"
                yield S.project_hit(project, f"funds[{i}].rate", S.funds_pos(row, "rate"),
                                   label=F.shown(row.label), rate=F.shown(row.rate), executed=F.shown(row.executed),
                                   budget=F.shown(getattr(row, key)), budget_zh=S.FIELD_ZH[key],
                                   budget_en=S.FIELD_EN[key], computed=shown)


@register
class FundsScoreInconsistent(Rule):
    code = "KPI810"
    name = "funds-score-inconsistent"
    severity = "warning"
    summary = "预算执行率的得分与执行率不符（按文件印出的计分规则，如“预算执行率×分值”；全额执行应得满分，未执行不得分）"
    summary_en = "A budget-execution score inconsistent with the rate under the printed rule (e.g. rate × weight; full execution earns full marks, none earns none)"
    why = ("预算执行率是单独计分的一项（常见 10 分）。按文件印出的规则（如 得分=执行率×分值）可以直接算出得分；"
           "无论按哪种规则，全额执行应得满分，未执行不应得分。")
    why_en = ("Budget execution is scored on its own (commonly 10 points). Under the printed rule (e.g. score = rate × "
              "weight) the score follows from the rate; under any rule full execution earns full marks and none earns none.")
    source = SOURCE
    messages = {
        "zh": "资金行“{label}”的执行率为 {rate}，得分 {score}/{weight}，{problem_zh}。",
        "en": "The funds row '{label}': execution rate {rate}, score {score}/{weight}: {problem_en}.",
    }
    suggestions = {
        "zh": "按计分规则重新计算预算执行率得分，应为 {expected}。",
        "en": "Re-score budget execution under the rule: it should be {expected}.",
    }
    bad = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(
        ("年度资金总额", "20000.00", "20000.00", "9034", "45.17%", "10", "8"), rule="得分=预算执行率×分值")})
    good = S.SelfEvalExample(indicators=(), project={"funds": S.funds_example(
        ("年度资金总额", "20000.00", "20000.00", "9034", "45.17%", "10", "4.52"), rule="得分=预算执行率×分值")})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for project, _ in S.by_project(ctx):
            if project is None:
                continue
            proportional = S.proportional_rule(project, extra)
            for i, row in S.funds_rows(project):
                weight, score = S.figure(row.weight), S.figure(row.score)
                if weight is None or score is None or S.exceeds(score, weight):
                    continue  # a score above its weight: KPI801
                hit = self._inconsistent(row, weight, score, proportional)
                if hit is None:
                    continue
                (problem_zh, problem_en), expected, severity = hit
                found = S.project_hit(project, f"funds[{i}].score", S.funds_pos(row, "score"),
                                     label=F.shown(row.label), rate=F.shown(row.rate) or "?", score=score.text,
                                     weight=weight.text, problem_zh=problem_zh, problem_en=problem_en,
                                     expected=expected)
                found.severity = severity
                yield found

    @staticmethod
    def _inconsistent(row: FundsRow, weight: S.Figure, score: S.Figure, proportional: bool):
        computed = S.computed_rates(row)
        executed = S.figure(row.executed)
        if computed:
            low, high, nominal, _ = computed[0]
        else:
            printed = S.rate_percent(row)
            if printed is None:
                return None
            low, high, nominal = printed[0] - printed[1], printed[0] + printed[1], printed[0]
        if proportional and high <= 100 + S.EPS:
            lowest = low / 100 * weight.value - 0.5 * score.ulp
            highest = high / 100 * weight.value + 0.5 * score.ulp
            if not (lowest - S.EPS <= score.value <= highest + S.EPS):
                expected = S.fmt(nominal / 100 * weight.value, max(score.decimals, 2))
                return (("与“执行率×分值”不符", "not rate × weight"), expected, "error")
            return None
        budgets = [S.figure(row.adjusted), S.figure(row.initial)]
        budget = next((b for b in budgets if b is not None and b.value > 0), None)
        if executed is not None and budget is not None and abs(executed.value - budget.value) <= S.EPS \
                and S.exceeds(weight, score):
            return (("预算已全额执行却被扣分", "fully executed, yet points are deducted"), weight.text, None)
        if executed is not None and executed.value == 0 and budget is not None and score.value > 0:
            return (("预算未执行却得了分", "nothing was spent, yet it scores"), "0", None)
        return None


# ====================================================================== the total


def _all_items_read(project: Project, inds: list[Indicator], extra: tuple[str, ...]) -> bool:
    """Every scored item of the project is in the reading: the weights read (indicators plus
    the execution item) add up to the printed total weight."""
    weights = _weights(inds)
    printed = S.figure(project.total_weight)
    if not weights or printed is None:
        return False
    found = S.total_row(project, extra)
    funds_weight = S.figure(found[1].weight) if found else None
    summed = sum(w.value for w in weights) + (funds_weight.value if funds_weight else 0)
    return abs(summed - printed.value) <= _tolerance(weights)


@register
class TotalScoreMismatch(Rule):
    code = "KPI811"
    name = "total-score-mismatch"
    severity = "error"
    summary = "总分不等于各项得分之和（含预算执行率得分）"
    summary_en = "A total score that is not the sum of the item scores (budget execution included)"
    why = "自评总分由各项指标得分汇总形成；与各项得分之和不符，说明有得分漏加、多加或改动后未重算。"
    why_en = "The total is the sum of the item scores; a mismatch means a score was left out, counted twice or changed without re-adding."
    source = SOURCE
    messages = {
        "zh": "总分 {total} 与各项得分之和 {sum} 不符。",
        "en": "The total score {total} is not the sum of the scores, {sum}.",
    }
    suggestions = {
        "zh": "重新汇总各项得分，总分应为 {sum}。",
        "en": "Re-add the scores: the total should be {sum}.",
    }
    bad = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "50", "50"),
        _row("群众满意度", "≥90%", "92%", "40", "40", l1="满意度", l2="服务对象满意度"),
    ), project={"total_weight": "100", "total_score": "95",
                "funds": S.funds_example(("年度资金总额", "50", "50", "50", "100%", "10", "10"))})
    good = S.SelfEvalExample(indicators=(
        _row("培训人数", "≥200人", "210人", "50", "50"),
        _row("群众满意度", "≥90%", "92%", "40", "40", l1="满意度", l2="服务对象满意度"),
    ), project={"total_weight": "100", "total_score": "100",
                "funds": S.funds_example(("年度资金总额", "50", "50", "50", "100%", "10", "10"))})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for project, inds in S.by_project(ctx):
            total = S.figure(project.total_score) if project else None
            if total is None or not inds or len({i.period for i in inds}) > 1:
                continue
            scores = []
            for ind in inds:
                score = S.score_of(ind)
                if score is not None:
                    scores.append(score)
                elif (ind.score and not S.is_blank(ind.score, extra)) or S.weight_of(ind) is not None:
                    scores = []  # a weighted row without a readable score: no sum to compare
                    break
            if not scores:
                continue
            found = S.total_row(project, extra)
            funds_score = S.figure(found[1].score) if found else None
            funds_weight = S.figure(found[1].weight) if found else None
            summed = sum(s.value for s in scores)
            tol = _tolerance(scores) + total.exact_half_ulp
            if funds_score is not None:
                candidates = [(summed, summed), (summed + funds_score.value, summed + funds_score.value)]
                tol += funds_score.exact_half_ulp
            else:  # the execution score not read: anywhere between none and its full weight
                room = funds_weight.value if funds_weight is not None else 10
                candidates = [(summed, summed + room)]
            if any(low - tol <= total.value <= high + tol for low, high in candidates):
                continue
            if total.value > max(high for _, high in candidates) and not _all_items_read(project, inds, extra):
                continue  # more points than the rows read: items this reading does not hold (unread rows, 年度目标完成情况)
            decimals = max([s.decimals for s in scores] + [total.decimals]
                           + ([funds_score.decimals] if funds_score is not None else []))
            shown_sum = summed + (funds_score.value if funds_score is not None else 0)
            yield S.project_hit(project, "total_score", project.total_pos, total=total.text,
                               sum=f"{shown_sum:.{decimals}f}")
