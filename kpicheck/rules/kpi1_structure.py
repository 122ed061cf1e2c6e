"""KPI1xx structure and completeness: is every part of the target table there and filled in?"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from kpicheck import patterns
from kpicheck.models import Indicator, UnreadRegion
from kpicheck.rules import _facts as F
from kpicheck.rules.base import Example, Hit, Rule, RuleContext, register
from kpicheck.textcache import text_cache

ORDER = {"产出": 0, "效益": 1, "满意度": 2}
PERIOD_ZH = {"annual": "年度", "long_term": "长期"}
_QUANTITY_IN_NAME = patterns.compile(r"\d+(\.\d+)?\s*(%|％|[^\d\s]{1,3})")
_TIME_HEAD = patterns.compile(r"(时间|时限|期限)$")
_FILLER = patterns.compile(r"^[….。·\s]*$")


def _last_project(ctx: RuleContext) -> Optional[str]:
    return ctx.indicators[-1].project if ctx.indicators else None


def _may_be_cut(ctx: RuleContext, project: Optional[str]) -> bool:
    """The document may end inside this project's table (only the last one can be cut off)."""
    if getattr(ctx.report, "truncated", None) is False:
        return False
    return project == _last_project(ctx)


def _present_categories(inds: list[Indicator]) -> set[str]:
    present: set[str] = set()
    for ind in inds:
        level1 = F.effective_l1(ind)
        if level1:
            present.add(level1)
        if F.is_satisfaction_name(ind):  # satisfaction misfiled under 效益 is a KPI2 matter
            present.add("满意度")
    return present


@dataclass(frozen=True)
class DocumentExample(Example):
    """An example whose document also holds table text the parse did not read."""

    unread: tuple[dict, ...] = ()
    coverage: Optional[float] = None


_COVERAGE_FLOOR = 0.6
_LOST_VALUES = 30  # characters of unread values that hold more than a leftover column  # below this share of the table text read, the reading is incomplete


def _significant(region: UnreadRegion) -> bool:
    """Unread text that is surely lost indicators: category labels with values, or a stretch of
    values long enough to hold rows of them. (A few values left over in a table the parse read,
    such as a score column no heading names, count only through the coverage.)"""
    signals = set(region.signals)
    if {"label", "values"} <= signals:
        return len(region.excerpt) >= 16
    return "values" in signals and len(region.excerpt) >= _LOST_VALUES


@register
class UnreadableTable(Rule):
    code = "KPI100"
    name = "unreadable-table"
    severity = "error"
    summary = "未能完整识别绩效指标表：文件中有像绩效指标表的内容没有读出指标"
    summary_en = "A performance table could not be read in full: table-like text yielded no indicators."
    why = ("审核结论只对读出的指标成立。文件里有指标类别、表头或指标值，却没有读出对应的指标时，"
           "“未发现问题”是误导：应当告诉审核人哪些行没有读出，由人工核对。")
    why_en = ("A review only speaks for the indicators it read. When a document shows category labels, "
              "headings or values that yielded no indicator, 'no problems' would mislead: the reviewer is "
              "told which lines were not read.")
    source = "issue 15 (never a silent pass); FileReport.coverage and FileReport.unread"
    messages = {
        "zh": "未能完整识别绩效指标表：第{lines}行像是绩效指标表（{signals}），但未能读出指标；已读出表格内容约{coverage}",
        "en": "Performance table not read in full: lines {lines} look like a performance table ({signals_en}) "
              "but yielded no indicators; about {coverage} of the table text was read",
    }
    suggestions = {
        "zh": "请人工核对第{lines}行的指标；如为扫描件或排版错乱，可将表格另存为 Excel/Word 后重新检查",
        "en": "Check lines {lines} by hand; for a scan or scrambled layout, save the table as Excel/Word and check again",
    }
    bad = DocumentExample(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥100人"},
    ), unread=({"start_line": 12, "end_line": 18, "signals": ["label", "values"],
                "excerpt": "效益指标社会效益指标群众知晓率≥90%满意度指标服务对象满意度≥95%"},), coverage=0.35)
    good = DocumentExample(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥100人"},
    ), coverage=1.0)

    _SIGNALS = {"label": ("指标类别", "category labels"), "header": ("表头", "headings"),
                "values": ("指标值", "values"), "document": ("表名", "the table's title")}

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        report = ctx.report
        regions = [r for r in report.unread if _significant(r) or not report.indicators]
        low = report.coverage is not None and report.coverage < _COVERAGE_FLOOR
        if not regions and not (low and report.unread):
            return
        regions = regions or list(report.unread)
        lines = "、".join(f"{r.start_line}-{r.end_line}" if r.end_line != r.start_line else f"{r.start_line}"
                         for r in regions[:6]) + ("等" if len(regions) > 6 else "")
        kinds = sorted({s for r in regions for s in r.signals})
        coverage = f"{report.coverage:.0%}" if report.coverage is not None else "0%"
        yield Hit(args={
            "lines": lines, "coverage": coverage,
            "signals": "、".join(self._SIGNALS[k][0] for k in kinds if k in self._SIGNALS),
            "signals_en": ", ".join(self._SIGNALS[k][1] for k in kinds if k in self._SIGNALS),
            "project": _last_project(ctx) or "",
        }, pos=regions[0].pos)


