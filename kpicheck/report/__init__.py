"""Report building and output formats: one module per format."""
from __future__ import annotations

from collections import Counter

from kpicheck.models import FileReport, Report, Summary, ToolInfo


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
