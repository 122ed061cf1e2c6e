"""KPI6xx budget rules: documented examples in both languages, plus real cases."""
from __future__ import annotations

import pytest

from kpicheck.config import Config, Thresholds
from kpicheck.models import FileReport, Indicator, Project
from kpicheck.pipeline import understand
from kpicheck.rules import run_rules
from tests.rule_examples import assert_documented, assert_examples, family_rules

RULES = family_rules("KPI6")


def test_family_has_its_rules():
    assert {"KPI601", "KPI602", "KPI603"} <= {r.code for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documented_examples(rule):
    assert_documented(rule)
    assert_examples(rule)


def _findings(value, budget, name="不超出预算", config=None, **fields):
    ind = Indicator(id="i1", project="p", declared_level1="成本", name=name, value=value, **fields)
    understand([ind])
    report = FileReport(path="t", projects=[Project(name="p", budget_wan=budget)], indicators=[ind])
    return run_rules(report, config or Config(select=["KPI6"]))


def test_cap_equal_to_the_budget_passes():
    assert not _findings("≤57.2万元", 57.20)
    assert not _findings("250万", 250.0, name="控制在预算成本内")


def test_cap_in_yuan_above_budget_in_wan():
    found = _findings("≤1000000元", 96.70, name="支出不超预算安排")
    assert len(found) == 1 and found[0].severity == "error"
    assert "100万元" in found[0].message and "96.7万元" in found[0].message
    assert found[0].fix == "≤96.7万元"


def test_budget_tolerance_is_configurable():
    config = Config(select=["KPI6"], thresholds=Thresholds(budget_tolerance=0.1))
    assert not _findings("≤36万元", 34.0, config=config)
    assert _findings("≤36万元", 34.0)


def test_funds_mismatch_is_a_project_level_finding():
    report = FileReport(path="t", projects=[Project(name="p", budget_wan=83.0, other_budgets_wan=[33.0, 83.0])])
    found = run_rules(report, Config(select=["KPI602"]))
    assert len(found) == 1 and found[0].indicator_id is None and found[0].project == "p"
    assert "33万元" in found[0].message
