"""The weighted parse of a table: atoms against a column template (semi-Markov dynamic programming).

A table is read as a sequence of records (rows). Each record fills some of the template's
columns in order with fields, each field one or more consecutive atoms joined (a wrapped cell)
or a piece of a run-together text; atoms that fit no column are skipped as junk. The score of a
reading adds up

  - what each field looks like in its column (`roles.SCORERS`: a number in 指标值, a label in 一级),
  - the boundary evidence where a field starts or two atoms are joined (`atoms`: a cell edge is a
    good place to cut and a bad one to join; a space between two Chinese characters is neither;
    a new row is most likely at a line break when the table prints a row per line),
  - the cost of a column left empty (a missing name costs much, a missing unit little),

and the best reading wins. Labels (一级/二级) are the first columns of every template, optional
on each row, so a label printed once over a group of rows, or between items of a run-together
text, is read in the same way as one in its own column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from kpicheck.segment import roles as R
from kpicheck.segment.atoms import BLANK, CELL, COMMA, NEWLINE, NONE, PUNCT, SPACE, WIDE, Atom
from kpicheck.segment.template import Template

NEG = R.NEG

# Boundary evidence by the gap before an atom (NONE, SPACE, WIDE, COMMA, PUNCT, CELL, NEWLINE, BLANK):
# joining the atom to the field before it, starting another field of the same record there, or
# starting a new record there. Row layouts print a row per line; stream layouts a cell per line.
_JOIN_ROW = (0.0, 0.0, -1.2, -0.6, -1.6, NEG, -1.4, -2.6)
_JOIN_STREAM = (0.0, 0.0, -1.0, -0.6, -1.6, NEG, -0.9, -1.6)
_FIELD_ROW = (-0.4, 0.0, 0.2, -0.1, 0.0, 0.2, -0.9, -1.6)
_FIELD_STREAM = (-1.2, -0.3, 0.2, -0.1, 0.0, 0.1, 0.0, 0.0)  # a line is a cell: cut inside it rarely
_RECORD_ROW = (-0.9, -0.7, -0.4, -0.3, 0.1, -1.5, 0.6, 0.6)
_RECORD_STREAM = (-1.2, -0.5, -0.1, -0.1, 0.2, 0.0, 0.0, 0.2)
# Prose: sentences end items, and a line break is mostly a wrap.
# The ninth entry: a line break after a text that did not end a sentence (a wrapped line).
_JOIN_PROSE = (0.0, 0.0, -0.5, -0.3, -2.0, NEG, -2.0, -2.0, 0.0)
_FIELD_PROSE = (-0.4, 0.0, 0.0, 0.0, 0.2, 0.0, 0.2, 0.2, -0.6)
_RECORD_PROSE = (-2.0, -2.0, -0.3, -0.2, 0.3, 0.0, 0.3, 0.3, -1.5)  # an item starts after a sentence or comma
_WRAP = 8
# Skipping the rest of a sentence that wrapped onto the next line ('…影响力+有' / '一定的社会影响力。'):
# it continues the field before it.
_SKIP_WRAPPED = -1.0
_RECORD_START = -1.5
_COSTS = {"row": (_JOIN_ROW, _FIELD_ROW, _RECORD_ROW), "stream": (_JOIN_STREAM, _FIELD_STREAM, _RECORD_STREAM),
          "prose": (_JOIN_PROSE, _FIELD_PROSE, _RECORD_PROSE)}

# A column left empty in a record.
_SKIP = {"l1": 0.0, "l2": 0.0, "name": 0.0, "value": 0.0, "current": 0.0, "actual": -0.3}
_SKIP_OTHER = -0.05
# A column the heading prints, left empty: rare where every cell is on its own line (an empty
# cell is printed as such), less rare where a row drops its empty cells.
_SKIP_DECLARED_STREAM = -0.6
_SKIP_DECLARED = -0.25
# Starting a field inside a hard cell of a table whose columns are known: a cell is one field.
_CUT_IN_CELL = -1.0
# Starting a record there: a row inside one cell is rarer still than two fields in it.
_RECORD_IN_CELL = -3.0
# Cutting inside brackets, or a parenthetical from the word it qualifies.
_CUT_IN_BRACKETS = -3.0
# A record without any name, or without any value (in whichever column group).
_NO_NAME = -2.2
_NO_VALUE = -1.0
_NO_VALUE_PROSE = -1.0  # a prose statement with no target states its own
_BIT = {"name": 1, "value": 2, "current": 2, "funds_label": 1, "funds_executed": 2, "funds_adjusted": 2}
# How many atoms one field may join (a wrapped name spans several lines; a unit never does).
_MAX_ATOMS = {"l1": 3, "l2": 3, "name": 5, "value": 4, "current": 3, "actual": 3, "year": 2, "unit": 2,
              "attr": 1, "weight": 1, "score": 1, "desc": 4, "note": 4, "reason": 4, "other": 3,
              "project": 3, "code": 1, "budget": 2}
_MAX_CHARS = 160
# The longest text a field of the role holds (a unit or a score is short; a note may be long).
_ROLE_CHARS = {"l1": 30, "l2": 30, "unit": 10, "attr": 8, "weight": 8, "score": 8, "value": 90, "actual": 90,
               "year": 40, "current": 90, "name": 90, "funds_label": 24, "funds_initial": 20,
               "funds_adjusted": 20, "funds_executed": 20, "funds_rate": 12, "code": 40, "budget": 24}
_STRETCH = ("name", "value", "note", "desc", "reason")
_MAX_CELL_PIECES = 16
_UNIT_CELL = -0.4
# A printed cell that fits two columns equally well fills the earlier one: a row leaves its
# trailing cells empty more often than a middle one ('… | 4 | 5 |' under 实际值 | 分值 | 得分 gives
# the 5 to 分值). Small enough to decide only what is otherwise a tie.
_LATER_COLUMN = -1e-3
_TIED_ROLES = ("weight", "score")  # the two a bare small number fits alike


@dataclass(slots=True)
class Field:
    column: int  # index into the template's columns
    lo: int  # atoms [lo, hi) of the stream
    hi: int
    text: str
    new_record: bool


def joined(atoms: list[Atom], lo: int, hi: int) -> str:
    """The text of atoms [lo, hi) as one cell: wrap spaces between Chinese characters or digits
    dropped, a space kept between two Latin words."""
    text = atoms[lo].text
    for k in range(lo + 1, hi):
        nxt = atoms[k].text
        if text and nxt and text[-1].isascii() and text[-1].isalpha() and nxt[0].isascii() and nxt[0].isalpha():
            text += " " + nxt
        else:
            text += nxt
    return text


_LABEL_SCORERS = {("l1", True): lambda t: R.l1_score(t, True), ("l1", False): lambda t: R.l1_score(t, False),
                  ("l2", True): lambda t: R.l2_score(t, True), ("l2", False): lambda t: R.l2_score(t, False)}


def _scorer(role: str, declared: bool):
    """The recognizer of a column: one function per way of scoring, so that columns scored
    alike (指标值 and 当年值, 权重 and 得分) score a text once."""
    if role in ("l1", "l2"):
        return _LABEL_SCORERS[role, declared]
    return R.SCORERS.get(role, R.other_score)


def _fits(text: str, columns, scorers, role_keys, max_chars, is_name, nb, prefix, bit,
          empty_cost, later) -> list[tuple]:
    """(column, score, a number in a name column, then what the parse adds for that column: the
    skip costs before it, its first state, its name/value bit, the cost of an empty cell) for
    every column of `columns` that `text` can fill."""
    seen: dict = {}
    out = []
    length = len(text)
    digits = text.isdigit()
    for k2 in columns:
        if length > max_chars[k2 - 1]:
            continue
        key = role_keys[k2 - 1]
        e = seen.get(key)
        if e is None:
            e = seen[key] = scorers[k2 - 1](text)
        if e > NEG / 2:
            # an empty cell fills its column but is no name or value
            out.append((k2, e, digits and is_name[k2 - 1], prefix[k2 - 1], nb * k2,
                        bit[k2 - 1] if text else 0, later[k2 - 1] if text else empty_cost[k2 - 1]))
    return out


_HALF = NEG / 2  # below this a score is no reading at all


def _join(text: str, nxt: str) -> str:
    """`text` and the next atom's text as `joined` puts them together."""
    if text and nxt and text[-1].isascii() and text[-1].isalpha() and nxt[0].isascii() and nxt[0].isalpha():
        return text + " " + nxt
    return text + nxt


