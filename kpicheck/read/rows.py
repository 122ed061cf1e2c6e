"""Shared by the table readers: cell text normalisation and the document's plain text."""
from __future__ import annotations

from kpicheck.models import Row, SourceDocument


def clean_cell_text(text: str) -> str:
    """Line breaks inside a cell normalised to "\\n"; NUL and other C0 controls but tab dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return "".join(ch for ch in text if ch >= " " or ch in "\n\t")


def number_text(number: int | float) -> str:
    """A number as Excel's General format shows it: no float noise, no trailing `.0`."""
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            return str(number)
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.15g}"
    return str(number)


def row_text(row: Row) -> str:
    """A row as one line: cells joined by tabs, line breaks inside cells turned into spaces."""
    return "\t".join(cell.text.replace("\n", " ").replace("\t", " ") for cell in row.cells)


def build_document(path: str, fmt: str, rows: list[Row], encoding: str | None = None) -> SourceDocument:
    return SourceDocument(path=path, format=fmt, text="\n".join(row_text(r) for r in rows),
                          rows=rows, encoding=encoding)
