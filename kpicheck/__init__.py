"""kpicheck: a linter for the performance targets (绩效目标) in Chinese public-budget documents."""
from __future__ import annotations

__version__ = "0.1.0"

from kpicheck.api import (  # noqa: E402
    check_file,
    check_indicators,
    check_tables,
    check_text,
    extract_file,
    extract_tables,
    extract_text,
)

__all__ = [
    "__version__",
    "check_file",
    "check_indicators",
    "check_tables",
    "check_text",
    "extract_file",
    "extract_tables",
    "extract_text",
]
