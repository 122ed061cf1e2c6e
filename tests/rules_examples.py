"""Helpers for rule tests: run documented examples and single indicators through the rules."""
from __future__ import annotations

import re

from kpicheck.config import Config
from kpicheck.models import FileReport, Indicator, Project
from kpicheck.pipeline import understand
from kpicheck.rules import REGISTRY
from kpicheck.rules.base import Example, RuleContext, run_rules

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")


def codes_for(family: str) -> list[str]:
    return sorted(code for code in REGISTRY if code.startswith(family))


def report_for(example: Example) -> FileReport:
    indicators = []
    for i, fields in enumerate(example.indicators, 1):
        fields = dict(fields)
        fields.setdefault("project", "示例项目")
        indicators.append(Indicator(id=f"e{i}", line=i, **fields))
    understand(indicators)
    return FileReport(path="example", budget_year=example.budget_year, indicators=indicators,
                      projects=[Project(name="示例项目", budget_wan=example.budget_wan,
                                        budget_year=example.budget_year)])


def findings_of(code: str, example: Example, lang: str = "zh"):
    config = Config(select=[code], lang=lang)
    return run_rules(report_for(example), config)


def check_documented_examples(code: str, lang: str) -> None:
    rule = REGISTRY[code]
    bad = findings_of(code, rule.bad, lang)
    assert bad, f"{code}: the bad example must be flagged"
    for f in bad:
        assert f.message and not PLACEHOLDER.search(f.message), f.message
        if f.suggestion is not None:
            assert f.suggestion and not PLACEHOLDER.search(f.suggestion), f.suggestion
    good = findings_of(code, rule.good, lang)
    assert good == [], f"{code}: the good example must pass, got {[g.message for g in good]}"
    doc = rule.doc(lang)
    assert code in doc and rule.name in doc
    assert rule.summary and rule.summary_en and rule.why and rule.why_en and rule.source
    assert set(rule.messages) >= {"zh", "en"}


def run(name: str, value: str, l1=None, l2=None, period: str = "annual", budget_year: int = 2023,
        lang: str = "zh"):
    """The findings of all rules on one indicator."""
    example = Example(indicators=({"name": name, "value": value, "declared_level1": l1,
                                   "declared_level2": l2, "period": period},), budget_year=budget_year)
    return run_rules(report_for(example), Config(lang=lang))
