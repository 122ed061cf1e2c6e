"""From the fields of a parsed table to indicators: categories carried down, values put together.

A label printed once over a group of rows holds for the rows below it until the next label
(per column group); a value split over 符号 | 指标值 | 计量单位 columns is joined as printed
(`≥` + `80` + `人` → `≥80人`); a self-evaluation row keeps its actual value, weight, score and
deviation reason, each with its position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from kpicheck import lexicons, patterns
from kpicheck.models import Funds, FundsRow, Position
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.atoms import Atom
from kpicheck.segment.labels import Label, simplify
from kpicheck.segment.tableparse import Field
from kpicheck.segment.template import Template
from kpicheck.values import parse_value

_NAME_PREFIX = patterns.compile(r"^(?:[★☆*]+|(?:指标|目标)\s*\d+\s*[:：.．、]?|\d{1,2}\s*[、.．]\s*(?=\D)|[(（]\d{1,2}[)）])\s*")
_NAME_TRAIL = patterns.compile(r"[★☆*]+")
_IGNORE = patterns.compile(r"^(?:绩效指标|绩效目标|指标|年度绩效指标|本年度绩效指标|目标|—|-)$")
_PAREN_VALUE = patterns.compile(r"^[(（](.*)[)）]$")
_QUOTED = patterns.compile(r"\s*(?:为|是|[:：])?\s*[“\"「『‘']([^“”\"「」『』‘’']+)[”\"」』’']?[，,。；;]?\s*")
# Prose that gives earlier years before the target: '2021年：…、2022年：…、预期当年实现值：…'.
_CURRENT = patterns.compile(r"(?:预期当年实现值|预计当年实现值|当年实现值|预期当年值)\s*[:：]\s*")
_PERIOD = patterns.compile(r"^(长期|中期|实施期|年度|本年度|当年)(?:绩效)?(?:总)?(?:目标|指标|绩效指标)\s*\d*\s*[:：]?$")


@dataclass
class RawIndicator:
    name: str
    value: str
    level1: Optional[str]
    level2: Optional[str]
    level1_raw: Optional[str]
    level2_raw: Optional[str]
    period: Optional[str]  # from its column group; else the period marker above it
    line: Optional[int]
    column: Optional[int]
    pos: Optional[Position]
    value_type: Optional[str] = None
    direction: Optional[str] = None
    project: Optional[str] = None
    actual: Optional[str] = None
    weight: Optional[str] = None
    score: Optional[str] = None
    deviation_reason: Optional[str] = None
    positions: dict = field(default_factory=dict)
    atom: int = 0  # its first atom in the stream


@dataclass
class State:
    """Category labels per column group, carried down the rows that leave them blank."""

    l1: dict[int, Optional[Label]] = field(default_factory=dict)
    l2: dict[int, Optional[Label]] = field(default_factory=dict)
    period: Optional[str] = None
    project: Optional[str] = None  # a listing that names the project in a column
    explained: list = field(default_factory=list)  # the fields of rows that gave indicators or labels
    printed_l1: set = field(default_factory=set)  # groups whose 一级 is printed on this record
    kept_l1: set = field(default_factory=set)  # groups whose printed 一级 a 二级 did not replace

    def set_label(self, label: Label, group: int, groups: list[int]) -> None:
        if label.level == 1:
            for g in groups:
                self.l1[g] = label
                self.l2[g] = None
                self.printed_l1.add(g)
            return
        self.l2[group] = label
        cur = self.l1.get(group)
        if cur is not None and cur.canonical is None:
            # a printed 一级 that folds to no category ('项目决策', or a variant no list knows): the
            # 二级 says which category it is; the printed word stays with it (KPI208 reads it)
            self.printed_l1.discard(group)
            self.kept_l1.discard(group)
            if label.parent and label.canonical != "成本":
                self.l1[group] = Label(1, label.parent, None, cur.raw)
            return
        if group in self.printed_l1 and cur is not None:
            # 效益指标 | 社会成本指标 stays 效益 as printed (KPI204 reports the mismatch)
            self.printed_l1.discard(group)
            self.kept_l1.add(group)
            return
        self.kept_l1.discard(group)
        if label.parent and label.canonical != "成本" and (cur is None or cur.canonical != label.parent):
            self.l1[group] = Label(1, label.parent, None, "")
        elif label.canonical == "成本" and cur is None:
            self.l1[group] = Label(1, "产出", None, "")


def clean_name(text: str) -> str:
    name = _NAME_PREFIX.sub("", text.strip()).strip().rstrip(":：").rstrip()  # '…培训：已完成' cut after the colon
    return _NAME_TRAIL.sub("", name).strip() if "★" in name or "☆" in name else name


def _label_in(role: str, text: str, declared: bool, state: State, group: int) -> Optional[Label]:
    label = R.label_of(text)
    if label is None:
        return Label(1 if role == "l1" else 2, None, None, text.strip()) if declared and R.unknown_label(text) else None  # type: ignore[arg-type]
    cur = state.l1.get(group)
    if label.canonical == "成本" and label.level == 2 and (
            role == "l1" or (cur is not None and cur.canonical is not None and cur.canonical not in ("产出", "成本"))):
        return Label(1, "成本", None, label.raw)  # the 2021 一级 成本
    if role == "l2" and label.level == 1:
        sub = {"满意度": "服务对象满意度", "成本": "成本"}.get(label.canonical)
        if sub:  # '满意度指标 | 满意度指标': an 一级 word printed in the 二级 column
            return Label(2, sub, "满意度" if sub != "成本" else "产出", label.raw)
    return label


def position_of(atom: Atom) -> Position:
    """Where an atom was printed: its cell's position (xlsx, docx, pdf), else its line and column."""
    if atom.pos is not None:
        return atom.pos
    return Position(line=atom.line, column=atom.column)