def _glued(atoms: list[Atom], i: int, j: int, hi: int) -> bool:
    return atoms[i].gap == NONE and (j >= hi or atoms[j].gap == NONE)


_SHIFTS = (0, -1, 1, -2, 2)


def line_shifts(atoms: list[Atom], lo: int, hi: int, cols: list, scorers: list) -> dict[int, int]:
    """Per line of a table with cell edges, the shift of its cells against the heading's columns
    that lets the most cells sit under a heading they fit (a row that drops a merged cell moves
    left by one): the first shift of the best score wins, so an unshifted row stays unshifted."""
    by_cell: dict[int, list[int]] = {}
    for k, c in enumerate(cols):
        if c.cell is not None:
            by_cell.setdefault(c.cell, []).append(k)
    lines: dict[int, list[Atom]] = {}
    for k in range(lo, hi):
        a = atoms[k]
        if a.cell >= 0 and a.text and a.gap >= CELL:
            lines.setdefault(a.line, []).append(a)
    out = {}
    fit_at: dict[tuple[str, int], bool] = {}  # (text, cell): some column under that cell takes it
    for line, cells in lines.items():
        fits = {}
        for shift in _SHIFTS:
            if shift and len(cells) < fits[0] + 2:
                break  # no shift can seat two more cells than none does
            n_fit = 0
            for a in cells:
                at = a.cell + shift
                fit = fit_at.get((a.text, at))
                if fit is None:
                    fit = fit_at[a.text, at] = any(scorers[k](a.text) > 0 for k in by_cell.get(at, ()))
                if fit:
                    n_fit += 1
            fits[shift] = n_fit
        best = max(fits, key=lambda sh: (fits[sh], -_SHIFTS.index(sh)))
        # a shift is taken when it seats at least two more cells than none does and most of them
        if best and fits[best] >= fits[0] + 2 and fits[best] * 2 >= len(cells):
            out[line] = best
    return out


