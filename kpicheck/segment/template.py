"""Column templates: what a table's columns hold, read from its heading, or guessed without one.

A heading is the run of atoms that best covers header words (one header lexicon,
`lexicons/headers.toml`), even when it is wrapped over several lines ('一级' / '指标'), printed
one cell per line, or run together with the first data row. Its words give each column a role;
a column whose heading no lexicon knows takes its role from its content. Without a heading, the
table is read against a generic template whose optional columns cost little when absent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from kpicheck import patterns
from kpicheck.textcache import text_cache
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment.atoms import CELL, Atom
from kpicheck.segment.labels import parse_label

# Roles that a second occurrence of starts a second column group (长期 | 年度 side by side).
_GROUP_ROLES = ("l2", "name", "value")
_CONTENT = ("l1", "l2", "name", "value", "current", "actual", "unit", "weight", "score", "attr", "year")
_MAX_HEADINGS = 40  # fields: the widest heading printed (a 2000-year run is no heading)
_HEADING_REACH = 16  # atoms: how far along its row an unknown heading looks for a known one
_LONG = patterns.compile(r"长期|中期|实施期|项目期|总体")
_ANNUAL = patterns.compile(r"年度|本年|当年")


@dataclass
class Column:
    role: str
    group: int = 0
    heading: str = ""
    period: Optional[str] = None
    level1: Optional[str] = None  # a column pair that carries its category (产出指标 | 指标值 | …)
    level2: Optional[str] = None
    cell: Optional[int] = None  # the heading's cell index in a table with cell edges


@dataclass
class Template:
    columns: list[Column]
    header_lo: int = -1  # atoms of the heading, when there is one
    header_hi: int = -1
    generic: bool = False
    kind: str = "indicators"  # or "funds": a self-evaluation's funds block
    cells: int = 0  # cells in the heading's row (cell edges): data rows align from either end

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.columns]

    @property
    def groups(self) -> int:
        return 1 + max((c.group for c in self.columns), default=0)


@dataclass
class HeaderField:
    role: str
    lo: int
    hi: int
    text: str


@dataclass
class Heading:
    lo: int
    hi: int
    fields: list[HeaderField] = field(default_factory=list)


def _joinable(atoms: list[Atom], lo: int, hi: int) -> bool:
    return all(atoms[k].gap != CELL for k in range(lo + 1, hi))


def _field_at(atoms: list[Atom], i: int) -> Optional[HeaderField]:
    """The heading that starts at atom i, joining up to three pieces of a wrapped one."""
    n = len(atoms)
    if not atoms[i].text:
        return None
    a = atoms[i]
    if a.cell >= 0 and a.gap >= CELL:  # a whole cell: '质量指标1 (中期)'
        j = i + 1
        while j < n and j - i < 6 and atoms[j].gap < CELL:
            j += 1
        if j - i > 1 or "(" in a.text or "（" in a.text:
            whole = "".join(atoms[k].text for k in range(i, j))
            if R.wide_heading(whole) is not None:
                return HeaderField("wide", i, j, whole)
    if _piece(a.text):  # a heading wrapped over two or three pieces: all fragments
        for size in (3, 2):
            if i + size <= n and _joinable(atoms, i, i + size) and all(atoms[k].text for k in range(i, i + size)):
                text = "".join(atoms[k].text for k in range(i, i + size))
                if len(text) <= 16 and all(_piece(atoms[k].text) for k in range(i + 1, i + size)):
                    role = R.header_role(text)
                    if role is not None:
                        return HeaderField(role, i, i + size, text)
    role = R.header_role(atoms[i].text)
    if role is not None and not _ends_label(atoms, i):
        return HeaderField(role, i, i + 1, atoms[i].text)
    return None


def _ends_label(atoms: list[Atom], i: int) -> bool:
    """'产出 指标' torn by a space: the '指标' ends the category label begun before it, and is no
    指标 (name) heading."""
    if i == 0 or atoms[i].gap >= CELL or not atoms[i - 1].text or atoms[i - 1].line != atoms[i].line:
        return False
    return R.label_of(atoms[i - 1].text + atoms[i].text) is not None


@text_cache(16384)  # asked of every atom, and again for the pieces after it
def _piece(text: str) -> bool:
    """A piece a wrapped heading may be made of: a known fragment ('一级' / '指标'), or any word of
    at most three Chinese characters ('计算' / '符号', '指' / '标值'); the pieces join only where
    the whole is a heading word."""
    if R.header_fragment(text):
        return True
    t = R.fold(text).strip()
    return 0 < len(t) <= 3 and C.cjk_count(t) == len(t)


FUNDS = ("funds_initial", "funds_adjusted", "funds_executed", "funds_rate")


def _valid(fields: list[HeaderField]) -> bool:
    if sum(f.role == "wide" for f in fields) >= 4:
        return True
    if len({f.role for f in fields if f.role in FUNDS}) >= 2:
        return True
    if _pairs(fields):
        return True
    roles = [f.role for f in fields if f.role in _CONTENT]
    kinds = set(roles)
    if len(kinds) < 2:
        return False
    has_name = bool(kinds & {"name", "l1", "l2"})
    has_value = bool(kinds & {"value", "current", "actual", "year", "weight"})
    return has_name and has_value and (len(roles) >= 3 or "name" in kinds)


def _pairs(fields: list[HeaderField]) -> int:
    """(category, 指标值) heading pairs: '产出指标 | 指标值 | 效益指标 | 指标值'."""
    n = 0
    for a, b in zip(fields, fields[1:]):
        if a.role == "category" and b.role == "value":
            n += 1
    return n if n >= 2 or (n == 1 and len(fields) == 2) else 0


def find_headings(atoms: list[Atom]) -> list[Heading]:
    """Every heading of a performance table in the stream, in order."""
    out: list[Heading] = []
    n = len(atoms)
    # the heading at each atom, worked out once: a run of heading words that makes no heading
    # (12,000 lines of '说明：') is looked at again from each of its atoms
    known: dict[int, Optional[HeaderField]] = {}

    def field_at(j: int) -> Optional[HeaderField]:
        if j not in known:
            known[j] = _field_at(atoms, j)
        return known[j]

    i = 0
    while i < n:
        f = field_at(i)
        if f is None and atoms[i].text and atoms[i].cell >= 0 and R.label_of(atoms[i].text) is not None \
                and i + 1 < n and field_at(i + 1) is not None:
            f = HeaderField("category", i, i + 1, atoms[i].text)  # '产出指标 | 指标值 | …'
        if f is None:
            i += 1
            continue
        fields = [f]
        k = i - 1  # the labels before it on a row of category labels (产出指标 | | 效益指标 | …)
        while f.role == "category" and k >= 0 and atoms[k].line == atoms[i].line and (
                not atoms[k].text or R.label_of(atoms[k].text) is not None):
            if atoms[k].text:
                fields.insert(0, HeaderField("category", k, k + 1, atoms[k].text))
            k -= 1
        j = f.hi
        unknown = 0
        while j < n and len(fields) < _MAX_HEADINGS:
            a = atoms[j]
            g = field_at(j)
            if g is not None and a.line != atoms[fields[-1].lo].line and _data_follows(atoms, g.hi, field_at):
                break  # '预算执行率 10 % =100' under the heading: a row whose name is a heading word
            if g is not None:
                fields.append(g)
                j = g.hi
                unknown = 0
                continue
            if not a.text:
                j += 1
                continue
            if R.label_of(a.text) is not None and (a.cell >= 0 or _category_row(atoms, j)):
                fields.append(HeaderField("category", j, j + 1, a.text))
                j += 1
                continue
            if unknown < 3 and _unknown_heading(a, atoms, j):
                fields.append(HeaderField("other", j, j + 1, a.text))
                unknown += 1
                j += 1
                continue
            break
        while fields and fields[-1].role in ("other", "category"):
            fields.pop()
        if not fields and R.label_of(atoms[i].text) is not None:
            i += 1
            continue
        if any(f.role == "wide" for f in fields):
            fields = [f for f in fields if f.role == "wide"]
        if _valid(fields):
            out.append(Heading(fields[0].lo, fields[-1].hi, fields))
            i = fields[-1].hi
        else:
            i += 1
    return out


def _data_follows(atoms: list[Atom], j: int, field_at: Callable[[int], Optional[HeaderField]]) -> bool:
    """Whether the rest of atom j's line holds a value and no heading: a data row (`field_at`:
    the heading at an atom, as `find_headings` remembers it)."""
    line = atoms[j - 1].line
    value = False
    for k in range(j, min(len(atoms), j + _HEADING_REACH)):
        a = atoms[k]
        if a.line != line:
            break
        if not a.text:
            continue
        if field_at(k) is not None:
            return False
        value = value or R.value_like(a.text) >= 2.5
    return value


def _category_row(atoms: list[Atom], j: int) -> bool:
    """A row of category labels inside a heading, one over each column pair (成本指标 | 产出指标 …):
    the label is on a line of labels and empty cells only, with cell edges."""
    a = atoms[j]
    if a.cell < 0:
        return False
    k = j
    while k > 0 and atoms[k].line == a.line:
        k -= 1
    k += 1 if atoms[k].line != a.line else 0
    while k < len(atoms) and atoms[k].line == a.line:
        t = atoms[k].text
        if t and R.label_of(t) is None:
            return False
        k += 1
    return True


def _unknown_heading(a: Atom, atoms: list[Atom], j: int) -> bool:
    """A short word among the headings of a row that no lexicon knows (佐证材料, 政府预算资金)."""
    t = R.fold(a.text)
    if not 2 <= len(t) <= 12 or R.value_like(a.text) > 0 or R.label_of(a.text) is not None:
        return False
    if a.cell < 0:  # without cell edges: only between two headings
        return j + 1 < len(atoms) and _field_at(atoms, j + 1) is not None
    # a known heading among the next cells of the row (a heading row is a few cells wide: looking
    # further would make a long line quadratic)
    for k in range(j + 1, min(len(atoms), j + 1 + _HEADING_REACH)):
        if atoms[k].line != a.line:
            break
        if atoms[k].text and R.header_role(atoms[k].text) is not None:
            return True
    return False


def _stacked(atoms: list[Atom], heading: Heading) -> Optional[list[HeaderField]]:
    """A heading printed over two or three rows of a table with cell edges ('预期当年实' over
    '现值', '近两年' over '2021年'): one field per cell index, its words joined top to bottom."""
    fields = [f for f in heading.fields if f.role not in ("group", "category")]
    if not fields or any(atoms[f.lo].cell < 0 for f in fields):
        return None
    if len({atoms[f.lo].line for f in fields}) < 2:
        return None
    # stacked, not a heading row wrapped onto the next line: a later row puts a year, a fragment or
    # a role already seen under a cell an earlier row's heading occupies
    first_line = atoms[fields[0].lo].line
    above = {atoms[f.lo].cell: f.role for f in fields if atoms[f.lo].line == first_line}
    seen_roles = set(above.values())
    stacked = any(atoms[f.lo].line != first_line and atoms[f.lo].cell in above
                  and (f.role in ("year", "current", "other") or f.role in seen_roles)
                  for f in fields)
    if not stacked:
        return None
    by_cell: dict[int, list[HeaderField]] = {}
    for f in fields:
        by_cell.setdefault(atoms[f.lo].cell, []).append(f)
    out = []
    for cell in sorted(by_cell):
        parts = by_cell[cell]
        text = "".join(p.text for p in parts)
        role = R.header_role(text)
        if role is None:
            roles = [p.role for p in parts]
            role = next((r for r in ("current", "year") if r in roles), None) or next(
                (r for r in roles if r != "other"), "other")
        out.append(HeaderField(role, parts[0].lo, parts[-1].hi, text))
    return out


def _wide_template(heading: Heading, atoms: list[Atom]) -> Template:
    """One column per category and period, each cell holding a name and its target: a name and a
    value column at the same cell, in a group of their own. Cells past the last one take the
    satisfaction category when the rows above print it there (服务对象满意度 | 指标1 | 指标2)."""
    columns: list[Column] = [Column("l1"), Column("l2")]
    last = -1
    for g, f in enumerate(heading.fields):
        label, period = R.wide_heading(f.text)
        cell = atoms[f.lo].cell
        l1 = label.canonical if label.level == 1 else label.parent
        l2 = label.canonical if label.level == 2 else None
        for role in ("name", "value"):
            columns.append(Column(role, g, f.text, period=period, level1=l1, level2=l2, cell=cell))
        last = max(last, cell)
    above = text_before(atoms, heading.lo, 3)
    if "满意" in above:
        for extra in range(1, 4):
            g = len(heading.fields) + extra - 1
            for role in ("name", "value"):
                columns.append(Column(role, g, "", period="annual", level1="满意度", level2="服务对象满意度",
                                      cell=last + extra))
    return Template(columns, heading.lo, heading.hi, cells=0)


def text_before(atoms: list[Atom], lo: int, lines: int = 4) -> str:
    """The text of the `lines` lines before atom `lo` (a title above a heading)."""
    if lo <= 0:
        return ""
    first_line = atoms[lo - 1].line - lines
    k = lo - 1
    parts = []
    while k >= 0 and atoms[k].line >= first_line:
        parts.append(atoms[k].text)
        k -= 1
    return "".join(reversed(parts))


def _funds_template(heading: Heading, atoms: list[Atom]) -> Template:
    """The funds block of a self-evaluation: a row label, then the figures the heading names."""
    keep = FUNDS + ("weight", "score", "reason")
    columns = [Column("funds_label")]
    for f in _stacked(atoms, heading) or heading.fields:
        if f.role in keep and f.role not in [c.role for c in columns]:
            cell = atoms[f.lo].cell
            columns.append(Column(f.role, 0, f.text, cell=cell if cell >= 0 else None))
    cells = max((atoms[f.lo].cells for f in heading.fields), default=0)
    return Template(columns, heading.lo, heading.hi, kind="funds", cells=cells)


def _pair_template(heading: Heading, atoms: list[Atom]) -> Template:
    """One (category, 指标值) column pair per category: the category's column holds the names."""
    columns = [Column("l1"), Column("l2")]
    g = 0
    fields = heading.fields
    for a, b in zip(fields, fields[1:]):
        if a.role == "category" and b.role == "value":
            label = parse_label(a.text, prefer=1) or R.label_of(a.text)
            l1 = label.canonical if label.level == 1 else label.parent
            l2 = label.canonical if label.level == 2 else None
            for f, role in ((a, "name"), (b, "value")):
                cell = atoms[f.lo].cell
                columns.append(Column(role, g, a.text, level1=l1, level2=l2, cell=cell if cell >= 0 else None))
            g += 1
    return Template(columns, heading.lo, heading.hi, cells=max((atoms[f.lo].cells for f in fields), default=0))


