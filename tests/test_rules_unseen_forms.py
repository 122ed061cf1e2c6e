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


# ---------------------------------------------------------------- issue 16: facts and guards
# Words that share a structure with what the documents show, but appear in none of them.

from kpicheck.config import Config  # noqa: E402
from kpicheck.models import FileReport, Funds, FundsRow, Indicator, Project  # noqa: E402
from kpicheck.pipeline import understand  # noqa: E402
from kpicheck.rules import run_rules  # noqa: E402


def _report(rows, truncated=False, **project):
    inds = [Indicator(id=f"i{k}", project="p", line=k, name=n, value=v, declared_level1=l1, declared_level2=l2)
            for k, (n, v, l1, l2) in enumerate(rows, 1)]
    understand(inds)
    report = FileReport(path="t", budget_year=2024, truncated=truncated,
                        projects=[Project(name="p", budget_year=2024, **project)], indicators=inds)
    return run_rules(report, Config())


def _found(findings, code, name=None):
    return [f for f in findings if f.code == code and (name is None or (f.indicator or {}).get("name") == name)]


def test_a_value_cut_off_at_the_end_is_not_judged():
    rows = [("道路保洁面积", "≥12万平方米", "产出", "数量"), ("群众满意度", ">=8", "满意度", "服务对象满意度")]
    assert not _found(_report(rows, truncated=True), "KPI502")
    assert _found(_report(rows, truncated=False), "KPI502")  # the same value, where nothing was cut


def test_a_trailing_run_of_blank_values_is_a_cut():
    names = [("农机补贴使用率", "", "产出", "数量"), ("农机补贴完成进度", "", "产出", "时效"), ("满意度", "", "满意度", None)]
    rows = [("补贴农户数", "≥120户", "产出", "数量")] + names
    assert not _found(_report(rows, truncated=True), "KPI103")


def _two_projects(rows, later_begun):
    """Rows of project 'p'; a second project 'q' whose header the text began after them, or not."""
    inds = [Indicator(id=f"i{k}", project="p", line=k, name=n, value=v, declared_level1=l1, declared_level2=l2)
            for k, (n, v, l1, l2) in enumerate(rows, 1)]
    understand(inds)
    projects = [Project(name="p", budget_year=2020)] + ([Project(name="q", budget_year=2020)] if later_begun else [])
    return run_rules(FileReport(path="t", budget_year=2020, truncated=True, projects=projects, indicators=inds),
                     Config())


def test_one_blank_value_at_the_end_of_the_text_is_a_cut_unless_a_later_project_follows():
    # A 申报表 excerpt that stops after '时效指标 | 工作完成及时率 | ≥100% ||| 资金到位率 |': the name
    # was printed, its value never was (ANNOTATION convention 1).
    rows = [("活动参与率", "≥95%", "产出", "质量"), ("工作完成及时率", "≥100%", "产出", "时效"),
            ("资金到位率", "", "产出", "时效")]
    assert not _found(_two_projects(rows, later_begun=False), "KPI103")
    # The same blank cell followed by the next project's header (专项资金名称 … 当年预, cut there): the
    # text went on past the row, so its value is blank, not cut.
    assert _found(_two_projects(rows, later_begun=True), "KPI103", "资金到位率")


def test_a_short_verb_object_name_without_value_is_a_missing_value_a_long_statement_a_slogan():
    rows = [("推动乡村振兴", "", "效益", "社会效益"), ("切实提高群众文化生活质量水平", "", "效益", "社会效益")]
    found = _report(rows)
    assert _found(found, "KPI103", "推动乡村振兴") and not _found(found, "KPI701", "推动乡村振兴")
    assert _found(found, "KPI701", "切实提高群众文化生活质量水平")


def test_a_count_of_people_is_never_money():
    rows = [("慢病随访管理控制数", "1200人", None, None)]
    assert not _found(_report(rows), "KPI203")


def test_exact_unit_cost_times_quantity_above_the_budget():
    exact = [("每座公厕改造补助", "=12万元/座", "成本", "经济成本"), ("改造公厕数量", "=5座", "产出", "数量")]
    assert _found(_report(exact, budget_wan=58.0), "KPI603")       # 60 > 58: two exact figures
    capped = [("每座公厕改造补助", "≤12万元/座", "成本", "经济成本"), ("改造公厕数量", "≥5座", "产出", "数量")]
    assert not _found(_report(capped, budget_wan=58.0), "KPI603")  # a cap: within the tolerance


def test_ocr_slip_of_a_count_in_a_block_of_floors():
    rows = [("培训农民人次", "≥300人次", "产出", "数量"), ("发放宣传资料", "≥2000份", "产出", "数量"),
            ("新建沼气池数量", "2150", "产出", "数量")]
    hit = _found(_report(rows), "KPI502", "新建沼气池数量")
    assert hit and "“≥150”被识别成了“2150”" in hit[0].message
    rate = _found(_report([("路灯亮灯率", "275%", "产出", "质量")]), "KPI504")
    assert rate and "可能是“≥75%”被识别成了“275%”" in rate[0].message and "≥75%" in rate[0].suggestion


