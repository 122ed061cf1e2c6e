"""Baselines: fingerprints ignore line numbers and whitespace; write → check round-trips; stale
entries are reported; reasons survive a rewrite."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kpicheck import baseline as bl
from kpicheck.cli import app
from kpicheck.models import Position
from kpicheck_samples import DOC_WITH_ERROR, DOC_WITH_WARNING, TEST_SELECT, install_fakes, sample_files

runner = CliRunner()


def test_fingerprint_ignores_position_folder_and_whitespace():
    (f, *_) = sample_files()
    x = f.findings[0]
    fp = bl.fingerprint(f.path, x)
    moved = x.model_copy(update={"line": 99, "pos": Position(line=99, column=7)})
    assert bl.fingerprint("elsewhere/2023年单位预算.txt", moved) == fp
    assert bl.fingerprint("C:\\审核\\2023年单位预算.txt", x) == fp
    spaced = x.model_copy(update={"indicator": {"name": "服务对象 满意度", "value": "≤ 90%"}})
    assert bl.fingerprint(f.path, spaced) == fp


def test_fingerprint_changes_with_rule_document_or_value():
    (f, *_) = sample_files()
    x = f.findings[0]
    fp = bl.fingerprint(f.path, x)
    assert bl.fingerprint("other.txt", x) != fp
    assert bl.fingerprint(f.path, x.model_copy(update={"code": "KPI302"})) != fp
    assert bl.fingerprint(f.path, x.model_copy(update={"indicator": {"name": "服务对象满意度", "value": "≤85%"}})) != fp


def test_round_trip_suppresses_everything_and_nothing_is_stale(tmp_path):
    files = sample_files()
    path = tmp_path / "baseline.json"
    bl.save(bl.build(files, "经科室确认，待下一年度修订"), path)
    loaded = bl.load(path)
    assert len(loaded.entries) == 4 and {e.reason for e in loaded.entries} == {"经科室确认，待下一年度修订"}
    again = sample_files()
    applied = bl.apply(again, loaded)
    assert applied.suppressed == 4 and applied.stale == [] and again[0].findings == []


def test_fixed_finding_makes_its_entry_stale_but_unchecked_documents_are_not_judged():
    files = sample_files()
    baseline = bl.build(files)
    fixed = sample_files()
    fixed[0].findings = fixed[0].findings[1:]  # the first defect was corrected
    applied = bl.apply(fixed, baseline)
    assert applied.suppressed == 3 and [e.code for e in applied.stale] == ["KPI301"]
    assert bl.apply(sample_files()[1:], baseline).stale == []  # that document was not checked


def test_rewrite_keeps_reasons(tmp_path):
    path = tmp_path / "b.json"
    first = bl.build(sample_files())
    first.entries[0].reason = "预算科同意保留"
    bl.save(first, path)
    rebuilt = bl.build(sample_files(), previous=bl.load(path))
    assert rebuilt.entries[0].reason == "预算科同意保留"
    assert rebuilt.entries[1].reason == bl.DEFAULT_REASON


@pytest.mark.parametrize("text, words", [
    ("{not json", "不是有效的 JSON"),
    ('{"entries": [{"fingerprint": "x", "code": "KPI301", "document": "a.txt", "reason": ""}]}', "reason"),
    ('{"entries": [], "extra": 1}', "extra"),
])
def test_bad_baselines_are_rejected(tmp_path, text, words):
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(bl.BaselineError, match=words):
        bl.load(path)


def test_cli_write_then_check_with_baseline(tmp_path, monkeypatch):
    install_fakes(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "表.txt").write_text(DOC_WITH_ERROR, encoding="utf-8")
    written = runner.invoke(app, ["check", "表.txt", *TEST_SELECT, "--write-baseline", "kb.json",
                                  "--baseline-reason", "历史遗留"])
    assert written.exit_code == 0 and "已写入基线" in written.stderr and written.stdout == ""
    entries = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))["entries"]
    assert [(e["code"], e["indicator"], e["reason"]) for e in entries] == [
        ("KPI398", "服务对象满意度", "历史遗留"), ("KPI798", "系统运行效果", "历史遗留")]

    clean = runner.invoke(app, ["check", "表.txt", *TEST_SELECT, "--baseline", "kb.json", "--format", "json"])
    assert clean.exit_code == 0 and json.loads(clean.stdout)["summary"]["findings"] == 0
    assert "忽略了 2 个问题" in clean.stderr

    # the document is edited: lines move, one defect is fixed, a new one appears
    (tmp_path / "表.txt").write_text("\n\n" + DOC_WITH_ERROR.replace("有效提升", "≥10%") + DOC_WITH_WARNING,
                                     encoding="utf-8")
    after = runner.invoke(app, ["check", "表.txt", *TEST_SELECT, "--baseline", "kb.json", "--format", "json"])
    report = json.loads(after.stdout)
    assert [x["indicator"]["name"] for x in report["files"][0]["findings"]] == ["档案利用效果"]
    assert "过期条目" in after.stderr and "系统运行效果" in after.stderr
    quiet = runner.invoke(app, ["check", "表.txt", *TEST_SELECT, "--baseline", "kb.json", "-q"])
    assert quiet.stderr == ""


def test_cli_missing_baseline_exits_2(tmp_path, monkeypatch):
    install_fakes(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "表.txt").write_text(DOC_WITH_ERROR, encoding="utf-8")
    result = runner.invoke(app, ["check", "表.txt", "--baseline", "none.json"])
    assert result.exit_code == 2 and "找不到基线文件" in result.stderr


SELF_EVALUATION = """项目支出绩效自评表
(2022年度)
项目名称 水旱灾害防御经费
项目资金
(万元)
年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
年度资金总额: 329.77 329.77 338.31 10 102.59% 10
"""


def test_an_entry_written_under_a_code_that_moved_still_suppresses_its_finding(tmp_path):
    """A baseline written when spending above the budget was KPI808 (now KPI608, a redirect, as
    --select and the config honour it) keeps suppressing the finding and is not stale."""
    from kpicheck.api import check_text

    files = check_text(SELF_EVALUATION, path="自评表.txt", config={"select": ["KPI6"]}).files
    assert [x.code for x in files[0].findings] == ["KPI608"]
    old = bl.build(files)
    for entry in old.entries:  # as the kpicheck of that time wrote it
        finding = files[0].findings[0].model_copy(update={"code": "KPI808"})
        entry.code, entry.fingerprint = "KPI808", bl.fingerprint("自评表.txt", finding)
    bl.save(old, tmp_path / "baseline.json")
    applied = bl.apply(files, bl.load(tmp_path / "baseline.json"))
    assert (applied.suppressed, applied.stale, files[0].findings) == (1, [], [])