def records(fields: list[Field]) -> list[list[Field]]:
    out: list[list[Field]] = []
    for f in fields:
        if f.new_record or not out:
            out.append([f])
        else:
            out[-1].append(f)
    return out


def assemble(fields: list[Field], atoms: list[Atom], template: Template, state: State,
             layout: str = "row") -> list[RawIndicator]:
    cols = template.columns
    groups = sorted({c.group for c in cols}) or [0]
    out: list[RawIndicator] = []
    for rec in records(fields):
        state.printed_l1.clear()
        state.kept_l1.clear()
        by_group: dict[int, dict[str, list[Field]]] = {}
        last_label: dict[int, Field] = {}
        named_by_label = any(cols[f.column].role == "name" and R.label_of(f.text) is not None for f in rec)
        misplaced = {id(f) for f in _misplaced_names(rec, cols)}
        for f in rec:
            col = cols[f.column]
            if id(f) in misplaced:
                by_group.setdefault(col.group, {}).setdefault("name", []).append(f)
                continue
            if col.role in ("l1", "l2"):
                label = _label_in(col.role, f.text, bool(col.heading), state, col.group)
                if named_by_label and label is not None and col.role == "l1" and label.canonical == "成本":
                    # '成本指标 | 社会成本指标 | 100 | %': the row's name is a label, so the 成本指标
                    # before it is the legacy 二级 under 产出, not the 2021 一级
                    label = Label(2, "成本", "产出", label.raw)
                if label is not None:
                    state.set_label(label, col.group, groups)
                    last_label[col.group] = f
                continue
            if col.role == "project" and f.text.strip():
                state.project = f.text.strip()
                continue
            by_group.setdefault(col.group, {}).setdefault(col.role, []).append(f)
        for g, f in last_label.items():
            got = by_group.get(g)
            if got and "name" not in got and any(v.text.strip() for v in got.get("value", [])):
                trailing = _name_after(got, cols)
                if trailing is not None:
                    # '数量指标 | = | 116人 | 正向 | 保障在职职工人数(人)': the name printed last
                    got["name"] = [trailing]
                    got[cols[trailing.column].role].remove(trailing)
                elif layout == "prose" and _statement(got.get("value", [])):
                    # '可持续影响指标：持续发展。': a prose statement under its label states its own target
                    got["name"] = list(got["value"])
                else:
                    # '质量指标 | 100%': a row whose only name is its label (the label names the measure)
                    got["name"] = [f]
        read = bool(last_label)
        for g in groups:
            got = by_group.get(g)
            if got:
                ind = _indicator(got, atoms, template, g, state)
                outcome = _outcome(ind, out[-1] if out else None) if ind is not None and layout == "prose" else None
                if outcome is not None:
                    if outcome == "actual":
                        # '飞机飞行时长≥928小时,实际飞行时长909.93小时': the sentence after a
                        # target states its actual
                        out[-1].actual = ind.value
                        out[-1].positions["actual"] = ind.positions.get("value", ind.pos)
                    read = True  # read, as an actual or as a fact of the report
                    continue
                if ind is not None:
                    if layout == "prose" and not ind.value and C.cjk_count(ind.name) >= 2:
                        ind.value = ind.name  # a prose statement ('生态修复功能提高') states its own target
                    out.append(ind)
                    read = True
        if read:  # what coverage counts as read: a row that gave an indicator or a label
            state.explained.extend(rec)
    return out


