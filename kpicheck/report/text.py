"""`--format text`: what a reviewer reads in a terminal, grouped by file and project."""
from __future__ import annotations

from kpicheck.models import Report

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def render(report: Report, lang: str = "zh") -> str:
    out: list[str] = []
    for f in report.files:
        if f.error:
            out.append(f"{f.path}: {f.error.code}: {f.error.message}")
            continue
        current = object()
        for finding in f.findings:
            if finding.project != current:
                current = finding.project
                out.append(f"{f.path} — {finding.project or '(未识别项目)'}")
            where = finding.pos.label()
            sev = SEVERITY_ZH[finding.severity] if lang == "zh" else finding.severity
            ind = finding.indicator or {}
            head = f"  {where:>8}  {finding.code} [{sev}] "
            if ind:
                head += f"{ind.get('name', '')} = {ind.get('value', '') or '(空)'}: "
            out.append(head + finding.message)
            if finding.suggestion:
                out.append(f"            {'建议' if lang == 'zh' else 'fix'}: {finding.suggestion}")
    s = report.summary
    sev = s.by_severity
    if lang == "zh":
        out.append(f"共检查 {s.files} 个文件、{s.projects} 个项目、{s.indicators} 条指标；"
                   f"发现 {sev.get('error', 0)} 个错误、{sev.get('warning', 0)} 个警告、{sev.get('info', 0)} 个提示。")
    else:
        out.append(f"Checked {s.files} files, {s.projects} projects, {s.indicators} indicators: "
                   f"{sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings, {sev.get('info', 0)} infos.")
    return "\n".join(out) + "\n"


def render_indicators(report: Report) -> str:
    """`kpicheck extract`: the indicators as a readable table."""
    out: list[str] = []
    for f in report.files:
        if f.error:
            out.append(f"{f.path}: {f.error.code}: {f.error.message}")
            continue
        out.append(f"{f.path}  (预算年度 {f.budget_year or '?'})")
        for p in f.projects:
            budget = f"{p.budget_wan:g}万元" if p.budget_wan is not None else "预算未知"
            out.append(f"  项目 {p.name}  {budget}")
        for ind in f.indicators:
            declared = "/".join(x for x in (ind.declared_level1, ind.declared_level2) if x) or "-"
            inferred = "/".join(x for x in (ind.category, ind.subcategory) if x) or "-"
            pv = ind.parsed
            parsed = ""
            if pv is not None:
                bits = [pv.kind]
                if pv.comparator:
                    bits.append(pv.comparator)
                if pv.number is not None:
                    bits.append(f"{pv.number:g}")
                if pv.unit_canonical or pv.unit:
                    bits.append(pv.unit_canonical or pv.unit)
                parsed = " ".join(bits)
            cues = ",".join(ind.category_cues[:3])
            out.append(
                f"  {ind.pos.label():>8} {ind.id} {ind.period:9} {declared:12} → {inferred:12} "
                f"{ind.name} = {ind.value or '(空)'}  [{parsed}]{'  ' + cues if cues else ''}"
            )
    return "\n".join(out) + "\n"
