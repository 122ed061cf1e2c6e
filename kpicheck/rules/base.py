"""The rule engine: a rule is a small self-documented unit with a stable code (like ruff's).

A rule subclasses `Rule`, fills in its documentation and message templates, and yields `Hit`s
from `check(ctx)`. `@register` puts it in the registry; `kpicheck explain CODE` prints `doc()`.
Documented examples (`bad`, `good`) are run as tests: `bad` must hit, `good` must not.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Iterable, Optional

from kpicheck.config import Config
from kpicheck.models import FileReport, Finding, Indicator, Position, Project, Severity
from kpicheck.rules._facts import is_scrap_value
from kpicheck.rules._reading import ValueView, forget_views, view
from kpicheck.values.text import STOPS_MID_VALUE

FAMILIES = {
    "KPI1": ("structure", "结构与完整性"),
    "KPI2": ("classification", "指标分类"),
    "KPI3": ("comparators", "比较符号"),
    "KPI4": ("dates", "日期与时效"),
    "KPI5": ("units", "单位与数值"),
    "KPI6": ("budget", "预算一致性"),
    "KPI7": ("measurability", "可衡量性"),
    "KPI8": ("self-evaluation consistency", "自评一致性"),
}
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Example:
    """A documented example: a few indicators (dicts of Indicator fields) and project facts."""

    indicators: tuple[dict[str, Any], ...]
    budget_wan: Optional[float] = None
    budget_year: Optional[int] = 2023
    note: str = ""
    # Other facts of the project (Project fields: period_text, goal_text, funds), for the rules
    # that check targets against them.
    project_facts: Optional[dict[str, Any]] = None


@dataclass
class Hit:
    """One defect found by a rule, before it becomes a `Finding`."""

    indicator: Optional[Indicator] = None
    project: Optional[str] = None
    args: dict[str, Any] = field(default_factory=dict)  # fills the message templates
    fix: Optional[str] = None  # a safe replacement value
    severity: Optional[Severity] = None  # overrides the rule's default for this hit
    # The printed field the hit is about (`Finding.field`): the finding then points at that
    # field's position (`Indicator.positions`), or at `pos` when the rule gives one.
    field: Optional[str] = None
    pos: Optional[Position] = None


@dataclass
class RuleContext:
    """Everything a rule may look at for one document."""

    report: FileReport
    config: Config
    # Asked by many rules, answered once per document (the report does not change under them).
    _projects_by_name: Optional[dict[Optional[str], Project]] = field(default=None, init=False, repr=False)
    _blocks: Optional[dict[tuple[Optional[str], str], list[Indicator]]] = field(default=None, init=False, repr=False)
    _viewed: Optional[list[tuple[Indicator, ValueView]]] = field(default=None, init=False, repr=False)
    _cut: Optional[frozenset[int]] = field(default=None, init=False, repr=False)
    _weights: Optional[dict[tuple[Optional[str], str], set[float]]] = field(default=None, init=False, repr=False)

    @property
    def indicators(self) -> list[Indicator]:
        return self.report.indicators

    def viewed(self) -> list[tuple[Indicator, ValueView]]:
        """Each indicator with the view of its value (`_reading.view`), read once for all rules."""
        if self._viewed is None:
            self._viewed = [(ind, view(ind)) for ind in self.report.indicators]
        return self._viewed

    def cut_off(self, ind: Indicator) -> bool:
        """The indicator's value may be cut off by the end of the text, so it is not judged
        (ANNOTATION convention 1). In a document that ends inside its table (`truncated`), the
        last indicator's value is partial when it stops on a number or a comparator (`>=9` for
        `>=90%`: the unit was never printed), and a trailing run of empty values is missing
        (a cut between a block's names and its values leaves them all blank), and so is one blank
        value at the very end, when no later project was begun (the cut fell between the last
        name and its value: 资金到位率 and nothing after it). A blank row followed by another
        project's header is a blank cell and judged. A last value that ends in a unit or a word
        is complete and judged; where truncation is unknown, everything is judged."""
        if self._cut is None:
            inds = self.report.indicators
            truncated = getattr(self.report, "truncated", None)
            cut: set[int] = set()
            if inds and truncated:
                last = (inds[-1].value or "").strip()
                if last and STOPS_MID_VALUE.search(last):
                    cut.add(id(inds[-1]))
                blank = []
                for other in reversed(inds):
                    if (other.value or "").strip():
                        break
                    blank.append(id(other))
                if len(blank) >= 2 or blank and self._last_project_begun(inds[-1]):
                    cut.update(blank)
            self._cut = frozenset(cut)
        return id(ind) in self._cut

    def _last_project_begun(self, ind: Indicator) -> bool:
        """The indicator belongs to the last project the document begins (projects are listed in
        document order): nothing of a later one was printed after it."""
        projects = self.report.projects
        return not projects or ind.project is None or projects[-1].name == ind.project

    def weight_as_value(self, ind: Indicator) -> bool:
        """The row's weight was read as its target: in a self-evaluation block whose rows print
        their weights (分值), this row prints none, and its value is a bare number equal to the
        weight the others print (资金执行在预算范围内: 10 beside rows weighted 10, the 年度指标值
        cell blank). The row was misread; rules that would judge '10' as a target hold back."""
        if ind.weight is not None or ind.actual is None:
            return False
        p = ind.parsed
        if p is None or p.number is None or p.unit or p.unit_canonical or p.comparator:
            return False
        if self._weights is None:
            self._weights = {}
            for key, inds in self.blocks().items():
                self._weights[key] = {w for i in inds for w in [_figure(i.weight)] if w is not None}
        return p.number in self._weights.get((ind.project, ind.period), set())

    @property
    def projects(self) -> list[Project]:
        return self.report.projects

    @property
    def budget_year(self) -> Optional[int]:
        return self.config.budget_year or self.report.budget_year

    def project(self, name: Optional[str]) -> Optional[Project]:
        """The first project of that name."""
        if self._projects_by_name is None:
            self._projects_by_name = {}
            for project in self.report.projects:
                self._projects_by_name.setdefault(project.name, project)
        return self._projects_by_name.get(name)

    def by_project(self) -> dict[Optional[str], list[Indicator]]:
        groups: dict[Optional[str], list[Indicator]] = defaultdict(list)
        for ind in self.report.indicators:
            groups[ind.project].append(ind)
        return dict(groups)

    def blocks(self) -> dict[tuple[Optional[str], str], list[Indicator]]:
        """Indicators grouped by (project, period): one block of a performance-target table.
        Shared by the rules that ask: treat it as read-only."""
        if self._blocks is None:
            groups: dict[tuple[Optional[str], str], list[Indicator]] = defaultdict(list)
            for ind in self.report.indicators:
                groups[(ind.project, ind.period)].append(ind)
            self._blocks = dict(groups)
        return self._blocks


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case
    severity: ClassVar[Severity]
    summary: ClassVar[str]  # one line, Chinese
    summary_en: ClassVar[str]
    why: ClassVar[str]  # why it matters, Chinese
    why_en: ClassVar[str]
    source: ClassVar[str] = ""  # where in ../shared/rules.md (and its sources) the rule comes from
    messages: ClassVar[dict[str, str]]  # {"zh": "...{name}...", "en": "..."}
    suggestions: ClassVar[dict[str, str]] = {}
    bad: ClassVar[Example]
    good: ClassVar[Example]
    # A rule that judges the value (its number, unit, comparator, wording): it says nothing of a
    # value the end of the text may have cut off (`RuleContext.cut_off`). Rules on names do.
    judges_value: ClassVar[bool] = False
    # Codes this rule took over when a defect moved family (ruff's redirects): a config, a
    # `--select` or `kpicheck explain` naming an old code means this rule.
    replaces: ClassVar[tuple[str, ...]] = ()

    @property
    def family(self) -> str:
        return self.code[:4]

    def check(self, ctx: RuleContext) -> Iterable[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ documentation
    def doc(self, lang: str = "zh") -> str:
        fam_en, fam_zh = FAMILIES[self.family]
        zh = lang == "zh"
        lines = [
            f"{self.code} {self.name}",
            "",
            f"{'类别' if zh else 'Family'}: {self.family}xx {fam_zh if zh else fam_en}",
            f"{'默认级别' if zh else 'Default severity'}: {self.severity}",
            "",
            f"{'检查什么' if zh else 'What it checks'}: {self.summary if zh else self.summary_en}",
            "",
            f"{'为什么' if zh else 'Why it matters'}: {self.why if zh else self.why_en}",
            "",
            f"{'错误示例' if zh else 'Bad example'}:",
            *_example_lines(self.bad),
            "",
            f"{'正确示例' if zh else 'Good example'}:",
            *_example_lines(self.good),
        ]
        if self.source:
            lines += ["", f"{'依据' if zh else 'Source'}: {self.source}"]
        return "\n".join(lines)

    def format_message(self, hit: Hit, lang: str) -> str:
        return _fill(self.messages.get(lang) or self.messages["zh"], hit.args)

    def format_suggestion(self, hit: Hit, lang: str) -> Optional[str]:
        template = self.suggestions.get(lang) or self.suggestions.get("zh")
        return _fill(template, hit.args) if template else None


def _figure(text: Optional[str]) -> Optional[float]:
    try:
        return float((text or "").strip().replace(",", ""))
    except ValueError:
        return None


def _example_lines(example: Example) -> list[str]:
    out = []
    if example.budget_wan is not None:
        out.append(f"  项目预算 {example.budget_wan:g} 万元")
    facts = example.project_facts or {}
    if facts.get("period_text"):
        out.append(f"  项目起止时间 {facts['period_text']}")
    if facts.get("goal_text"):
        out.append(f"  年度总体目标：{facts['goal_text']}")
    for row in (facts.get("funds") or {}).get("rows", []):
        figures = " / ".join(str(row.get(k) or "—") for k in ("initial", "adjusted", "executed"))
        out.append(f"  资金 {row.get('label')}: {figures}")
    for ind in example.indicators:
        cat = "/".join(x for x in (ind.get("declared_level1"), ind.get("declared_level2")) if x)
        line = f"  {cat + ' · ' if cat else ''}{ind.get('name', '')}: {ind.get('value', '')}"
        if ind.get("actual") is not None:  # a self-evaluation row: target → actual, score/weight
            line += f" → {ind['actual']}"
        if ind.get("score") or ind.get("weight"):
            line += f"  得分 {ind.get('score') or '-'}/{ind.get('weight') or '-'}"
        if ind.get("deviation_reason"):
            line += f"  偏差原因：{ind['deviation_reason']}"
        out.append(line)
    project = getattr(example, "project", None) or {}
    if (project.get("funds") or {}).get("scoring_rule"):
        out.append(f"  资金计分规则：{project['funds']['scoring_rule']}")
    for row in (project.get("funds") or {}).get("rows", []):
        figures = "  ".join(f"{label} {row[key]}" for key, label in _FUNDS_COLUMNS if row.get(key))
        out.append(f"  资金 {row.get('label', '')}: {figures}")
    if project.get("total_weight") or project.get("total_score"):
        out.append(f"  总分 {project.get('total_score') or '-'}/{project.get('total_weight') or '-'}")
    for region in getattr(example, "unread", ()):  # table text the parse did not read (KPI100)
        out.append(f"  未读出：第{region.get('start_line')}-{region.get('end_line')}行 “{region.get('excerpt', '')}”")
    coverage = getattr(example, "coverage", None)
    if coverage is not None:
        out.append(f"  已读出表格内容约 {coverage:.0%}")
    if example.note:
        out.append(f"  ({example.note})")
    return out


_FUNDS_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"),
                  ("rate", "执行率"), ("weight", "分值"), ("score", "得分"))


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, args: dict[str, Any]) -> str:
    try:
        return template.format_map(args)  # the usual case: every field is given
    except KeyError:
        return template.format_map(_SafeDict(args))  # a missing field stays as written


# ---------------------------------------------------------------------- the registry

REGISTRY: dict[str, Rule] = {}
REDIRECTS: dict[str, str] = {}  # an old code -> the code of the rule that took it over


def register(cls: type[Rule]) -> type[Rule]:
    rule = cls()
    if rule.code in REGISTRY or rule.code in REDIRECTS:
        raise ValueError(f"duplicate rule code {rule.code}")
    REGISTRY[rule.code] = rule
    for old in rule.replaces:
        REDIRECTS[old] = rule.code
    return cls


def redirected(code: str) -> str:
    """The code a selector means now: an old code its successor's, anything else itself."""
    return REDIRECTS.get(code.upper(), code)


def matches(code: str, selectors: Iterable[str]) -> bool:
    """ruff-style selection: `KPI` (all), `KPI3` (a family), `KPI301` (one rule)."""
    return any(code.startswith(sel.upper()) for sel in selectors)


def selected_rules(config: Config, path: Optional[str] = None) -> list[Rule]:
    from fnmatch import fnmatch

    ignore = list(config.ignore)
    if path:
        for pattern, codes in config.per_file_ignores.items():
            if fnmatch(path, pattern) or fnmatch(path.replace("\\", "/").split("/")[-1], pattern):
                ignore.extend(codes)
    select = tuple(config.select) + tuple(config.extend_select)
    return list(_selection(select, tuple(ignore), len(REGISTRY)))


@lru_cache(maxsize=256)  # asked per document; the answer depends on the selectors alone
def _selection(select: tuple[str, ...], ignore: tuple[str, ...], registered: int) -> tuple[Rule, ...]:
    """`registered`: the registry's size, so that a rule registered later is not missed."""
    return tuple(r for code, r in sorted(REGISTRY.items()) if matches(code, select) and not matches(code, ignore))


def run_rules(report: FileReport, config: Config) -> list[Finding]:
    ctx = RuleContext(report=report, config=config)
    extra = tuple(getattr(config, "lexicons", ()) or ())
    findings: list[Finding] = []
    try:
        for rule in selected_rules(config, report.path):
            for hit in rule.check(ctx):
                if hit.indicator is not None and (
                        rule.judges_value and ctx.cut_off(hit.indicator) or is_scrap_value(hit.indicator, extra)
                        or ctx.weight_as_value(hit.indicator)):
                    continue
                findings.append(_to_finding(rule, hit, ctx))
    finally:
        forget_views()  # they hold this document's indicators: let them go with the report
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.code))
    return findings


