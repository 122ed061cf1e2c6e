"""`--format html`: one self-contained page a reviewer can open or mail (no external assets).

Per file and project: every indicator with its declared and inferred category, the defective
cell highlighted and the findings beside it; project-level findings above the table. Filters by
severity and rule family run in the page (a few lines of inline JavaScript).
"""
from __future__ import annotations

import re
from html import escape
from typing import Optional

from kpicheck.models import FileReport, Finding, Indicator, Project, Report
from kpicheck.report.common import (
    FUNDS_FIELD, NO_PROJECT, PERIOD_LABEL, SEVERITY_RANK, RenderOptions, family_label, family_of, location,
    severity_label,
)
from kpicheck.report.text import summary_line

LABELS = {
    "zh": {"title": "绩效目标审核报告", "files": "文件", "severity": "级别", "family": "规则类别",
           "only": "只看有问题的指标", "shown": "显示 {n} / {total} 个问题", "period": "期间",
           "l1": "一级指标", "l2": "二级指标", "inferred": "判读分类", "name": "三级指标", "value": "指标值",
           "where": "位置", "problems": "问题", "project_level": "项目层面的问题", "fix": "建议：",
           "unreadable": "无法读取", "budget": "预算 {0:g} 万元", "empty": "（空）", "no_indicators": "未识别到指标",
           "clean": "未发现问题", "actual": "实际完成值", "score": "得分", "weight": "分值",
           "reason": "偏差原因", "funds": "资金", "initial": "年初预算数", "adjusted": "全年预算数",
           "executed": "全年执行数", "rate": "执行率", "total": "总分", "funds_unit": "资金（{0}）"},
    "en": {"title": "Performance-target review", "files": "Files", "severity": "Severity", "family": "Family",
           "only": "Only indicators with findings", "shown": "Showing {n} / {total} findings", "period": "Period",
           "l1": "Level 1", "l2": "Level 2", "inferred": "Inferred", "name": "Indicator", "value": "Target",
           "where": "Where", "problems": "Findings", "project_level": "Project-level findings", "fix": "Fix: ",
           "unreadable": "Cannot read", "budget": "budget {0:g} wan yuan", "empty": "(empty)",
           "no_indicators": "no indicators found", "clean": "no findings", "actual": "Actual",
           "score": "Score", "weight": "Weight", "reason": "Deviation reason", "funds": "Funds",
           "initial": "Initial budget", "adjusted": "Full-year budget", "executed": "Spent", "rate": "Rate",
           "total": "Total", "funds_unit": "Funds ({0})"},
}

CSS = """
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:2em}
h3{font-size:1em;margin:1.2em 0 .4em}.budget{color:#666;font-weight:normal}
.summary{background:#f5f5f5;padding:.6em 1em;border-radius:4px}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd;z-index:1}
.filters fieldset{display:inline-block;border:1px solid #ddd;margin-right:1em;padding:.2em .6em}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ddd;padding:.25em .45em;vertical-align:top;text-align:left}
th{background:#eee}td.where{color:#777;white-space:nowrap}
td.defect.sev-error{background:#f8cbad;outline:2px solid #c00}
td.defect.sev-warning{background:#ffe699;outline:2px solid #c90}
td.defect.sev-info{background:#ddebf7}
.mismatch{color:#a0522d;font-weight:bold}
.finding{margin:.1em 0 .3em;padding-left:.4em;border-left:3px solid #999}
.finding.sev-error{border-color:#c00}.finding.sev-warning{border-color:#c90}.finding.sev-info{border-color:#36c}
.code{font-family:monospace;font-weight:bold}.sev{font-size:.85em;padding:0 .3em;border-radius:3px;color:#fff}
.sev.sev-error{background:#c00}.sev.sev-warning{background:#b8860b}.sev.sev-info{background:#369}
.fix{color:#2e7d32}.error{color:#c00;font-weight:bold}.hidden{display:none}
"""

