"""Segmentation: find the performance-target tables in a document and read their indicators.

One parser for every layout:

  atoms      the document as one stream of printed pieces, each with the boundary evidence
             before it (a cell edge, a line break, a space, nothing at all);
  roles      typed recognizers: how much a piece looks like a label, a name, a target, a unit,
             a weight, a note, or junk (page markers, signatures, totals);
  template   a table's columns, from the run of atoms that best covers header words (or a
             generic template where a table prints no heading);
  tableparse the weighted parse of the stream against the template;
  assemble   categories carried down, values joined, self-evaluation fields kept;
  coverage   what table-like text the parse did not explain (KPI100 reports it);
  projects / narrative   project names, budgets, periods and the budget year.

`segment(doc)` is the one entry point.
"""
from __future__ import annotations

from dataclasses import dataclass

from kpicheck.models import Extraction, Indicator, Position, SourceDocument
from kpicheck.segment import coverage, narrative, projects
from kpicheck.segment import roles as R
from kpicheck.segment.assemble import RawIndicator, State, assemble, records
from kpicheck.segment.atoms import NEWLINE, Atom, atomize
from kpicheck.segment.layout import document_lines
from kpicheck.segment.tableparse import parse
from kpicheck.segment.template import Template, find_headings, generic_template, template_of

# A region ends where this many atoms in a row show nothing of a table (no label, no value, no
# heading) and they hold this many characters: the narrative after the table.
_QUIET_ATOMS = 14
_QUIET_CHARS = 360


@dataclass
class Region:
    lo: int
    hi: int
    template: Template


def _line_start(atoms: list[Atom], k: int) -> bool:
    return k == 0 or atoms[k].gap >= NEWLINE


def _evidence(a: Atom) -> bool:
    if not a.text:
        return False
    return (R.value_like(a.text) >= 2 or R.label_of(a.text) is not None or R.header_role(a.text) is not None)


def _end(atoms: list[Atom], lo: int, limit: int) -> int:
    """Where the table that starts at atom `lo` ends (at most `limit`)."""
    last = lo
    chars = 0
    k = lo
    while k < limit:
        a = atoms[k]
        if _line_start(atoms, k) and k > lo:
            if R.terminator(a.text):
                return k
        if _evidence(a):
            last, chars = k, 0
        else:
            chars += len(a.text)
            if k - last >= _QUIET_ATOMS and chars >= _QUIET_CHARS:
                return last + 1
        k += 1
    return limit


def _text_before(atoms: list[Atom], lo: int, lines: int = 4) -> str:
    if lo <= 0:
        return ""
    first_line = atoms[lo - 1].line - lines
    k = lo - 1
    parts = []
    while k >= 0 and atoms[k].line >= first_line:
        parts.append(atoms[k].text)
        k -= 1
    return "".join(reversed(parts))


def regions(atoms: list[Atom]) -> list[Region]:
    """The table regions of a document: after each heading, and where category labels start a
    table that prints no heading (prose and run-together text included)."""
    headings = find_headings(atoms)
    out: list[Region] = []
    pos = 0
    bounds = [(h.lo, h) for h in headings] + [(len(atoms), None)]
    for start, heading in bounds:
        k = pos
        while k < start:  # tables without a heading before this one
            if atoms[k].text and R.label_of(atoms[k].text) is not None:
                hi = _end(atoms, k, start)
                if hi > k:
                    out.append(Region(k, hi, generic_template()))
                k = max(hi, k + 1)
            else:
                k += 1
        if heading is None:
            break
        nxt = next((h.lo for h in headings if h.lo >= heading.hi), len(atoms))
        hi = _end(atoms, heading.hi, nxt)
        out.append(Region(heading.hi, hi, template_of(heading, _text_before(atoms, heading.lo), atoms)))
        pos = hi
    return out


def _row_layout(atoms: list[Atom], lo: int, hi: int) -> bool:
    """Whether the region prints a row per line (several atoms on most of its lines)."""
    per_line: dict[int, int] = {}
    for k in range(lo, hi):
        if atoms[k].text:
            per_line[atoms[k].line] = per_line.get(atoms[k].line, 0) + 1
    if not per_line:
        return False
    multi = sum(1 for v in per_line.values() if v >= 2)
    return multi * 2 >= len(per_line)


_WEAK_RUN = 3  # this many weak rows in a row, with no label among them, end a table


def _quality(rec: list, template: Template) -> str:
    """'label', 'good' (a name with a value that looks like one), 'weak' or 'stop'."""
    first = rec[0]
    if R.junk_kind(first.text) in ("total", "signature") or R.terminator(first.text):
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
        if name and value and (R.value_like(value) >= 2 or R.value_score(value) >= 1.2):
            return "good"
        if name and ("weight" in got or "actual" in got or "score" in got):
            return "good"
    return "weak"


def _trim(fields: list, template: Template) -> list:
    """The fields of the table proper: up to a row that closes it (a total, a signature, the next
    form) or the start of a run of weak rows after the last good one."""
    kept: list = []
    weak: list = []
    for rec in records(fields):
        q = _quality(rec, template)
        if q == "stop" and kept:
            break
        if q == "weak":
            weak.append(rec)
            if len(weak) >= _WEAK_RUN:
                break
            continue
        for w in weak:
            kept.extend(w)
        weak = []
        kept.extend(rec)
    return kept


def segment(doc: SourceDocument) -> Extraction:
    """Every performance indicator in `doc`, with its project, period and declared category."""
    atoms, _ = atomize(doc)
    raw: list[RawIndicator] = []
    explained: list[tuple[int, int, list]] = []
    for region in regions(atoms):
        row_layout = _row_layout(atoms, region.lo, region.hi)
        _, fields = parse(atoms, region.lo, region.hi, region.template, row_layout)
        fields = _trim(fields, region.template)
        raw.extend(assemble(fields, atoms, region.template, State()))
        explained.append((region.lo, region.hi, fields))
    lines = document_lines(doc)
    if doc.format != "text":
        _number_rows(lines)
    unit = narrative.unit_name(lines)
    declared = narrative.headings(lines, unit)
    found = sorted(projects.find_projects(lines, unit) + declared, key=lambda pair: pair[0])
    narrative.state_facts(found, lines, unit, declared)
    indicators = []
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
    cov, unread = coverage.measure(atoms, explained, indicators)
    return Extraction(budget_year=projects.budget_year(lines), truncated=coverage.truncated(atoms, indicators),
                      coverage=cov, unread=unread, projects=projs, indicators=indicators)


def _number_rows(lines) -> None:
    """Rows of a workbook or Word table carry a sheet/row position, not a line number; number
    them in reading order so that each indicator goes to the project form above it."""
    for n, ln in enumerate(lines, start=1):
        if ln.line is None:
            ln.line = n
        for tok in ln.cells:
            if tok.line is None:
                tok.line = n