def _to_finding(rule: Rule, hit: Hit, ctx: RuleContext) -> Finding:
    config = ctx.config
    ind = hit.indicator
    args = {"name": ind.name if ind else "", "value": ind.value if ind else "", **hit.args}
    if hit.project is None and ind is not None:
        hit.project = ind.project
    args.setdefault("project", hit.project or ("（未标明）" if config.lang == "zh" else "(unnamed)"))  # no 项目名称 found
    hit.args = args
    severity = config.severity.get(rule.code) or hit.severity or rule.severity
    project = ctx.project(hit.project)
    pos = hit.pos or (ind.positions.get(hit.field) if ind is not None and hit.field else None) \
        or (ind.pos if ind else (project.pos if project else Position()))
    shown = None
    if ind is not None:
        shown = {"name": ind.name, "value": ind.value}
        for key in ("actual", "score", "weight"):  # a self-evaluation row: what it reports
            if getattr(ind, key) is not None:
                shown[key] = getattr(ind, key)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=rule.format_message(hit, config.lang),
        suggestion=rule.format_suggestion(hit, config.lang),
        fix=hit.fix,
        indicator_id=ind.id if ind else None,
        indicator=shown,
        project=hit.project,
        line=pos.line,
        column=pos.column,
        pos=pos,
        field=hit.field,
    )