JS = """
(function(){
  var boxes=document.querySelectorAll('.filters input');
  function apply(){
    var sev={},fam={},only=document.getElementById('only-defects').checked;
    document.querySelectorAll('input[data-sev]').forEach(function(b){sev[b.dataset.sev]=b.checked;});
    document.querySelectorAll('input[data-fam]').forEach(function(b){fam[b.dataset.fam]=b.checked;});
    var n=0;
    document.querySelectorAll('.finding').forEach(function(f){
      var on=sev[f.dataset.sev]!==false&&fam[f.dataset.fam]!==false;
      f.classList.toggle('hidden',!on);if(on)n++;});
    document.querySelectorAll('tr.indicator, tr.funds-row, tr.total-row').forEach(function(r){
      var any=r.querySelectorAll('.finding:not(.hidden)').length>0;
      r.classList.toggle('hidden',only&&!any);
      r.querySelectorAll('td.defect').forEach(function(c){
        var codes=(c.dataset.codes||'').split(' '),lit=false;
        r.querySelectorAll('.finding:not(.hidden)').forEach(function(f){if(codes.indexOf(f.dataset.code)>=0)lit=true;});
        c.classList.toggle('defect-off',!lit);});});
    var el=document.getElementById('shown-count');
    el.textContent=el.dataset.template.replace('{n}',n).replace('{total}',el.dataset.total);
    el.dataset.shown=n;document.body.dataset.ready='1';
  }
  // a link may preselect filters: report.html#sev=error,warning&fam=KPI3&only
  var want={};(location.hash||'').slice(1).split('&').forEach(function(kv){
    var p=kv.split('=');if(p[0])want[p[0]]=(p[1]||'').split(',');});
  if(want.sev)document.querySelectorAll('input[data-sev]').forEach(function(b){b.checked=want.sev.indexOf(b.dataset.sev)>=0;});
  if(want.fam)document.querySelectorAll('input[data-fam]').forEach(function(b){b.checked=want.fam.indexOf(b.dataset.fam)>=0;});
  if(want.only)document.getElementById('only-defects').checked=true;
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  apply();
})();
"""
CSS += "td.defect.defect-off{background:none;outline:none}\n"
CSS += "table.funds{margin-bottom:.8em;width:auto}tr.total-row td{background:#fafafa}\n"


# Finding.field → the cell of an indicator row that shows it (a self-evaluation row has more).
_FIELD_CELL = {"actual": "actual", "score": "score", "weight": "weight", "deviation_reason": "reason",
               "level1": "level1", "value": "value", "name": "value"}
# The columns of a self-evaluation row after the target, and of a funds row.
SELFEVAL_COLUMNS = ("actual", "score", "weight", "reason")
FUNDS_COLUMNS = ("initial", "adjusted", "executed", "rate", "weight", "score")


def _cell_target(finding: Finding) -> str:
    """Which cell of the indicator row a finding is about: the one its `field` names, else the
    category (KPI2) or the value."""
    if finding.field in _FIELD_CELL:
        return _FIELD_CELL[finding.field]
    return "category" if family_of(finding.code) == "KPI2" else "value"


def is_self_evaluation(inds: list[Indicator]) -> bool:
    """Rows that report results: an actual, a weight or a score was read."""
    return any(i.actual is not None or i.weight is not None or i.score is not None for i in inds)


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    opts = opts or RenderOptions()
    lang = opts.lang if opts.lang in LABELS else "zh"
    L = LABELS[lang]
    total = report.summary.findings
    sev_present = [s for s in ("error", "warning", "info")]
    fams = sorted({family_of(x.code) for f in report.files for x in f.findings})
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(L['title'])}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(L['title'])}</h1>",
        f'<p class="summary" id="summary">{escape(summary_line(report, lang))}</p>',
        '<div class="filters">',
        f"<fieldset><legend>{L['severity']}</legend>",
    ]
    for sev in sev_present:
        n = report.summary.by_severity.get(sev, 0)
        out.append(f'<label><input type="checkbox" checked data-sev="{sev}"> '
                   f'<span class="sev sev-{sev}">{escape(severity_label(sev, lang))}</span> {n}</label> ')
    out.append(f"</fieldset><fieldset><legend>{L['family']}</legend>")
    for fam in fams:
        out.append(f'<label><input type="checkbox" checked data-fam="{fam}"> {fam} '
                   f'{escape(family_label(fam, lang))}</label> ')
    out.append(f'</fieldset><label><input type="checkbox" id="only-defects"> {escape(L["only"])}</label> ')
    out.append(f'<strong id="shown-count" data-total="{total}" data-template="{escape(L["shown"])}">'
               f'{escape(L["shown"].format(n=total, total=total))}</strong></div>')
    for f in report.files:
        out.extend(_file_section(f, lang))
    out.append(f"<script>{JS}</script></body></html>")
    return "\n".join(out) + "\n"