@register
class MissingCategory(Rule):
    code = "KPI101"
    name = "missing-category"
    severity = "warning"
    summary = "项目没有产出、效益或满意度指标（缺少整个一级指标）"
    summary_en = "A project has no output (产出), benefit (效益) or satisfaction (满意度) indicator."
    why = ("绩效目标须同时反映项目的产出和效果，并有服务对象满意度；缺少整个一级指标的目标表"
           "无法评价项目是否达到预期，审核时会被退回。文件被截断时只判断完整的部分。")
    why_en = ("A target must cover what the money delivers, its effects and the satisfaction of "
              "those served; a table missing a whole category cannot be assessed. A table cut off "
              "at the end of the document is only judged on its complete part.")
    source = "rules.md CMP-001, CMP-002 (S1, S3/S4, S7, S17)"
    messages = {
        "zh": "项目“{project}”没有{missing}指标（已有：{present}）",
        "en": "Project '{project}' has no {missing_en} indicator (it has: {present_en})",
    }
    suggestions = {
        "zh": "为项目“{project}”补充{missing}指标，例如{example}；若该类指标被填在其他类别下，请移到{missing}指标中",
        "en": "Add {missing_en} indicators to '{project}' (e.g. {example_en}), or move them there if they were filed elsewhere",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "社保卡制卡数量", "value": "≥7万张"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "持卡人满意度", "value": "≥90%"},
    ), note="没有效益指标")
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "社保卡制卡数量", "value": "≥7万张"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "社保卡持有率", "value": "≥90%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "持卡人满意度", "value": "≥90%"},
    ))

    EXAMPLES = {"产出": ("数量、质量、时效指标", "quantity, quality, timeliness"),
                "效益": ("社会效益指标（如受益人数、覆盖率）", "social benefit (people reached, coverage)"),
                "满意度": ("服务对象满意度≥90%", "beneficiary satisfaction ≥90%")}
    EN = {"产出": "output", "效益": "benefit", "满意度": "satisfaction", "成本": "cost"}

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        by_project = ctx.by_project()
        for project, inds in by_project.items():
            if not any(F.effective_l1(i) for i in inds):
                continue  # a flat list with no categories at all: nothing to judge
            present = _present_categories(inds)
            cut = _may_be_cut(ctx, project)
            later = max((ORDER[c] for c in present if c in ORDER), default=-1)
            missing = [c for c in ORDER if c not in present and not (cut and ORDER[c] > later)]
            if not missing:
                continue
            yield Hit(project=project, args={
                "missing": "、".join(missing),
                "missing_en": ", ".join(self.EN[c] for c in missing),
                "present": "、".join(sorted(present, key=lambda c: ORDER.get(c, 3))) or "无",
                "present_en": ", ".join(self.EN.get(c, c) for c in sorted(present, key=lambda c: ORDER.get(c, 3))) or "none",
                "example": "；".join(self.EXAMPLES[c][0] for c in missing),
                "example_en": "; ".join(self.EXAMPLES[c][1] for c in missing),
            })


