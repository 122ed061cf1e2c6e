"""Run a rule's documented examples: build a one-project FileReport from an `Example`."""
from __future__ import annotations

import re

from kpicheck.config import Config
from kpicheck.models import FileReport, Indicator, Project, UnreadRegion
from kpicheck.pipeline import understand
from kpicheck.rules import REGISTRY
from kpicheck.rules.base import Example, Rule, run_rules

PROJECT = "示例项目"
UNFILLED = re.compile(r"\{[a-z_]+\}")


def report_for(example: Example) -> FileReport:
    indicators = []
    for i, fields in enumerate(example.indicators, 1):
        fields = {"project": PROJECT, **fields}
        indicators.append(Indicator(id=f"e{i}", line=i, **fields))
    understand(indicators)
    project = Project(name=PROJECT, budget_wan=example.budget_wan, budget_year=example.budget_year,
                      other_budgets_wan=list(getattr(example, "other_budgets_wan", ()) or ()),
                      **(getattr(example, "project", None) or {}),  # a self-evaluation's funds and total
                      **(getattr(example, "project_facts", None) or {}))
    return FileReport(path="example.txt", budget_year=example.budget_year, projects=[project],
                      indicators=indicators, truncated=False,
                      unread=[UnreadRegion(**u) for u in getattr(example, "unread", ())],
                      coverage=getattr(example, "coverage", None))


def findings(rule: Rule, example: Example, lang: str = "zh"):
    config = Config(select=[rule.code], lang=lang)
    return run_rules(report_for(example), config)


def family_rules(*families: str) -> list[Rule]:
    return [r for code, r in sorted(REGISTRY.items()) if code[:4] in families]


def assert_examples(rule: Rule) -> None:
    for lang in ("zh", "en"):
        bad = findings(rule, rule.bad, lang)
        assert bad, f"{rule.code} bad example not flagged ({lang})"
        for f in bad:
            assert f.code == rule.code
            assert not UNFILLED.search(f.message), f"{rule.code} message has an unfilled slot: {f.message}"
            assert f.suggestion and not UNFILLED.search(f.suggestion), f"{rule.code} suggestion: {f.suggestion}"
            if lang == "zh":
                assert re.search(r"[\u4e00-\u9fff]", f.message)
        good = findings(rule, rule.good, lang)
        assert not good, f"{rule.code} good example flagged ({lang}): {[f.message for f in good]}"


def assert_documented(rule: Rule) -> None:
    assert re.fullmatch(r"KPI[1-8]\d\d", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.severity in ("error", "warning", "info")
    for text in (rule.summary, rule.why):
        assert re.search(r"[\u4e00-\u9fff]", text)
    assert rule.summary_en and rule.why_en and rule.source
    assert set(rule.messages) >= {"zh", "en"} and set(rule.suggestions) >= {"zh", "en"}
    assert rule.doc("zh") and rule.doc("en")


def codes_for(family: str) -> list[str]:
    return sorted(code for code in REGISTRY if code.startswith(family))


def check_documented_examples(code: str, lang: str) -> None:
    """One language of one rule: the bad example hits with filled messages, the good one passes."""
    rule = REGISTRY[code]
    bad = findings(rule, rule.bad, lang)
    assert bad, f"{code}: the bad example must be flagged"
    for f in bad:
        assert f.message and not UNFILLED.search(f.message), f.message
        if f.suggestion is not None:
            assert f.suggestion and not UNFILLED.search(f.suggestion), f.suggestion
    good = findings(rule, rule.good, lang)
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
