"""Segmentation: find the performance-target tables in a document and read their indicators.

One parser for every layout:

  atoms      the document as one stream of printed pieces, each with the boundary evidence
             before it (a cell edge, a line break, a space, nothing at all);
  roles      typed recognizers: how much a piece looks like a label, a name, a target, a unit,
             a weight, a note, or junk (page markers, signatures, totals);
  template   a table's columns, from the run of atoms that best covers header words (or a
             generic template where a table prints no heading);
  anchors    where a table without a heading starts (a label, numbered names, name-target pairs);
  tableparse the weighted parse of the stream against the template;
  assemble   categories carried down, values joined, self-evaluation fields kept;
  coverage   what table-like text the parse did not explain (KPI100 reports it);
  projects / narrative   project names, budgets, periods and the budget year.

`segment(doc)` is the one entry point.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from kpicheck import patterns
from typing import Optional

from kpicheck.models import Extraction, Funds, Indicator, Position, Project, SourceDocument
from kpicheck.segment import anchors as A
from kpicheck.segment import columnwise, coverage, keyed_funds, listing, narrative, projects, transposed
from kpicheck.segment import cells as C
from kpicheck.segment import roles as R
from kpicheck.segment import weights
from kpicheck.segment.assemble import RawIndicator, State, assemble, assemble_funds, records
from kpicheck.segment.atoms import NEWLINE, PUNCT, Atom, atomize
from kpicheck.segment.layout import document_lines
from kpicheck.segment.tableparse import Field, parse
from kpicheck.segment.template import Template, find_headings, generic_template, template_of, text_before

# A region ends where this many atoms in a row show nothing of a table (no label, no value, no
# heading) and they hold this many characters: the narrative after the table.
_QUIET_ATOMS = 14
_QUIET_CHARS = 360
_PARAGRAPH = 50  # characters of a line of running text


def _evidence(a: Atom) -> bool:
    if not a.text:
        return False
    return (R.value_like(a.text) >= 2 or R.label_of(a.text) is not None or R.header_role(a.text) is not None)


def _narrative_line(atoms: list[Atom], k: int) -> bool:
    """The line starting at atom k is a paragraph of text: no cell edges, no category label,
    long, and it ends a sentence."""
    if atoms[k].cell >= 0:
        return False
    line, chars, j = atoms[k].line, 0, k
    while j < len(atoms) and atoms[j].line == line:
        t = atoms[j].text
        if R.label_of(t) is not None:
            return False
        chars += len(t)
        j += 1
    return chars >= _PARAGRAPH and (j >= len(atoms) or atoms[j].ended)


def _end(atoms: list[Atom], lo: int, limit: int, headed: bool = False, funds: bool = False) -> int:
    """Where the table that starts at atom `lo` ends (at most `limit`). A table with a heading
    also ends at a paragraph of text (one without a heading may be prose itself); an indicator
    table ends at its 合计 / 总分 row (read apart: `_total_row`)."""
    last = lo
    chars = 0
    k = lo
    while k < limit:
        a = atoms[k]
        if not funds and k > lo and a.text and R.junk_kind(a.text) == "total":
            return k
        if A.line_start(atoms, k) and k > lo and not (funds and R.funds_label_score(a.text) > 0):
            # (a funds block's own row, 年度资金总额, closes an indicator table, not the block)
            if (R.terminator(a.text) and not A.value_follows(atoms, k)) or \
                    (headed and (_narrative_line(atoms, k) or _goal_statement(atoms, k))):
                return k  # (a numbered line that states a target is a row, not a new section)
        if _evidence(a):
            last, chars = k, 0
        else:
            chars += len(a.text)
            if k - last >= _QUIET_ATOMS and chars >= _QUIET_CHARS:
                return last + 1
        k += 1
    return limit


def _goal_statement(atoms: list[Atom], k: int) -> bool:
    """'年度目标1: 保障人社信息系统机房…': a line that states the next goal in words; the table
    above has ended (a '长期绩效指标' cell opening a row has no colon and no sentence after it)."""
    t = atoms[k].text.strip()
    if not t.endswith((":", "：")) or "目标" not in t or R.period_marker(t) is None:
        return False
    nxt = atoms[k + 1] if k + 1 < len(atoms) else None
    return nxt is not None and nxt.line == atoms[k].line and C.cjk_count(nxt.text) >= 4 \
        and R.value_like(nxt.text) < 2.5


@dataclass
class Table:
    """A region as read: its template, its layout and the fields the parse kept."""

    lo: int  # its first atom: the heading's, when it prints one
    hi: int  # one past its last atom read as part of the table
    template: Template
    layout: str
    fields: list
    explained: Optional[list] = None  # the fields of rows that gave indicators (None: all of them)


_MAX_REGION = 4000
_MAX_FUNDS = 80  # a funds block has a handful of rows


def tables(atoms: list[Atom], self_evaluation: bool) -> list[Table]:
    """Every table of a document, in order. A table starts after a heading, or at a category
    label where no heading is printed (prose and run-together text included); it ends where its
    rows stop looking like indicator rows, and the search for the next one resumes there."""
    headings = find_headings(atoms)
    out: list[Table] = []
    n = len(atoms)
    pos = 0
    h = 0
    while pos < n:
        while h < len(headings) and headings[h].lo < pos:
            h += 1
        next_heading = headings[h].lo if h < len(headings) else n
        order = None
        anchor = None
        for k in range(pos, next_heading):
            if not atoms[k].text:
                continue
            if R.label_of(atoms[k].text) is not None or (R.targets_lead(atoms[k].text) and k + 1 < n) \
                    or A.numbered_rows(atoms, k):
                anchor = k
                break
            order = (A.pair_rows(atoms, k) or A.stream_pairs(atoms, k)
                     or ("name" if A.form_rows(atoms, k) else None)) if A.line_start(atoms, k) else None
            if order is not None:
                anchor = k
                break
        if anchor is not None and R.targets_lead(atoms[anchor].text):
            anchor += 1  # the list of targets starts after its lead-in
        elif anchor is not None and order is None and R.label_of(atoms[anchor].text) is not None:
            anchor = A.rows_before(atoms, pos, anchor)
            order = A.order_after_labels(atoms, anchor)
        if anchor is not None:
            lo, template = anchor, generic_template(self_evaluation, value_first=order == "value")
            head = lo
            limit = next_heading
        elif h < len(headings):
            heading = headings[h]
            lo, head = heading.hi, heading.lo
            template = template_of(heading, text_before(atoms, heading.lo), atoms)
            limit = headings[h + 1].lo if h + 1 < len(headings) else n
        else:
            break
        cap = _MAX_FUNDS if template.kind == "funds" else _MAX_REGION
        hi = _end(atoms, lo, min(limit, lo + cap), headed=not template.generic, funds=template.kind == "funds")
        layout = layout_of(atoms, lo, hi)
        score, fields = parse(atoms, lo, hi, template, layout)
        if template.generic and not self_evaluation and order != "value":
            template, fields = _with_results(atoms, lo, hi, layout, template, score, fields)
        fields = _trim(fields, template)
        if fields:
            end = max(f.hi for f in fields)
            line_end = end  # the rest of the last row's line is the table's too (read or not)
            while line_end < hi and atoms[line_end].line == atoms[end - 1].line:
                line_end += 1
            out.append(Table(head, line_end, template, layout, fields))
            pos = max(end, lo + 1)
        else:
            pos = max(hi, lo + 1)  # nothing there reads as a table: never parsed again
    return out


_RESULTS_GAIN = 1.0  # how much better a reading with results must be, per record read
_RESULTS_ROWS = 3  # and on how many rows at least


def _with_results(atoms: list[Atom], lo: int, hi: int, layout: str, template: Template, score: float,
                  fields: list) -> tuple[Template, list]:
    """A table without a heading in a document that does not say it is a self-evaluation (an
    excerpt, a page without its title) may still print each target's actual, weight and score
    after it ('安全警示标志设置及时率 | = | 100 | % | 100 | 5'): read it both ways, and keep the
    reading with results where it explains the rows clearly better and most rows have them."""
    alt = generic_template(True)
    alt_score, alt_fields = parse(atoms, lo, hi, alt, layout)
    rows = records(alt_fields)
    named = [r for r in rows if any(alt.columns[f.column].role == "name" for f in r)]
    with_results = [r for r in named if sum(alt.columns[f.column].role in ("actual", "weight", "score")
                                            and f.text.strip() != "" for f in r) >= 2]
    if len(with_results) >= _RESULTS_ROWS and len(with_results) * 2 >= len(named) \
            and alt_score > score + _RESULTS_GAIN * len(named):
        return alt, alt_fields
    return template, fields


def layout_of(atoms: list[Atom], lo: int, hi: int) -> str:
    """How the region prints its rows: 'row' (several cells on most lines), 'prose' (sentences
    ended by punctuation), or 'stream' (a cell per line)."""
    per_line: dict[int, int] = {}
    punct = 0
    hard: set[int] = set()
    for k in range(lo, hi):
        a = atoms[k]
        if a.text:
            per_line[a.line] = per_line.get(a.line, 0) + 1
            if a.cells >= 2:
                hard.add(a.line)
            elif a.gap == PUNCT:
                punct += 1
    if not per_line:
        return "stream"
    if len(hard) * 2 >= len(per_line):
        return "row"
    if punct * 4 >= len(per_line):
        return "prose"
    multi = sum(1 for v in per_line.values() if v >= 2)
    return "row" if multi * 2 >= len(per_line) else "stream"


_WEAK_RUN = 3  # this many weak rows in a row, with no label among them, end a table


def _quality(rec: list, template: Template) -> str:
    """'label', 'good' (a name with a value that looks like one), 'weak' or 'stop'."""
    first = rec[0]
    if template.kind == "funds":
        return "good" if template.columns[first.column].role == "funds_label" else "weak"
    if R.junk_kind(first.text) in ("total", "signature"):
        return "stop"
    if R.terminator(first.text) and not any(
            template.columns[f.column].role == "value" and R.value_like(f.text) >= 2.5 for f in rec):
        return "stop"
    groups: dict[int, dict[str, str]] = {}
    for f in rec:
        col = template.columns[f.column]
        text = f.text.strip()
        if col.role in ("l1", "l2") and text and R.label_of(text) is not None:
            return "label"
        if text:
            groups.setdefault(col.group, {}).setdefault(col.role, text)
    for got in groups.values():
        name, value = got.get("name"), got.get("value")
        if name and value and not template.generic and not _BARE_AMOUNT.match(value):
            return "good"  # under a heading, a row that fills the name and the target columns
        if name and value and (R.value_like(value) >= 2 or R.value_score(value) >= 1.2) and not _BARE_AMOUNT.match(value):
            return "good"
        if name and ("weight" in got or "actual" in got or "score" in got):
            return "good"
    return "weak"


_BARE_AMOUNT = patterns.compile(r"^[\d,，]{5,}(?:\.\d+)?$")  # '26273500': a budget line, not a target
_RESUME = 8  # a label this many rows after a run of weak rows: the table goes on past them


def _trim(fields: list, template: Template) -> list:
    """The fields of the table proper: up to a row that closes it (a total, a signature, the next
    form) or a run of weak rows after the last good one. A run of weak rows followed closely by a
    category label is text inside the table (a sub-heading, a goal statement): it is skipped."""
    recs = records(fields)
    kinds = [_quality(rec, template) for rec in recs]
    kept: list = []
    weak: list = []
    k = 0
    while k < len(recs):
        q = kinds[k]
        if q == "stop":
            break
        if q == "weak":
            weak.append(recs[k])
            if len(weak) >= _WEAK_RUN:
                resume = next((j for j in range(k + 1, min(len(recs), k + 1 + _RESUME))
                               if kinds[j] in ("label", "stop")), None)
                if resume is None or kinds[resume] == "stop":
                    break
                weak = []
                k = resume
                continue
            k += 1
            continue
        if q != "label" or not template.generic:
            # weak rows before a good one are rows of the table (a qualitative target); before a
            # category label in text without a heading, the narrative between two blocks
            for w in weak:
                kept.extend(w)
        weak = []
        kept.extend(recs[k])
        k += 1
    return kept


def segment(doc: SourceDocument) -> Extraction:
    """Every performance indicator in `doc`, with its project, period and declared category."""
    atoms, _ = atomize(doc)
    raw: list[RawIndicator] = []
    found_tables = tables(atoms, _self_evaluation(doc))
    funds: list[tuple[int, Funds]] = []
    totals: list[tuple[int, tuple]] = []
    for table in found_tables:
        if table.template.kind == "funds":
            funds.append((atoms[table.lo].line, assemble_funds(table.fields, atoms, table.template)))
            continue
        state = State()
        rows = assemble(table.fields, atoms, table.template, state, table.layout)
        table.explained = state.explained
        total = _total_row(atoms, table)
        if total:
            totals.append((atoms[table.lo].line, total))
        funds_weight = funds[-1][1].rows[0].weight if funds and funds[-1][1].rows else None
        weights.rebalance(rows, {c.role for c in table.template.columns}, total[0] if total else None,
                          funds_weight)
        dumped = _column_dump(atoms, table, rows)
        if dumped is not None:
            rows, table.explained = dumped, None
        raw.extend(rows)
    funds += keyed_funds.read(atoms, _covered(atoms, [t for t in found_tables if t.template.kind == "funds"]))
    sideways, spans = transposed.read(atoms, _covered(atoms, found_tables))
    if sideways:
        raw = sorted(raw + sideways, key=lambda r: r.atom)
        # read whole, as a table is: what coverage counts
        found_tables += [Table(lo, hi, generic_template(), "row", [Field(0, lo, hi, "", True)]) for lo, hi in spans]
    lines = document_lines(doc)
    if doc.format != "text":
        _number_rows(lines)
    raw = _project_listings(lines, atoms, raw, found_tables)
    unit = narrative.unit_name(lines)
    declared = narrative.headings(lines, unit)
    found = sorted(projects.find_projects(lines, unit) + declared, key=lambda pair: pair[0])
    narrative.state_facts(found, lines, unit, declared)
    indicators = []
    _periods(atoms, raw)
    for n, r in enumerate(raw, start=1):
        project = r.project or projects.project_at(found, r.line, r.column)
        indicators.append(Indicator(
            id=f"I{n:04d}", project=project, period=r.period,
            declared_level1_raw=r.level1_raw, declared_level2_raw=r.level2_raw,
            declared_level1=r.level1, declared_level2=r.level2,
            name=r.name, value=r.value, value_type=r.value_type, direction=r.direction,
            line=r.line, column=r.column, pos=r.pos or Position(line=r.line, column=r.column),
            actual=r.actual, weight=r.weight, score=r.score, deviation_reason=r.deviation_reason,
            positions=r.positions,
        ))
    projs = []
    seen = set()
    for _, p in found:
        if p.name not in seen:
            seen.add(p.name)
            projs.append(p)
    projs = projects.reconcile(projs, [i.project for i in indicators], lines)
    projs = projects.attach_periods(projs, lines)
    _attach_self_evaluation(projs, found, funds, totals, indicators)
    cov, unread = coverage.measure(atoms, found_tables, indicators)
    return Extraction(budget_year=projects.budget_year(lines), truncated=coverage.truncated(atoms, indicators),
                      coverage=cov, unread=unread, projects=projs, indicators=indicators)


_SELF_EVALUATION = patterns.compile(r"自评|完成值|实际完成|全年实际|得分|实施进度")


def _covered(atoms: list[Atom], found: list[Table]) -> bytearray:
    """1 for every atom inside a table the parse read."""
    covered = bytearray(len(atoms))
    for t in found:
        covered[t.lo:t.hi] = b"\x01" * (t.hi - t.lo)
    return covered


def _column_dump(atoms: list[Atom], table: Table, rows: list[RawIndicator]) -> Optional[list[RawIndicator]]:
    """The table's rows paired in order where a PDF printed its figures and its names in blocks
    (`columnwise`), when that explains more rows than the parse did."""
    template = table.template
    lo = template.header_lo if template.header_lo >= 0 else table.lo
    dumped = columnwise.read(atoms, lo, table.hi + _TOTAL_REACH, [c.role for c in template.columns])
    if dumped is None:
        return None
    cut, paired = dumped
    kept = [r for r in rows if r.atom < cut]
    replaced = sum(1 for r in rows if r.atom >= cut and r.name and r.value)
    return kept + paired if len(paired) > replaced else None


_TOTAL_REACH = 8  # the 总分 row a table's last figures run into


def _self_evaluation(doc: SourceDocument) -> bool:
    """Whether the document is a self-evaluation (its tables may print actual values and scores)."""
    text = doc.text or " ".join(c.text for r in doc.rows[:400] for c in r.cells)
    return _SELF_EVALUATION.search(text) is not None


def _periods(atoms: list[Atom], raw: list[RawIndicator]) -> None:
    """An indicator whose columns do not say its period takes the last period marker before it
    ('长期目标：', '年度绩效指标'), else annual."""
    markers = [(k, p) for k, a in enumerate(atoms) if a.text and (p := R.period_marker(a.text))]
    for r in raw:
        if r.period:
            continue
        period = "annual"
        for k, p in markers:
            if k > r.atom:
                break
            period = p
        r.period = period


_TOTAL_NUMBER = patterns.compile(r"^\d{1,3}(?:\.\d{1,2})?\s*分?$")


def _total_row(atoms: list[Atom], table: Table) -> Optional[tuple]:
    """A self-evaluation's 总分 / 合计 row after its indicators: (weight, score, position), each as
    printed (None where not printed). The row's numbers go to the 分值 and 得分 columns."""
    end = max(f.hi for f in table.fields)
    roles = [c.role for c in table.template.columns]
    for k in range(max(table.lo, end - 4), min(len(atoms), end + 24)):
        a = atoms[k]
        if not a.text or R.junk_kind(a.text) != "total":
            continue
        numbers = []
        j = k + 1
        inline = _TOTAL_NUMBER.match(R.fold(a.text).lstrip("合计总分得分值:："))
        if inline and R.fold(a.text)[:1] in "合总得分":
            numbers.append(inline.group(0))
        stream = table.layout == "stream"  # a cell per line: the row's numbers follow on their own lines
        while j < len(atoms) and j - k <= 6 and len(numbers) < 3 and (
                stream or atoms[j].gap < NEWLINE or not atoms[j].text):
            t = atoms[j].text.strip()
            if t and _TOTAL_NUMBER.match(R.fold(t)):
                numbers.append(t)
            elif t:
                break
            j += 1
        if not numbers:
            return None
        pos = a.pos or Position(line=a.line, column=a.column)
        if len(numbers) >= 2:
            return numbers[0], numbers[1], pos
        says_score = "得分" in a.text
        if says_score or ("weight" not in roles and "score" in roles):
            return None, numbers[0], pos
        return numbers[0], None, pos
    return None


