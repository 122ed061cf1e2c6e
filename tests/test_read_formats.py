"""Every input format reaches the same rows of cells, with positions that fit the format.

The fixtures are seed 000's 项目绩效目标表 as .txt (verbatim), .csv, .json, .xlsx (merged
groups, a cached SUM, a hidden sheet), .docx (a merged Word table) and a LibreOffice-rendered
.pdf; `tests/fixtures/make_fixtures.py` builds them from the seed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kpicheck.read import SUPPORTED_SUFFIXES, read_document
from kpicheck.read.csv_reader import csv_text_to_document, read_csv, sniff_delimiter
from kpicheck.read.json_tables import tables_to_document
from kpicheck.read.pdf import join_wrapped
from kpicheck.read.xlsx import format_number, format_value

FIXTURES = Path(__file__).parent / "fixtures"
STEM = FIXTURES / "seed000_targets"


def fixture(ext: str) -> Path:
    return STEM.with_suffix(f".{ext}")


def txt_grid() -> list[list[str]]:
    """The seed block's table rows, split on tabs, trailing empty cells dropped."""
    rows = [line.split("\t") for line in fixture("txt").read_text(encoding="utf-8").split("\n") if "\t" in line]
    return [_trim(r) for r in rows]


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def table_grid(ext: str) -> list[list[str]]:
    """A format's table rows as the text layout shows them: merged copies read as blank."""
    doc = read_document(fixture(ext))
    rows = [r for r in doc.rows if r.table is not None]
    grid = [_trim(["" if c.merged else c.text for c in r.cells]) for r in rows]
    return [g for g in grid if g]


# ---------------------------------------------------------------------- one grid, every format


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_tables_read_as_the_text_grid(ext):
    assert table_grid(ext) == txt_grid()


def test_xlsx_sheet_is_the_text_grid_below_the_title():
    # the sheet also holds the title and unit lines, merged over the table width, as exports do
    grid = table_grid("xlsx")
    assert grid[0] == ["2023年度市级单位预算项目绩效目标表"]
    assert grid[1][0].startswith("单位名称：")
    assert grid[2:] == txt_grid()


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_delimited_and_parser_tables_read_as_the_text_grid(ext):
    assert table_grid(ext)[-len(txt_grid()):] == txt_grid()


def test_supported_suffixes_cover_every_reader():
    assert {".txt", ".md", ".csv", ".tsv", ".json", ".xlsx", ".xlsm", ".docx", ".pdf"} <= SUPPORTED_SUFFIXES


# ---------------------------------------------------------------------- xlsx


def test_xlsx_positions_are_sheet_and_cell():
    doc = read_document(fixture("xlsx"))
    cell = next(c for r in doc.rows for c in r.cells if c.text == "工作经费")
    assert cell.pos.label() == "绩效目标表!F9"
    assert (cell.pos.sheet, cell.pos.cell, cell.pos.row, cell.pos.col) == ("绩效目标表", "F9", 9, 6)
    assert doc.format == "xlsx"


def test_xlsx_merges_carry_the_value_over_their_area():
    doc = read_document(fixture("xlsx"))
    by_cell = {c.pos.cell: c for r in doc.rows for c in r.cells}
    # 项目金额（万元） spans C5:F6; the project's name spans B9:B12
    assert [by_cell[k].text for k in ("C5", "F5", "C6", "F6")] == ["项目金额（万元）"] * 4
    assert not by_cell["C5"].merged and by_cell["F6"].merged
    assert [by_cell[f"B{r}"].text for r in range(9, 13)] == ["劳动能力鉴定评审差额补助费"] * 4
    assert by_cell["B13"].text == "线路租金"


def test_xlsx_formula_reads_its_cached_value_and_numbers_their_display():
    doc = read_document(fixture("xlsx"))
    by_cell = {c.pos.cell: c.text for r in doc.rows for c in r.cells}
    assert by_cell["C8"] == "118.19"  # =SUM over the projects, cached by LibreOffice
    assert by_cell["C19"] == "34.00"  # 34 with format 0.00


def test_xlsx_hidden_sheet_is_skipped():
    doc = read_document(fixture("xlsx"))
    assert "隐藏工作表中的测试指标" not in doc.text
    assert {c.pos.sheet for r in doc.rows for c in r.cells} == {"绩效目标表"}


def test_uncalculated_formula_is_empty_never_evaluated(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["三级指标", "指标值"])
    ws.append(["培训人数", "=1+1"])
    wb.save(tmp_path / "f.xlsx")
    doc = read_document(tmp_path / "f.xlsx")
    assert [c.text for c in doc.rows[1].cells] == ["培训人数", ""]


