"""Rules read by meaning on rows of the collected development documents (as printed) and on
invented neighbours of the same structure: a 二级 alone files a row under its parent; paying the
funds themselves (资金支付完成率) is budget execution while settling with someone is the work; a
share of delivered work under 成本 measures no cost; a name holding a span of years states its
time; an act with a share under 满意度 is no satisfaction; an amount-free cost target is vague
wherever it is filed."""
from __future__ import annotations

import pytest

from tests.rule_examples import run


def _codes(name, value, l1=None, l2=None):
    return {f.code for f in run(name, value, l1, l2)}


@pytest.mark.parametrize("name,value,l1,l2,code", [
    # a table that prints only the 二级 files its rows under the 二级's parent
    ("年度资金支付完成率", "100%", None, "时效", "KPI202"),          # c001: the funds paid = budget executed
    ("经费支出合规性", "严格执行相关财经法规制度", None, "质量", "KPI202"),  # c005: compliance of spending
    ("专项经费拨付完成率", "=100%", "产出", "时效", "KPI202"),       # invented: the same, other words
    # a share of delivered work filed as a cost
    ("社会化发放率", "100%", "产出", "成本", "KPI203"),              # c030
    ("验收合格率", "≥98%", "成本", "经济成本", "KPI203"),           # invented
    # an act with a share under 满意度
    ("整編資料審核", "98%", "满意度", "服务对象满意度", "KPI209"),     # c027 (traditional, as printed)
    ("档案数字化扫描", "100%", "满意度", "服务对象满意度", "KPI209"),   # invented
    # an amount-free cost target, misfiled or not
    ("成本控制", "不超过预算", "产出", "数量", "KPI701"),             # c015
    ("运维费用控制", "控制在预算范围内", "产出", "质量", "KPI701"),     # invented
    # a percentage on a change that names no measure: a share of what?
    ("降低交通事故损失,提升公路交通安全保障水平", "≥95%", None, "可持续影响", "KPI701"),  # c012
    ("改善群众出行条件，增强道路通行能力", "≥90%", "效益", "社会效益", "KPI701"),      # invented
    ("对经济发展的促进作用", "10", "效益", "经济效益", "KPI701"),                      # c046: a bare figure
    ("基本公共服务水平", "10", "效益", "社会效益", "KPI701"),                          # c046: a level
    ("按期完成投资", "10", "产出", "时效", "KPI701"),                                  # c046: a vague time
    ("群众防灾减灾意识", "20", "效益", "社会效益", "KPI701"),                          # invented
    ("举办庆祝中国共产党成立95 周年档案图片展", "向社会宣传中国共产党成立95周年来取得的成就", "产出", None,
     "KPI701"),                                                                         # c053: 95 names the occasion
])
def test_defects_read_by_meaning(name, value, l1, l2, code):
    assert code in _codes(name, value, l1, l2)


@pytest.mark.parametrize("name,value,l1,l2,code", [
    ("与委托运营方结算完成率", "=100%", "产出", "数量", "KPI202"),     # settling with someone: the work
    ("补助资金发放完成率", "=100%", "产出", "数量", "KPI202"),         # a transfer paid out: the output
    ("费用结算及时性", "=100%", "产出", "时效", "KPI202"),             # how money is paid: the work
    ("医院东津医疗收入", "5亿元", "产出", "质量", "KPI202"),            # c015 read end to end: income earned
    ("项目成本控制率", "≦100%", "产出", "成本", "KPI203"),            # c036: a cost rate
    ("资金使用效率", "100%", "成本", "经济成本", "KPI203"),
    ("水土流失率", "≤5%", "成本", "生态环境成本", "KPI203"),           # a rate of harm is a cost
    ("辦理市場變更或出租", "2場", None, None, "KPI203"),              # c029: filed under nothing
    ("取得2018-2022監(jiān)測資料", "100%", "产出", "时效", "KPI205"),  # c027: a span of years
    ("运维响应及时率", "达到95%以上", "产出", "质量", "KPI205"),        # c037: a share on time is a standard
    ("服务对象", "≤100%", "满意度", "服务对象满意度", "KPI209"),         # those served: satisfaction meant
    ("社会公众", "≥90%", "满意度", "服务对象满意度", "KPI209"),
    ("保障设备正常运行", "100%", "满意度", "服务对象满意度", "KPI209"),  # an intention: no share named
    ("保障社会保障卡正常运行", "≤100%", "成本", "经济成本", "KPI203"),
    ("优化资源配置", "各项支出不超出预算安排", "效益", "经济效益", "KPI701"),  # KPI202's (money as a result)
    ("提高农村道路硬化率", "≥95%", "效益", "社会效益", "KPI701"),     # names its measure (…率)
    ("高中阶段毛入学率提高", "≥2.5个百分点", "效益", "社会效益", "KPI701"),  # …率, then its change
    ("保障设备正常运行", "100%", "产出", "质量", "KPI701"),           # a share of time running
    ("提升群众安全感", "≥90%", "满意度", "服务对象满意度", "KPI701"),   # a share of people
    ("完成农业综合水价改革项目", "1", "产出", "数量", "KPI701"),         # c001: a count of projects (KPI502)
    ("基本公共服务水平", "≥90分", "效益", "社会效益", "KPI701"),         # a level on a scale
    ("举办建党100周年主题展览", "举办展览3场，第1场于7月1日前", "产出", "数量", "KPI701"),  # a count beside them
    ("工作计划按时完成时间", "=44,561", "产出", "时效", "KPI701"),       # h002: a date misprinted (KPI4)
])
def test_their_sound_neighbours_are_not_flagged(name, value, l1, l2, code):
    assert code not in _codes(name, value, l1, l2)


