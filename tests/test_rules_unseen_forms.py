"""Indicators written the way other units write them, which the rules must read right: savings
are benefits, subsidies paid out are outputs, a yes/no outcome or a named standard is
measurable, and social or environmental costs may be qualitative. Invented examples in the
forms real tables use."""
from __future__ import annotations

import pytest

from tests.rule_examples import run


def _codes(name, value, l1, l2):
    return {f.code for f in run(name, value, l1, l2)}


@pytest.mark.parametrize("name,value,l1,l2,absent", [
    ("节约能源费用", "≥12万元", "效益", "经济效益", "KPI302"),        # money saved: more is better
    ("节省办公开支", "≥5万元", "效益", "经济效益", "KPI302"),
    ("补助资金发放准确率", "=100%", "产出", "质量", "KPI202"),       # paying a subsidy is the output
    ("补贴资金兑付及时率", "=100%", "产出", "时效", "KPI202"),
    ("长效管护机制", "建立", "效益", "可持续影响", "KPI701"),       # established or not
    ("污水处理设施运行", "已建成", "产出", "质量", "KPI701"),
    ("施工扬尘控制", "符合环保要求", "成本", "生态环境成本", "KPI701"),
    ("出水水质", "达到国家一级A标准", "产出", "质量", "KPI701"),
    ("对周边居民生活的影响", "无明显影响", "成本", "社会成本", "KPI701"),
])
def test_well_formed_targets_are_not_flagged(name, value, l1, l2, absent):
    assert absent not in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,present", [
    ("设备维护费用", "≥12万元", "成本", "经济成本", "KPI302"),        # a cost cap with ≥ is inverted
    ("财政资金拨付率", "=100%", "产出", "时效", "KPI202"),            # treasury flow: an input
    ("群众出行条件", "明显改善", "效益", "社会效益", "KPI701"),
    ("工作质量", "符合相关要求", "产出", "质量", "KPI701"),            # no named standard
    ("对周边环境的影响", "有效改善", "成本", "生态环境成本", "KPI701"),
])
def test_their_defective_neighbours_still_are(name, value, l1, l2, present):
    assert present in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,absent", [
    ("森林覆盖率提高", "≥0.2个百分点", "效益", "生态效益", "KPI501"),   # 个百分点 is one unit
    ("畜禽免疫数量", "≥50万头只", "产出", "数量", "KPI501"),            # 头只: livestock and poultry
    ("资助资金发放时间", "2023年11月30日前", "产出", "时效", "KPI202"),
    ("优抚对象生活水平", "不低于当地平均生活水平", "效益", "社会效益", "KPI701"),
])
def test_more_forms_from_other_units(name, value, l1, l2, absent):
    assert absent not in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,absent", [
    ("森林火灾受害率", "≤0.9‰", "效益", "生态效益", "KPI301"),        # a harm rate: less is better
    ("公路技术状况指数MQI", "≥80", "产出", "质量", "KPI502"),          # an index, abbreviation after it
    ("刑事案件发案数", "同比下降5%", "效益", "社会效益", "KPI503"),     # a change against last year
    ("数据更新频率", "每周1次", "产出", "时效", "KPI503"),              # 频率 counts per period
    ("预算控制数", "不超过120万元", "成本", "经济成本", "KPI503"),
    ("检查食品经营主体", "≥3000家次", "产出", "数量", "KPI501"),        # 家次 like 人次
    ("发放创业担保贷款", "≥1.2亿元", "产出", "数量", "KPI202"),         # loans paid out: the output
    ("政策范围内住院费用报销比例", "≥70%", "效益", "社会效益", "KPI202"),
    ("区域性重大动物疫情", "不发生", "效益", "社会效益", "KPI701"),
])
def test_forms_from_the_unseen_fixture(name, value, l1, l2, absent):
    assert absent not in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,present", [
    ("森林火灾受害率", "≥0.9‰", "效益", "生态效益", "KPI302"),
    ("刑事案件发案数", "95%", "效益", "社会效益", "KPI503"),           # a count given as a bare share
    ("护林员工资", "≤120万元", "产出", "数量", "KPI202"),
    ("监测数据有效率", "≥90%，≤85%", "产出", "质量", "KPI307"),        # floor above ceiling
])
def test_neighbours_of_those_forms_still_flagged(name, value, l1, l2, present):
    assert present in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,absent", [
    ("行政村覆盖", "实现全覆盖", "产出", "质量", "KPI701"),
    ("医院等级", "三级甲等", "产出", "质量", "KPI701"),              # a level on an official scale
    ("景区等级", "AAAA级", "产出", "质量", "KPI701"),
    ("出境断面水质", "优于Ⅲ类", "效益", "生态效益", "KPI701"),
    ("审批结果告知", "当日办结", "产出", "时效", "KPI205"),
    ("桥梁技术状况等级", "二类以上", "产出", "质量", "KPI205"),
    ("每千人口执业医师数", "≥3.2人", "效益", "社会效益", "KPI509"),   # a ratio per thousand people
])
def test_levels_and_ratios_are_read(name, value, l1, l2, absent):
    assert absent not in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,present", [
    ("受益群众满意度", "不高于百分之九十", "满意度", "服务对象满意度", "KPI301"),  # spelled-out percent
    ("景区服务质量", "优于往年", "产出", "质量", "KPI701"),
    ("救助儿童人数", "22.5人", "产出", "数量", "KPI509"),
])
def test_spelled_and_unscaled_forms_still_flagged(name, value, l1, l2, present):
    assert present in _codes(name, value, l1, l2)
