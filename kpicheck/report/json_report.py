"""`--format json`: the schema_version 1 report, exactly as the pydantic models dump it."""
from __future__ import annotations

import json

from kpicheck.models import Report


def render(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