def _file_section(f: FileReport, lang: str) -> list[str]:
    L = LABELS[lang]
    out = [f'<section class="file"><h2>{escape(f.path)}</h2>']
    if f.error:
        out.append(f'<p class="error">{escape(L["unreadable"])}: {escape(f.error.code)} — '
                   f"{escape(f.error.message)}</p></section>")
        return out
    if not f.indicators and not f.findings:
        out.append(f"<p>{escape(L['no_indicators'])}</p></section>")
        return out
    by_indicator: dict[str, list[Finding]] = {}
    loose: dict[Optional[str], list[Finding]] = {}
    on_funds: dict[tuple[Optional[str], int], list[Finding]] = {}  # (project, funds row)
    on_total: dict[Optional[str], list[Finding]] = {}
    ids = {ind.id for ind in f.indicators}
    projects = {p.name: p for p in f.projects}
    with_total_row = {p.name for p in f.projects  # a 总分 row under the indicator rows
                      if _has_total(p) and is_self_evaluation([i for i in f.indicators if i.project == p.name])}
    for x in f.findings:
        project = projects.get(x.project)
        funds_row = FUNDS_FIELD.match(x.field or "")
        if x.indicator_id in ids:
            by_indicator.setdefault(x.indicator_id, []).append(x)
        elif funds_row and project and project.funds and int(funds_row.group(1)) < len(project.funds.rows):
            on_funds.setdefault((x.project, int(funds_row.group(1))), []).append(x)
        elif x.field in ("total_score", "total_weight") and x.project in with_total_row:
            on_total.setdefault(x.project, []).append(x)
        else:
            loose.setdefault(x.project, []).append(x)
    order: list[Optional[str]] = [p.name for p in f.projects]
    for ind in f.indicators:
        if ind.project not in order:
            order.append(ind.project)
    for project in loose:
        if project not in order:
            order.append(project)
    budgets = {p.name: p.budget_wan for p in f.projects}
    for project in order:
        inds = [i for i in f.indicators if i.project == project]
        if not inds and project not in loose:
            continue
        title = escape(project or NO_PROJECT[lang])
        if budgets.get(project) is not None:
            title += f' <span class="budget">（{escape(L["budget"].format(budgets[project]))}）</span>'
        out.append(f'<div class="project"><h3>{title}</h3>')
        if loose.get(project):
            out.append(f'<div class="project-findings"><strong>{escape(L["project_level"])}</strong>')
            out.extend(_finding_html(x, lang) for x in loose[project])
            out.append("</div>")
        facts = projects.get(project)
        if facts is not None and facts.funds and facts.funds.rows:
            out.extend(_funds_table(facts, on_funds, lang))
        selfeval = is_self_evaluation(inds)
        if inds:
            keys = ("where", "period", "l1", "l2", "inferred", "name", "value",
                    *(SELFEVAL_COLUMNS if selfeval else ()), "problems")
            out.append("<table><thead><tr>" + "".join(f"<th>{escape(L[k])}</th>" for k in keys)
                       + "</tr></thead><tbody>")
            out.extend(_indicator_row(ind, by_indicator.get(ind.id, []), lang, selfeval) for ind in inds)
            if facts is not None and project in with_total_row:
                out.append(_total_row(facts, on_total.get(project, []), lang))
            out.append("</tbody></table>")
        out.append("</div>")
    out.append("</section>")
    return out


def _cell(findings: list[Finding], target: str, text: str, extra: str = "", key=None,
          also: tuple[str, ...] = ()) -> str:
    """A table cell, highlighted when a finding points at it (`key(finding)` names its cell:
    `target`, or one of `also`)."""
    hits = [x for x in findings if (key or _cell_target)(x) in (target, *also)]
    if not hits:
        return f"<td{extra}>{text}</td>"
    sev = max((x.severity for x in hits), key=SEVERITY_RANK.__getitem__)
    codes = " ".join(sorted({x.code for x in hits}))
    return f'<td class="defect sev-{sev}" data-codes="{codes}"{extra}>{text}</td>'


def _worst(findings: list[Finding]) -> str:
    worst = max((x.severity for x in findings), key=SEVERITY_RANK.__getitem__, default=None)
    return f' data-sev="{worst}"' if worst else ""


def _has_total(project: Project) -> bool:
    return project.total_weight is not None or project.total_score is not None


def _printed(text: Optional[str]) -> str:
    return escape(text) if text else ""