def _position_bonus(a: Atom, col_cells: list, head_cells: int, shift: int = 0) -> list[float]:
    """Evidence from where a cell sits in its row against where each heading sat: rows that drop
    merged cells shift left, so the distance is counted from either end of the row, and after the
    line's own shift (`line_shifts`)."""
    out = []
    at = a.cell + shift
    for c in col_cells:
        if c is None:
            out.append(0.0)
            continue
        d = abs(at - c)
        if a.cells and head_cells and not shift:
            d = min(d, abs((a.cells - a.cell) - (head_cells - c)))
        out.append(_POSITION[d] if d < len(_POSITION) else _POSITION[-1])
    return out


_POSITION = (1.0, 0.3, -0.2, -0.5, -0.8, -1.0)


def brackets(atoms: list[Atom], lo: int, hi: int) -> list[bool]:
    """For each atom of [lo, hi): whether a cut before it falls inside brackets, or splits a
    parenthetical from the word it is glued to ('人口数(≥**人)', '满意度( ≥**% )'): a bracket
    qualifies what precedes it. Brackets are counted within a line and a cell."""
    out = [False] * (hi - lo)
    depth = 0
    for k in range(lo, hi):
        a = atoms[k]
        if a.gap >= CELL:
            depth = 0
        t = a.text
        out[k - lo] = depth > 0 or (a.gap == NONE and k > lo and t[:1] in "(（" and bool(atoms[k - 1].text)
                                    and _more_after_brackets(atoms, k, hi))
        depth = max(0, min(2, depth + _depth(t)))
    return out


