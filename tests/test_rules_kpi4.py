"""KPI4 dates and time: documented examples (both languages) and real value strings."""
from __future__ import annotations

import pytest

from tests.rule_examples import check_documented_examples, codes_for, run

FAMILY = "KPI4"


@pytest.mark.parametrize("code", codes_for(FAMILY))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documented_examples(code, lang):
    check_documented_examples(code, lang)



def codes(name, value, l1="产出", l2="时效", **kw):
    return [f.code for f in run(name, value, l1, l2, **kw) if f.code.startswith(FAMILY)]


@pytest.mark.parametrize("name,value,l2", [
    ("年底以前达到预期目标", "年底以前达到预期目标", "时效"),
    ("项目实施时间", "2021年1月-12月", "时效"),
    ("资金拨付", "12月底到位", "时效"),
    ("维持时效", "≥1年", "时效"),
    ("工程设计使用年限", "≥20年", "可持续影响"),
    ("鉴定工作时间落实", "12月", "时效"),
    ("社会保障卡申领", "批量制卡29个工作日、即时制卡即办即领", "时效"),
    ("2021年度", "2021年度按月实施", "时效"),
])
def test_not_flagged(name, value, l2):
    year = 2021 if "2021" in value else 2023
    assert codes(name, value, l2=l2, budget_year=year) == []


def test_impossible_day_gets_the_last_day_of_the_month():
    [f] = [f for f in run("运维维护时间", "2023年11月31日前", "产出", "时效") if f.code == "KPI401"]
    assert f.fix == "2023年11月30日前" and "11月" in f.message


def test_february_29_depends_on_the_year():
    assert "KPI401" in codes("完成时间", "2023年2月29日")
    assert "KPI401" not in codes("完成时间", "2024年2月29日", budget_year=2024)
    assert "KPI401" in codes("完成时间", "2月29日前", budget_year=2023)


def test_implausible_year_hints_the_intended_one():
    [f] = [f for f in run("项目实施时间", "202101-302112", "产出", "时效", budget_year=2021) if f.code == "KPI401"]
    assert "2021" in f.suggestion and f.fix is None


def test_month_13():
    assert "KPI401" in codes("完成时间", "2023年13月1日")


def test_excel_serial_is_converted():
    [f] = [f for f in run("工作计划按时完成时间", "=44,561 44,561", "产出", "时效", budget_year=2021)
           if f.code == "KPI402"]
    assert f.fix == "2021年12月31日"


def test_count_is_not_a_serial():
    assert "KPI402" not in codes("免费开放接待观众人数", "=45000人次", l1="效益", l2="社会效益")


def test_annual_period_running_into_next_year():
    assert "KPI403" in codes("服务周期", "2023.07-2024.01")
    assert "KPI403" not in codes("服务周期", "2023.07-2024.01", period="long_term")
    assert "KPI403" in codes("完成时间", "2022年12月31日前")


def test_annual_window_longer_than_a_year():
    assert "KPI403" in codes("按年度支付", "<2年", l2=None)
    assert "KPI403" not in codes("按年度支付", "<2次", l2=None)


def test_period_order():
    assert "KPI404" in codes("服务周期", "2023.09-2023.03")
    assert "KPI404" not in codes("服务周期", "2023.03-2023.09")


def test_project_period_printed_outside_the_table():
    from kpicheck.config import Config
    from kpicheck.models import FileReport, Project
    from kpicheck.rules import run_rules

    report = FileReport(path="x", budget_year=2021, projects=[
        Project(name="劳务派遣人员工资", budget_year=2021, period_text="202101 302112"),
        Project(name="网络专线", budget_year=2021, period_text="202101 202112")])
    found = [f for f in run_rules(report, Config(select=["KPI401"]))]
    assert [(f.project, f.indicator_id) for f in found] == [("劳务派遣人员工资", None)]
    assert "3021" in found[0].message and "2021" in found[0].suggestion
