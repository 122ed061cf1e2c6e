"""Cell streams (one cell per line, `cell |` or paragraphs between blank lines): rebuild rows.

The row boundaries are lost, so a new row starts at a category label after a name, at a name
once the previous name has its value, or when the previous row has as many cells as the header
has columns after the name.
"""
from __future__ import annotations

from kpicheck.segment.grid import Cell, classify
from kpicheck.segment.header import Slot
from kpicheck.segment.layout import Tok


def chunk(toks: list[Tok], slots: list[Slot]) -> list[list[Cell]]:
    names = [i for i, s in enumerate(slots) if s.role == "name"]
    after = len(slots) - names[0] - 1 if names else 1
    rows: list[list[Cell]] = []
    cur: list[Cell] = []
    has_name = False
    n_after = 0
    has_value = False

    def flush():
        nonlocal cur, has_name, n_after, has_value
        if cur:
            rows.append(cur)
        cur, has_name, n_after, has_value = [], False, 0, False

    for tok in toks:
        cell = classify(tok)
        if cell.kind == "blank":
            continue
        if cell.kind in ("label", "period"):
            if has_name:
                flush()
            cur.append(cell)
            continue
        if not has_name:
            if cell.kind in ("name", "value"):
                has_name = True
                cur.append(cell)
            continue
        if cell.kind == "name" and has_value and n_after >= 1:
            flush()
            has_name = True
            cur.append(cell)
            continue
        cur.append(cell)
        n_after += 1
        if cell.kind == "value" or (cell.kind == "name" and n_after == 1):
            has_value = True
        if n_after >= after:
            flush()
    flush()
    # re-index: a stream row has no columns, order is all there is
    for row in rows:
        for i, c in enumerate(row):
            c.tok = Tok(c.tok.text, c.tok.line, c.tok.column, i, c.tok.pos)
    return rows