def test_timeliness_statement_under_quality_is_still_flagged():
    assert "KPI205" in _codes("按时发放", "≥1人/年", "产出", "质量")  # h019: a statement, not a rate


@pytest.mark.parametrize("name,value,l1,l2", [
    ("生态效益", "指标指标1:/", "效益", "生态效益"),   # c001, read end to end: a heading as the value
    ("数量指", "2、", "产出", "数量"),                 # c011: the number of a list item
    ("该项目暂未完工", "2.", "产出", "时效"),          # c028
    ("效益", "医院东", "效益", None),                  # c015: a label and a spilled fragment
    ("产出", "指", "产出", None),                      # c052
    ("10分、预算资金执行率", "10分", "效益", "服务对象满意度"),  # c001: a score ran into the name
    ("100%及时、足额发放在册低保、特困人员救助资金", "达到应保尽保", "产出", "数量"),  # c030
])
def test_a_misread_row_is_not_judged(name, value, l1, l2):
    assert not _codes(name, value, l1, l2) - {"KPI107", "KPI101"}  # (a one-row block is too small)


@pytest.mark.parametrize("name,value,l1,l2,code", [
    ("社會(huì)成本指標(biāo)", "100%", "产出", "成本", "KPI106"),   # h005: a label with a real target
    ("时效指标", "全年", "产出", "时效", "KPI106"),                    # h043
    ("社会效益指标", "是", "效益", "社会效益", "KPI106"),
    ("社会效益指标", "有效提升", "效益", "社会效益", "KPI106"),         # vague words are a target, vaguely
    ("社会效益指标", "带动周边群众就业", "效益", "社会效益", "KPI106"),  # a clause in words is a target
    ("质量指标", "符合国家标准", "产出", "质量", "KPI106"),
    ("群众满意度", "95", "满意度", "服务对象满意度", "KPI502"),         # a bare number is judged
    ("培训人数", "12", "产出", "数量", "KPI502"),
    ("3分钟内响应率", "≤100%", "产出", "时效", "KPI303"),          # 3分钟 begins a name: no score
])
def test_real_targets_beside_them_still_are(name, value, l1, l2, code):
    assert code in _codes(name, value, l1, l2)


@pytest.mark.parametrize("value,code_expected", [
    ("32.49hmm", True),    # c028: hm² printed as hmm
    ("3kmm", True),        # invented: km with its m doubled
    ("≥300mm", False),     # millimetres are a unit
    ("5cm", False),
    ("10Mbps", False),     # a known abbreviation
    ("≥2GW", False),       # an abbreviation no lexicon lists is not judged
])
def test_a_misprinted_latin_unit_is_incoherent(value, code_expected):
    assert ("KPI501" in _codes("经果林面积", value, "产出", "数量")) is code_expected


@pytest.mark.parametrize("value,flagged", [
    ("编印《市领导政务活动画册》30本和《档案馆指南》1000", True),   # c053: the second count lost 本
    ("培训学员200人次、发放手册500", True),                          # invented
    ("系统7*24小时运行,系统可用度>99.9%", False),                  # 7*24 is one figure
    ("2023年完成改造30户", False),                                   # a year is no count
    ("新建3座、改建2座", False),                                     # every count has its unit
])
def test_a_count_that_lost_its_unit_in_a_list(value, flagged):
    assert ("KPI502" in _codes("编印资料", value, "产出", "数量")) is flagged


def test_the_whole_of_it_is_checkable():
    assert "KPI701" not in _codes("项目资金到位率", "全")         # c053: as checkable as 100%
    assert "KPI701" not in _codes("补助资金发放", "足额", "产出", "质量")


def test_a_weight_read_as_the_target_is_not_judged():
    """c001 read end to end: the 年度指标值 cell is blank, so the row's 分值 (10) was read as its
    target, beside rows that print their weights (10). A real bare target is still judged."""
    from kpicheck.config import Config
    from kpicheck.rules.base import Example, run_rules
    from tests.rule_examples import report_for

    rows = (
        {"declared_level1": "产出", "declared_level2": "数量", "name": "完成中型灌区节水改造项目数量",
         "value": "1", "actual": "1", "weight": "10", "score": "10"},
        {"declared_level1": "产出", "declared_level2": "质量", "name": "工程质量", "value": "合格",
         "actual": "合格", "weight": "10", "score": "10"},
        {"declared_level1": "效益", "declared_level2": "社会效益", "name": "保护全市人口财产不受损失",
         "value": "10", "actual": "10"},
    )
    found = [(f.code, f.indicator["name"]) for f in run_rules(report_for(Example(indicators=rows)), Config())
             if f.indicator]
    assert ("KPI502", "完成中型灌区节水改造项目数量") in found
    assert not [c for c, name in found if name == "保护全市人口财产不受损失"]


def test_the_people_a_user_lexicon_adds_name_those_served(tmp_path):
    """KPI209 reads who is served from directions.toml [expects] people, the user's lexicons
    included: a group a region adds (参保人) names those whose satisfaction is meant."""
    from kpicheck.api import check_indicators
    from kpicheck.config import Config

    row = [{"name": "参保人", "value": "≥90%", "declared_level1": "满意度", "declared_level2": "服务对象满意度"}]
    assert "KPI209" in {f.code for f in check_indicators(row).files[0].findings}
    mine = tmp_path / "mine.toml"
    mine.write_text('[directions.expects]\npeople = ["参保人"]\n', encoding="utf-8")
    codes = {f.code for f in check_indicators(row, config=Config(lexicons=[str(mine)])).files[0].findings}
    assert "KPI209" not in codes
