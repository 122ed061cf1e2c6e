"""`--format text`: what a reviewer reads in a terminal, grouped by file and project.

Columns are padded by display width (a CJK character is two cells wide), messages sit on their
own lines under the finding so long Chinese text never breaks the alignment, and colours are
used only when the output is a terminal (`RenderOptions.color`).
"""
from __future__ import annotations

import io
from collections import Counter
from typing import Mapping, Optional, Union

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from kpicheck.models import FileReport, Finding, Report, Summary
from kpicheck.report.common import (
    FUNDS_LABELS, NO_PROJECT, RenderOptions, location, project_field, rule_meta, severity_label,
)

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WORDS = {
    "zh": {"fix": "建议：", "unreadable": "无法读取", "budget": "预算 {0:g} 万元", "empty": "（空）",
           "stats": "规则统计：", "score": "得分"},
    "en": {"fix": "fix: ", "unreadable": "cannot read", "budget": "budget {0:g} wan yuan",
           "empty": "(empty)", "stats": "Statistics:", "score": "score"},
}


def pad(text: str, width: int) -> str:
    """Left-justify by display width."""
    return text + " " * max(0, width - cell_len(text))


def _console(color: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, width=100_000, soft_wrap=True,
                   highlight=False, emoji=False, markup=False, legacy_windows=False)


def render(report: Report, opts: Union[RenderOptions, str, None] = None) -> str:
    if isinstance(opts, str):  # older call style: render(report, "en")
        opts = RenderOptions(lang=opts)
    opts = opts or RenderOptions()
    blocks = [b for b in (file_block(f, opts) for f in report.files) if b]
    samples = {x.code: x for f in report.files for x in f.findings}
    return "\n".join(blocks) + tail(report.summary, samples, opts, bool(blocks))


def file_block(f: FileReport, opts: RenderOptions) -> str:
    """One file's findings (or its read error); "" for a file without either. Blocks are
    joined by a blank line and followed by `tail` (the CLI streams them per file)."""
    if not f.error and not f.findings:
        return ""
    console = _console(opts.color)
    _file_block(console, f, opts.lang if opts.lang in WORDS else "zh")
    return console.file.getvalue()  # type: ignore[attr-defined]


def tail(summary: Summary, samples: Mapping[str, Finding], opts: RenderOptions, after_blocks: bool) -> str:
    """Statistics (`samples`: one finding of each code, the last seen) and the summary line."""
    lang = opts.lang if opts.lang in WORDS else "zh"
    console = _console(opts.color)
    if opts.statistics and summary.findings:
        console.print()
        _statistics(console, summary, samples, lang)
    if not opts.quiet:
        if after_blocks or (opts.statistics and summary.findings):
            console.print()
        console.print(summary_text(summary, lang), style="bold")
    return console.file.getvalue()  # type: ignore[attr-defined]


def _file_block(console: Console, f: FileReport, lang: str) -> None:
    words = WORDS[lang]
    console.print(Text(f.path, style="bold underline"))
    if f.error:
        console.print(Text.assemble("  ", (f"{words['unreadable']}: {f.error.code}", "bold red"),
                                    f"  {f.error.message}"))
        return
    groups: dict[Optional[str], list[Finding]] = {}
    for finding in f.findings:
        groups.setdefault(finding.project, []).append(finding)
    budgets = {p.name: p.budget_wan for p in f.projects}
    loc_width = max(cell_len(location(x)) for x in f.findings)
    code_width = max(len(x.code) for x in f.findings)
    sev_width = max(cell_len(severity_label(s, lang)) for s in ("error", "warning", "info"))
    show_headers = len(groups) > 1 or next(iter(groups)) is not None
    for project, findings in groups.items():
        indent = "  "
        if show_headers:
            head = Text("  " + (project or NO_PROJECT[lang]), style="bold")
            if budgets.get(project) is not None:
                head.append(f"（{words['budget'].format(budgets[project])}）" if lang == "zh"
                            else f" ({words['budget'].format(budgets[project])})", style="dim")
            console.print(head)
            indent = "    "
        for finding in findings:
            _finding_lines(console, finding, lang, indent, loc_width, code_width, sev_width,
                           project_field(f, finding, lang))