def _categories_above(heading: Heading, atoms: list[Atom]) -> list[HeaderField]:
    """A row of category labels printed just above a heading (产出指标 | | 效益指标 | | …)."""
    k = heading.lo - 1
    while k >= 0 and not atoms[k].text:
        k -= 1
    if k < 0 or atoms[k].cell < 0:
        return []
    line = atoms[k].line
    out = []
    while k >= 0 and atoms[k].line == line:
        a = atoms[k]
        if a.text:
            if R.label_of(a.text) is None:
                return []
            out.append(HeaderField("category", k, k + 1, a.text))
        k -= 1
    return list(reversed(out)) if len(out) >= 2 else []


def _split_headings(fields: list[HeaderField]) -> tuple[list[HeaderField], set[int]]:
    """A heading split over two cells ('指标 | 示值' for 指标值, its values '1100 | 余万人'): the
    fragment takes the role of the whole, and the second cell continues its column's group."""
    out = list(fields)
    split: set[int] = set()
    for k in range(1, len(out) - 1):
        e, f, g = out[k - 1], out[k], out[k + 1]
        # the fragment alone would repeat the column before it ('三级指标 | 指标 | 示值')
        if k not in split and f.role == e.role and R.header_fragment(f.text) and g.role != f.role \
                and R.header_role(f.text + g.text) == g.role:
            out[k] = HeaderField(g.role, f.lo, f.hi, f.text)
            split.add(k + 1)
    return out, split


