"""The library API: same results whatever the input format, no printing, no global state, threads."""
from __future__ import annotations

import logging
import runpy
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kpicheck import api
from kpicheck.config import DEFAULT_CONFIG
from kpicheck.models import Indicator, Report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
STEM = FIXTURES / "seed000_targets"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def outcome(report: Report) -> tuple[list, list]:
    """What must not depend on the input format: the indicators and the findings on them."""
    (f,) = report.files
    assert f.error is None, f.error
    names = {i.id: (i.name, i.value) for i in f.indicators}
    indicators = [(i.project, i.period, i.declared_level1, i.declared_level2, i.name, i.value,
                   i.category, i.subcategory) for i in f.indicators]
    findings = sorted((x.code, x.severity, names.get(x.indicator_id), x.message) for x in f.findings)
    return indicators, findings


def text_table() -> list[list[str]]:
    text = STEM.with_suffix(".txt").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.split("\n") if "\t" in line]


@pytest.fixture(scope="module")
def from_text():
    result = outcome(api.check_file(STEM.with_suffix(".txt")))
    assert result[0], "the text path finds the seed's indicators"
    return result


# ---------------------------------------------------------------------- same result, every format


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_unmerged_formats_give_the_text_result(from_text, ext):
    assert outcome(api.check_file(STEM.with_suffix(f".{ext}"))) == from_text


@pytest.mark.parametrize("ext", ["xlsx", "docx", "pdf"])
def test_office_and_pdf_formats_give_the_text_result(from_text, ext):
    assert outcome(api.check_file(STEM.with_suffix(f".{ext}"))) == from_text


@pytest.mark.parametrize("ext", ["xlsx", "docx", "pdf"])
def test_merged_formats_agree_with_each_other(ext):
    # whatever segmentation makes of merges, a workbook, its Word twin and the PDF rendering of
    # that Word file must come out the same
    assert outcome(api.check_file(STEM.with_suffix(f".{ext}"))) == outcome(api.check_file(STEM.with_suffix(".docx")))


def test_check_tables_gives_the_text_result_on_the_same_table(from_text):
    text = STEM.with_suffix(".txt").read_text(encoding="utf-8")
    narrative = text.split("\n")[: next(i for i, line in enumerate(text.split("\n")) if "\t" in line)]
    report = api.check_tables([text_table()], meta={"text": "\n".join(narrative)})
    assert outcome(report) == from_text


def test_check_tables_without_narrative_equals_check_text_of_the_rows():
    rows = text_table()
    as_text = api.check_text("\n".join("\t".join(r) for r in rows))
    as_tables = api.check_tables([rows])
    assert outcome(as_tables) == outcome(as_text)
    assert outcome(as_tables)[0]


def test_table_positions_reach_the_indicators():
    report = api.extract_tables([{"page": 2, "rows": text_table()}])
    positions = [i.pos for i in report.files[0].indicators]
    assert positions and all(p.page == 2 and p.table == 1 and p.row and p.col for p in positions)


def test_extract_returns_the_indicators_without_findings():
    checked = api.check_file(STEM.with_suffix(".xlsx"))
    extracted = api.extract_file(STEM.with_suffix(".xlsx"))
    assert extracted.files[0].findings == [] and checked.files[0].findings
    assert [i.name for i in extracted.files[0].indicators] == [i.name for i in checked.files[0].indicators]


# ---------------------------------------------------------------------- contract


def test_nothing_is_printed(capfd, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    for ext in ("txt", "csv", "json", "xlsx", "docx", "pdf"):
        api.check_file(STEM.with_suffix(f".{ext}"))
    api.check_file(bad)
    api.check_tables([text_table()])
    api.check_text("产出指标\t数量指标\t培训人数\t≥100人")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_no_global_state_changes():
    before_config = DEFAULT_CONFIG.model_dump()
    root_handlers = list(logging.getLogger().handlers)
    level = logging.getLogger().level
    config = {"budget_year": 2023}
    api.check_tables([text_table()], meta={"budget_year": 2024}, config=config)
    api.check_file(STEM.with_suffix(".pdf"))
    assert DEFAULT_CONFIG.model_dump() == before_config
    assert config == {"budget_year": 2023}
    assert logging.getLogger().handlers == root_handlers and logging.getLogger().level == level


def test_meta_budget_year_is_used_when_the_config_has_none():
    report = api.extract_tables([text_table()], meta={"budget_year": 2031})
    assert report.files[0].budget_year == 2031
    report = api.extract_tables([text_table()], meta={"budget_year": 2031}, config={"budget_year": 2022})
    assert report.files[0].budget_year == 2022


def test_safe_to_call_from_threads():
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:2]] + [STEM.with_suffix(".txt").read_text(encoding="utf-8")]
    expected = [api.check_text(t).model_dump(mode="json") for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda t: api.check_text(t).model_dump(mode="json"), texts * 2))
    assert got == expected * 2


def test_bad_tables_give_an_error_entry_not_an_exception():
    report = api.check_tables({"tables": "not a list"})
    assert report.files[0].error.code == "invalid-tables"
    assert report.summary.files_with_errors == 1


def test_check_indicators_copies_its_input():
    given = [Indicator(id="A1", name="培训人数", value="≥100人", declared_level1="产出"),
             {"name": "服务对象满意度", "value": "≥60%", "declared_level1": "满意度"}]
    report = api.check_indicators(given, budget_year=2024)
    assert given[0].parsed is None and "parsed" not in given[1]
    got = report.files[0].indicators
    assert [i.id for i in got] == ["A1", "I0002"] and all(i.parsed is not None for i in got)


