"""Readers: one module per input format, each yielding a `SourceDocument` of rows of cells.

| suffix            | reader                     | positions                  | needs            |
|-------------------|----------------------------|----------------------------|------------------|
| .txt .md .text    | `text.read_text_file`      | line/column                | -                |
| .csv .tsv         | `csv_reader.read_csv`      | line, row/col              | -                |
| .json             | `json_tables.read_json_tables` | page, table/row/col    | -                |
| .xlsx .xlsm       | `xlsx.read_xlsx`           | sheet/cell (`Sheet1!C7`)   | `kpicheck[office]` |
| .docx             | `docx.read_docx`           | table/row/col, paragraph   | `kpicheck[office]` |
| .pdf              | `pdf.read_pdf`             | page (+ table/row/col)     | `kpicheck[pdf]`  |

Every reader raises `ReadError` (stable `code`, Chinese message) for a file it cannot read;
the heavy libraries are imported only when a file of their format is read.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from kpicheck.models import SourceDocument
from kpicheck.read.errors import ReadError
from kpicheck.read.text import read_text_file

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}


def _xlsx(path: Path) -> SourceDocument:
    from kpicheck.read.xlsx import read_xlsx

    return read_xlsx(path)


def _docx(path: Path) -> SourceDocument:
    from kpicheck.read.docx import read_docx

    return read_docx(path)


def _pdf(path: Path) -> SourceDocument:
    from kpicheck.read.pdf import read_pdf

    return read_pdf(path)


def _csv(path: Path) -> SourceDocument:
    from kpicheck.read.csv_reader import read_csv

    return read_csv(path)


def _json(path: Path) -> SourceDocument:
    from kpicheck.read.json_tables import read_json_tables

    return read_json_tables(path)


READERS: dict[str, Callable[[Path], SourceDocument]] = {
    **{suffix: read_text_file for suffix in TEXT_SUFFIXES},
    ".csv": _csv, ".tsv": _csv,
    ".json": _json,
    ".xlsx": _xlsx, ".xlsm": _xlsx,
    ".docx": _docx,
    ".pdf": _pdf,
}

LEGACY = {".xls": ".xlsx", ".doc": ".docx", ".et": ".xlsx", ".wps": ".docx"}

SUPPORTED_SUFFIXES = frozenset(READERS) - {""}
# what a directory walk should pick up: a .json there is as likely a config file as parser tables
DISCOVERABLE_SUFFIXES = SUPPORTED_SUFFIXES - {".json"}


def read_document(path: str | Path, rows: bool = True) -> SourceDocument:
    """Read any supported file; raise `ReadError` with a clear code and message otherwise.
    `rows=False`: a text file's rows are left out (segmentation reads `text`; saves ~0.8 ms a seed)."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        if suffix in LEGACY:
            raise ReadError("unsupported-format",
                            f"不支持旧版 {suffix} 格式，请另存为 {LEGACY[suffix]} 后再检查")
        raise ReadError("unsupported-format", f"不支持的文件格式: {suffix or '(无扩展名)'}")
    if not rows and reader is read_text_file:
        return read_text_file(path, rows=False)
    return reader(path)


__all__ = ["ReadError", "READERS", "SUPPORTED_SUFFIXES", "DISCOVERABLE_SUFFIXES", "TEXT_SUFFIXES", "read_document"]
