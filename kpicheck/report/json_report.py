"""`--format json`: the schema_version 1 report, exactly as the pydantic models dump it."""
from __future__ import annotations

import json
from typing import Optional

from kpicheck.models import Report
from kpicheck.report.common import RenderOptions


def render(report: Report, opts: Optional[RenderOptions] = None) -> str:
    # pydantic's own serializer: the same text as json.dumps(model_dump(), indent=2), 5x faster.
    return report.model_dump_json(indent=2) + "\n"


def schema() -> dict:
    """The JSON Schema of this format, generated from the models (`kpicheck schema`)."""
    from kpicheck.models import SCHEMA_VERSION

    out = Report.model_json_schema()
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema",
           "$id": f"https://kpicheck.invalid/schema/report-v{SCHEMA_VERSION}.json", **out}
    return out
