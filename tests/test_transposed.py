"""A performance table printed on its side (广东省教育厅 省级专项资金绩效目标表, a document-sharing
copy: collected c040): a row of names, then a row of targets per period (kpicheck/segment/transposed.py)."""
from __future__ import annotations

from kpicheck.api import check_text, extract_text

SIDEWAYS = ("补齐粤东粤西粤北地区教育短板,加快粤东粤西粤北地区高等教育改革发展。\n"
            "三级指标 新建高校(校区) 工程质量达标率(%)\n开工率(%)\n年度目标值\n7 100% 100%\n实施周期目标值\n"
            "7 100% 100% 不断提升 弥补我省高等教\n育不平衡 持续\n")


def test_each_name_takes_its_target_in_each_period():
    found = [(i.name, i.value, i.period) for i in extract_text(SIDEWAYS).files[0].indicators]
    assert sorted(found) == sorted([
        ("新建高校(校区)", "7", "annual"), ("工程质量达标率(%)", "100%", "annual"), ("开工率(%)", "100%", "annual"),
        ("新建高校(校区)", "7", "long_term"), ("工程质量达标率(%)", "100%", "long_term"),
        ("开工率(%)", "100%", "long_term")])  # '不断提升 …' belong to names the copy cut off: not guessed
    report = check_text(SIDEWAYS).files[0]
    assert report.coverage == 1.0 and "KPI100" not in {f.code for f in report.findings}


def test_a_heading_row_that_starts_with_the_name_heading_is_not_read_sideways():
    text = "三级指标 指标值 计量单位\n年度目标值\n100% 95% 10\n"
    assert extract_text(text).files[0].indicators == []
