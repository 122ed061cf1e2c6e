"""Delimited text (.csv/.tsv): decoded like text files, delimiter sniffed, one row per record.

Positions: `table` 1, `row`/`col` of the record and field (1-based), and `line`, the line the
record starts on (a quoted field may span lines). `.tsv` is always tab-separated; for `.csv` the
delimiter is sniffed among `,` `\\t` `;` `|` and the full-width `，`.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError
from kpicheck.read.rows import build_document, clean_cell_text
from kpicheck.read.safety import read_head
from kpicheck.read.text import MAX_TEXT_BYTES, decode_bytes

DELIMITERS = ",\t;|，"


def read_csv(path: Path) -> SourceDocument:
    read_head(path, MAX_TEXT_BYTES)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件: {exc}") from exc
    text, encoding = decode_bytes(data)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)
    return csv_text_to_document(text, delimiter, path=str(path), encoding=encoding)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently; `,` when unsure."""
    sample = "\n".join(text.lstrip("\ufeff").splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    counts = {d: sample.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def csv_text_to_document(text: str, delimiter: str, *, path: str = "<csv>",
                         encoding: str | None = None) -> SourceDocument:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start_line = 1
    try:
        for r, record in enumerate(reader, start=1):
            cells = [Cell(text=clean_cell_text(field), pos=Position(line=start_line, table=1, row=r, col=c))
                     for c, field in enumerate(record, start=1)]
            if not cells:  # a blank line: keep it, as the text reader does
                cells = [Cell(text="", pos=Position(line=start_line, table=1, row=r, col=1))]
            rows.append(Row(cells=cells, table=1, pos=Position(line=start_line, table=1, row=r, col=1)))
            start_line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError("corrupt", f"CSV 文件格式错误（第 {reader.line_num} 行）: {exc}") from exc
    return build_document(path, "csv", rows, encoding=encoding)
