"""Report building and output formats: one module per format, chosen by `render(report, fmt)`."""
from __future__ import annotations

import importlib
from collections import Counter
from typing import Optional

from kpicheck.models import FileReport, Report, Summary, ToolInfo
from kpicheck.report.common import RenderOptions

# format name → module in this package; each module has `render(report, opts) -> str | bytes`
FORMATS = {
    "text": "text",
    "json": "json_report",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "csv": "csv_report",
    "xlsx": "xlsx",
    "html": "html",
}
BINARY_FORMATS = {"xlsx"}


def build_report(files: list[FileReport]) -> Report:
    from kpicheck import __version__

    by_severity: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    for f in files:
        for finding in f.findings:
            by_severity[finding.severity] += 1
            by_code[finding.code] += 1
    summary = Summary(
        files=len(files),
        files_with_errors=sum(1 for f in files if f.error),
        projects=sum(len(f.projects) for f in files),
        indicators=sum(len(f.indicators) for f in files),
        findings=sum(len(f.findings) for f in files),
        by_severity={k: by_severity.get(k, 0) for k in ("error", "warning", "info")},
        by_code=dict(sorted(by_code.items())),
    )
    return Report(tool=ToolInfo(version=__version__), files=files, summary=summary)


def render(report: Report, fmt: str = "text", opts: Optional[RenderOptions] = None) -> str | bytes:
    """The report in one output format (`bytes` for binary formats such as xlsx)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    return module.render(report, opts or RenderOptions())


__all__ = ["BINARY_FORMATS", "FORMATS", "RenderOptions", "build_report", "render"]