@pytest.mark.parametrize("value,name,budget,period,flagged", [
    ("≤2.5万元/月", "保洁服务费", 28.0, "2024年1月-2024年12月", True),    # 30 > 28
    ("≤2.5万元/月", "保洁服务费", 30.0, "2024年1月-2024年12月", False),
    ("≤2.5万元/月", "保洁服务费", 16.0, "2024年7月-2024年12月", False),   # six months: 15
    ("≤8万元", "每季度巡检费用", 30.0, None, True),                        # 4 quarters: 32 > 30
    ("≥2.5万元/月", "保洁服务费", 28.0, None, False),                      # a floor caps nothing
    ("≤600元/人·月", "护理补贴标准", 10.0, None, False),                    # per person: no total
])
def test_an_amount_per_period_times_the_periods(value, name, budget, period, flagged):
    found = _report([(name, value, "成本", "经济成本")], budget_wan=budget, period_text=period)
    assert bool(_found(found, "KPI606")) is flagged


def _funds(*rows, rate=None):
    return Funds(unit="万元", rows=[FundsRow(label=label, initial=a, adjusted=b, executed=c,
                                            rate=rate if k == 0 else None)
                                   for k, (label, a, b, c) in enumerate(rows)])


@pytest.mark.parametrize("funds,flagged", [
    (_funds(("年度资金总额", "100", "100", None), ("财政拨款", "60", "60", None), ("其他资金", "30", "30", None)), "error"),
    (_funds(("年度资金总额", "100", "100", None), ("财政拨款", "60", "60", None), ("其他资金", "—", "—", None)), None),
    (_funds(("年度资金总额", "100", "100", None), ("财政拨款", "100", "100", None), ("上年结转", "0", "0", None)), None),
])
def test_a_funds_table_against_itself(funds, flagged):
    hits = _found(_report([("修缮校舍面积", "≥800平方米", "产出", "数量")], budget_wan=100.0, funds=funds), "KPI607")
    assert (hits[0].severity if hits else None) == flagged


@pytest.mark.parametrize("funds,codes", [
    (_funds(("年度资金总额", "100", "100", "90"), ("财政拨款", "60", "60", "60"), ("其他资金", "30", "30", "30")), {"KPI607"}),
    (_funds(("年度资金总额", "100", "100", "105"), ("财政拨款", "100", "100", "105"), rate="105%"), {"KPI608"}),
    (_funds(("年度资金总额", "100", "100", "100"), ("财政拨款", "100", "100", "100"), rate="100%"), set()),
])
def test_a_self_evaluation_funds_block_is_judged_once_by_the_kpi8_rules(funds, codes):
    report = _report([("修缮校舍面积", "≥800平方米", "产出", "数量")], budget_wan=100.0, funds=funds)
    found = {c for c in ("KPI607", "KPI608", "KPI607") if _found(report, c)}
    assert found == codes


@pytest.mark.parametrize("value,flagged", [("=4个", True), ("≥4个", True), ("=6个", False), ("≥8个", False)])
def test_a_target_against_the_stated_goal(value, flagged):
    goal = "年内新建村级文化广场6个，开展送戏下乡活动20场。"
    found = _report([("新建文化广场数量", value, "产出", "数量")], goal_text=goal)
    assert bool(_found(found, "KPI109")) is flagged


def test_a_goal_over_several_years_is_not_one_years_target():
    goal = "三年内新建村级文化广场18个。"
    found = _report([("新建文化广场数量", "=6个", "产出", "数量")], goal_text=goal, period_text="2024年1月-2026年12月")
    assert not _found(found, "KPI109")


@pytest.mark.parametrize("name,value,flagged", [
    ("2024年全年。", "2024年全年。", True),     # the period copied into the name cell
    ("9.6万元", "9.6万元", True),
    ("2022年度", "2022年度按季度实施", False),  # a year heading a row of a prose layout
    ("2024年度项目完成时间", "2024年12月底前", False),
])
def test_a_name_cell_holding_a_value(name, value, flagged):
    found = _report([(name, value, "产出", "时效")])
    assert bool(_found(found, "KPI104")) is flagged


@pytest.mark.parametrize("name,value,flagged", [
    ("每季度开展安全巡查", "1次", True),   # four times a year, given as one
    ("按周更新数据", "=2次", True),
    ("按季度巡查", "4次", False),
    ("每月召开例会", "1次/月", False),
    ("每年体检", "1次", False),
])
def test_a_count_of_times_against_the_cadence_in_the_name(name, value, flagged):
    assert bool(_found(_report([(name, value, "产出", "时效")]), "KPI503")) is flagged


@pytest.mark.parametrize("name,value,flagged", [
    ("新建村级文化广场数量", "≤6", True),     # built: more is better
    ("公务用车数量", "≤3辆", False),          # a stock that may be capped
    ("会议次数", "≤4次", False),
])
def test_le_on_a_count_only_where_an_act_delivers_it(name, value, flagged):
    assert bool(_found(_report([(name, value, "产出", "数量")]), "KPI301")) is flagged


def test_a_yes_answers_a_yes_no_question():
    assert not _found(_report([("是否改善群众出行条件", "是", "效益", "社会效益")]), "KPI701")


def test_per_period_and_per_person_is_no_project_total():
    found = _report([("每月人均生活补助", "≤800元", "成本", "经济成本")], budget_wan=0.5)
    assert not _found(found, "KPI606")