@pytest.mark.parametrize("value, fmt, shown", [
    (34, "0.00", "34.00"), (0.985, "0.0%", "98.5%"), (1, "0%", "100%"),
    (3320000, "#,##0.00", "3,320,000.00"), (6, '0"人"', "6人"), (7.29, '0.00"万元"', "7.29万元"),
    (0.1 + 0.2, "General", "0.3"), (1.5, "0.##", "1.5"), (118.0, "General", "118"),
])
def test_number_formats_show_what_excel_shows(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_dates_and_booleans_are_shown_as_text():
    import datetime as dt

    assert format_value(dt.datetime(2023, 12, 31), 'yyyy"年"m"月"d"日"') == "2023年12月31日"
    assert format_value(dt.datetime(2023, 12, 31), "yyyy-mm-dd") == "2023-12-31"
    assert format_value(True) == "TRUE" and format_value(None) == ""


# ---------------------------------------------------------------------- docx


def test_docx_keeps_paragraphs_and_tables_in_order_with_positions():
    doc = read_document(fixture("docx"))
    assert doc.rows[0].cells[0].text == "2023年度市级单位预算项目绩效目标表"
    assert doc.rows[0].table is None and doc.rows[0].pos.line == 1
    first_table_row = next(r for r in doc.rows if r.table is not None)
    assert first_table_row.cells[0].text == "单位编码（项目编码）"
    cell = next(c for r in doc.rows for c in r.cells if c.text == "≤57.2万元" and not c.merged)
    assert cell.pos.label() == "T1R9C7"


def test_docx_merged_cells_are_expanded_and_marked():
    doc = read_document(fixture("docx"))
    row = next(r for r in doc.rows if r.table and r.pos.row == 2)  # below 单位编码 / 项目金额
    assert row.cells[0].text == "单位编码（项目编码）" and row.cells[0].merged
    assert row.cells[2].text == "项目金额（万元）" and row.cells[2].merged


# ---------------------------------------------------------------------- pdf


def test_pdf_tables_and_page_text_with_page_positions():
    doc = read_document(fixture("pdf"))
    assert doc.format == "pdf"
    title = doc.rows[0].cells[0]
    assert title.text == "2023年度市级单位预算项目绩效目标表"
    assert title.pos.page == 1 and title.pos.table is None
    cell = next(c for r in doc.rows for c in r.cells if c.text == "≤57.2万元" and not c.merged)
    assert cell.pos.label() == "p1 T1R9C7"
    # a cell wrapped over three lines in the rendering reads as one string
    assert any(c.text == "保障人力资源与社会保障相关业务正常运行，年支付2次" for r in doc.rows for c in r.cells)


def test_wrapped_cell_lines_join_without_spurious_spaces():
    assert join_wrapped("劳动能力鉴定评审\n差额补助费") == "劳动能力鉴定评审差额补助费"
    assert join_wrapped("41030023000000000\n9643") == "410300230000000009643"
    assert join_wrapped("Sheet\nname") == "Sheet name"


# ---------------------------------------------------------------------- csv / tsv


def test_csv_quoted_newline_keeps_record_and_line_positions(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('一级指标,三级指标,指标值\n产出指标,"培训\n人数",≥100人\n满意度指标,满意度,≥90%\n', encoding="utf-8")
    doc = read_csv(path)
    assert [c.text for c in doc.rows[1].cells] == ["产出指标", "培训\n人数", "≥100人"]
    third = doc.rows[2].cells[2]
    assert (third.pos.row, third.pos.col, third.pos.line) == (3, 3, 4)


@pytest.mark.parametrize("sep", [",", "\t", ";", "|"])
def test_delimiter_is_sniffed(sep):
    text = "\n".join(sep.join(r) for r in [["一级指标", "三级指标", "指标值"], ["产出指标", "培训人数", "100人"],
                                           ["效益指标", "就业率", "≥90%"]])
    assert sniff_delimiter(text) == sep
    assert [c.text for c in csv_text_to_document(text, sep).rows[2].cells] == ["效益指标", "就业率", "≥90%"]


def test_gbk_csv_and_tsv_are_decoded(tmp_path):
    gbk = tmp_path / "g.csv"
    gbk.write_bytes("三级指标,指标值\n培训人数,≥100人\n".encode("gbk"))
    doc = read_document(gbk)
    assert doc.encoding == "gb18030" and doc.rows[1].cells[0].text == "培训人数"
    tsv = tmp_path / "t.tsv"
    tsv.write_text("三级指标\t指标值,备注\n", encoding="utf-8")
    assert [c.text for c in read_document(tsv).rows[0].cells] == ["三级指标", "指标值,备注"]


# ---------------------------------------------------------------------- parser tables / json


def test_parser_tables_positions_page_table_row_col():
    doc = tables_to_document([{"page": 3, "rows": [["三级指标", "指标值"], ["培训人数", 100]]},
                              [["满意度", None]]])
    cell = doc.rows[1].cells[1]
    assert cell.text == "100" and cell.pos.label() == "p3 T1R2C2"
    assert doc.rows[2].cells[1].text == "" and doc.rows[2].pos.label() == "T2R1C1"
    assert doc.rows[1].table == 1 and doc.rows[2].table == 2


def test_parser_tables_narrative_text_comes_first_as_lines():
    doc = tables_to_document({"tables": [[["三级指标", "指标值"]]], "text": "项目名称：培训\n资金总额：10万元"})
    assert [r.cells[0].text for r in doc.rows[:2]] == ["项目名称：培训", "资金总额：10万元"]
    assert doc.rows[1].pos.line == 2 and doc.rows[2].table == 1


def test_json_file_positions_come_from_its_page():
    doc = read_document(fixture("json"))
    cell = next(c for r in doc.rows for c in r.cells if c.text == "≤57.2万元")
    assert cell.pos.label() == "p1 T1R9C7"
