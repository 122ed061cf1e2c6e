"""`--format json-lines`: one finding per line (with its file), for grep, jq and log shippers.

A file that could not be read is one line too: `{"path": ..., "error": {"code", "message"}}`.
"""
from __future__ import annotations

import json
from typing import Optional

from kpicheck.models import FileReport, Report
from kpicheck.report.common import RenderOptions


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    return "".join(file_lines(f) for f in report.files)


def file_lines(f: FileReport) -> str:
    """One file's lines (streamed per file by the CLI for batches)."""
    lines = []
    if f.error:
        lines.append({"path": f.path, "error": f.error.model_dump(mode="json")})
    for finding in f.findings:
        lines.append({"path": f.path, **finding.model_dump(mode="json")})
    return "".join(json.dumps(x, ensure_ascii=False, separators=(",", ":")) + "\n" for x in lines)
