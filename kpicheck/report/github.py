"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

`::error file=F,line=L,col=C,title=T::message`; see "Workflow commands for GitHub Actions".
"""
from __future__ import annotations

from typing import Optional

from kpicheck.models import FileReport, Report
from kpicheck.report.common import RenderOptions, line_col

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    opts = opts or RenderOptions()
    return "".join(file_annotations(f, opts.lang) for f in report.files)


def file_annotations(f: FileReport, lang: str = "zh") -> str:
    """One file's annotations (streamed per file by the CLI for batches)."""
    fix = "建议：" if lang == "zh" else "Fix: "
    out = []
    if f.error:
        out.append(f"::error file={_prop(f.path)},title={_prop('kpicheck ' + f.error.code)}::"
                   f"{_data(f.error.message)}")
    for x in f.findings:
        props = [f"file={_prop(f.path)}"]
        line, col = line_col(x)
        if line is not None:
            props.append(f"line={line}")
            props.append(f"col={max(col or 1, 1)}")
        props.append(f"title={_prop(f'{x.code} {x.name}')}")
        ind = x.indicator or {}
        what = f"{ind.get('name', '')} = {ind.get('value', '')}: " if ind else ""
        msg = what + x.message + (f" {fix}{x.suggestion}" if x.suggestion else "")
        out.append(f"::{LEVEL[x.severity]} {','.join(props)}::{_data(msg)}")
    return "".join(line + "\n" for line in out)