_AFTER_ROLES = ("note", "other", "desc")


_KEYED_FIGURE = patterns.compile(r"\D{1,6}?(?=\d)")


def _without_key(actual: str) -> str:
    """An actual printed after its key in a sentence ('实际布防6架'): the figure. Words that
    qualify the figure are no key: a comparator ('实际低于90%') or an ordinal ('实际完成第3阶段')
    keeps the actual as printed."""
    if not actual or not R.actual_start(R.fold(actual)):
        return actual
    m = _KEYED_FIGURE.match(actual)
    if m is None or m.group().endswith("第") or R.has_comparator(m.group()):
        return actual
    return actual[m.end():]


@lexicons.reading_cache
def _target_mark() -> re.Pattern:
    """What makes a figure a target: a comparator before it or a bound after it ('≥80%',
    '600人次以上'; lexicons/comparators.toml)."""
    return patterns.compile(f"{C.comparator_words()}|{C.bound_words()}")


def _outcome(ind: RawIndicator, before: Optional[RawIndicator]) -> Optional[str]:
    """What a prose sentence that states what was done is ('实际飞行时长 909.93小时': a figure with
    no comparator after a name that starts as an actual does): "actual", the actual of the
    target before it, stated in its unit ('≥928小时'); "fact", a fact of the report after a
    target whose actual is told already ('实际发放107.78万元,实际执行率为72.03%'); None, a
    target of its own ('新建道路5公里;累计完成植树2000株', or no target before it)."""
    if before is None or not before.value or not ind.value:
        return None
    if not R.actual_start(R.fold(ind.name)) or _target_mark().search(ind.value) is not None:
        return None
    if before.actual is not None:
        return "fact"
    unit = parse_value(ind.value).base_unit
    return "actual" if unit is not None and unit == parse_value(before.value).base_unit else None


def _statement(values: list[Field]) -> bool:
    """A value that is a clause in words (持续发展, 生态修复功能提高), no figure in it."""
    text = "".join(f.text for f in values)
    return C.cjk_count(text) >= 4 and not any(ch.isdigit() for ch in text)


def _name_after(got: dict[str, list[Field]], cols: list) -> Optional[Field]:
    """In a row with labels and a value but no name, a text in a note column no heading
    declared that reads as a name and as nothing else: columns printed in another order, the
    name last. (Under a printed 指标说明 heading the text is what the heading says.)"""
    for role in _AFTER_ROLES:
        for f in got.get(role, []):
            t = f.text.strip()
            if cols[f.column].heading:
                continue
            if C.cjk_count(t) >= 4 and R.name_score(t) >= 1.0 and R.label_of(t) is None \
                    and R.value_like(t) < 2.5 and not R.starts_description(t) and R.junk_kind(t) is None:
                return f
    return None


def _misplaced_names(rec: list[Field], cols: list) -> list[Field]:
    """Label cells that hold a row's name: '劳务费 |  | 3.5万元' moved one column left.

    A word that is no category label, in a label column of a row whose group has a value but
    no name, names the measure; read as an unknown label it would wipe the categories the row
    carries from the rows above."""
    out = []
    for f in rec:
        col = cols[f.column]
        if col.role not in ("l1", "l2") or not f.text.strip() or R.label_of(f.text) is not None:
            continue
        mates = [m for m in rec if cols[m.column].group == col.group and m.text.strip()]
        if any(cols[m.column].role == "name" for m in mates):
            continue
        if any(cols[m.column].role == "value" for m in mates) and C.cjk_count(f.text) >= 2:
            out.append(f)
    return out


def unquoted(text: str) -> str:
    """A figure a prose report quotes after its key ('指标值为“约1200米”', '实际完成值为"96%"'): what
    the quotes hold; the copula before them belongs to the sentence."""
    m = _QUOTED.fullmatch(text)
    return m.group(1).strip() if m else text


def _text(fs: list[Field]) -> str:
    return "".join(f.text.strip() for f in fs if f.text.strip())


