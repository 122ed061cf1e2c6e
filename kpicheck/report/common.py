"""What every output format shares: options, labels, rule metadata, finding look-ups."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from kpicheck import patterns
from kpicheck.models import FileReport, Finding, Indicator, Report

SEVERITY_LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
PERIOD_LABEL = {
    "zh": {"annual": "年度", "long_term": "长期"},
    "en": {"annual": "annual", "long_term": "long-term"},
}
NO_PROJECT = {"zh": "（未识别项目）", "en": "(no project)"}


@dataclass(frozen=True)
class RenderOptions:
    lang: str = "zh"
    statistics: bool = False  # text: counts per rule after the listing
    color: bool = False  # text: ANSI colours (only when writing to a terminal)
    quiet: bool = False  # text: findings only, no summary


def severity_label(severity: str, lang: str) -> str:
    return SEVERITY_LABEL.get(lang, SEVERITY_LABEL["zh"])[severity]


def family_of(code: str) -> str:
    return code[:4]


def family_label(code: str, lang: str) -> str:
    from kpicheck.rules.base import FAMILIES

    en, zh = FAMILIES.get(family_of(code), (family_of(code), family_of(code)))
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str
    severity: str
    summary: str
    summary_en: str
    help: str  # full documentation text (`kpicheck explain CODE`)
    why: str = ""


def rule_meta(code: str, fallback: Optional[Finding] = None, lang: str = "zh") -> RuleMeta:
    """A rule's metadata from the registry; a finding stands in for a rule no longer registered."""
    from kpicheck.rules import REGISTRY

    rule = REGISTRY.get(code)
    if rule is not None:
        why = getattr(rule, "why" if lang == "zh" else "why_en", "") or ""
        return RuleMeta(code, rule.name, rule.severity, rule.summary,
                        getattr(rule, "summary_en", rule.summary), rule.doc(lang), why)
    name = fallback.name if fallback else code
    sev = fallback.severity if fallback else "warning"
    return RuleMeta(code, name, sev, name, name, f"{code} {name}")


def iter_findings(report: Report) -> Iterator[tuple[FileReport, Finding]]:
    for f in report.files:
        for finding in f.findings:
            yield f, finding


def indicator_index(file: FileReport) -> dict[str, Indicator]:
    return {ind.id: ind for ind in file.indicators}


def location(finding: Finding) -> str:
    """`12:5`, `Sheet1!C7`, `p3 T1R4C2`; line/column from the finding when pos lacks them."""
    label = finding.pos.label()
    if label == "-" and finding.line is not None:
        return f"{finding.line}:{finding.column or 1}"
    return label


def line_col(finding: Finding) -> tuple[Optional[int], Optional[int]]:
    line = finding.line if finding.line is not None else finding.pos.line
    col = finding.column if finding.column is not None else finding.pos.column
    return line, col


def ordered_codes(report: Report) -> list[str]:
    return sorted({finding.code for _, finding in iter_findings(report)})


class ReportError(Exception):
    """A report that cannot be produced (e.g. a missing optional dependency); CLI exit 2."""


def indicator_of(file: FileReport, finding: Finding, index: Optional[dict] = None) -> Optional[Indicator]:
    if finding.indicator_id is None:
        return None
    return (index if index is not None else indicator_index(file)).get(finding.indicator_id)


# ---------------------------------------------------------------- self-evaluation fields

FUNDS_LABELS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"),
                ("rate", "执行率"), ("weight", "分值"), ("score", "得分"))
FUNDS_FIELD = patterns.compile(r"funds\[(\d+)\]\.(\w+)")


def project_field(f: FileReport, finding: Finding, lang: str = "zh") -> str:
    """What a project-level finding points at, as printed: `年度资金总额 执行率 = 102.59%`,
    `总分 = 98.62/100`; "" when it names no field."""
    project = next((p for p in f.projects if p.name == finding.project), None)
    if project is None or not finding.field:
        return ""
    m = FUNDS_FIELD.fullmatch(finding.field)
    if m and project.funds and int(m.group(1)) < len(project.funds.rows):
        row = project.funds.rows[int(m.group(1))]
        label = dict(FUNDS_LABELS).get(m.group(2), m.group(2)) if lang == "zh" else m.group(2)
        return f"{row.label} {label} = {getattr(row, m.group(2), None) or '-'}"
    if finding.field in ("total_score", "total_weight"):
        return f"{'总分' if lang == 'zh' else 'total'} = {project.total_score or '-'}/{project.total_weight or '-'}"
    return ""
