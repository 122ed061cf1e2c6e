"""Reports of a self-evaluation: each row shows target → actual and score / weight, and the
cell a KPI8 finding points at (`Finding.field`) is the one highlighted."""
from __future__ import annotations

import csv
import io
import re

from kpicheck.config import Config
from kpicheck.report import build_report, render
from kpicheck.report.common import RenderOptions
from kpicheck.rules import run_rules
from tests.selfeval_rows import documents, report_of


def selfeval_report():
    """Two real self-evaluations (h080: full marks for missed targets; h071: overspending)."""
    files = []
    for doc in documents():
        if doc["doc"] in ("h071", "h080"):
            report = report_of(doc)
            report.findings = run_rules(report, Config(select=["KPI8", "KPI607", "KPI608"]))
            files.append(report)
    return build_report(files)


def test_text_shows_target_actual_and_score():
    out = render(selfeval_report(), "text")
    assert "扶贫临时救助标准(<**元/户·年)——一户年最高5300元 = <=5300元/户 → 5830元/户  得分 10/10" in out
    assert "年度资金总额 执行率 = 102.59%" in out  # a funds finding names its row and cell
    assert "→ 5830元/户  score 10/10" in render(selfeval_report(), "text", RenderOptions(lang="en"))


def test_html_highlights_the_cells_kpi8_points_at():
    page = render(selfeval_report(), "html")
    assert "<th>实际完成值</th><th>得分</th><th>分值</th><th>偏差原因</th>" in page
    row = re.search(r'<tr class="indicator"[^>]*>(?:(?!</tr>).)*扶贫临时救助标准.*?</tr>', page).group(0)
    cells = re.findall(r"<td[^>]*>(?:(?!<td).)*?</td>", row)
    assert '<td class="defect sev-error" data-codes="KPI803">10</td>' in cells  # the score
    assert '<td class="defect sev-warning" data-codes="KPI805"></td>' in cells  # the empty reason
    assert "<td>5830元/户</td>" in cells and "<td>&lt;=5300元/户</td>" in cells
    funds = re.search(r'<tr class="funds-row" id="[^"]*-F0".*?</tr>', page).group(0)
    assert '<td class="defect sev-warning" data-codes="KPI608">102.59%</td>' in funds
    assert 'data-code="KPI608"' in funds  # the finding sits beside its row, not above the table
    assert page.count('class="finding ') == selfeval_report().summary.findings


def test_target_tables_keep_their_columns():
    from kpicheck_samples import sample_report

    page = render(sample_report(), "html")
    assert "实际完成值" not in page and 'class="funds-row"' not in page


def test_xlsx_adds_actual_and_score_columns_for_self_evaluations():
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(render(selfeval_report(), "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][6:10] == ("指标值", "实际完成值", "得分/分值", "规则")
    kpi803 = [r for r in rows if r[9] == "KPI803"]
    assert ("<=5300元/户", "5830元/户", "10/10") in [r[6:9] for r in kpi803]
    assert book.active.cell(row=2, column=11).fill.fgColor.rgb.endswith(("F8CBAD", "FFE699"))


def test_csv_keeps_its_layout_and_names_the_funds_cell():
    rows = list(csv.reader(io.StringIO(render(selfeval_report(), "csv").lstrip("\ufeff"))))
    assert len(rows[0]) == 11
    assert ["KPI608"] == [r[7] for r in rows if r[5] == "年度资金总额 执行率 = 102.59%"]


def test_json_carries_the_field():
    import json

    data = json.loads(render(selfeval_report(), "json"))
    findings = [x for f in data["files"] for x in f["findings"]]
    assert {x["field"] for x in findings} == {"score", "deviation_reason", "funds[0].rate"}
    assert data["schema_version"] == 1


def test_a_total_finding_without_self_evaluation_rows_is_shown():
    from kpicheck.models import FileReport, Project

    report = FileReport(path="t.txt", projects=[Project(name="p", total_weight="100", total_score="105")])
    report.findings = run_rules(report, Config(select=["KPI8"]))
    page = render(build_report([report]), "html")
    assert report.findings and page.count('data-code="KPI801"') == 1
