"""KPI2xx classification rules: documented examples in both languages, plus real cases."""
from __future__ import annotations

import pytest

from kpicheck.config import Config
from kpicheck.models import FileReport, Indicator
from kpicheck.pipeline import understand
from kpicheck.rules import run_rules
from tests.rule_examples import assert_documented, assert_examples, family_rules

RULES = family_rules("KPI2")


def test_family_has_its_rules():
    assert {"KPI201", "KPI202", "KPI203", "KPI204", "KPI205", "KPI206", "KPI207"} <= {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples(rule):
    assert_documented(rule)
    assert_examples(rule)


def _codes(**row):
    ind = Indicator(id="i1", project="p", **row)
    understand([ind])
    found = run_rules(FileReport(path="t", indicators=[ind]), Config(select=["KPI2"]))
    return [(f.code, f.severity) for f in found]


def test_legacy_cost_under_output_is_info_only():
    assert _codes(declared_level1="产出", declared_level2="成本", name="劳务派遣工资", value="13.2万") == [("KPI206", "info")]


def test_wages_as_output_and_payment_as_benefit():
    assert ("KPI202", "warning") in _codes(declared_level1="产出", name="工作人员工资", value="6人")
    assert ("KPI202", "warning") in _codes(declared_level1="效益", name="工资正常发放", value="按时按量")


def test_payment_schedule_is_not_money():
    assert _codes(declared_level1="产出", name="按年度支付", value="<2次") == []


def test_traditional_funds_in_place_rate():
    assert ("KPI202", "warning") in _codes(declared_level1="产出", declared_level2="质量",
                                           name="業(yè)務(wù)工作支出到位率", value="100%")


def test_people_count_as_social_cost_under_benefit_is_two_findings():
    codes = {c for c, _ in _codes(declared_level1="效益", declared_level2="社会成本", name="服务全市参保人群", value="1100余万人")}
    assert codes == {"KPI203", "KPI204"}


def test_deadline_under_timeliness_passes():
    assert _codes(declared_level1="产出", declared_level2="时效", name="运维维护时间", value="2023年12月31日") == []


def test_unknown_level1_is_reported_on_every_row_it_heads_and_not_on_known_ones():
    from kpicheck.api import check_text

    text = ("一级指标\t二级指标\t三级指标\t指标值\n"
            "项目决策\t数量指标\t宣传次数\t至少全年完成2次宣传\n"
            "\t质量指标\t创建质量\t验收合格率100%\n"
            "项目效益\t社会效益指标\t维权意识知晓率\t≥80%\n")
    f = check_text(text).files[0]
    hits = [x for x in f.findings if x.code == "KPI208"]
    assert sorted(h.message.split("”")[0].split("“")[1] for h in hits) == ["创建质量", "宣传次数"]
    assert all("项目决策" in h.message for h in hits)