def _attach_self_evaluation(projs: list, found: list, funds: list, totals: list, indicators: list) -> None:
    """A funds block and a total row belong to the project whose form they follow."""
    by_name = {p.name: p for p in projs}
    fallback = projs[0] if len(projs) == 1 else None
    for line, block in funds:
        name = projects.project_at(found, line)
        target = by_name.get(name) if name else fallback
        if target is not None and target.funds is None:
            target.funds = block
            if target.budget_wan is None:
                _budget_from_funds(target, block)
    for line, (weight, score, pos) in totals:
        name = next((i.project for i in reversed(indicators) if (i.line or 0) <= (pos.line or line)), None)
        target = by_name.get(name) if name else fallback
        if target is not None and target.total_score is None and target.total_weight is None:
            target.total_weight, target.total_score, target.total_pos = weight, score, pos


def _project_listings(lines: list, atoms: list[Atom], raw: list[RawIndicator], found_tables: list) -> list[RawIndicator]:
    """The rows of a project listing (`listing`) read project by project, in place of what the
    parse made of them; their lines count as read (atoms and lines share line numbers: a
    workbook's rows are numbered alike by both)."""
    for listed, first, last in listing.read(lines):
        raw = [r for r in raw if not first <= (r.line or 0) <= last]
        lo = next((k for k, a in enumerate(atoms) if a.line >= first), len(atoms))
        hi = next((k for k in range(lo, len(atoms)) if atoms[k].line > last), len(atoms))
        atom_lines = [atoms[k].line for k in range(lo, hi)]  # in reading order: bisected per target
        for r in listed:
            at = bisect_left(atom_lines, r.line or 0)
            r.atom = lo + at if at < len(atom_lines) else lo
        raw = sorted(raw + listed, key=lambda r: r.atom)
        if hi > lo:
            found_tables.append(Table(lo, hi, generic_template(), "row", [Field(0, lo, hi, "", True)]))
    return raw


def _budget_from_funds(project: Project, block: Funds) -> None:
    """A project whose budget no key stated takes its funds block's annual total (全年预算数,
    else 年初预算数), in 万元, when the block states its unit."""
    total = next((r for r in block.rows if C.is_total_label(r.label)), None)
    figure = total and (total.adjusted or total.initial)
    wan = projects.to_wan(figure, block.unit, True) if figure and block.unit else None  # no unit: no guess
    if wan:
        project.budget_wan, project.budget_source = wan, f"资金表 {total.label}"


def _number_rows(lines) -> None:
    """Rows of a workbook or Word table carry a sheet/row position, not a line number; number
    them in reading order so that each indicator goes to the project form above it."""
    for n, ln in enumerate(lines, start=1):
        if ln.line is None:
            ln.line = n
        for tok in ln.cells:
            if tok.line is None:
                tok.line = n
