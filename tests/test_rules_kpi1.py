"""KPI1xx structure rules: documented examples in both languages, plus real cases."""
from __future__ import annotations

import pytest

from kpicheck.config import Config
from kpicheck.models import FileReport, Indicator, Project
from kpicheck.pipeline import understand
from kpicheck.rules import run_rules
from tests.rule_examples import assert_documented, assert_examples, family_rules

RULES = family_rules("KPI1")


def test_family_has_its_rules():
    assert {"KPI101", "KPI102", "KPI103", "KPI104", "KPI105", "KPI106", "KPI107"} <= {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples(rule):
    assert_documented(rule)
    assert_examples(rule)


def _run(rows, projects=(), codes=("KPI1",)):
    inds = [Indicator(id=f"i{n}", line=n, **row) for n, row in enumerate(rows, 1)]
    understand(inds)
    report = FileReport(path="t.txt", projects=[Project(name=p) for p in projects], indicators=inds)
    return run_rules(report, Config(select=list(codes)))


def test_missing_satisfaction_at_the_end_of_the_last_project_may_be_a_cut_table():
    rows = [dict(project="甲", declared_level1="产出", name="出差人数", value="=8人"),
            dict(project="甲", declared_level1="效益", name="社会知晓率", value="≥90%")]
    assert not _run(rows, ["甲"], ["KPI101"])
    # the same gap in a project followed by another one is real
    rows.append(dict(project="乙", declared_level1="产出", name="发放人数", value="63人"))
    rows.append(dict(project="乙", declared_level1="效益", name="受助率", value="=100%"))
    rows.append(dict(project="乙", declared_level1="满意度", name="受益群众满意度", value="≥90%"))
    found = _run(rows, ["甲", "乙"], ["KPI101"])
    assert [(f.project, f.indicator_id) for f in found] == [("甲", None)]
    assert "满意度" in found[0].message


def test_satisfaction_misfiled_under_benefit_still_counts_as_satisfaction():
    rows = [dict(project="甲", declared_level1="产出", name="信息运维系统建设数", value="1个"),
            dict(project="甲", declared_level1="效益", declared_level2="社会效益", name="持卡人满意度", value="≥90%"),
            dict(project="乙", declared_level1="产出", name="x数", value="1个")]
    assert all(f.project != "甲" for f in _run(rows, ["甲", "乙"], ["KPI101"]))


def test_traditional_category_label_as_name():
    found = _run([dict(declared_level1="产出", declared_level2="成本", name="社會(huì)成本指標(biāo)", value="100%")],
                 codes=["KPI106"])
    assert len(found) == 1 and "社会成本指标" in found[0].message


def test_placeholder_in_name_with_percent():
    found = _run([dict(declared_level1="产出", name="种植作物成活率(≥**%)", value=">=85")], codes=["KPI102"])
    assert len(found) == 1 and "(≥**%)" in found[0].message and found[0].severity == "error"


def test_duplicate_with_same_value_is_not_a_conflict():
    rows = [dict(declared_level1="产出", declared_level2="成本", name="劳务费", value="4619.5元/万元"),
            dict(declared_level1="产出", declared_level2="成本", name="劳务费", value="4619.5元/万元"),
            dict(declared_level1="产出", declared_level2="成本", name="劳务费", value="462元/万元", period="long_term")]
    assert not _run(rows, codes=["KPI105"])


def test_empty_goal_statement_is_not_a_missing_value():
    rows = [dict(declared_level1="效益", name="充实社保窗口工作提高工作效率", value=""),
            dict(declared_level1="产出", name="完成时间", value="")]
    found = _run(rows, codes=["KPI103"])
    assert [f.indicator_id for f in found] == ["i2"]


# The same table, once followed by its 合计 row and signatures (complete), once ending the file
# (it may be cut off before its 满意度 rows, so their absence is not judged).
_TABLE_NO_SATISFACTION = "\n".join([
    "项目名称\t乡镇敬老院运行补助",
    "一级指标\t二级指标\t三级指标\t指标值",
    "产出指标\t数量指标\t供养老人人数\t≥40人",
    "效益指标\t社会效益指标\t老人生活条件改善率\t≥90%",
])


def test_missing_satisfaction_is_flagged_when_the_table_visibly_ends():
    from kpicheck.api import check_text

    report = check_text(_TABLE_NO_SATISFACTION + "\n合计\t\t\t100\n项目负责人:\t财务负责人:").files[0]
    assert report.truncated is False
    assert [(f.code, f.project) for f in report.findings if f.code == "KPI101"] == [("KPI101", "乡镇敬老院运行补助")]


def test_a_table_ending_the_file_may_be_cut_and_is_not_judged_for_later_categories():
    from kpicheck.api import check_text

    report = check_text(_TABLE_NO_SATISFACTION).files[0]
    assert report.truncated is None
    assert [f for f in report.findings if f.code == "KPI101"] == []