def test_missing_file_is_an_error_entry():
    report = api.check_files([STEM.with_suffix(".txt"), FIXTURES / "no-such-file.xlsx"])
    assert [f.error.code if f.error else None for f in report.files] == [None, "not-found"]


def test_example_script_runs(capsys):
    runpy.run_path(str(ROOT / "examples" / "api_example.py"), run_name="__main__")
    assert "KPI" in capsys.readouterr().out


# ---------------------------------------------------------------------- self-evaluations

SELF_EVALUATION_ROWS = [
    {"name": "临时救助人次", "value": "≥59人次", "actual": "87人次", "weight": "20", "score": "20",
     "deviation_reason": "", "declared_level1_raw": "产出指标(50分)", "declared_level2": "数量"},
    {"name": "特困人员救助供养人数", "value": "≥4754人", "actual": "4000人", "weight": "15", "score": "15",
     "deviation_reason": "", "declared_level1_raw": "产出指标(50分)", "declared_level2": "数量",
     "positions": {"score": {"line": 12, "column": 40}}},
    {"name": "扶贫临时救助标准", "value": "≤5300元/户", "actual": "5000元/户", "weight": "15", "score": "15",
     "deviation_reason": "", "declared_level1_raw": "产出指标(50分)", "declared_level2": "质量"},
]


def test_check_indicators_reads_the_self_evaluation_fields():
    given = [dict(row, project="临时救助") for row in SELF_EVALUATION_ROWS]
    project = {"name": "临时救助", "total_weight": "60", "total_score": "45",
               "funds": {"unit": "万元", "rows": [{"label": "年度资金总额", "adjusted": "30", "executed": "30",
                                                  "rate": "90%", "weight": "10", "score": "10"}]}}
    report = api.check_indicators(given, projects=[project], config={"select": ["KPI8"]})
    (f,) = report.files
    assert f.indicators[1].actual_parsed.number == 4000 and "actual_parsed" not in given[1]
    found = {(x.code, x.field) for x in f.findings}
    assert found == {("KPI803", "score"), ("KPI805", "deviation_reason"), ("KPI811", "total_score"),
                     ("KPI807", "funds[0].rate")}
    kpi803 = next(x for x in f.findings if x.code == "KPI803")
    assert (kpi803.pos.line, kpi803.pos.column) == (12, 40)  # the score cell, as the caller placed it
    assert kpi803.indicator["actual"] == "4000人" and kpi803.indicator["score"] == "15"


def self_evaluation_tables() -> list[dict]:
    """A 项目支出绩效自评表 as a document parser hands it over: the funds block, then the
    indicator block with its 总分 row."""
    funds = [["资金情况（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             ["年度资金总额", "30", "30", "31", "10", "103.33%", "10"],
             ["其中：本年财政拨款", "30", "30", "31", "—", "103.33%", "—"],
             ["其他资金", "", "", "", "—", "", "—"]]
    indicators = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
                  ["产出指标(50分)", "数量指标", "临时救助人次", "≥59人次", "87人次", "20", "20", ""],
                  ["产出指标(50分)", "数量指标", "特困人员救助供养人数", "≥4754人", "4000人", "15", "15", ""],
                  ["产出指标(50分)", "质量指标", "扶贫临时救助标准", "≤5300元/户", "5830元/户", "15", "15", ""],
                  ["效益指标(30分)", "社会效益指标", "受益建档立卡贫困人口数", "≥80人", "87人", "30", "30", ""],
                  ["满意度指标(10分)", "服务对象满意度指标", "受助对象满意度", "≥90%", "95%", "10", "10", ""],
                  ["总分", "", "", "", "", "100", "100", ""]]
    return [{"page": 1, "rows": funds}, {"page": 1, "rows": indicators}]


def test_check_tables_reads_a_self_evaluation():
    report = api.check_tables(self_evaluation_tables(), meta={"path": "自评表.pdf", "budget_year": 2023,
                                                              "text": "项目名称：临时救助"})
    (f,) = report.files
    rows = {i.name: i for i in f.indicators}
    assert (rows["扶贫临时救助标准"].actual, rows["扶贫临时救助标准"].weight, rows["扶贫临时救助标准"].score) \
        == ("5830元/户", "15", "15")
    assert all(i.actual is not None and i.weight and i.score for i in f.indicators)
    (project,) = f.projects
    assert (project.total_weight, project.total_score) == ("100", "100")
    assert project.funds and project.funds.rows[0].rate == "103.33%"
    found = sorted((x.code, (x.indicator or {}).get("name"), x.field) for x in f.findings
                   if x.code.startswith(("KPI8", "KPI607", "KPI608")))
    assert found == [("KPI608", None, "funds[0].rate"),
                     ("KPI803", "扶贫临时救助标准", "score"), ("KPI803", "特困人员救助供养人数", "score"),
                     ("KPI805", "扶贫临时救助标准", "deviation_reason"),
                     ("KPI805", "特困人员救助供养人数", "deviation_reason")]
    kpi803 = next(x for x in f.findings if x.code == "KPI803" and x.indicator["name"] == "扶贫临时救助标准")
    assert (kpi803.pos.page, kpi803.pos.table, kpi803.pos.row, kpi803.pos.col) == (1, 2, 4, 7)  # its 得分 cell
