"""KPI5 units and numbers: documented examples (both languages) and real value strings."""
from __future__ import annotations

import pytest

from tests.rule_examples import check_documented_examples, codes_for, run

FAMILY = "KPI5"


@pytest.mark.parametrize("code", codes_for(FAMILY))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documented_examples(code, lang):
    check_documented_examples(code, lang)



def codes(name, value, l1="产出", l2=None, **kw):
    return [f.code for f in run(name, value, l1, l2, **kw) if f.code.startswith(FAMILY)]


@pytest.mark.parametrize("name,value,l1", [
    ("系统运行时间及故障处理时效", "系统7*24小时运行,系统可用度>99.9%,出现故障4小时内应急处置", "产出"),
    ("系统可用度", ">99.9%", "产出"),
    ("服务全市参保对象", "1100余万人", "产出"),
    ("控制在预算成本内", "250万", "成本"),
    ("劳务派遣工资", "13.2万", "成本"),
    ("订阅党报党刊", "6280元购买书籍3000元", "成本"),
    ("加强社保卡的发放覆盖", "全区99.5%人员社保卡发放完毕", "产出"),
    ("社保卡补卡换卡数量", "三代卡补卡换卡年增7万张", "产出"),
    ("运维维护时间", "2023年11月31日", "产出"),
    ("2021年度", "2021年度按月实施", "产出"),
    ("新建保鲜库面积", "3550平方米", "产出"),
    ("免费开放接待观众人数", "=30000人次", "效益"),
    ("补助标准", "1600元/亩", "成本"),
    ("鉴定工作时间落实", "12月", "产出"),
    ("群众满意度", "≥90分", "满意度"),
    ("生活垃圾清运量", "120车", "产出"),
    ("秸秆综合利用点数量", "5个", "产出"),
])
def test_not_flagged(name, value, l1):
    assert codes(name, value, l1) == []


@pytest.mark.parametrize("name,value,l1,code", [
    ("网络租赁成本", "4620.12元/万元", "成本", "KPI501"),
    ("业务工作支出安排金额", "28.8萬元%", "产出", "KPI501"),
    ("各项工作完成及时率", "%=99百分比", "产出", "KPI501"),
    ("保证单位正常运转", "應保盡保%", "效益", "KPI501"),
    ("网络线", "0.36其他实际支出", "成本", "KPI502"),
    ("出差人数", "=8", "产出", "KPI502"),
    ("电子社保卡注册用户", "约500万", "产出", "KPI502"),
    ("黄金蜜(葡萄)补助成本(≤**元/株)", "≤28.40/株", "成本", "KPI502"),
    ("开展各种文艺活动场次", "20", None, "KPI502"),
    ("受益脱贫户、监测户人口数(≥**户)", "≥10户", "效益", "KPI503"),
    ("村组干部230人", "≥230个", "产出", "KPI503"),
    ("项目维持时效", "≥95%", "效益", "KPI503"),
    ("监督抽检批次", "≥100组", "产出", "KPI503"),
    ("消化利用农作物秸秆数量", "5个", "产出", "KPI503"),  # 澧县食用菌研究所: the sites were counted
    ("生活垃圾处理量", "3家", "产出", "KPI503"),
    ("验收合格率", "103%", "产出", "KPI504"),
    ("按年度支付", "1一次性支付", "产出", "KPI505"),
    ("资金使用效率", "二100百分比", "成本", "KPI505"),
    ("博物馆绩效考核指标完成率", "=100百分比", "产出", "KPI506"),
    ("武汉人社支付宝和微信小程序访问量", "日均访问量400万人/次", "产出", "KPI506"),
    ("出差单位成本", "=0万元/人", "成本", "KPI507"),
])
def test_flagged(name, value, l1, code):
    assert code in codes(name, value, l1)


def test_ocr_hint_for_a_leading_2():
    [f] = [f for f in run("验收合格率", "292%", "产出") if f.code == "KPI504"]
    assert "≥92%" in f.suggestion


def test_safe_fixes_only_where_meaning_cannot_change():
    [area] = [f for f in run("单位承担面积", "≤1780平方", "产出") if f.code == "KPI506"]
    assert area.fix == "≤1780平方米"
    [mega] = [f for f in run("网络带宽", "≥100M", "产出") if f.code == "KPI506"]
    assert mega.fix is None and "Mbps" in mega.suggestion
    [doubled] = [f for f in run("服务对象满意度", "%=99百分比", "满意度") if f.code == "KPI501"]
    assert doubled.fix == "=99%"


def test_money_per_money_is_softer_for_a_ratio_indicator():
    [f] = [f for f in run("每万元产值能耗成本", "≤12元/万元", "成本") if f.code == "KPI501"]
    assert f.severity == "warning"


def test_english_messages():
    [f] = [f for f in run("网络租赁成本", "4620.12元/万元", "成本", lang="en") if f.code == "KPI501"]
    assert "money by money" in f.message


def test_malformed_amount_in_the_project_goal():
    from kpicheck.config import Config
    from kpicheck.models import FileReport, Project
    from kpicheck.rules import run_rules

    report = FileReport(path="x", projects=[
        Project(name="制卡经费项目", goal_text="项目预算经费申报为 1000,000.00 元，用于制卡。"),
        Project(name="网络项目", goal_text="预算 1,000,000.00 元，保障 2023 年网络运行。")])
    found = run_rules(report, Config(select=["KPI505"]))
    assert [f.project for f in found] == ["制卡经费项目"] and "1000,000.00" in found[0].message


def test_people_under_a_cost_heading_are_not_money():
    [f] = [f for f in run("服务全市参保人群", "1100", "成本") if f.code == "KPI502"]
    assert "元" not in f.message


@pytest.mark.parametrize("name,value", [("PM2.5年均浓度", "≤35微克/立方米"), ("网络带宽", "≥100Mbps"),
                                        ("灭菌温度", "≥121℃")])
def test_units_outside_the_lexicon_are_still_units(name, value):
    assert "KPI502" not in codes(name, value, "产出")


@pytest.mark.parametrize("value,floor,flagged", [
    ("≥60%", None, True),      # below the default 80 % floor
    ("≥85%", None, False),
    ("≥85%", 90.0, True),      # the floor is the reviewer's to set
    ("≤60%", None, False),     # an inverted sign is KPI301's business
    ("群众满意度达到70%", None, True),
])
def test_satisfaction_floor_is_configurable(value, floor, flagged):
    from kpicheck.api import check_indicators

    config = {"thresholds": {"satisfaction_floor": floor}} if floor else None
    report = check_indicators([{"name": "服务对象满意度", "value": value, "declared_level1": "满意度"}], config=config)
    assert ("KPI508" in [f.code for f in report.files[0].findings]) is flagged


@pytest.mark.parametrize("value,flagged", [("≥2.5人", True), ("≥3人", False), ("≥2.5万人", False), ("0.5次/人", False)])
def test_fractional_counts(value, flagged):
    assert ("KPI509" in codes("培训人数", value, "产出", "数量")) is flagged


def test_an_act_done_on_time_is_not_the_money_it_moves():
    # 国有资产出租收入应交税费: '按时交纳税费 | =1年' under 时效 measures paying on time (KPI703 judges
    # the span); the same taxes named without 按时 are an amount, and a span contradicts it
    assert "KPI503" not in codes("按时交纳税费", "=1年", "产出", "时效")
    assert "KPI503" in codes("交纳税费", "=1年", "产出", "时效")