@lru_cache(maxsize=1)
def _placeholder_patterns() -> tuple[Optional[re.Pattern], tuple[re.Pattern, ...]]:
    """The shipped placeholder patterns, compiled once, and one alternation of them all (most
    texts hold none: one search says so); whole-cell fillers (^……$) are empty template rows,
    not placeholders."""
    from kpicheck import lexicons

    pats = [p for p in lexicons.load("values").get("placeholders", {}).get("patterns", []) if not p.startswith("^")]
    anywhere = patterns.compile("|".join(f"(?:{p})" for p in pats)) if pats else None
    return anywhere, tuple(patterns.compile(p) for p in pats)


@text_cache(8192)  # every name and value, once per document
def _placeholder(text: str) -> Optional[str]:
    shown = F.shown(text)
    if not shown or _FILLER.match(shown):
        return None
    anywhere, pats = _placeholder_patterns()
    if anywhere is None or anywhere.search(shown) is None:
        return None
    for pat in pats:
        m = pat.search(shown)
        if m:
            # report the template hint around it: (≥**株), **月**日
            around = re.search(r"[（(][^（）()]*" + re.escape(m.group(0)) + r"[^（）()]*[）)]", shown)
            return (around or m).group(0)
    return None


@register
class TemplatePlaceholder(Rule):
    code = "KPI102"
    name = "template-placeholder"
    severity = "error"
    summary = "指标名称或指标值中残留模板占位符（**、XX、**月**日）"
    summary_en = "A template placeholder (**, XX, **月**日) is left in an indicator's name or value."
    why = "占位符说明模板没有按项目实际填写，指标值无法核对，公开文本也显得粗糙。"
    why_en = "A placeholder shows the template was not filled in; the target cannot be checked."
    source = "rules.md CMP-005 (S9 templates use **, S22 coerces XX)"
    messages = {
        "zh": "指标“{name}”的{where}中残留模板占位符“{placeholder}”",
        "en": "Indicator '{name}' still has the template placeholder '{placeholder}' in its {where_en}",
    }
    suggestions = {
        "zh": "{fix_zh}",
        "en": "{fix_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "黄金蜜(葡萄)种植数量(≥**株)", "value": "≥17600株"},
        {"declared_level1": "产出", "declared_level2": "时效", "name": "项目完成时间", "value": "**月**日前"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "黄金蜜(葡萄)种植数量", "value": "≥17600株"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "系统运行时间", "value": "7*24小时"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            in_value = (ind.parsed.placeholder if ind.parsed and ind.parsed.placeholder else None) or _placeholder(ind.value)
            if in_value:
                yield Hit(indicator=ind, args={
                    "where": "指标值", "where_en": "value", "placeholder": in_value,
                    "fix_zh": f"将指标“{F.shown(ind.name)}”的值“{ind.value}”中的“{in_value}”替换为本项目实际的目标值或日期",
                    "fix_en": f"Replace '{in_value}' in '{ind.value}' with the project's real target or date",
                })
                continue
            in_name = _placeholder(ind.name)
            if in_name:
                clean = F.shown(ind.name).replace(in_name, "").strip()
                yield Hit(indicator=ind, args={
                    "where": "名称", "where_en": "name", "placeholder": in_name,
                    "fix_zh": f"删除名称中的模板提示“{in_name}”，名称改为“{clean}”，目标值只写在指标值栏（{ind.value or '请填写'}）",
                    "fix_en": f"Remove the template hint '{in_name}' from the name ('{clean}'); keep the target in the value column",
                })


def _name_holds_target(name: str) -> bool:
    """Prose layouts put the target inside the name (居民养老办公网络使用通畅率100%)."""
    return bool(_QUANTITY_IN_NAME.search(F.shown(name)))


@register
class MissingValue(Rule):
    code = "KPI103"
    name = "missing-value"
    severity = "error"
    judges_value = True
    summary = "指标有名称但没有指标值"
    summary_en = "An indicator has a name but no target value."
    why = "没有目标值的指标无法在年底对照评价，等于没有设定绩效目标。"
    why_en = "Without a target value the indicator cannot be assessed at the end of the year."
    source = "rules.md CMP-004; ANNOTATION KPI1 (an indicator with a name but no value)"
    messages = {
        "zh": "指标“{name}”（{category}）没有填写指标值",
        "en": "Indicator '{name}' ({category}) has no target value",
    }
    suggestions = {
        "zh": "为“{name}”填写可衡量的目标值（{hint}）；该指标不适用时请删除整行",
        "en": "Give '{name}' a measurable target ({hint_en}), or delete the row if it does not apply",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": ""},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥200人"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "缩短参保人员业务办理时间", "value": "",
         "period": "annual"},
    ), note="目标写成口号而没有值的，由 KPI701 报告")

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        extra = F.extra_lexicons(ctx)
        for ind in ctx.indicators:
            placeholder = F.is_placeholder(ind, extra)
            if not (F.is_empty(ind) or placeholder) or F.name_is_blank(ind.name) or _label_name(ind.name):
                continue
            # ('公里', '≧ %': a template's unit or comparator with no target filled in is empty)
            if not placeholder and (F.is_slogan(ind.name, extra) or F.vague_in_name(ind.name)):
                continue  # a slogan or a vague target with no value: KPI701
            if _name_holds_target(ind.name) or F.grade_in_name(ind.name):
                continue  # the target is written inside the name (通畅率100%, 网络质量优)
            hint, hint_en = _value_hint(ind)
            yield Hit(indicator=ind, args={
                "category": "/".join(x for x in (ind.declared_level1, ind.declared_level2) if x) or "未分类",
                "hint": hint, "hint_en": hint_en,
            })