def _funds_table(project: Project, on_funds: dict, lang: str) -> list[str]:
    """The funds block of a self-evaluation: one row per printed row, the cells a KPI8 rule
    points at highlighted, and that row's findings beside it."""
    L = LABELS[lang]
    funds = project.funds
    assert funds is not None
    title = L["funds_unit"].format(funds.unit) if funds.unit else L["funds"]
    out = ['<table class="funds"><thead><tr>' + f"<th>{escape(title)}</th>"
           + "".join(f"<th>{escape(L[k])}</th>" for k in FUNDS_COLUMNS)
           + f"<th>{escape(L['problems'])}</th></tr></thead><tbody>"]
    for i, row in enumerate(funds.rows):
        findings = on_funds.get((project.name, i), [])

        def column(x: Finding) -> str:
            return (x.field or "").rsplit(".", 1)[-1]

        out.append(f'<tr class="funds-row" id="{escape(_slug(project.name))}-F{i}"{_worst(findings)}>'
                   f"<td>{escape(row.label)}</td>"
                   + "".join(_cell(findings, k, _printed(getattr(row, k)), key=column) for k in FUNDS_COLUMNS)
                   + "<td>" + "".join(_finding_html(x, lang) for x in findings) + "</td></tr>")
    out.append("</tbody></table>")
    return out


def _slug(name: Optional[str]) -> str:
    return re.sub(r"\s+", "-", name or "project")


def _total_row(project: Project, findings: list[Finding], lang: str) -> str:
    """The printed total (总分) under the indicator rows: score and weight in their columns."""
    L = LABELS[lang]

    def column(x: Finding) -> str:
        return {"total_score": "score", "total_weight": "weight"}.get(x.field or "", "")

    return (f'<tr class="total-row" id="{escape(_slug(project.name))}-total"{_worst(findings)}>'
            f'<td colspan="7"><strong>{escape(L["total"])}</strong></td><td></td>'
            + _cell(findings, "score", _printed(project.total_score), key=column)
            + _cell(findings, "weight", _printed(project.total_weight), key=column)
            + "<td></td><td>" + "".join(_finding_html(x, lang) for x in findings) + "</td></tr>")


def _indicator_row(ind: Indicator, findings: list[Finding], lang: str, selfeval: bool = False) -> str:
    L = LABELS[lang]

    def cell(text: str, target: str, extra: str = "", also: tuple[str, ...] = ()) -> str:
        return _cell(findings, target, text, extra, also=also)

    declared1 = ind.declared_level1 or ind.declared_level1_raw or ""  # canonical; as printed in the tooltip
    declared2 = ind.declared_level2 or ind.declared_level2_raw or ""
    inferred = "/".join(x for x in (ind.category, ind.subcategory) if x)
    mismatch = bool(ind.category and ind.declared_level1 and ind.category != ind.declared_level1) or \
        bool(ind.subcategory and ind.declared_level2 and ind.subcategory != ind.declared_level2)
    inferred_html = f'<span class="mismatch">{escape(inferred)}</span>' if mismatch else escape(inferred)
    results = ""
    if selfeval:  # target → actual, score / weight, and the reason a shortfall was given
        results = (cell(_printed(ind.actual), "actual") + cell(_printed(ind.score), "score")
                   + cell(_printed(ind.weight), "weight") + cell(_printed(ind.deviation_reason), "reason"))
    return (
        f'<tr class="indicator" id="{escape(ind.id)}"{_worst(findings)}>'
        f'<td class="where">{escape(ind.pos.label() if ind.pos.label() != "-" else (str(ind.line or "")))}</td>'
        f"<td>{escape(PERIOD_LABEL[lang][ind.period])}</td>"
        + cell(escape(declared1), "category", _title(ind.declared_level1_raw), also=("level1",))
        + cell(escape(declared2), "category", _title(ind.declared_level2_raw))
        + f"<td>{inferred_html}</td><td>{escape(ind.name)}</td>"
        + cell(escape(ind.value) if ind.value else f'<span class="empty">{escape(L["empty"])}</span>', "value")
        + results
        + "<td>" + "".join(_finding_html(x, lang) for x in findings) + "</td></tr>"
    )


def _title(text: Optional[str]) -> str:
    return f' title="{escape(text)}"' if text else ""


def _finding_html(x: Finding, lang: str) -> str:
    L = LABELS[lang]
    fix = f'<div class="fix">{escape(L["fix"] + x.suggestion)}</div>' if x.suggestion else ""
    return (f'<div class="finding sev-{x.severity}" data-sev="{x.severity}" data-fam="{family_of(x.code)}" '
            f'data-code="{x.code}" title="{escape(x.name)} @ {escape(location(x))}">'
            f'<span class="code">{x.code}</span> <span class="sev sev-{x.severity}">'
            f"{escape(severity_label(x.severity, lang))}</span> {escape(x.message)}{fix}</div>")