def template_of(heading: Heading, before: str, atoms: list[Atom]) -> Template:
    """The column template a heading states; `before` is the text just above it (periods)."""
    if heading.fields and heading.fields[0].role == "wide":
        return _wide_template(heading, atoms)
    if _pairs(heading.fields):
        return _pair_template(heading, atoms)
    above = _categories_above(heading, atoms)
    if above and not any(f.role == "category" for f in heading.fields):
        heading = Heading(heading.lo, heading.hi, above + heading.fields)
    if len({f.role for f in heading.fields if f.role in FUNDS}) >= 2:
        return _funds_template(heading, atoms)
    fields = _stacked(atoms, heading) or [f for f in heading.fields if f.role != "category"]
    fields, split = _split_headings(fields)
    columns: list[Column] = []
    seen: set[str] = set()
    group = 0
    for k, f in enumerate(fields):
        if f.role == "group":
            continue
        if k not in split and f.role in _GROUP_ROLES and f.role in seen and any(
                c.role in ("name", "value") for c in columns if c.group == group):
            group += 1
            seen = set()
        seen.add(f.role)
        cell = atoms[f.lo].cell
        columns.append(Column(f.role, group, f.text, cell=cell if cell >= 0 else None))
    roles = [c.role for c in columns]
    if "current" in roles:
        for c in columns:
            if c.role == "current":
                c.role = "value"
            elif c.role == "value":
                c.role = "year"
    if "value" not in roles and "current" not in roles and "year" in roles:
        years = [c for c in columns if c.role == "year"]
        years[-1].role = "value"  # the latest year's column is the target
    names = [c for c in columns if c.role == "name"]
    if names and "value" not in [c.role for c in columns]:
        # one value column per place (a village, a county) after the name: read them all
        for c in columns:
            if c.role == "other" and columns.index(c) > columns.index(names[0]):
                c.role = "value"
    groups = 1 + max((c.group for c in columns), default=0)
    categories = [(atoms[f.lo].cell, parse_label(f.text, prefer=1) or R.label_of(f.text))
                  for f in heading.fields if f.role == "category"]
    if groups >= 2 and len(categories) >= 2:
        # one column pair per category: each group takes the label printed over it
        for c in columns:
            if c.cell is None or c.role not in ("name", "value", "unit", "attr", "actual", "weight", "score"):
                continue
            over = [lab for cell, lab in sorted(categories, key=lambda x: x[0]) if cell <= c.cell + 1]
            if over:
                lab = over[-1]
                c.level1 = lab.canonical if lab.level == 1 else lab.parent
    elif groups == 2:
        periods = ["long_term", "annual"]
        lm, am = _LONG.search(before), _ANNUAL.search(before)
        if am and (not lm or am.start() < lm.start()):
            periods = ["annual", "long_term"]
        for c in columns:
            c.period = periods[c.group]
    if "l1" not in roles and "l2" not in roles:
        # labels may still be printed in rows ('数量指标' before a group of rows): they go here
        columns[0:0] = [Column("l1", 0, ""), Column("l2", 0, "")]
    head_cells = max((atoms[f.lo].cells for f in fields), default=0)
    return Template(columns, heading.lo, heading.hi, cells=head_cells)


def generic_template(self_evaluation: bool = False, value_first: bool = False) -> Template:
    """For a table without a heading: labels, a name, a comparator, a target, its unit, and in a
    self-evaluation what it adds (the target before the name when the rows print it first).
    Optional columns cost little when absent."""
    if value_first:
        roles: tuple[str, ...] = ("l1", "l2", "attr", "value", "unit", "name", "note")
        return Template([Column(r) for r in roles], generic=True)
    # an attribute column (正向, 定量) is printed before the target as often as after it
    roles = ("l1", "l2", "name", "attr", "value", "unit", "attr") + (
        ("actual", "weight", "score") if self_evaluation else ()) + ("note",)
    return Template([Column(r) for r in roles], generic=True)