def _value_hint(ind: Indicator) -> tuple[str, str]:
    name = F.fold(ind.name)
    if "满意" in name:
        return "如“≥90%”", "e.g. ≥90%"
    if name.endswith("率"):
        return "如“≥95%”或“=100%”", "e.g. ≥95% or =100%"
    if ind.declared_level2 == "时效" or _TIME_HEAD.search(name):
        return "如“2023年12月31日前”", "e.g. a deadline"
    if F.is_cost_row(ind):
        return "如“≤10万元”", "e.g. ≤10万元"
    return "数量、比率、日期或“好/较好/一般”等级", "a number, rate, date or graded level"


@register
class MissingName(Rule):
    code = "KPI104"
    name = "missing-name"
    severity = "error"
    summary = "有指标值但没有指标名称，或名称只是数字/占位符/一个值（如“15万元”“2020年全年”）"
    summary_en = "A value has no indicator name, or the name is only a number, a placeholder or a value (15万元, 2020年全年)."
    why = "没有名称的值不知道衡量什么，无法评价；常见于模板行未填或单元格错位。"
    why_en = "A value without a name measures nothing identifiable; usually an unfilled template row."
    source = "rules.md CLS-010 (S16 '88 | 100')"
    messages = {
        "zh": "{category}下的{what}没有指标名称（名称栏为“{name}”）",
        "en": "{what_en} under {category} has no indicator name (name cell: '{name}')",
    }
    suggestions = {
        "zh": "在名称栏写明该值衡量的内容（如“道路硬化里程”“验收合格率”），并核对“{name}”是否为错位的分值或数字",
        "en": "Name what '{value}' measures, and check whether '{name}' is a shifted score or number",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "88", "value": "100"},
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "12万元。", "value": "12万元。"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "道路硬化里程", "value": "≥88公里"},
        {"declared_level1": "产出", "declared_level2": "时效", "name": "2024年度项目完成时间", "value": "2024年12月底前"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            if not F.name_is_blank(ind.name) and not F.name_is_a_value(ind.name) \
                    and not (F.fold(ind.name) == F.fold(ind.value) and F.name_is_a_value(ind.name, whole_year=True)):
                continue  # a name (a value in the name cell, 15万元, or the value copied, is none)
            if F.is_empty(ind) and not F.has_digit(ind.name):
                continue  # an empty row, not a value
            what = f"值“{ind.value}”" if not F.is_empty(ind) else f"数字“{F.shown(ind.name)}”"
            yield Hit(indicator=ind, args={
                "category": "/".join(x for x in (ind.declared_level1, ind.declared_level2) if x) or "该表",
                "what": what,
                "what_en": f"The value '{ind.value or ind.name}'",
            })


@register
class DuplicateConflict(Rule):
    code = "KPI105"
    name = "duplicate-conflict"
    severity = "warning"
    summary = "同一指标在同一张目标表中出现两次且指标值相互矛盾"
    summary_en = "The same indicator appears twice in one table with conflicting values."
    why = "同一指标两个不同目标值，评价时无法确定以哪个为准，通常是复制粘贴或填表错误。"
    why_en = "Two targets for one indicator cannot both hold; usually a copy-paste or filling error."
    source = "rules.md CMP-006 (S24 稳定运行率 ≤99% vs ≥99%)"
    messages = {
        "zh": "{period}目标中指标“{name}”出现两次，指标值“{first}”与“{value}”不一致",
        "en": "In the {period_en} targets '{name}' appears twice with conflicting values '{first}' and '{value}'",
    }
    suggestions = {
        "zh": "核对“{name}”的目标值，只保留一个（“{first}”或“{value}”），或把两行改成不同的指标名称",
        "en": "Keep one target for '{name}' ('{first}' or '{value}'), or give the two rows distinct names",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "成本", "name": "劳务费", "value": "≤4.6万元"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "劳务费", "value": "≤0.5万元"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "成本", "name": "劳务费", "value": "≤4.6万元"},
        {"declared_level1": "产出", "declared_level2": "成本", "name": "劳务费", "value": "≤4.6万元"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "服务全市参保人群", "value": "100%"},
        {"declared_level1": "成本", "declared_level2": "社会成本", "name": "服务全市参保人群", "value": "1100万人"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for (project, period), inds in ctx.blocks().items():
            seen: dict[tuple, Indicator] = {}
            for ind in inds:
                if not F.fold(ind.name) or not F.has_number(ind):
                    continue
                key = (F.fold(ind.name), ind.declared_level1, ind.declared_level2)
                first = seen.get(key)
                if first is None:
                    seen[key] = ind
                    continue
                if _conflict(first, ind):
                    yield Hit(indicator=ind, args={
                        "first": first.value, "period": PERIOD_ZH.get(period, period),
                        "period_en": "annual" if period == "annual" else "long-term",
                    })


def _conflict(a: Indicator, b: Indicator) -> bool:
    if F.fold(a.value) == F.fold(b.value) or F.unit_of(a) != F.unit_of(b):
        return False
    ca, cb = F.comparator(a), F.comparator(b)
    opposite = {ca, cb} in ({"≥", "≤"}, {">", "<"}, {"≥", "<"}, {">", "≤"})
    na, nb = F.number_of(a), F.number_of(b)
    return opposite or (na is not None and nb is not None and abs(na - nb) > 1e-9)


def _label_name(name: str) -> Optional[str]:
    """The category label a name consists of (社会成本指标), or None."""
    try:
        from kpicheck.segment.labels import parse_label
    except Exception:  # noqa: BLE001 - segmentation is being written alongside
        return None
    text = F.shown(name)
    label = parse_label(text)
    if label is None:
        return _category_word(F.fold(name))
    if label.canonical == "服务对象满意度" or (label.level == 1 and label.canonical == "满意度"):
        return None  # 服务对象满意度 is a real, measurable indicator name
    return label.canonical


def _category_word(text: str) -> Optional[str]:
    """A name that is only a category's own word (成本, 数量, 时效, 社会效益), label or not."""
    from kpicheck.classify import LEVEL1, PARENT

    if text in PARENT or text in LEVEL1:
        # 质量/数量/时效 are also what a graded value measures (质量: 优); 满意度 is measurable
        return None if text in _MEASURABLE_CATEGORY_WORDS else text
    return None


_MEASURABLE_CATEGORY_WORDS = frozenset({"满意度", "服务对象满意度", "质量", "数量", "时效"})


@register
class CategoryAsName(Rule):
    code = "KPI106"
    name = "category-label-as-name"
    severity = "warning"
    summary = "三级指标名称只是一个类别标签（如“社会成本指标”）"
    summary_en = "The indicator's name is only a category label (e.g. 社会成本指标)."
    why = "类别标签不说明衡量什么，目标值（如“100%”）因此无从解释和核对。"
    why_en = "A category label does not say what is measured, so its value cannot be interpreted."
    source = "rules.md CLS-009 (S13 '成本指标 / 社会成本指标 / 100 %')"
    messages = {
        "zh": "指标名称“{shown_name}”只是类别标签（{label}），没有说明衡量什么，指标值“{value}”无从核对",
        "en": "The indicator name '{shown_name}' is only a category label ({label}); its value '{value}' measures nothing identifiable",
    }
    suggestions = {
        "zh": "把“{shown_name}”改为具体的三级指标，如{example}，并给出相应的目标值",
        "en": "Replace '{shown_name}' with a concrete indicator, e.g. {example_en}",
    }
    bad = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "社会成本", "name": "社会成本指标", "value": "100%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "成本", "declared_level2": "经济成本", "name": "单位运转成本", "value": "≤28.8万元"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "服务对象满意度", "value": "≥95%"},
    ))
    EXAMPLES = {
        "经济成本": ("“项目总成本 ≤X万元”", "total cost ≤X万元"),
        "社会成本": ("“对周边居民出行的影响 无”", "impact on residents: none"),
        "生态环境成本": ("“施工扬尘超标次数 =0次”", "dust exceedances =0"),
        "数量": ("“培训人数 ≥200人”", "people trained ≥200"),
        "质量": ("“验收合格率 =100%”", "acceptance rate =100%"),
        "时效": ("“完成时间 2023年12月31日前”", "done by 2023-12-31"),
    }

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        for ind in ctx.indicators:
            label = _label_name(ind.name)
            if label is None:
                continue
            zh, en = self.EXAMPLES.get(label, ("能说明衡量内容的指标名称", "a name that says what is measured"))
            yield Hit(indicator=ind, args={"label": label, "shown_name": F.shown(ind.name),
                                           "example": zh, "example_en": en})


