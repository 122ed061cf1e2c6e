"""A project listing (霍山县下符桥镇 2023 扶贫项目实施情况表, 安徽, collected c056): a project per
row, its targets as clause lists in a column per category under a spanning 绩效目标
(kpicheck/segment/listing.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kpicheck.api import check_text, extract_file, extract_text
from kpicheck.read.text import text_to_document
from kpicheck.segment import listing
from kpicheck.segment.layout import document_lines

HEAD = ("序号 | 项目名称 | 实施期限(月) | 实施单位及责任人 | 资金来源及规模 | 绩效目标 | 受益对象和联农带农机制 | |||\n"
        "资金来源 | 资金规模(万元) | 产出 指标 |\n效益 指标 |\n满意度 指标 |\n|||||\n")


def _row(text: str) -> str:
    return next(line for line in (Path(__file__).parent / "data" / "listing_c056.txt").read_text(
        encoding="utf-8").splitlines() if line.startswith(text))


def test_each_row_gives_its_projects_targets_by_category():
    text = HEAD + _row("1 |") + "\n" + _row("3 |") + "\n"
    found = [(i.project, i.name, i.value, i.declared_level1) for i in extract_text(text).files[0].indicators]
    assert found == [
        ("庙岗集村农机专业化合作社项目", "农用拖拉机", "2台", "产出"),
        ("庙岗集村农机专业化合作社项目", "收割机", "1台", "产出"),
        ("庙岗集村农机专业化合作社项目", "自走式高速插秧机", "一台", "产出"),
        ("庙岗集村农机专业化合作社项目", "农用T40无人机", "1台", "产出"),
        ("庙岗集村农机专业化合作社项目", "受益户数", "≥200户", "效益"),
        ("庙岗集村农机专业化合作社项目", "受益脱贫户数", "≥15户", "效益"),
        ("庙岗集村农机专业化合作社项目", "脱贫人口满意度", "≥90%", "满意度"),
        ("三尖铺村农机作业服务队项目", "三尖铺村农业作业服务队购买旋耕机", "1台", "产出"),
        ("三尖铺村农机作业服务队项目", "化肥喷洒无人机", "1台", "产出"),
        ("三尖铺村农机作业服务队项目", "受益户数", "≥220户", "效益"),
        ("三尖铺村农机作业服务队项目", "受益脱贫户数", "≥20户", "效益"),
        ("三尖铺村农机作业服务队项目", "脱贫人口满意度", "≥90%", "满意度")]


def test_a_listing_is_read_whole_and_its_findings_point_at_the_clause():
    text = HEAD + _row("1 |") + "\n"
    report = check_text(text).files[0]
    assert report.coverage == 1.0 and "KPI100" not in {f.code for f in report.findings}
    first = report.indicators[0]
    line = text.splitlines()[first.line - 1]
    assert line[first.column - 1:].startswith("农用拖拉机2台")
    assert {p.name for p in report.projects} == {"庙岗集村农机专业化合作社项目"}


def test_a_listing_whose_category_cells_hold_no_figures_is_left_to_the_parse():
    text = HEAD + "1 | 村道硬化项目 | 6 | 某镇 | 市级 | 50 | 硬化村道 | 方便群众出行 | 群众满意 | 村集体 |\n"
    assert listing.read(document_lines(text_to_document(text))) == []
    assert listing.read(document_lines(text_to_document(HEAD + _row("1 |") + "\n")))  # the same, with figures


def test_a_lone_goal_column_gives_its_counted_clauses_and_the_allocation_rows_give_none():
    # 中山市 2023 乡村振兴战略建设专项资金分配方案 (广东): one merged 绩效目标 cell, printed on the
    # first row, one cell further right than its heading (an unheaded 类型 column); two counts
    # joined by 和 are two targets; the rows that only allocate money to villages are no targets
    text = (Path(__file__).parent / "data" / "listing_c113.txt").read_text(encoding="utf-8")
    found = [(i.project, i.name, i.value, i.declared_level1) for i in extract_text(text).files[0].indicators]
    assert found == [
        ("农村人居环境整治 - 乡村振兴战略建设专项资金", "对2022年新增的2个特色精品示范村开展持续建设", "2个", None),
        ("农村人居环境整治 - 乡村振兴战略建设专项资金", "并加快实施完成全市2022年度13个特色精品示范村", "13个", None),
        ("农村人居环境整治 - 乡村振兴战略建设专项资金", "49个美丽宜居示范村的当年度建设项目", "49个", None)]


def test_a_listing_in_a_workbook_points_at_its_cells(tmp_path):
    # the same listing saved as a workbook, its categories in the heading row itself
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "实施期限(月)", "实施单位及责任人", "资金来源", "资金规模(万元)",
                  "产出指标", "效益指标", "满意度指标"])
    sheet.append([1, "庙岗集村农机专业化合作社项目", 10, "下符桥镇金宏伟", "市级", 100,
                  "农用拖拉机2台(含开沟机、播种机),收割机1台", "受益户数≥200户,受益脱贫户数≥15户", "脱贫人口满意度≥90%"])
    path = tmp_path / "listing.xlsx"
    book.save(path)
    found = [(i.name, i.value, i.declared_level1, i.pos.cell) for i in extract_file(path).files[0].indicators]
    assert found == [("农用拖拉机", "2台", "产出", "G2"), ("收割机", "1台", "产出", "G2"),
                     ("受益户数", "≥200户", "效益", "H2"), ("受益脱贫户数", "≥15户", "效益", "H2"),
                     ("脱贫人口满意度", "≥90%", "满意度", "I2")]


def test_a_table_that_follows_a_listing_is_read_as_its_own(tmp_path):
    # the listing on one sheet, a 绩效目标表 on the next (rows numbered on, no blank line between):
    # the second heading ends the listing, and its rows are the parse's
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["序号", "项目名称", "实施期限(月)", "实施单位及责任人", "资金来源", "资金规模(万元)",
                        "产出指标", "效益指标", "满意度指标"])
    book.active.append([1, "庙岗集村农机专业化合作社项目", 10, "下符桥镇金宏伟", "市级", 100,
                        "农用拖拉机2台,收割机1台", "受益户数≥200户", "脱贫人口满意度≥90%"])
    goals = book.create_sheet("绩效目标表")
    for row in (["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训人数", "≥500人次"],
                ["效益指标", "社会效益指标", "带动就业人数", "≥100人"]):
        goals.append(row)
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    found = [(i.name, i.value) for i in extract_file(path).files[0].indicators]
    assert found[:4] == [("农用拖拉机", "2台"), ("收割机", "1台"), ("受益户数", "≥200户"), ("脱贫人口满意度", "≥90%")]
    assert ("培训人数", "≥500人次") in found and ("带动就业人数", "≥100人") in found
    text = (HEAD + _row("1 |") + "\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
            "产出指标 | 数量指标 | 培训人数 | ≥500人次 |\n")
    assert ("培训人数", "≥500人次") in [(i.name, i.value) for i in extract_text(text).files[0].indicators]


def test_the_project_column_is_found_after_a_spanning_heading_before_it():
    # 资金来源及规模 spans two data columns left of 项目名称: the project names are one column
    # further right than their heading; the amount '50万元' is no project
    text = ("序号 | 资金来源及规模 | 项目名称 | 绩效目标 | 备注 |\n"
            "资金来源 | 资金规模 | 产出指标 | 效益指标 | 满意度指标 |\n"
            "1 | 市级 | 50万元 | 村道硬化项目 | 硬化道路5公里 | 受益户数≥200户 | 满意度≥90% | 无 |\n"
            "2 | 省级 | 80万元 | 村级光伏电站项目 | 光伏电站1座 | 受益户数≥100户 | 满意度≥90% | 无 |\n")
    found = [(i.project, i.name, i.value) for i in extract_text(text).files[0].indicators]
    assert found[:2] == [("村道硬化项目", "硬化道路", "5公里"), ("村道硬化项目", "受益户数", "≥200户")]
    assert {p for p, _, _ in found} == {"村道硬化项目", "村级光伏电站项目"}
