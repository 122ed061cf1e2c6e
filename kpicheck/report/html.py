"""`--format html`: one self-contained page a reviewer can open or mail (no external assets).

Per file and project: every indicator with its declared and inferred category, the defective
cell highlighted and the findings beside it; project-level findings above the table. Filters by
severity and rule family run in the page (a few lines of inline JavaScript).
"""
from __future__ import annotations

from html import escape
from typing import Optional

from kpicheck.models import FileReport, Finding, Indicator, Report
from kpicheck.report.common import (
    NO_PROJECT, PERIOD_LABEL, SEVERITY_RANK, RenderOptions, family_label, family_of, location, severity_label,
)
from kpicheck.report.text import summary_line

LABELS = {
    "zh": {"title": "绩效目标审核报告", "files": "文件", "severity": "级别", "family": "规则类别",
           "only": "只看有问题的指标", "shown": "显示 {n} / {total} 个问题", "period": "期间",
           "l1": "一级指标", "l2": "二级指标", "inferred": "判读分类", "name": "三级指标", "value": "指标值",
           "where": "位置", "problems": "问题", "project_level": "项目层面的问题", "fix": "建议：",
           "unreadable": "无法读取", "budget": "预算 {0:g} 万元", "empty": "（空）", "no_indicators": "未识别到指标",
           "clean": "未发现问题"},
    "en": {"title": "Performance-target review", "files": "Files", "severity": "Severity", "family": "Family",
           "only": "Only indicators with findings", "shown": "Showing {n} / {total} findings", "period": "Period",
           "l1": "Level 1", "l2": "Level 2", "inferred": "Inferred", "name": "Indicator", "value": "Target",
           "where": "Where", "problems": "Findings", "project_level": "Project-level findings", "fix": "Fix: ",
           "unreadable": "Cannot read", "budget": "budget {0:g} wan yuan", "empty": "(empty)",
           "no_indicators": "no indicators found", "clean": "no findings"},
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
    document.querySelectorAll('tr.indicator').forEach(function(r){
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


def _cell_target(finding: Finding) -> str:
    """Which cell of the indicator row a finding is about: the category or the value."""
    return "category" if family_of(finding.code) == "KPI2" else "value"


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
    ids = {ind.id for ind in f.indicators}
    for x in f.findings:
        if x.indicator_id in ids:
            by_indicator.setdefault(x.indicator_id, []).append(x)
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
        if inds:
            out.append("<table><thead><tr>" + "".join(
                f"<th>{escape(L[k])}</th>" for k in ("where", "period", "l1", "l2", "inferred", "name", "value",
                                                       "problems")) + "</tr></thead><tbody>")
            out.extend(_indicator_row(ind, by_indicator.get(ind.id, []), lang) for ind in inds)
            out.append("</tbody></table>")
        out.append("</div>")
    out.append("</section>")
    return out


def _indicator_row(ind: Indicator, findings: list[Finding], lang: str) -> str:
    L = LABELS[lang]
    worst = max((x.severity for x in findings), key=SEVERITY_RANK.__getitem__, default=None)

    def cell(text: str, target: str, extra: str = "") -> str:
        hits = [x for x in findings if _cell_target(x) == target]
        if not hits:
            return f"<td{extra}>{text}</td>"
        sev = max((x.severity for x in hits), key=SEVERITY_RANK.__getitem__)
        codes = " ".join(sorted({x.code for x in hits}))
        return f'<td class="defect sev-{sev}" data-codes="{codes}"{extra}>{text}</td>'

    declared1 = ind.declared_level1 or ind.declared_level1_raw or ""  # canonical; as printed in the tooltip
    declared2 = ind.declared_level2 or ind.declared_level2_raw or ""
    inferred = "/".join(x for x in (ind.category, ind.subcategory) if x)
    mismatch = bool(ind.category and ind.declared_level1 and ind.category != ind.declared_level1) or \
        bool(ind.subcategory and ind.declared_level2 and ind.subcategory != ind.declared_level2)
    inferred_html = f'<span class="mismatch">{escape(inferred)}</span>' if mismatch else escape(inferred)
    attrs = f' data-sev="{worst}"' if worst else ""
    return (
        f'<tr class="indicator" id="{escape(ind.id)}"{attrs}>'
        f'<td class="where">{escape(ind.pos.label() if ind.pos.label() != "-" else (str(ind.line or "")))}</td>'
        f"<td>{escape(PERIOD_LABEL[lang][ind.period])}</td>"
        + cell(escape(declared1), "category", _title(ind.declared_level1_raw))
        + cell(escape(declared2), "category", _title(ind.declared_level2_raw))
        + f"<td>{inferred_html}</td><td>{escape(ind.name)}</td>"
        + cell(escape(ind.value) if ind.value else f'<span class="empty">{escape(L["empty"])}</span>', "value")
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
