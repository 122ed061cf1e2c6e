"""Segmentation: find the performance-target tables in a document and turn rows into indicators.

`segment(doc)` is the one entry point; the modules beside it each handle one layout family.
"""
from __future__ import annotations

from kpicheck.models import Extraction, SourceDocument


def segment(doc: SourceDocument) -> Extraction:
    """Every performance indicator in `doc`, with its project, period and declared category."""
    return Extraction()
