"""Readers: one module per input format, each yielding a `SourceDocument` of rows of cells."""
from __future__ import annotations

from pathlib import Path

from kpicheck.models import SourceDocument
from kpicheck.read.errors import ReadError
from kpicheck.read.text import read_text_file

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}


def read_document(path: str | Path) -> SourceDocument:
    """Read any supported file; raise `ReadError` with a clear code and message otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text_file(path)
    raise ReadError("unsupported-format", f"不支持的文件格式: {suffix or '(无扩展名)'}")


SUPPORTED_SUFFIXES = TEXT_SUFFIXES - {""}
