"""benchmarks/invariants.py: each label-free check detects what it is for, on texts written here.

The parser's own output is replaced by fixed reports where a check must be seen to fire
whatever the parser does today (a silent pass, unstable extraction); the signals, the name
classes, the weight sums and the perturbations are checked directly."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kpicheck.models import Finding, FileReport, Indicator, Project, Report, ToolInfo

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "invariants.py"
_spec = importlib.util.spec_from_file_location("invariants_script", _PATH)
inv = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = inv  # dataclasses look their module up while the script loads
_spec.loader.exec_module(inv)

TABLE = """2024年项目支出绩效目标表
项目名称 | 农民技能培训
一级指标 | 二级指标 | 三级指标 | 指标值 | 分值
产出指标 | 数量指标 | 培训人数 | ≥100人 | 30
产出指标 | 质量指标 | 培训合格率 | ≥95% | 30
效益指标 | 社会效益指标 | 参训农民就业率 | ≥60% | 30
满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥95% | 10
合计 | | | | 100
"""

PROSE = """2023年,本中心在局党组的领导下认真履行职责,加强内部管理,规范财务行为,
各项工作有序推进。下一步将继续改进工作作风,提高服务水平。
"""


def _report(indicators=(), findings=(), projects=()) -> Report:
    return Report(tool=ToolInfo(version="test"),
                  files=[FileReport(path="<t>", indicators=list(indicators), findings=list(findings),
                                    projects=list(projects))])


def _ind(n: int, name: str, value: str = "≥1", **kw) -> Indicator:
    return Indicator(id=f"I{n}", name=name, value=value, **kw)


def test_signals_tell_a_table_from_prose():
    table, prose = inv.table_signals(TABLE), inv.table_signals(PROSE)
    assert table.table and table.labels >= 4 and table.header >= 2 and table.values >= 4
    assert not prose.table and prose.labels == 0 and prose.values == 0


def test_silent_pass_is_flagged_unless_kpi100_reports_the_table(monkeypatch):
    monkeypatch.setattr(inv, "check_text", lambda text, path: _report())
    monkeypatch.setattr(inv, "extract_text", lambda text, path: _report())
    assert inv.check_document(TABLE).silent_pass
    assert not inv.check_document(PROSE).silent_pass  # no table signals: nothing was expected

    kpi100 = Finding(code="KPI100", name="unreadable-table", severity="error", message="未能完整识别绩效指标表")
    monkeypatch.setattr(inv, "check_text", lambda text, path: _report(findings=[kpi100]))
    res = inv.check_document(TABLE)
    assert res.kpi100 and not res.silent_pass


def test_the_real_reader_on_the_small_table_is_no_silent_pass():
    res = inv.check_document(TABLE, "table.txt")
    assert res.has_table and res.indicators >= 4 and not res.silent_pass
    assert not res.bad_names, res.bad_names  # 合计 and the header row are not indicators


@pytest.mark.parametrize("name, kind", [
    ("", "empty"), (" | ", "empty"), ("一级指标", "header"), ("指标值", "header"), ("分值", "header"),
    ("产出指标", "label"), ("效益指标社会效益指标", "label"), ("合计", "total"), ("总分", "total"),
    ("单位负责人:", "signature"), ("财政部门审核意见", "signature"), ("2023年12月", "date"),
    ("年 月 日", "date"), ("-2-", "page"), ("≥95%", "value"), ("75元75元", "value"),
    ("……总分", "total"), ("……", "placeholder"), ("指标2:", "placeholder"),
    ("培训人数", None), ("服务对象满意度", None), ("参训人员满意度", None), ("经费支出合规性", None),
])
def test_junk_names_are_classified(name, kind):
    assert inv.junk_kind(name) == kind


def test_bad_names_found_in_a_report(monkeypatch):
    monkeypatch.setattr(inv, "check_text", lambda text, path: _report(
        [_ind(1, "培训人数"), _ind(2, "合计", "100"), _ind(3, "三级指标", "指标值")]))
    monkeypatch.setattr(inv, "extract_text", lambda text, path: _report())
    res = inv.check_document(TABLE)
    assert res.bad_names == {"total": ["合计"], "header": ["三级指标"]}


def test_weights_against_printed_totals_and_subtotals():
    right = [_ind(i, f"指标{i}名", weight=w) for i, w in enumerate(["30", "30", "30", "10"])]
    assert inv.check_weights(_report(right).files[0], TABLE).status == "ok"
    short = right[:3]
    check = inv.check_weights(_report(short).files[0], TABLE)
    assert check.status == "mismatch" and "90" in check.detail and "100" in check.detail
    assert inv.check_weights(_report([_ind(1, "培训人数")]).files[0], TABLE).status == "no-weights"
    assert inv.check_weights(_report(right).files[0], PROSE).status == "no-total"
    # the 预算执行率 10分 of a self-evaluation sits in the funds block, not among the indicators
    funds = Project(name="p", total_weight="100",
                    funds={"rows": [{"label": "年度资金总额", "weight": "10"}]})
    ninety = [_ind(i, f"指标{i}名", project="p", weight="30") for i in range(3)]
    assert inv.check_weights(_report(ninety, projects=[funds]).files[0], "").status == "ok"
    # a printed subtotal 产出指标(60分) must be met by the 产出 rows
    sub = [_ind(1, "培训人数", weight="30", declared_level1_raw="产出指标(60分)"),
           _ind(2, "合格率", weight="20", declared_level1_raw="产出指标(60分)")]
    check = inv.check_weights(_report(sub).files[0], "")
    assert check.status == "mismatch" and "50" in check.detail
    # a subtotal whose rows carry no weight (the document is cut before them) is not checked
    cut = [_ind(1, "培训人数", weight="30"), _ind(2, "满意度", declared_level1_raw="满意度指标(10分)")]
    assert inv.check_weights(_report(cut).files[0], "").status == "no-total"


def test_perturbations_move_whitespace_only():
    text = TABLE + "产出指标 数量指标 培训人数 ≥100人 30 这一行足够长可以在中间的空格处拆开成两行\n"
    squeeze = lambda s: re.sub(r"\s", "", s)  # noqa: E731
    for kind in inv.PERTURBATIONS:
        assert squeeze(inv.perturb(text, kind)) == squeeze(text), kind
    assert " " not in inv.perturb(text, "nospace")
    assert inv.perturb(text, "nospace").count("\n") == text.count("\n")
    assert inv.perturb(text, "join").count("\n") < text.count("\n")
    assert inv.perturb(text, "split").count("\n") > text.count("\n")
    with pytest.raises(ValueError):
        inv.perturb(text, "shuffle")


def test_stability_is_the_overlap_of_name_value_pairs(monkeypatch):
    a, b = _ind(1, "培训 人数", "≥100人"), _ind(2, "培训合格率", "≥95%")
    assert inv.pairs(_report([a]).files[0]) == {("培训人数", "≥100人")}
    assert inv.overlap({1, 2}, {1}) == 0.5 and inv.overlap(set(), set()) is None

    monkeypatch.setattr(inv, "check_text", lambda text, path: _report([a, b]))
    monkeypatch.setattr(inv, "extract_text", lambda text, path: _report([a, b]))
    assert set(inv.check_document(TABLE).stability.values()) == {1.0}
    # a reader that loses a row when spaces go is caught, and only on that perturbation
    monkeypatch.setattr(inv, "extract_text",
                        lambda text, path: _report([b] if " " not in text else [a, b]))
    stab = inv.check_document(TABLE).stability
    assert stab["nospace"] == 0.5 and stab["join"] == 1.0


def test_documents_never_include_the_set_aside(tmp_path):
    for stem in ("h044", "c001"):
        (tmp_path / f"{stem}.txt").write_text(TABLE, encoding="utf-8")
    assert [p.stem for p in inv.documents([str(tmp_path)])] == ["c001"]
    with pytest.raises(FileNotFoundError):
        inv.documents([str(tmp_path / "missing")])