def _depth(text: str) -> int:
    return text.count("(") + text.count("（") - text.count(")") - text.count("）")


def _more_after_brackets(atoms: list[Atom], k: int, hi: int) -> bool:
    """Whether the cell goes on after the brackets that open at atom k: then they qualify the
    word before them, and the value follows ('人口数(≥**人) >=1102人'); at the cell's end they
    may be the value itself ('为全市经济发展保驾护航(正面支撑)')."""
    depth = 0
    j = k
    while j < hi and (j == k or atoms[j].gap < CELL):
        depth += _depth(atoms[j].text)
        j += 1
        if depth <= 0:
            break
    return j < hi and atoms[j].gap < CELL and bool(atoms[j].text)


_PRUNE = True  # tests compare the parse with and without pruning
_MARGIN = 1e-9  # a bound must fall below a reading by more than rounding to prune
_SKIPPED = "skipped"  # the back pointer of skipping an atom: the same state, one atom back


def parse(atoms: list[Atom], lo: int, hi: int, template: Template, layout: str) -> tuple[float, list[Field]]:
    """The best reading of atoms [lo, hi) against `template`: (score, fields in order).

    A state is the last column filled (k = 0 before the first record). With several column
    groups (长期 | 年度, one pair per category) a record needs a name and a value in *some*
    group, so the state also says whether it has them: `k * nb + bits`, nb = 4; with one group
    a missing name or value is simply the cost of leaving that column empty, and nb = 1.

    Fields and states that cannot be on a best reading are pruned, a field before its text is
    scored; the pruning is exact, ties included (`_PRUNE = False` parses without it)."""
    cols = template.columns
    m = len(cols)
    nb = 4 if template.groups > 1 else 1
    no_value = _NO_VALUE_PROSE if layout == "prose" else _NO_VALUE
    no_name = _NO_NAME
    if template.kind == "funds":
        no_name, no_value = -3.0, 0.0  # a funds row is its label and whatever figures it prints
    declared_skip = _SKIP_DECLARED_STREAM if layout == "stream" else _SKIP_DECLARED
    skip = [_SKIP.get(c.role, declared_skip if c.heading else _SKIP_OTHER) for c in cols]
    bit = [_BIT.get(c.role, 0) for c in cols]
    # an empty name or value cell fills its column but is no name or value
    empty_cost = [0.0] * m
    if nb == 1:
        for k in range(m):
            if bit[k] == 1:
                skip[k] += no_name
                empty_cost[k] = no_name
            elif bit[k] == 2:
                skip[k] += no_value
                empty_cost[k] = no_value
        bit = [0] * m
    prefix = [0.0] * (m + 1)
    for k in range(m):
        prefix[k + 1] = prefix[k] + skip[k]
    labels = 0
    while labels < m and cols[labels].role in ("l1", "l2"):
        labels += 1
    is_name = [c.role == "name" for c in cols]
    later = [_LATER_COLUMN * k if c.role in _TIED_ROLES else 0.0 for k, c in enumerate(cols, 1)]
    # ending a record in state (k, bits): the columns after k left empty, a missing name or value;
    # a record of labels only costs nothing
    width = nb * (m + 1)
    end = [NEG] * width
    for k in range(m + 1):
        for b in range(nb):
            if k == 0 or (k <= labels and b == 0):
                end[nb * k + b] = 0.0 if b == 0 else NEG
            elif nb == 1:
                end[k] = prefix[m] - prefix[k]
            else:
                end[nb * k + b] = prefix[m] - prefix[k] + (0.0 if b & 1 else no_name) + (0.0 if b & 2 else no_value)
    scorers = [_scorer(c.role, bool(c.heading)) for c in cols]
    role_keys = scorers  # columns with the same recognizer score a text once
    stretch = 2 if layout == "prose" else 1  # a prose item wraps over many lines and cuts
    max_atoms = [_MAX_ATOMS.get(c.role, 2) * (stretch if c.role in _STRETCH else 1) for c in cols]
    longest = max(max_atoms) if max_atoms else 1
    max_chars = [_ROLE_CHARS.get(c.role, _MAX_CHARS) for c in cols]
    # a table whose rows have cell edges (at least half of its atoms sit in a cell)
    gridded = sum(1 for k in range(lo, hi) if atoms[k].cell >= 0) * 2 >= max(1, hi - lo)
    join_cost, field_cut, record_cut = _COSTS[layout]
    prose = layout == "prose"

    col_cells = [c.cell for c in cols]
    positional = any(c is not None for c in col_cells)
    head_cells = template.cells
    no_bonus = [0.0] * m
    shifts = line_shifts(atoms, lo, hi, cols, scorers) if positional else {}
    columns = range(1, m + 1)
    # The columns a field of `size` atoms may fill (`max_atoms`), the same for many sizes; inside
    # a hard cell, every column. A text is scored only for the columns it may fill: most long
    # joins of atoms can only be a name or a note, and the other scorers need not see them.
    reach: dict[tuple, int] = {tuple(columns): 0}
    size_class = [reach.setdefault(tuple(k2 for k2 in columns if max_atoms[k2 - 1] >= size), len(reach))
                  for size in range(max(longest, _MAX_CELL_PIECES) + 1)]  # (none past `longest`)
    reachable = list(reach)
    viable: list[dict[str, list]] = [{} for _ in reachable]  # per class: a text's fits, worked out once

    n = hi - lo
    inside = brackets(atoms, lo, hi)
    bonuses: dict[tuple[int, int, int], list[float]] = {}
    score = [[NEG] * width for _ in range(n + 1)]
    back: list[list[Optional[tuple]]] = [[None] * width for _ in range(n + 1)]
    score[0][0] = 0.0
    # The evidence at each atom's gap for starting a field there (fc) and a record (rc).
    gaps, field_costs, record_costs = [0] * n, [0.0] * n, [0.0] * n
    for i in range(n):
        a = atoms[lo + i]
        gap = a.gap
        if prose and gap >= NEWLINE and not a.ended:
            gap = _WRAP
        fc, rc = field_cut[gap], record_cut[gap] + _RECORD_START
        if positional and a.cell >= 0 and gap < CELL:
            fc += _CUT_IN_CELL
            rc += _CUT_IN_CELL + _RECORD_IN_CELL
        if inside[i]:
            fc += _CUT_IN_BRACKETS
            rc += _CUT_IN_BRACKETS
        gaps[i], field_costs[i], record_costs[i] = gap, fc, rc
    # Pruning (exact). What a reading in state (k, b) after atom j can still add is at most what a
    # reading that ends its record there can add (G), plus max(end of the record, -prefix[k] +
    # the most a field gains by continuing a record rather than starting one at any atom from j
    # on + the name and value a group may still lack): the same fields read as a new record
    # differ from it only by that. A field into atom j whose best possible value plus this falls
    # below a reading already at j (skipping the atom before, or taking it alone) is on no best
    # reading, and its text is not scored.
    ahead = [NEG] * (n + 1)  # max over atoms j' >= j of fc - rc
    for i in range(n - 1, -1, -1):
        ahead[i] = max(ahead[i + 1], field_costs[i] - record_costs[i])
    # (what a record continued in state (k, b) may save over one started anew: the name and the
    # value of a group it has, which a new record may lack)
    lacks = [(-no_name if b & 1 else 0.0) + (-no_value if b & 2 else 0.0) for b in range(nb)] if nb > 1 else [0.0]
    lacking = max(lacks)
    end_best = [max(end[nb * k:nb * k + nb]) for k in range(m + 1)]
    after_cut = [lacking - prefix[k] for k in range(m + 1)]
    pending: list[list[tuple]] = [[] for _ in range(n + 1)]  # fields of two atoms or more, by their end

    def relax(i: int, j: int, text: str, cls: int, extra: float, best_end: float, best_end_s: int, run: list,
              fc: float, rc: float, bonus: list, floor: float) -> None:
        """The transitions of the field atoms [i, j) = `text` into row j, unless none can be on a
        best reading (`floor`: a value a reading reaches at j, counted with its end)."""
        fits = viable[cls].get(text)
        if fits is None:
            if _PRUNE and floor > NEG:
                ub = NEG
                d = ahead[j]
                length = len(text)
                for k2 in reachable[cls]:
                    if length > max_chars[k2 - 1]:
                        continue
                    src = best_end + rc
                    for _b, rb, _rsb in run:
                        r = rb[k2] + fc
                        if r > src:
                            src = r
                    after = after_cut[k2] + d
                    if end_best[k2] > after:
                        after = end_best[k2]
                    u = src + prefix[k2 - 1] + bonus[k2 - 1] + after
                    if u > ub:
                        ub = u
                if ub + R.MAX_SCORE + extra + _MARGIN < floor:
                    return
            # the columns this text can fill, and how well: worked out once a text
            fits = viable[cls][text] = _fits(text, reachable[cls], scorers, role_keys, max_chars, is_name,
                                             nb, prefix, bit, empty_cost, later)
        target = score[j]
        tback = back[j]
        glued = None
        for k2, e, name_digits, base, st0, cb, empty in fits:
            if name_digits:
                if glued is None:
                    glued = _glued(atoms, lo + i, lo + j, hi)
                if not glued:
                    continue  # a number stands for a name only inside run-together cells ('88100')
            gain = e + extra + bonus[k2 - 1] + empty
            # a new record
            v = best_end + base + rc + gain
            st = st0 + cb
            if v > target[st]:
                target[st] = v
                tback[st] = (i, best_end_s, 1)
            # the same record, from each kind of state
            for b, rb, rsb in run:
                r = rb[k2]
                if r <= _HALF:
                    continue
                v = r + base + fc + gain
                st = st0 + (b | cb)
                if v > target[st]:
                    target[st] = v
                    tback[st] = (i, rsb[k2], 0)

    for i in range(n):
        row = score[i]
        a = atoms[lo + i]
        gap = gaps[i]
        js = R.junk_score(a.text)  # this atom fits no column
        if gap == _WRAP and a.text:
            js += _SKIP_WRAPPED
        best_end, best_end_s = NEG, 0
        for st in range(width):
            v = row[st] + end[st]
            if v > best_end:
                best_end, best_end_s = v, st
        if best_end <= _HALF:  # (never: skipping every atom is a reading)
            for field in pending[i + 1]:
                relax(*field, NEG)
            continue
        # run[b][k2]: the best state (k, b) with 1 <= k < k2 to continue a record from, among
        # those that can be on a best reading: continuing the record gains at most -prefix[k] +
        # ahead[i] + lacks[b] over ending it there, and ending it in the best state is a reading
        run = []
        for b in range(nb):
            rb = [NEG] * (m + 1)
            rsb = [0] * (m + 1)
            cur, cur_s = NEG, 0
            going_on = best_end - lacks[b] - ahead[i] - _MARGIN if _PRUNE else NEG
            for k in range(1, m + 1):
                rb[k], rsb[k] = cur, cur_s
                v = row[nb * k + b] - prefix[k]
                if v > cur and v >= going_on:
                    cur, cur_s = v, nb * k + b
            if cur > NEG / 2 or rb[m] > NEG / 2:
                run.append((b, rb, rsb))
        fc, rc = field_costs[i], record_costs[i]
        if positional and a.cell >= 0 and gap >= CELL:
            # the same for every cell at the same place in a row of the same length
            where = (a.cell, a.cells, shifts.get(a.line, 0))
            bonus = bonuses.get(where)
            if bonus is None:
                bonus = bonuses[where] = _position_bonus(a, col_cells, head_cells, where[2])
        else:
            bonus = no_bonus
        in_cell = a.cell >= 0  # pieces of one hard cell join freely: a wrapped cell is one field
        one = 0 if in_cell else size_class[1]
        # Into row i + 1, in the order a plain forward pass makes them (ties go to the first):
        # the longer fields that end there, skipping atom i, atom i alone. The last two are
        # readings at i + 1 already, the floor the longer fields are pruned against.
        floor = best_end + js
        if pending[i + 1]:
            fits = viable[one].get(a.text)
            if fits is None:
                fits = viable[one][a.text] = _fits(a.text, reachable[one], scorers, role_keys, max_chars, is_name,
                                                   nb, prefix, bit, empty_cost, later)
            glued = None
            for k2, e, name_digits, base, st0, cb, empty in fits:
                if name_digits:
                    if glued is None:
                        glued = _glued(atoms, lo + i, lo + i + 1, hi)
                    if not glued:
                        continue
                gain = e + bonus[k2 - 1] + empty
                v = best_end + base + rc + gain + end[st0 + cb]
                if v > floor:
                    floor = v
                for b, rb, _rsb in run:
                    if rb[k2] > _HALF:
                        v = rb[k2] + base + fc + gain + end[st0 + (b | cb)]
                        if v > floor:
                            floor = v
            for field in pending[i + 1]:
                relax(*field, floor)
            pending[i + 1] = []
        nxt = score[i + 1]
        nback = back[i + 1]
        for st in range(width):
            v = row[st] + js
            if v > nxt[st]:
                nxt[st] = v
                nback[st] = _SKIPPED
        relax(i, i + 1, a.text, one, 0.0, best_end, best_end_s, run, fc, rc, bonus, NEG)
        text = a.text
        extra = 0.0
        for size in range(2, (_MAX_CELL_PIECES if in_cell else longest) + 1):
            j = i + size
            if j > n:
                break
            b_atom = atoms[lo + j - 1]
            if b_atom.gap >= CELL:
                in_cell = False
                if size > longest:
                    break
            if b_atom.gap >= NEWLINE and gridded:
                break  # a cell of a table with cell edges never goes on into the next line
            cost = join_cost[_WRAP if prose and b_atom.gap >= NEWLINE and not b_atom.ended else b_atom.gap]
            if cost <= _HALF:
                if b_atom.gap == CELL and R.unit_after_number(text, b_atom.text):
                    cost = _UNIT_CELL  # '1100 | 万人': OCR split a value and its unit into two cells
                else:
                    break
            extra += cost
            text = _join(text, b_atom.text)  # = joined(atoms, lo + i, lo + j), one atom more
            if len(text) > _MAX_CHARS:
                break
            cls = 0 if in_cell else size_class[size]
            pending[j].append((i, j, text, cls, extra, best_end, best_end_s, run, fc, rc, bonus))
    final, fs = NEG, 0
    for st in range(width):
        v = score[n][st] + end[st]
        if v > final:
            final, fs = v, st
    fields: list[Field] = []
    i, st = n, fs
    while i > 0:
        b = back[i][st]
        if b is None:
            break
        if b is _SKIPPED:
            i -= 1
            continue
        pi, ps, kind = b
        if kind != 2:
            fields.append(Field(st // nb - 1, lo + pi, lo + i, joined(atoms, lo + pi, lo + i), kind == 1))
        i, st = pi, ps
    fields.reverse()
    return final, fields
