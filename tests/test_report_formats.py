"""Every output format, on a small realistic report built from the models."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from rich.cells import cell_len

from kpicheck.models import Report
from kpicheck.report import FORMATS, RenderOptions, render
from kpicheck.report.json_report import schema
from kpicheck_samples import DOC, findings_only_report, sample_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_every_format_renders():
    for fmt in FORMATS:
        out = render(sample_report(), fmt)
        assert out, fmt


# ---------------------------------------------------------------- text


def test_text_is_grouped_aligned_and_chinese():
    out = render(sample_report(), "text")
    lines = out.splitlines()
    assert lines[0] == DOC and lines[1].strip().startswith("社会保障卡运维项目（预算 57.2 万元）")
    heads = [l for l in lines if re.search(r"KPI\d{3}", l) and "=" in l]
    assert len(heads) == 4
    assert_aligned(heads)
    # the message and suggestion lines sit under the indicator column
    i = lines.index(heads[0])
    indent = cell_len(heads[0]) - cell_len(heads[0].lstrip()) + 0
    assert lines[i + 1].startswith(" ") and "越高越好" in lines[i + 1]
    assert lines[i + 2].strip() == "建议：改为“≥90%”"
    assert cell_len(lines[i + 1]) - cell_len(lines[i + 1].lstrip()) == \
        cell_len(lines[i + 2]) - cell_len(lines[i + 2].lstrip()) > indent
    assert "无法读取: unreadable" in out
    assert lines[-1] == "共检查 3 个文件、1 个项目、5 条指标；发现 4 个问题（2 个错误、2 个警告、0 个提示）。1 个文件无法读取。"
    assert not ANSI.search(out)


def assert_aligned(heads):
    """Location, code, severity and indicator each start at one display column on every line."""
    starts = set()
    for h in heads:
        fields = re.split(r"(?<=\S)  +", h.strip())
        assert len(fields) == 4, fields
        pos, cols = 0, []
        for field in fields:
            pos = h.index(field, pos)
            cols.append(cell_len(h[:pos]))
        starts.add(tuple(cols))
    assert len(starts) == 1, starts


def test_text_english_is_aligned_too():
    en = render(sample_report(), "text", RenderOptions(lang="en"))
    assert_aligned([l for l in en.splitlines() if re.search(r"KPI\d{3}", l) and "=" in l])


def test_text_colour_only_when_asked():
    coloured = render(sample_report(), "text", RenderOptions(color=True))
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == render(sample_report(), "text")


def test_text_statistics_quiet_and_english():
    stats = render(sample_report(), "text", RenderOptions(statistics=True))
    assert "规则统计：" in stats
    rows = [l for l in stats.splitlines() if re.match(r"^\s+1\s+KPI", l)]
    assert len(rows) == 4 and len({cell_len(r.split("  错误")[0].split("  警告")[0]) for r in rows}) == 1
    quiet = render(sample_report(), "text", RenderOptions(quiet=True))
    assert "共检查" not in quiet and "KPI301" in quiet
    en = render(sample_report(), "text", RenderOptions(lang="en"))
    assert "fix: 改为" in en and en.splitlines()[-1].startswith("Checked 3 files")


def test_text_for_a_clean_run_is_one_line():
    from kpicheck.report import build_report
    from kpicheck.models import FileReport

    assert render(build_report([FileReport(path="a.txt")]), "text") == \
        "共检查 1 个文件、0 个项目、0 条指标；未发现问题。\n"


# ---------------------------------------------------------------- json and json-lines


def test_json_validates_against_the_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(render(sample_report(), "json"))
    jsonschema.validate(data, schema())
    assert Report.model_validate(data) == sample_report()
    data["files"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_json_lines_one_finding_per_line():
    lines = render(sample_report(), "json-lines").splitlines()
    records = [json.loads(x) for x in lines]
    assert [r.get("code") for r in records] == ["KPI301", "KPI201", "KPI401", "KPI701", None]
    assert records[0]["path"] == DOC and records[0]["indicator"] == {"name": "服务对象满意度", "value": "≤90%"}
    assert records[-1] == {"path": "docs/broken.pdf", "error": {"code": "unreadable", "message": "无法读取文件"}}


# ---------------------------------------------------------------- sarif


def test_sarif_has_the_required_structure():
    sarif = json.loads(render(sample_report(), "sarif"))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kpicheck" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids)) and {"KPI201", "KPI301", "KPI401", "KPI701"} <= set(ids)
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
    assert len(run["results"]) == 4
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error") and result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "docs/2023%E5%B9%B4%E5%8D%95%E4%BD%8D%E9%A2%84%E7%AE%97.txt"
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]["kpicheck/v1"]
    first = run["results"][0]
    assert first["ruleId"] == "KPI301" and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 41, "startColumn": 1}
    assert "建议：改为“≥90%”" in first["message"]["text"]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and run["invocations"][0]["executionSuccessful"] is False


# ---------------------------------------------------------------- github, junit


def test_github_annotations():
    lines = render(sample_report(), "github").splitlines()
    assert lines[0] == ("::error file=docs/2023年单位预算.txt,line=41,col=1,title=KPI301 inverted-comparator::"
                        "服务对象满意度 = ≤90%25: “服务对象满意度”越高越好，目标值却用了“≤” 建议：改为“≥90%25”")
    assert lines[1].startswith("::warning file=")
    assert lines[-1].startswith("::error file=docs/broken.pdf,title=kpicheck unreadable::")


def test_github_escapes_newlines_and_property_separators():
    from kpicheck.report.github import _data, _prop

    assert _data("a\nb%") == "a%0Ab%25" and _prop("x,y:z") == "x%2Cy%3Az"


def test_junit_counts_and_failures():
    root = ET.fromstring(render(sample_report(), "junit").encode("utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "4" and root.get("errors") == "1"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites[DOC].get("tests") == "4" and len(suites[DOC].findall("testcase/failure")) == 4
    assert suites["docs/clean.txt"].findall("testcase/failure") == []
    assert suites["docs/broken.pdf"].find("testcase/error").get("type") == "unreadable"
    failure = suites[DOC].find("testcase/failure")
    assert failure.get("type") == "KPI301 inverted-comparator" and "建议：改为" in failure.text


# ---------------------------------------------------------------- csv, xlsx

HEADERS = ["文件", "项目", "位置", "一级指标", "二级指标", "三级指标", "指标值", "规则", "级别", "问题说明", "修改建议"]


def test_csv_is_the_review_sheet():
    out = render(findings_only_report(), "csv")
    assert out.startswith("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0] == HEADERS and len(rows) == 5
    assert rows[2] == [DOC, "社会保障卡运维项目", "42:1", "效益", "社会效益", "群众办事满意率", "≥95%", "KPI201",
                       "警告", "满意度指标填在了“效益/社会效益”下", "移到“满意度/服务对象满意度”"]


def test_xlsx_is_the_review_sheet():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(render(sample_report(), "xlsx")))
    sheet = book["审核意见"]
    rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS and len(rows) == 6
    assert rows[1][5:9] == ["服务对象满意度", "≤90%", "KPI301", "错误"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:K")
    assert sheet["I2"].fill.fgColor.rgb.endswith("F8CBAD")
    stats = list(book["规则统计"].iter_rows(values_only=True))
    assert stats[0] == ("规则", "名称", "级别", "数量") and len(stats) == 5


def test_xlsx_is_reproducible():
    pytest.importorskip("openpyxl")
    assert render(sample_report(), "xlsx") == render(sample_report(), "xlsx")


# ---------------------------------------------------------------- html (static checks; see test_html_browser)


def test_html_is_self_contained_and_marks_defective_cells():
    page = render(sample_report(), "html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page
    assert page.count('class="finding ') == 4
    assert re.search(r'<td class="defect sev-error" data-codes="KPI301">≤90%</td>', page)
    assert re.search(r'<td class="defect sev-warning" data-codes="KPI201">效益</td>', page)
    assert 'data-fam="KPI7"' in page and "无法读取" in page


def test_html_escapes_document_text():
    from kpicheck.report import build_report

    files = sample_report().files
    files[0].indicators[0].name = "<script>alert(1)</script>"
    page = render(build_report(files), "html")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_text_pads_cjk_locations_by_display_width():
    from kpicheck.models import Position
    from kpicheck.report import build_report

    files = sample_report().files
    findings = files[0].findings
    findings[0].pos = Position(sheet="绩效目标表", cell="C7")
    findings[1].pos = Position(sheet="Sheet1", cell="D12")
    out = render(build_report(files), "text")
    heads = [l for l in out.splitlines() if re.search(r"KPI\d{3}", l) and "=" in l]
    assert heads[0].lstrip().startswith("绩效目标表!C7") and heads[1].lstrip().startswith("Sheet1!D12")
    assert_aligned(heads)


# ---------------------------------------------------------------- streaming (the CLI's batch path)


@pytest.mark.parametrize("fmt", ["json", "json-lines", "github", "csv", "text"])
def test_streamed_pieces_make_the_same_bytes_as_the_whole_report(fmt):
    from kpicheck.models import FileError, FileReport
    from kpicheck.report.stream import stream_all
    from kpicheck_samples import sample_files

    odd = FileReport(path='docs/带"引号"\n与换行.txt', error=FileError(code="corrupt", message="第1行\n第2行"))
    batches = [sample_files(), sample_files()[1:2], [], [odd, *sample_files()], sample_files()[:1] * 3]
    options = [RenderOptions(), RenderOptions(lang="en", statistics=True), RenderOptions(quiet=True),
               RenderOptions(color=True, statistics=True)]
    for files in batches:
        from kpicheck.report import build_report

        for opts in options:
            assert stream_all(files, fmt, opts) == render(build_report(files), fmt, opts), (len(files), opts)


def test_streamed_tallies_add_up_to_the_summary():
    from kpicheck.report import build_report
    from kpicheck.report.stream import Totals, tally
    from kpicheck_samples import sample_files

    files = sample_files() * 2
    totals = Totals()
    for f in files:
        totals.add(tally(f))
    assert totals.summary() == build_report(files).summary
    assert set(totals.samples()) == {"KPI301", "KPI201", "KPI401", "KPI701"}
