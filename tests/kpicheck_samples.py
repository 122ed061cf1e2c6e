"""A small realistic report built straight from the models, so report tests do not depend on
how far segmentation and the rules have come. Values are real strings from budget tables."""
from __future__ import annotations

from kpicheck.models import FileError, FileReport, Finding, Indicator, Position, Project
from kpicheck.report import build_report

DOC = "docs/2023年单位预算.txt"


def _ind(i: int, name: str, value: str, l1: str, l2: str, cat: str, sub: str, line: int) -> Indicator:
    return Indicator(id=f"I{i:04d}", project="社会保障卡运维项目", name=name, value=value,
                     declared_level1=l1, declared_level2=l2, category=cat, subcategory=sub,
                     line=line, column=1, pos=Position(line=line, column=1))


INDICATORS = [
    _ind(1, "社保卡发放数量", "≥12万张", "产出", "数量", "产出", "数量", 40),
    _ind(2, "服务对象满意度", "≤90%", "满意度", "服务对象满意度", "满意度", "服务对象满意度", 41),
    _ind(3, "群众办事满意率", "≥95%", "效益", "社会效益", "满意度", "服务对象满意度", 42),
    _ind(4, "项目完成时间", "2023年13月31日前", "产出", "时效", "产出", "时效", 43),
    _ind(5, "系统运行效果", "有效提升", "效益", "社会效益", "效益", "社会效益", 44),
]


def _finding(code: str, name: str, severity: str, ind: Indicator, message: str, suggestion: str) -> Finding:
    return Finding(code=code, name=name, severity=severity, message=message, suggestion=suggestion,
                   indicator_id=ind.id, indicator={"name": ind.name, "value": ind.value},
                   project=ind.project, line=ind.line, column=ind.column, pos=ind.pos)


FINDINGS = [
    _finding("KPI301", "inverted-comparator", "error", INDICATORS[1],
             "“服务对象满意度”越高越好，目标值却用了“≤”", "改为“≥90%”"),
    _finding("KPI201", "satisfaction-misfiled", "warning", INDICATORS[2],
             "满意度指标填在了“效益/社会效益”下", "移到“满意度/服务对象满意度”"),
    _finding("KPI401", "invalid-date", "error", INDICATORS[3],
             "日期“2023年13月31日”不存在（月份超出 1–12）", "核对日期，如“2023年12月31日前”"),
    _finding("KPI701", "vague-target", "warning", INDICATORS[4],
             "目标值“有效提升”无法衡量", "给出可量化的目标，如“≥10%”"),
]


def sample_files() -> list[FileReport]:
    project = Project(name="社会保障卡运维项目", budget_wan=57.2, pos=Position(line=38, column=1))
    good = FileReport(path=DOC, budget_year=2023, projects=[project],
                      indicators=[x.model_copy() for x in INDICATORS],
                      findings=[x.model_copy() for x in FINDINGS])
    clean = FileReport(path="docs/clean.txt", budget_year=2023)
    broken = FileReport(path="docs/broken.pdf", error=FileError(code="unreadable", message="无法读取文件"))
    return [good, clean, broken]


def sample_report():
    return build_report(sample_files())


def findings_only_report():
    """Like the sample, without the unreadable file."""
    return build_report(sample_files()[:2])


# ---------------------------------------------------------------- CLI tests without segmentation
# The CLI tests must not depend on how far segmentation has come, so they swap the pipeline's
# reading step for a tiny "项目|一级|二级|三级指标|指标值" line format, and register two small
# rules for the duration of a test; config, rule selection, baselines and reports are all real.

from kpicheck.rules.base import Example, Hit, Rule  # noqa: E402


class InvertedSatisfaction(Rule):
    code = "KPI398"
    name = "test-inverted-satisfaction"
    severity = "error"
    summary = "满意度目标用了“≤”"
    summary_en = "satisfaction target with ≤"
    why = "满意度越高越好。"
    why_en = "More satisfaction is better."
    messages = {"zh": "“{name}”越高越好，目标值却用了“≤”", "en": "'{name}': more is better, yet ≤"}
    suggestions = {"zh": "改为“≥”"}
    bad = Example(indicators=({"name": "服务对象满意度", "value": "≤90%"},))
    good = Example(indicators=({"name": "服务对象满意度", "value": "≥90%"},))

    def check(self, ctx):
        for ind in ctx.indicators:
            if "满意" in ind.name and ind.value.startswith("≤"):
                yield Hit(indicator=ind)


class VagueTarget(Rule):
    code = "KPI798"
    name = "test-vague-target"
    severity = "warning"
    summary = "目标值无法衡量"
    summary_en = "target cannot be measured"
    why = "含糊的目标无法考核。"
    why_en = "Vague targets cannot be assessed."
    messages = {"zh": "目标值“{value}”无法衡量", "en": "target '{value}' cannot be measured"}
    bad = Example(indicators=({"name": "运行效果", "value": "有效提升"},))
    good = Example(indicators=({"name": "运行效果", "value": "≥10%"},))

    def check(self, ctx):
        for ind in ctx.indicators:
            if ind.value in ("有效提升", "明显改善"):
                yield Hit(indicator=ind)


FAKE_RULES = (InvertedSatisfaction(), VagueTarget())
TEST_SELECT = ["--select", "KPI398,KPI798"]


def fake_process_path(path, config, *, rules=True, display_path=None):
    """Read the line format above and lint it with the real rule engine."""
    from pathlib import Path

    from kpicheck.pipeline import lint

    shown = display_path or str(path)
    p = Path(path)
    if not p.exists():
        return FileReport(path=shown, error=FileError(code="not-found", message=f"文件不存在: {shown}"))
    inds, projects = [], []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split("|")
        if len(parts) != 5:
            continue
        project, l1, l2, name, value = parts
        if project not in [x.name for x in projects]:
            projects.append(Project(name=project))
        inds.append(Indicator(id=f"I{len(inds) + 1:04d}", project=project, declared_level1=l1 or None,
                              declared_level2=l2 or None, name=name, value=value, line=n, column=1,
                              pos=Position(line=n, column=1)))
    report = FileReport(path=shown, projects=projects, indicators=inds)
    return lint(report, config) if rules else report


def install_fakes(monkeypatch):
    from kpicheck import cli
    from kpicheck.rules import REGISTRY

    for rule in FAKE_RULES:
        monkeypatch.setitem(REGISTRY, rule.code, rule)
    monkeypatch.setattr(cli, "process_path", fake_process_path)


DOC_WITH_ERROR = """社保卡项目|产出|数量|社保卡发放数量|≥12万张
社保卡项目|满意度|服务对象满意度|服务对象满意度|≤90%
社保卡项目|效益|社会效益|系统运行效果|有效提升
"""
DOC_WITH_WARNING = """档案项目|效益|社会效益|档案利用效果|明显改善
"""
DOC_CLEAN = """档案项目|产出|数量|档案数字化数量|≥3000卷
"""
