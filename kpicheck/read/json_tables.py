"""Tables handed over by a document parser, as Python objects (`check_tables`) or a .json file.

Accepted shapes (cells may be strings, numbers, booleans, null, or {"text": ..., "merged": bool}):

- a list of tables, each a list of rows, each a list of cells;
- a table may instead be {"rows": [[...], ...], "page": n} (`page` optional, 1-based);
- the whole may be wrapped as {"tables": [...], "text": "..."}; `text` is narrative text from
  around the tables (the 项目名称 / 资金总额 lines), read before the tables, a row per line.
- a single {"rows": [[...]], "page": n}.

Positions: `page` (when given), `table` (1-based, in the order given), `row`, `col`; the
narrative text's rows have `line`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError
from kpicheck.read.rows import clean_cell_text, number_text, row_text
from kpicheck.read.safety import read_head
from kpicheck.read.text import MAX_TEXT_BYTES, decode_bytes

MAX_CELLS = 2_000_000


def _invalid(message: str) -> ReadError:
    return ReadError("invalid-tables", f"表格数据格式不正确: {message}")


def split_payload(data: Any) -> tuple[list, str]:
    """(tables, narrative text) from any accepted shape."""
    if isinstance(data, dict):
        if "tables" in data:
            text = data.get("text") or ""
            if not isinstance(text, str):
                raise _invalid('"text" 应为字符串')
            return _as_list(data["tables"], '"tables"'), text
        if "rows" in data:
            return [data], ""
        raise _invalid('对象中应有 "tables" 或 "rows"')
    return _as_list(data, "表格列表"), ""


def _as_list(value: Any, what: str) -> list:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") or isinstance(value, dict):
        raise _invalid(f"{what}应为列表，实际为 {type(value).__name__}")
    return list(value)


def _cell(raw: Any, where: str) -> tuple[str, bool]:
    if raw is None:
        return "", False
    if isinstance(raw, str):
        return clean_cell_text(raw), False
    if isinstance(raw, bool):
        return ("是" if raw else "否"), False
    if isinstance(raw, (int, float)):
        return number_text(raw), False
    if isinstance(raw, dict) and "text" in raw:
        text, _ = _cell(raw["text"], where)
        return text, bool(raw.get("merged", False))
    raise _invalid(f"{where} 的单元格应为字符串或数字，实际为 {type(raw).__name__}")


def tables_to_document(tables: Any, *, path: str = "<tables>", fmt: str = "tables",
                       text: str = "") -> SourceDocument:
    """Tables in any accepted shape as a `SourceDocument`; `ReadError("invalid-tables")` if not."""
    tables, narrative = split_payload(tables)
    rows: list[Row] = []
    cells_left = MAX_CELLS
    for t_no, table in enumerate(tables, start=1):
        page = None
        if isinstance(table, dict):
            page = table.get("page")
            if page is not None and (isinstance(page, bool) or not isinstance(page, int)):
                raise _invalid(f"第 {t_no} 个表格的 page 应为整数")
            if "rows" not in table:
                raise _invalid(f'第 {t_no} 个表格缺少 "rows"')
            table = table["rows"]
        for r_no, raw_row in enumerate(_as_list(table, f"第 {t_no} 个表格"), start=1):
            where = f"表格 {t_no} 第 {r_no} 行"
            cells = []
            for c_no, raw in enumerate(_as_list(raw_row, where), start=1):
                cell_text, merged = _cell(raw, where)
                cells.append(Cell(text=cell_text, merged=merged,
                                  pos=Position(page=page, table=t_no, row=r_no, col=c_no)))
            cells_left -= len(cells)
            if cells_left < 0:
                raise ReadError("too-large", f"表格单元格超过 {MAX_CELLS} 个")
            if not cells:
                cells = [Cell(text="", pos=Position(page=page, table=t_no, row=r_no, col=1))]
            rows.append(Row(cells=cells, table=t_no, pos=Position(page=page, table=t_no, row=r_no, col=1)))
    lead = _text_rows("\n".join(part for part in (text, narrative) if part))
    rows = lead + rows
    return SourceDocument(path=path, format=fmt, text="\n".join(row_text(r) for r in rows), rows=rows)


def _text_rows(text: str) -> list[Row]:
    """Narrative text as one-cell rows, one per line (positions line/column), as a .txt gives."""
    if not text.strip():
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Row(cells=[Cell(text=clean_cell_text(line), pos=Position(line=n, column=1))],
                pos=Position(line=n, column=1)) for n, line in enumerate(lines, start=1)]


def read_json_tables(path: Path) -> SourceDocument:
    read_head(path, MAX_TEXT_BYTES)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件: {exc}") from exc
    decoded, _ = decode_bytes(raw)
    try:
        data = json.loads(decoded)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ReadError("corrupt", f"JSON 文件格式错误: {exc}") from exc
    return tables_to_document(data, path=str(path), fmt="json")
