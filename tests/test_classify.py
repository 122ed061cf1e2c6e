"""The classifier reads what an indicator measures from its own words and value.

Names are small realistic ones written for these tests, plus a few regression cases from the
seed documents (marked). Expected answers follow the gold annotation guide: 产出 = what the
money delivers, 效益 = its effects, 满意度 = satisfaction of those served, 成本 = money.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpicheck import nlp
from kpicheck.classify import (CHILDREN, LEVEL1, PARENT, classify, classify_text, is_money,
                               is_satisfaction, read_name)
from kpicheck.models import Indicator, ParsedValue
from tests.test_nlp_engines import assert_engines_agree

# spaCy is the extra kpicheck[spacy]; CI installs it and must run these (tests/test_nlp_engines.py)
needs_spacy = pytest.mark.skipif(not nlp.spacy_installed() and not os.environ.get("CI"),
                                 reason="spaCy is the extra kpicheck[spacy]; CI installs it")

CASES = [
    # name, value, declared 一级, declared 二级, expected 一级, expected 二级 (None: not checked)
    # satisfaction wins over where it is filed
    ("受训学员满意度", "≥90%", "效益", "社会效益", "满意度", "服务对象满意度"),
    ("患者对就医环境的满意程度", "≥85%", "效益", "社会效益", "满意度", "服务对象满意度"),
    ("村民满意率", "95%", None, None, "满意度", "服务对象满意度"),
    ("与会人员满意", "100%", "产出", "质量", "满意度", "服务对象满意度"),
    ("服务对象满意度提升", "有效提升", "效益", "社会效益", "满意度", "服务对象满意度"),
    # money wins over where it is filed
    ("图书购置经费", "≤12万元", "产出", "数量", "成本", "经济成本"),
    ("办公楼物业管理费", "≤36.5万元", "产出", "数量", "成本", "经济成本"),
    ("专项资金到位率", "100%", "产出", "质量", "成本", "经济成本"),
    ("项目预算执行率", "≥95%", "效益", "经济效益", "成本", "经济成本"),
    ("聘用人员工资", "≤24万元", None, None, "成本", "经济成本"),
    ("资金拨付及时率", "100%", None, None, "成本", "经济成本"),
    ("优化支出结构", "各项支出不超出预算", "效益", "经济效益", "成本", "经济成本"),
    # a legacy 产出/成本指标 row is money
    ("人均培训成本", "≤800元/人", "产出", "成本", "成本", "经济成本"),
    ("会议场地租赁", "≤3万元", "产出", "成本", "成本", "经济成本"),
    # neutral words: the declared category stands
    ("培训班次", "≥4期", "产出", "数量", "产出", "数量"),
    ("设备验收合格率", "100%", "产出", "质量", "产出", "质量"),
    ("采购计划完成时间", "2024年6月底前", "产出", "时效", "产出", "时效"),
    ("森林覆盖率", "≥62%", "效益", "生态效益", "效益", "生态效益"),
    ("长效管护机制建立情况", "建立", "效益", "可持续影响", "效益", "可持续影响"),
    ("受益困难群众人数", "≥300人", "效益", "社会效益", "效益", "社会效益"),
    ("节约资金", "≥10万元", "效益", "经济效益", "效益", "经济效益"),
    # a money value on a benefit is still a benefit
    ("带动农户增收", "≥50万元", "效益", "经济效益", "效益", "经济效益"),
    ("村集体经济年收入", "≥5万元", "效益", "经济效益", "效益", "经济效益"),
    # nothing declared: the words decide
    ("道路硬化里程", "12公里", None, None, "产出", "数量"),
    ("群众生活条件改善情况", "明显改善", None, None, "效益", None),
    ("档案整理数量", "≥2000卷", None, None, "产出", "数量"),
    ("补助资金发放及时率", "100%", "产出", "时效", "产出", "时效"),  # 发放 reaches people
    ("政府预决算公开率", "=100%", None, None, "产出", None),
    # declared 成本 / 满意度 that the words contradict
    ("惠及低保家庭", "≥120户", "成本", "社会成本", ("产出", "效益"), None),
    ("增强群众法治意识的作用", "明显", "满意度", "服务对象满意度", "效益", None),
    ("对周边环境的污染", "无明显污染", "成本", "生态环境成本", "成本", "生态环境成本"),
    # traditional characters and pinyin glosses are folded first
    ("業務經費", "≤5萬元", "产出", "数量", "成本", "经济成本"),
    ("工作經(jīng)費(fèi)", "≤5万元", "产出", "数量", "成本", "经济成本"),
    # regression cases from the seed documents
    ("维护硬件软件设备需用资金", "≥99%", "产出", None, "成本", "经济成本"),
    ("持卡人满意度", "≥90%", "效益", "社会效益", "满意度", "服务对象满意度"),
    ("劳动能力鉴定人数", "≤100人", "产出", None, "产出", "数量"),
    ("项目财政资金到位时间", "=44,561", "产出", "时效", "成本", None),
]


@pytest.mark.parametrize("name,value,d1,d2,l1,l2", CASES, ids=[c[0] for c in CASES])
def test_category_from_own_words(name, value, d1, d2, l1, l2):
    result = classify_text(name, value, None, d1, d2)
    assert result.category in ((l1,) if isinstance(l1, str) else l1), result
    if l2 is not None:
        assert result.subcategory == l2, result
    assert result.subcategory in CHILDREN[result.category]


def test_classify_sets_the_indicator_fields_with_cues():
    ind = Indicator(id="t1", name="办公设备维修费", value="≤2.4万元",
                    declared_level1="产出", declared_level2="数量")
    classify(ind)
    assert ind.category == "成本" and ind.subcategory == "经济成本"
    assert "declared:产出/数量" not in ind.category_cues  # it voted for 产出, not for the answer
    assert any(c.startswith("head:") for c in ind.category_cues)
    assert "unit:元" in ind.category_cues
    assert 0.0 < ind.category_confidence < 1.0


def test_agreeing_evidence_is_more_confident_than_a_contradiction():
    agree = classify_text("设备采购数量", "10台", None, "产出", "数量")
    clash = classify_text("设备采购资金", "10台", None, "产出", "数量")
    assert agree.category == "产出"
    assert agree.confidence > clash.confidence


def test_parsed_value_dimension_is_used_when_present():
    parsed = ParsedValue(text="≤57.2万元", kind="quantity", comparator="≤", number=57.2,
                         unit="万元", unit_canonical="万元", dimension="money")
    result = classify_text("专线线路租赁", parsed.text, parsed, "产出", "数量")
    assert result.category == "成本"
    assert "unit:万元" in result.cues
    people = ParsedValue(text="1100万人", kind="quantity", number=1.1e7, unit="万人",
                         unit_canonical="人", dimension="count")
    assert classify_text("服务参保人员", "1100万人", people, "产出", "数量").category == "产出"


def test_no_evidence_falls_back_to_output_with_low_confidence():
    result = classify_text("", "", None, None, None)
    assert result.category == "产出" and result.confidence <= 0.3


def test_head_word_is_the_end_of_the_name():
    assert read_name("社保卡持有率").head == ""  # 持有率: no category head, the rate is neutral
    assert read_name("设备需用资金").head == "资金"
    # transparent words (情况, 时间) are peeled off: the act before them is the head
    assert read_name("工资发放情况").head == "发放"


def test_cues_match_on_word_boundaries():
    # 预决算 is not 预算, 免费 is not a fee
    assert not any(c.category == "成本" for c in read_name("政府预决算公开率").l1_cues)
    assert not any(c.category == "成本" for c in read_name("免费开放天数").l1_cues)


def test_is_satisfaction():
    assert is_satisfaction("持卡人满意度")
    assert is_satisfaction("市民对空气质量改善的满意程度")
    assert is_satisfaction("参保职工满意")
    assert not is_satisfaction("社保卡持有率")
    assert not is_satisfaction("满足群众需求")


def test_is_money():
    assert is_money("维护硬件软件设备需用资金")
    assert is_money("劳务费")
    assert is_money("预算执行率")
    assert is_money("培训场地", value="≤3万元")
    assert not is_money("促进农户增加收入", value="≥80万元")
    assert not is_money("政府预决算公开率")
    assert not is_money("培训人数", value="≥200人")


def test_parent_map_covers_every_level2():
    assert set(PARENT) >= {l2 for l2s in CHILDREN.values() for l2 in l2s}
    assert PARENT["成本"] == "产出" and PARENT["社会成本"] == "成本"


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=30), value=st.text(max_size=15),
       d1=st.sampled_from([None, *LEVEL1]), d2=st.sampled_from([None, *PARENT]))
def test_never_raises_and_always_answers_a_valid_pair(name, value, d1, d2):
    result = classify_text(name, value, None, d1, d2)
    assert result.category in LEVEL1
    assert result.subcategory in CHILDREN[result.category]
    assert 0.0 <= result.confidence <= 1.0


@needs_spacy
def test_nlp_uses_the_domain_dictionary_and_loads_once():
    assert nlp.cut("社保卡持有率") == ["社保卡", "持有率"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = list(pool.map(lambda _: nlp.pipeline(("持有率",)), range(8)))
    assert all(p is loaded[0] for p in loaded)
    assert [t.text for t in loaded[0]("电子社保卡注册用户")] == ["电子社保卡", "注册", "用户"]


def test_jieba_stays_quiet(capfd):
    nlp.segmenter(("只为此测试",))  # a fresh dictionary: jieba would announce it
    assert "prefix dict" not in capfd.readouterr().err


@needs_spacy
def test_fast_engine_reads_names_like_the_spacy_engine():
    names = [c[0] for c in CASES] + [
        "财政资金到位及时支付率", "受益脱贫(监测)人口数(≥**户)", "认真做好社保卡发放工作",
        "优化资源配置，提高财政资金使用效益", "服务全市参保人群", "居民养老办公网络使用通畅率100%",
        "正确认识理论学习与党组生活的重要意义增强凝聚力的积极作用",
    ]
    for name in names:
        assert_engines_agree(name)


@needs_spacy
def test_a_user_pattern_without_first_words_is_tried_at_every_token(tmp_path):
    """A user pattern whose `first` list is empty matches at any token (as the spaCy Matcher
    does): the fast engine's shortcut over the patterns' first words must not skip it."""
    extra = tmp_path / "patterns.toml"
    extra.write_text('[[categories.patterns]]\nid = "fees"\ncategory = "成本"\nweight = 2.0\nfirst = []\n'
                     'gap = 0\nthen = ["劳务费"]\n', encoding="utf-8")
    files = (str(extra),)
    for name in ("支付培训劳务费", "劳务费支出"):
        slow, fast = read_name(name, files, "spacy"), read_name(name, files, "fast")
        assert slow.head == fast.head, name
        assert sorted(map(repr, slow.l1_cues)) == sorted(map(repr, fast.l1_cues)), name


@pytest.mark.parametrize("text", ["、" * 50_000, "1" * 50_000, "(" * 50_000, "资金" * 25_000])
def test_pathological_text_is_classified(text):
    # bounded work: names are read by their last characters, values by their first
    assert classify_text(text, text, None, None, None).category in LEVEL1


def test_a_harm_kept_small_is_a_cost_when_filed_as_one():
    from kpicheck.api import check_indicators

    rows = [{"name": "对周边群众出行影响", "value": "影响较小", "declared_level1": "成本", "declared_level2": "社会成本"},
            {"name": "对周边环境影响", "value": "无明显影响", "declared_level1": "效益", "declared_level2": "生态效益"}]
    got = [(i.category, i.subcategory) for i in check_indicators(rows).files[0].indicators]
    assert got == [("成本", "社会成本"), ("效益", "生态效益")]  # the value's cue and the declared one agree or tie


def test_a_second_level_word_at_the_end_of_a_longer_head_token():
    """验收合格率 is one jieba token: its 合格率 still tells 质量, whatever 二级 was declared."""
    from kpicheck.api import check_indicators

    rows = [{"name": "项目验收合格率", "value": "≥98%", "declared_level1": "产出", "declared_level2": "数量"}]
    ind = check_indicators(rows).files[0].indicators[0]
    assert (ind.category, ind.subcategory) == ("产出", "质量")


def test_a_legacy_cost_row_is_a_cost_only_when_it_speaks_of_money():
    # 产出/成本 (the legacy 二级): 社会化发放率 (a 2021 困难群众救助 self-evaluation, collected c030)
    # measures delivered work; a fee or an amount under the same heading is a cost
    from kpicheck.classify import classify_text

    assert classify_text("社会化发放率", "100%", None, "产出", "成本").category == "产出"
    assert classify_text("培训资料印刷费", "≤2万元", None, "产出", "成本").category == "成本"
    assert classify_text("人均救助成本", "≤500元", None, "产出", "成本").category == "成本"