def _finding_lines(console: Console, finding: Finding, lang: str, indent: str,
                   loc_width: int, code_width: int, sev_width: int, about: str = "") -> None:
    words = WORDS[lang]
    sev = finding.severity
    head = Text(indent)
    head.append(pad(location(finding), loc_width), style="dim")
    head.append("  ")
    head.append(finding.code.ljust(code_width), style=SEVERITY_STYLE[sev])
    head.append("  ")
    head.append(pad(severity_label(sev, lang), sev_width), style=SEVERITY_STYLE[sev])
    head.append("  ")
    ind = finding.indicator or {}
    if ind.get("name") or ind.get("value"):
        head.append(ind.get("name") or "", style="bold")
        head.append(" = ")
        head.append(ind.get("value") or words["empty"], style="magenta")
        head.append(selfeval_text(ind, words["score"]))
    elif about:  # a funds row's cell or the total row of a self-evaluation
        head.append(about, style="bold")
    else:
        head.append(finding.name, style="dim")
    console.print(head)
    gutter = " " * (cell_len(indent) + loc_width + code_width + sev_width + 6)
    console.print(Text(gutter + finding.message))
    if finding.suggestion:
        console.print(Text.assemble(gutter, (words["fix"] + finding.suggestion, "green")))


def selfeval_text(ind: Mapping[str, Optional[str]], score_word: str = "得分") -> str:
    """A self-evaluation row after its target: ` → 4604人  得分 5/5` (empty for a target row)."""
    out = ""
    if ind.get("actual") is not None:
        out += f" → {ind.get('actual') or '-'}"
    if ind.get("score") is not None or ind.get("weight") is not None:
        out += f"  {score_word} {ind.get('score') or '-'}/{ind.get('weight') or '-'}"
    return out


def _statistics(console: Console, summary: Summary, sample: Mapping[str, Finding], lang: str) -> None:
    counts: Counter[str] = Counter(summary.by_code)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    num_w = max(len(str(n)) for _, n in rows)
    metas = {code: rule_meta(code, sample.get(code), lang) for code, _ in rows}
    name_w = max(len(m.name) for m in metas.values())
    sev_w = max(cell_len(severity_label(s, lang)) for s in ("error", "warning", "info"))
    console.print(Text(WORDS[lang]["stats"], style="bold"))
    for code, n in rows:
        meta = metas[code]
        sev = sample[code].severity if code in sample else meta.severity
        line = Text("  " + str(n).rjust(num_w) + "  ")
        line.append(code, style=SEVERITY_STYLE.get(sev, ""))
        line.append("  " + meta.name.ljust(name_w) + "  ")
        line.append(pad(severity_label(sev, lang), sev_w), style=SEVERITY_STYLE.get(sev, ""))
        summary = meta.summary if lang == "zh" else meta.summary_en
        if summary and summary != meta.name:
            line.append("  " + summary, style="dim")
        console.print(line)


def summary_line(report: Report, lang: str = "zh") -> str:
    return summary_text(report.summary, lang)


def summary_text(s: Summary, lang: str = "zh") -> str:
    sev = s.by_severity
    e, w, i = sev.get("error", 0), sev.get("warning", 0), sev.get("info", 0)
    if lang == "zh":
        line = f"共检查 {s.files} 个文件、{s.projects} 个项目、{s.indicators} 条指标；"
        line += f"发现 {s.findings} 个问题（{e} 个错误、{w} 个警告、{i} 个提示）。" if s.findings else "未发现问题。"
        if s.files_with_errors:
            line += f"{s.files_with_errors} 个文件无法读取。"
    else:
        line = f"Checked {s.files} files, {s.projects} projects, {s.indicators} indicators: "
        line += f"{s.findings} findings ({e} errors, {w} warnings, {i} infos)." if s.findings else "no findings."
        if s.files_with_errors:
            line += f" {s.files_with_errors} files could not be read."
    return line


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
            for row in p.funds.rows if p.funds else []:  # a self-evaluation's funds block, as printed
                figures = "  ".join(f"{label} {getattr(row, key)}" for key, label in FUNDS_LABELS
                                    if getattr(row, key) is not None)
                out.append(f"    资金{'（' + p.funds.unit + '）' if p.funds.unit else ''} {row.label}  {figures}")
            if p.total_score is not None or p.total_weight is not None:
                out.append(f"    总分 {p.total_score or '-'}/{p.total_weight or '-'}")
        rows = []
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
            results = selfeval_text({"actual": ind.actual, "score": ind.score, "weight": ind.weight})
            rows.append((ind.pos.label(), ind.id, ind.period, declared, inferred,
                         f"{ind.name} = {ind.value or '(空)'}{results}  [{parsed}]{'  ' + cues if cues else ''}"))
        if rows:
            widths = [max(cell_len(r[k]) for r in rows) for k in range(5)]
            for r in rows:
                out.append("  " + "  ".join(pad(r[k], widths[k]) for k in range(5)) + "  " + r[5])
    return "\n".join(out) + "\n"
