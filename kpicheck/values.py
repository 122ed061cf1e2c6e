"""Value parsing: a value text (`≥95%`, `≤57.2万元`, `2023年11月31日`) → `ParsedValue` with spans."""
from __future__ import annotations

from kpicheck.models import ParsedValue


def parse_value(text: str) -> ParsedValue:
    """Parse one value text; never raises."""
    text = text or ""
    return ParsedValue(text=text, kind="empty" if not text.strip() else "text")