def _indicator(got: dict[str, list[Field]], atoms: list[Atom], template: Template, group: int,
               state: State) -> Optional[RawIndicator]:
    names = got.get("name", [])
    values = got.get("value", [])
    name = clean_name(" ".join(f.text for f in names)) if names else ""
    value = _text(values)
    cur = _CURRENT.search(value)
    if cur:
        value = value[cur.end():]
    m = _PAREN_VALUE.match(value)
    if m:
        value = m.group(1).strip()
    value = unquoted(value)
    attrs = got.get("attr", [])
    comparator = "".join(f.text.strip() for f in attrs if C.is_comparator(f.text))
    direction = next((f.text.strip() for f in attrs if C.is_direction(f.text)), None)
    value_type = next((f.text.strip() for f in attrs if C.is_value_type(f.text)), None)
    unit = _text(got.get("unit", []))
    if value:
        if unit and not value.endswith(unit) and not C.says_nothing(unit):  # 度量单位 '无'
            value = value + unit
        if comparator and not C.is_comparator(value[:1]):
            value = comparator + value
    if not name and value and C.cjk_count(value) >= 2:
        head, tail = C.split_name_value(value)
        if tail:
            name, value = head, tail
    if not name:
        return None
    if not value and (C.cjk_count(name) < 4 or R.label_of(name) is not None):
        return None  # a scrap, or a row of category labels ('效果指标 | 社会效益指标 | 社会效益指标')
    if R.terminator(name) or _IGNORE.match(simplify(name)) or R.junk_kind(name) in ("total", "signature", "page", "date", "footnote", "options"):
        return None
    if _PERIOD.match(simplify(name).replace(" ", "")):
        return None
    col_l1 = next((c.level1 for c in template.columns if c.group == group and c.level1), None)
    col_l2 = next((c.level2 for c in template.columns if c.group == group and c.level2), None)
    col_period = next((c.period for c in template.columns if c.group == group and c.period), None)
    l1, l2 = state.l1.get(group), state.l2.get(group)
    level1 = col_l1 or (l1.canonical if l1 else None)
    if l2 is not None and l2.parent and l2.canonical != "成本" and not col_l1 and group not in state.kept_l1:
        level1 = l2.parent
    first = (names or values)[0]
    atom = atoms[first.lo]
    positions = {}
    for role, key in (("name", "name"), ("value", "value"), ("actual", "actual"), ("weight", "weight"),
                      ("score", "score"), ("reason", "deviation_reason")):
        fs = got.get(role)
        if fs:
            positions[key] = position_of(atoms[fs[0].lo])
    actual = _without_key(unquoted(_text(got.get("actual", [])))) or None
    weight = _text(got.get("weight", [])) or None
    score = _text(got.get("score", [])) or None
    # "" where the table prints a deviation-reason column and the cell is empty; None without one
    has_reason = any(c.role == "reason" and c.group == group for c in template.columns)
    reason = " ".join(f.text for f in got.get("reason", [])) or ("" if has_reason else None)
    return RawIndicator(
        name=name, value=value, level1=level1,
        level2=col_l2 or (l2.canonical if l2 and not col_l1 else None),
        level1_raw=(l1.raw if l1 and l1.raw else None) if not col_l1 else col_l1 + "指标",
        level2_raw=(col_l2 + "指标") if col_l2 else (l2.raw if l2 and not col_l1 else None),
        period=col_period, atom=first.lo,
        line=atom.line, column=atom.column, pos=position_of(atom),
        value_type=value_type, direction=direction,
        actual=actual, weight=weight, score=score, deviation_reason=reason,
        positions=positions, project=state.project,
    )


_FUNDS_FIELDS = {"funds_initial": "initial", "funds_adjusted": "adjusted", "funds_executed": "executed",
                 "funds_rate": "rate", "weight": "weight", "score": "score"}


def assemble_funds(fields: list[Field], atoms: list[Atom], template: Template) -> Funds:
    """The funds block of a self-evaluation: one row per label, each figure as printed."""
    rows: list[FundsRow] = []
    for rec in records(fields):
        label = next((f for f in rec if template.columns[f.column].role == "funds_label"), None)
        if label is None:
            continue
        row = FundsRow(label=label.text.strip(), pos=position_of(atoms[label.lo]))
        for f in rec:
            key = _FUNDS_FIELDS.get(template.columns[f.column].role)
            text = f.text.strip()
            if key and text and text not in ("—", "-", "－", "/"):
                setattr(row, key, text)
                row.positions[key] = position_of(atoms[f.lo])
        rows.append(row)
    heading = " ".join(c.heading for c in template.columns)
    unit = "元" if "(元)" in heading or "（元）" in heading else ("万元" if "万元" in heading else None)
    first = atoms[fields[0].lo] if fields else None
    return Funds(unit=unit, rows=rows, pos=position_of(first) if first else Position())
