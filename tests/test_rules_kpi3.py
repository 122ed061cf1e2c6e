"""KPI3 comparators: documented examples (both languages) and real value strings."""
from __future__ import annotations

import pytest

from tests.rule_examples import check_documented_examples, codes_for, run

FAMILY = "KPI3"


@pytest.mark.parametrize("code", codes_for(FAMILY))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_documented_examples(code, lang):
    check_documented_examples(code, lang)


@pytest.mark.parametrize("name,value,l1", [
    ("服务对象满意度", "≥99%", "满意度"),
    ("保证稳定，不出现极端事件", "≤0次", "效益"),
    ("社保卡持有率", "≥90%", "效益"),
    ("信息系统全年无安全事故", "100%", "产出"),
    ("劳动能力鉴定人数", "≤100人", "产出"),
    ("不超出预算", "≤57.2万元", "成本"),
    ("项目(工程)完成及时率", "≥100%", "产出"),
    ("系统运行时间及故障处理时效", "系统7*24小时运行,系统可用度>99.9%,出现故障4小时内应急处置", "产出"),
    ("检测及时率", "≤7工作日", "产出"),  # a unit problem (KPI503), not a direction one
    ("管理费用占比", "≤5%", "成本"),
])
def test_not_flagged(name, value, l1):
    assert [f.code for f in run(name, value, l1) if f.code.startswith("KPI30") and f.severity != "info"] == []


@pytest.mark.parametrize("name,value,l1,code", [
    ("保障人力资源与社会保障相关业务正常运行，年支付2次", "≤100%", "产出", "KPI303"),
    ("服务对象", "≤100%", "满意度", "KPI303"),
    ("营造良好社会环境", "≤98%", "效益", "KPI301"),
    ("维护卡量", "≤98%", "产出", "KPI301"),
    ("逾期发放率", ">=100%", "产出", "KPI302"),
    ("群众满意度", "不超过90%", "满意度", "KPI301"),
    ("投诉率", "不低于2%", "产出", "KPI302"),
    ("验收合格率", "=≥90%", "产出", "KPI304"),
])
def test_flagged(name, value, l1, code):
    assert code in [f.code for f in run(name, value, l1)]


def test_count_under_output_is_only_a_warning():
    [finding] = [f for f in run("维护卡量", "≤98%", "产出") if f.code == "KPI301"]
    assert finding.severity == "warning"


def test_doubled_comparator_gets_a_safe_fix():
    [finding] = [f for f in run("验收合格率", "≥≥95%", "产出") if f.code == "KPI304"]
    assert finding.fix == "≥95%"


def test_inverted_negative_rate_is_only_a_hint():
    [finding] = [f for f in run("逾期发放率", ">=100%", "产出") if f.code == "KPI302"]
    assert finding.fix is None and "=0%" in finding.suggestion
