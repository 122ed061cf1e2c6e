"""Word documents (.docx): body paragraphs and tables in document order.

A paragraph becomes a one-cell row (like a text line; `pos.line` is its paragraph number), a
table row becomes a row of cells with positions table/row/col (1-based, tables numbered in
document order). Merged cells (gridSpan, vMerge) are expanded: every grid cell of the merge
carries the value, copies are marked `merged`. python-docx parses with entity resolution off.
"""
from __future__ import annotations

from pathlib import Path

from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError, one_line
from kpicheck.read.rows import build_document, clean_cell_text
from kpicheck.read.safety import check_office_package, require

MAX_ROWS = 200_000


def read_docx(path: Path) -> SourceDocument:
    check_office_package(path, "[Content_Types].xml", "Word")
    docx = require("docx")
    try:
        document = docx.Document(str(path))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on a broken package
        raise ReadError("corrupt", f"Word 文件已损坏，无法打开: {one_line(exc)}") from exc
    try:
        rows = list(_body_rows(document))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError("corrupt", f"Word 文件已损坏，读取失败: {one_line(exc)}") from exc
    return build_document(str(path), "docx", rows)


def _body_rows(document):
    from docx.table import Table

    paragraph_no = table_no = count = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            for row in _table_rows(block, table_no):
                count += 1
                yield row
        else:
            paragraph_no += 1
            count += 1
            pos = Position(line=paragraph_no, column=1)
            yield Row(cells=[Cell(text=clean_cell_text(block.text), pos=pos)], pos=pos)
        if count > MAX_ROWS:
            raise ReadError("too-large", f"Word 文件的段落和表格行超过 {MAX_ROWS} 个")


def _table_rows(table, table_no: int):
    above: list = []  # the <w:tc> elements of the previous row, by grid column
    for r, row in enumerate(table.rows, start=1):
        tcs = []
        cells = []
        for c, cell in enumerate(row.cells, start=1):
            tc = cell._tc
            copy = (c > 1 and tcs[-1] is tc) or (c <= len(above) and above[c - 1] is tc)
            tcs.append(tc)
            cells.append(Cell(text=clean_cell_text(cell.text), merged=copy,
                              pos=Position(table=table_no, row=r, col=c)))
        above = tcs
        yield Row(cells=cells, table=table_no, pos=Position(table=table_no, row=r, col=1))
