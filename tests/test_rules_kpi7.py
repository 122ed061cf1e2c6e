"""KPI7xx measurability rules: documented examples in both languages, plus real cases."""
from __future__ import annotations

import pytest

from kpicheck.config import Config
from kpicheck.models import FileReport, Indicator
from kpicheck.pipeline import understand
from kpicheck.rules import run_rules
from tests.rule_examples import assert_documented, assert_examples, family_rules

RULES = family_rules("KPI7")


def test_family_has_its_rules():
    assert {"KPI701", "KPI702", "KPI703"} <= {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples(rule):
    assert_documented(rule)
    assert_examples(rule)


def _codes(name, value, **fields):
    ind = Indicator(id="i1", project="p", name=name, value=value, **fields)
    understand([ind])
    return [(f.code, f.severity) for f in run_rules(FileReport(path="t", indicators=[ind]), Config(select=["KPI7"]))]


@pytest.mark.parametrize("value", ["明显提高", "有效执行", "群众满意度高", "质量好使用率高。", "持续发展", "长远", "增加岗位"])
def test_vague_values(value):
    assert _codes("某项指标", value, declared_level1="效益") == [("KPI701", "warning")]


@pytest.mark.parametrize("value", ["年底以前达到预期目标", "优良", "100%完成", "网络专线一条", "百分之百", "按时", "各项支出不超出预算安排"])
def test_measurable_values(value):
    # not vague (KPI701); 按时 read as a 时效 row is KPI703's, which the test below covers
    assert [c for c in _codes("某项指标", value, declared_level1="产出") if c[0] != "KPI703"] == []


def test_grade_on_a_quantitative_row_is_flagged():
    assert _codes("工作安排时间", "按月安排", value_type="定量") == [("KPI701", "warning")]


def test_slogan_with_a_percentage_is_a_warning():
    assert _codes("促进村集体经济发展", "≥95%", declared_level1="效益") == [("KPI702", "warning")]
    assert _codes("保障村社区正常运转", "≥95%", declared_level1="产出") == []


def _timeliness(name, value, l1="产出", l2="时效"):
    return [c for c, _ in _codes(name, value, declared_level1=l1, declared_level2=l2)]


def test_timeliness_without_time_is_a_measurability_defect():
    """及时/按时 with no date on a 时效 row: KPI703 (once KPI405; ANNOTATION convention 6 puts it
    in KPI7), reported once: KPI701 does not report it again."""
    assert _timeliness("完成时间", "按时") == ["KPI703"]
    assert _timeliness("工作完成进度", "及时完成") == ["KPI703"]
    assert _timeliness("费用结算及时性", "及时") == ["KPI703"]
    assert "KPI703" not in _timeliness("完成及时率", "=100%")
    assert "KPI703" not in _timeliness("工资发放情况", "按时", l1="效益", l2=None)
    assert "KPI703" not in _timeliness("完成时间", "每月1次")


def test_a_fund_management_rule_filed_as_a_result_is_reported_once_by_kpi202():
    """专款专用 under 产出: the indicator itself is the defect (an input); its value, vague as it
    is, is the same defect and not reported again by KPI701."""
    from kpicheck.api import check_indicators

    found = check_indicators([
        {"declared_level1": "产出", "declared_level2": "质量", "name": "保证专项补助资金专款专用", "value": "专款专用"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "道路养护质量", "value": "明显提升"},
    ]).files[0].findings
    codes = {(f.code, f.indicator_id) for f in found}
    first, second = sorted({f.indicator_id for f in found if f.indicator_id})[:2]
    assert ("KPI202", first) in codes and ("KPI701", first) not in codes
    assert ("KPI701", second) in codes


def test_a_percentage_on_a_problem_to_be_solved_names_no_measure():
    # 建档立卡个人缴费县级配套资金: '是否解决建档立卡人员看病难贵问题 | 95%' under 社会效益: 95% of what?
    assert ("KPI701", "warning") in _codes("是否解决建档立卡人员看病难贵问题", "95%",
                                           declared_level1="效益", declared_level2="社会效益")
    # a share of something done still says what it counts, and a rate of problems solved is a measure
    assert _codes("资金是否全部纳入医保统筹", "100%", declared_level1="产出", declared_level2="质量") == []
    assert _codes("群众反映问题解决率", "≥95%", declared_level1="效益", declared_level2="社会效益") == []


def test_an_administrative_rank_is_a_graded_level():
    # 市级文物保护专项经费: '修缮级别 | 市级保护单位' states the listed rank the repaired site holds
    assert _codes("修缮级别", "市级保护单位", declared_level1="产出", declared_level2="数量") == []
    assert _codes("示范基地创建", "省级及以上", declared_level1="效益", declared_level2="社会效益") == []
    # a rank word is not a licence for any phrase after it
    assert ("KPI701", "warning") in _codes("修缮级别", "市级部门高度重视", declared_level1="产出",
                                           declared_level2="数量")


def test_a_bare_change_is_vague_even_as_an_environmental_cost():
    # 博物馆纪念馆市级免费开放补助资金: '提升博物馆绿化水平 | 提升' filed under 成本/生态环境成本
    assert ("KPI701", "warning") in _codes("提升博物馆绿化水平", "提升", declared_level1="成本",
                                           declared_level2="生态环境成本")
    # an environmental cost stated as an absence of harm is still a checkable statement
    assert _codes("施工对周边环境影响", "无明显影响", declared_level1="成本", declared_level2="生态环境成本") == []


def test_an_adverb_of_change_alone_is_no_graded_level():
    # 徽州区 2025 电影专项资金 自评表 (安徽): '提升放映质量 | 明显' states no standard; 明显, 显著 and
    # 有所 qualify a change, they are no level of a scale (好, 较好 and 合格 are)
    from kpicheck.api import check_indicators
    found = check_indicators([
        {"declared_level1": "产出", "declared_level2": "质量", "name": "提升放映质量", "value": "明显"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "放映设备完好率", "value": "较好"}]).files[0].findings
    assert [f.indicator["name"] for f in found if f.code == "KPI701"] == ["提升放映质量"]