@register
class TooFewIndicators(Rule):
    code = "KPI107"
    name = "too-few-indicators"
    severity = "info"
    summary = "一张目标表（项目的一个期间）的三级指标少于下限（默认 3 个）"
    summary_en = "A project's target block has fewer indicators than the minimum (default 3)."
    why = "指标太少难以全面反映项目的产出和效果；部分地方办法规定至少 3 个三级指标。"
    why_en = "Too few indicators cannot cover a project's outputs and effects; some local rules require 3."
    source = "rules.md CMP-007 (S11); threshold config.thresholds.min_indicators"
    messages = {
        "zh": "项目“{project}”的{period}目标只有 {count} 个三级指标（下限 {minimum} 个）",
        "en": "Project '{project}' has only {count} indicators in its {period_en} targets (minimum {minimum})",
    }
    suggestions = {
        "zh": "为项目“{project}”补充数量、质量、时效、效益和满意度等方面的三级指标，至少 {minimum} 个",
        "en": "Add indicators covering quantity, quality, timeliness, benefits and satisfaction (at least {minimum})",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "发放人数", "value": "≥63人"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "受益群众满意度", "value": "≥90%"},
    ))
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "发放人数", "value": "≥63人"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "受助家庭生活保障率", "value": "=100%"},
        {"declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "受益群众满意度", "value": "≥90%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        minimum = ctx.config.thresholds.min_indicators
        blocks = ctx.blocks()
        last = next(reversed(blocks), None) if blocks else None
        for key, inds in blocks.items():
            project, period = key
            if key == last and getattr(ctx.report, "truncated", None) is not False and len(blocks) > 1:
                continue  # the document may be cut inside its last table
            if len(inds) < minimum:
                yield Hit(project=project, indicator=inds[0], args={
                    "count": len(inds), "minimum": minimum, "period": PERIOD_ZH.get(period, period),
                    "period_en": "annual" if period == "annual" else "long-term",
                })


@register
class MissingCost(Rule):
    code = "KPI108"
    name = "missing-cost"
    severity = "info"
    summary = "按四类一级指标编报的目标表（有成本指标一级）中，某个项目没有成本指标"
    summary_en = "In a table with the four 一级 categories (a 成本 一级), a project's block has no cost indicator."
    why = ("财预〔2021〕101号的目标表有产出、效益、满意度、成本四类一级指标，绩效目标应包括成本控制要求；"
           "同一文件的其他目标表已列成本指标，这张却没有。")
    why_en = ("The 2021 template (财预〔2021〕101号) has four 一级 categories and the target includes a cost-control "
              "requirement; other tables of the same document list cost indicators, this one has none.")
    source = "rules.md CMP-003 (S1)"
    messages = {
        "zh": "项目“{project}”的{period}目标没有成本指标（本文件按四类一级指标编报）",
        "en": "Project '{project}' has no cost indicator in its {period_en} targets (the document uses the four-category layout)",
    }
    suggestions = {
        "zh": "为项目“{project}”补充成本指标，如经济成本“项目总成本≤预算金额”或单位成本上限",
        "en": "Add a cost indicator to '{project}', e.g. total cost ≤ the budget, or a unit-cost cap",
    }
    bad = Example(indicators=(
        {"project": "甲项目", "declared_level1": "成本", "declared_level2": "经济成本", "name": "项目总成本", "value": "≤30万元"},
        {"project": "甲项目", "declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥200人"},
        {"project": "乙项目", "declared_level1": "产出", "declared_level2": "数量", "name": "维修道路长度", "value": "≥5公里"},
        {"project": "乙项目", "declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "群众满意度", "value": "≥90%"},
    ))
    good = Example(indicators=(
        {"project": "甲项目", "declared_level1": "成本", "declared_level2": "经济成本", "name": "项目总成本", "value": "≤30万元"},
        {"project": "乙项目", "declared_level1": "产出", "declared_level2": "成本", "name": "道路维修成本", "value": "≤20万元"},
        {"project": "乙项目", "declared_level1": "满意度", "declared_level2": "服务对象满意度", "name": "群众满意度", "value": "≥90%"},
    ))

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        if not any(i.declared_level1 == "成本" for i in ctx.indicators):
            return  # the older three-category layout: a missing cost is not a defect there
        blocks = ctx.blocks()
        last = next(reversed(blocks), None) if blocks else None
        for key, inds in blocks.items():
            project, period = key
            if key == last and getattr(ctx.report, "truncated", None) is not False:
                continue  # the document may be cut before this table's cost rows
            if any(F.is_cost_row(i) or F.effective_l1(i) == "成本" for i in inds):
                continue
            yield Hit(project=project, indicator=inds[0], args={
                "period": PERIOD_ZH.get(period, period), "period_en": "annual" if period == "annual" else "long-term"})


@register
class GoalContradiction(Rule):
    code = "KPI109"
    name = "target-contradicts-goal"
    severity = "warning"
    judges_value = True
    summary = "指标的目标值与年度总体目标中写明的同一数量不符（总体目标写 10 个合作社，指标写 =8个）"
    summary_en = "An indicator's target contradicts the quantity the project's overall goal states for the same thing."
    why = ("年度总体目标和绩效指标是同一张表对同一件事的两次表述：总目标承诺 10 个，指标却只要求 8 个，"
           "年底按哪一个考核都说不清，审核时会被退回。")
    why_en = ("The overall goal and the indicators state the same plan twice: when the goal promises 10 and the "
              "indicator asks for 8, nobody can say which one the year is judged by.")
    source = "issue 16 (two statements of one target that disagree); ANNOTATION KPI1 (the same indicator twice with conflicting values)"
    messages = {
        "zh": "指标“{name}”的目标“{value}”与年度总体目标中的“{goal}”（{goal_number}{unit}）不符",
        "en": "The target '{value}' of '{name}' contradicts the overall goal's '{goal}' ({goal_number}{unit})",
    }
    suggestions = {
        "zh": "统一两处数量：指标按总体目标写“{fixed}”，或修改总体目标中的“{goal}”",
        "en": "Make the two agree: '{fixed}' as the goal says, or change the goal's '{goal}'",
    }
    bad = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "入股合作社个数", "value": "=8个"},
    ), project_facts={"goal_text": "10个合作社为入股贫困户返本分红，第一年按投资额20%返本。"})
    good = Example(indicators=(
        {"declared_level1": "产出", "declared_level2": "数量", "name": "入股合作社个数", "value": "=10个"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "培训人数", "value": "≥300人"},
        {"declared_level1": "产出", "declared_level2": "数量", "name": "改造卫生厕所数量", "value": "≤12个"},
    ), project_facts={"goal_text": "10个合作社为入股贫困户返本分红；完成卫生厕所改造12个。"})

    def check(self, ctx: RuleContext) -> Iterable[Hit]:
        from kpicheck.rules._reading import clean_name, view

        extra = F.extra_lexicons(ctx)
        for project in ctx.projects:
            goal = project.goal_text
            if not goal or (F.period_months(project) or 12) > 12:
                continue  # a goal over several years may add up what one year's targets split
            quantities = F.goal_quantities(goal)
            if not quantities:
                continue
            for ind in ctx.indicators:
                if ind.project != project.name or ind.period != "annual":
                    continue
                v = view(ind)
                n = v.single
                if n is None or not n.unit.parts or n.unit.magnitude or v.comparator in ("≤", "<"):
                    continue  # ≤ on a count is KPI301's; a value with no unit cannot be matched
                name = F.fold(clean_name(ind.name))
                best = None
                for number, unit, context in quantities:
                    if unit != n.unit.canonical:
                        continue
                    shared = F.shared_words(name, context, extra)
                    if len(shared) >= 2 and (best is None or len(shared) > len(best[3])):
                        best = (number, unit, context, shared)
                if best is None:
                    continue
                number, unit, context, _ = best
                lower = v.comparator in ("≥", ">")
                if abs(n.value - number) < 1e-9 or (lower and n.value > number):
                    continue  # the same quantity, or a floor above the goal (more than promised)
                goal_words = context.replace("|", f"{number:g}{unit}")
                yield Hit(indicator=ind, args={
                    "goal": goal_words, "goal_number": f"{number:g}", "unit": unit,
                    "fixed": f"{'≥' if lower else '='}{number:g}{unit}",
                })
