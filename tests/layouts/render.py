"""A layout renderer: gold indicator tables printed in random layouts, each with what a reader
must find in it (issue 15, point 3).

The seeds' and corpus' gold tables (project, period, declared 一级/二级, name, value; never the
set-aside nine) are printed again as a new document whose layout is a *spec*: one separator
kind, one label mode, one header mode and any number of options, each a named kind (`KINDS`
says what each does). What gold lacks and a layout needs is made up, deterministically from
the document's seed: weights summing to 100 and to the printed subtotals (产出指标(50分)),
actual values and scores consistent with the target, 指标说明 text, the unit split off the
value, 指标方向 and 定量/定性. `render` returns the document (text, or an .xlsx/.docx written on
request) and its expected indicators: name and value as the gold convention records them
(comparator, number and unit joined; what is printed, slips and traditional characters
included; ../shared/eval/ANNOTATION.md), the declared 一级/二级 the printed labels fold to, and
gold's own l1/l2.

Held out of development: half of every word list (tests/layouts/vocabulary.toml, `held_out`;
a spec with held_out=True prints those instead) and three kinds as a whole (`HELD_OUT_KINDS`:
one separator, two noise kinds). Development draws neither.

    from layouts.render import load_tables, draw_spec, render
    tables = load_tables()
    rng = random.Random("x")
    doc = render(tables, draw_spec(rng, force={"col_weight"}), seed="x")
    doc.text, doc.expected
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from .kinds import (CELL_SEPARATORS, COLUMNS, DEV_KINDS, FILE_SEPARATORS, HEADER_MODES, HELD_OUT_KINDS, KINDS,
                    LABEL_MODES, OPTIONS, PROSE_KINDS, ROW_SEPARATORS, SEPARATORS, Spec, applicable, draw_spec,
                    plain_spec)
from .output import Grid, Item, Row, Text, to_text, write_docx, write_xlsx

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
GOLD_DIRS = (SHARED / "gold" / "seeds", SHARED / "gold" / "corpus")
# Kept to measure kpicheck on documents nobody tuned on (benchmarks/README.md): never read.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())

__all__ = [  # the renderer's API, the kinds included (tests and benchmarks import them from here)
    "CELL_SEPARATORS", "COLUMNS", "DEV_KINDS", "FILE_SEPARATORS", "HEADER_MODES", "HELD_OUT_KINDS", "KINDS",
    "LABEL_MODES", "OPTIONS", "PROSE_KINDS", "ROW_SEPARATORS", "SEPARATORS", "Spec", "applicable", "draw_spec",
    "plain_spec", "Grid", "Item", "Row", "Text", "to_text", "write_docx", "write_xlsx", "GOLD_DIRS", "SET_ASIDE",
    "VOCAB", "GoldRow", "GoldTable", "load_tables", "split_value", "can_slip", "Rendered", "RenderedRow", "render",
]

VOCAB = tomllib.loads((HERE / "vocabulary.toml").read_text(encoding="utf-8"))
PARENT: dict[str, str] = VOCAB["parent"]

# ---------------------------------------------------------------- gold tables


@dataclass
class GoldRow:
    l1: str | None  # the category printed: declared, or gold's reading where the table declared none
    l2: str | None
    name: str
    value: str
    gold_l1: list
    gold_l2: list


@dataclass
class GoldTable:
    doc: str
    project: str
    budget: float | None
    year: int
    period: str
    rows: list[GoldRow]


def load_tables(gold_dirs=GOLD_DIRS, exclude=SET_ASIDE) -> list[GoldTable]:
    """One table per (document, project, period) of the gold files, the excluded never opened."""
    tables: list[GoldTable] = []
    for d in gold_dirs:
        for path in sorted(Path(d).glob("*.json")):
            if path.stem in exclude:
                continue
            gold = json.loads(path.read_text(encoding="utf-8"))
            budgets = {p.get("name"): p.get("budget_wan") for p in gold.get("projects", [])}
            by_key: dict[tuple, GoldTable] = {}
            for ind in gold.get("indicators", []):
                name = (ind.get("name") or "").strip()
                if not re.search(r"[A-Za-z\u4e00-\u9fff]", name):
                    continue  # no name, or a number read as one (h008's run-together '88100'): nothing to lay out
                project = ind.get("project") or "未命名项目"
                key = (project, ind.get("period") or "annual")
                table = by_key.setdefault(key, GoldTable(path.stem, project, budgets.get(project),
                                                         gold.get("budget_year") or 2023, key[1], []))
                table.rows.append(_gold_row(ind, name))
            tables.extend(by_key.values())
    return tables


def _gold_row(ind: dict, name: str) -> GoldRow:
    gold_l1 = list(ind.get("l1") or ["产出"])
    gold_l2 = list(ind.get("l2") or [])
    l1 = ind.get("declared_l1") or gold_l1[0]
    l2 = ind.get("declared_l2")
    if not l2:  # a 二级 only where gold's reading belongs under the printed 一级
        l2 = next((c for c in gold_l2 if PARENT.get(c) == l1), None)
    return GoldRow(l1, l2, name, (ind.get("value") or "").strip(), gold_l1, gold_l2)


# ---------------------------------------------------------------- values: split, actual, score

COMPARATOR = r"(?:>=|<=|≥|≤|≧|≦|＞＝|＜＝|＞|＜|>|<|=|＝)"
UNIT = r"(?:%|‰|[A-Za-z]{1,3}|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,3})?)"
SPLIT = re.compile(rf"^({COMPARATOR})?(\d[\d,]*(?:\.\d+)?)({UNIT})?$")
NO_UNIT = re.compile(r"以上|以下|以内|左右|及以|[年月日前后内]$")  # not a unit but words about the number


def split_value(value: str) -> tuple[str, str, str] | None:
    """(comparator, number, unit) when the value is just those, joined back to exactly `value`."""
    m = SPLIT.match(value)
    if not m or (m.group(3) and NO_UNIT.search(m.group(3))):
        return None
    return m.group(1) or "", m.group(2), m.group(3) or ""


def _fmt(x: float, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{x:.{decimals}f}"


def synth_actual(value: str, rng: random.Random) -> tuple[str, float]:
    """An actual value consistent with the target, and the share of the target it reaches (≤ 1)."""
    parts = split_value(value)
    if not parts:
        if re.search(r"\d{4}年|\d+月", value):
            return rng.choice([value, "按时完成"]), 1.0
        return rng.choice([value] + VOCAB["cells"]["qualitative_actual"]) if value else "", 1.0
    cmp, num, unit = parts
    target = float(num.replace(",", ""))
    lower_is_better = cmp in ("<=", "≤", "≦", "＜＝", "＜", "<")
    if rng.random() < 0.8 or target == 0:  # met
        got = target if rng.random() < 0.5 else (target * (0.95 if lower_is_better else 1.04))
        if unit == "%" and not lower_is_better:
            got = min(got, 100.0) if target <= 100 else got
        return _fmt(got, num) + unit, 1.0
    got = target * (1.1 if lower_is_better else rng.choice([0.8, 0.9, 0.95]))
    share = target / got if lower_is_better else got / target
    return _fmt(got, num) + unit, share


def allocate(groups: list[tuple[str, int]], rng: random.Random) -> dict[str, int]:
    """Integer points per 一级 group summing to 100: the usual 产出 50 / 效益 30 / 满意度 10 /
    成本 10 rescaled to the groups present; by row count where a group would get fewer points
    than it has rows."""
    base = {"产出": 50, "效益": 30, "满意度": 10, "成本": 10}
    shares = [base.get(g, 10) for g, _ in groups]
    points = _largest_remainder(shares, 100)
    if any(p < n for p, (_, n) in zip(points, groups)):
        points = _largest_remainder([n for _, n in groups], 100)
    return {g: p for (g, _), p in zip(groups, points)}


def _largest_remainder(shares: list[float], total: int) -> list[int]:
    s = sum(shares)
    raw = [total * x / s for x in shares]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: total - sum(out)]:
        out[i] += 1
    return out


def split_points(total: int, n: int, rng: random.Random) -> list[int]:
    """`total` points over n rows, as even as integers allow (the extra points on random rows)."""
    base, extra = divmod(total, n)
    lucky = set(rng.sample(range(n), extra))
    return [base + (i in lucky) for i in range(n)]


# ---------------------------------------------------------------- a rendered document


@dataclass
class RenderedRow:
    """One indicator as printed, with what was made up for it."""
    table: int
    l1: str | None  # canonical categories the printed labels fold to (None without labels)
    l2: str | None
    label1: str  # the printed label words
    label2: str
    cells: dict[str, str]  # role -> printed cell
    weight: int
    score: float
    group_points: int
    expected: dict
    gold: GoldRow | None = None


@dataclass
class Rendered:
    spec: Spec
    seed: str
    items: list[Item]
    rows: list[RenderedRow]
    tables: list[GoldTable]
    words: dict[str, str]  # header role, "group:…", "l1:…", "l2:…" -> the word printed (before spacing, wrapping, traditional)
    text: str | None = None  # for the text separators

    @property
    def expected(self) -> list[dict]:
        return [r.expected for r in self.rows]

    @property
    def suffix(self) -> str:
        return "." + self.spec.separator if self.spec.separator in FILE_SEPARATORS else ".txt"

    def write(self, path: Path) -> Path:
        """The document as a file: text, or an .xlsx / .docx with merged cells."""
        path = Path(path)
        if self.spec.separator == "xlsx":
            write_xlsx(self.items, path)
        elif self.spec.separator == "docx":
            write_docx(self.items, path)
        else:
            path.write_text(self.text or "", encoding="utf-8")
        return path

    def plain_text(self) -> str:
        """Every printed string in order (the text, or the cells of a file): for checks."""
        if self.text is not None:
            return self.text
        out = []
        for it in self.items:
            out += [it.text] if isinstance(it, Text) else [c for r in it.rows for c in r.cells]
        return "\n".join(out)


# ---------------------------------------------------------------- rendering


def render(tables: list[GoldTable], spec: Spec, seed: str, table_index: int | None = None) -> Rendered:
    """One document: a table drawn from `tables` (or the given one; two with two_tables) in the
    layout of `spec`, everything random drawn from `seed`."""
    rng = random.Random(seed)
    picks = [table_index if table_index is not None else rng.randrange(len(tables))]
    if spec.has("two_tables"):
        others = [i for i, t in enumerate(tables) if t.project != tables[picks[0]].project]
        picks.append(rng.choice(others))
    words = _Words(spec, rng)
    items: list[Item] = []
    rows: list[RenderedRow] = []
    for n, ti in enumerate(picks):
        if n:
            items.append(Text(""))
        table_items, table_rows = _render_table(tables[ti], n, spec, rng, words)
        items += table_items
        rows += table_rows
    if spec.has("traditional"):
        convert = _to_traditional()
        items = [Text(convert(it.text)) if isinstance(it, Text) else
                 Grid([Row([convert(c) for c in r.cells], r.kind, r.roles, r.interleave) for r in it.rows],
                      it.label_cols) for it in items]
        for r in rows:
            r.expected.update(name=convert(r.expected["name"]), value=convert(r.expected["value"]),
                              project=convert(r.expected["project"]))
    doc = Rendered(spec, seed, items, rows, [tables[i] for i in picks], words.chosen)
    if spec.separator not in FILE_SEPARATORS:
        doc.text = to_text(items, spec.separator, rng)
    return doc


@lru_cache(maxsize=1)
def _to_traditional():
    """Simplified -> traditional, character by character (OpenCC's s2tw table for each character
    alone). Phrase-level conversion would print a name differently when a wrap or a space cuts
    it, and the expected name must be what is printed, whatever the cells around it."""
    try:
        import opencc
    except ImportError as exc:  # the test extra installs it
        raise ImportError("the 'traditional' kind needs OpenCC: pip install opencc") from exc
    converter = opencc.OpenCC("s2tw")  # 群眾, 為: the forms of the traditional pages we have seen

    @lru_cache(maxsize=None)
    def char(c: str) -> str:
        out = converter.convert(c)
        return out if len(out) == 1 else c

    return lambda text: "".join(char(c) for c in text)


class _Words:
    """The words of one document: header words and label variants, fixed once drawn (a table
    uses one form of each)."""

    def __init__(self, spec: Spec, rng: random.Random):
        self.spec, self.rng = spec, rng
        self.half = "held_out" if spec.held_out else "dev"
        self.chosen: dict[str, str] = {}

    def _pick(self, key: str, entry: dict, vary: bool) -> str:
        if key not in self.chosen:
            self.chosen[key] = self.rng.choice(entry[self.half]) if vary else entry["dev"][0]
        return self.chosen[key]

    def header(self, role: str) -> str:
        return self._pick(role, VOCAB["header"][role], self.spec.has("header_synonyms"))

    def group(self, name: str) -> str:
        return self._pick("group:" + name, VOCAB["header_group"][name], self.spec.has("header_synonyms"))

    def label1(self, cat: str) -> str:
        return self._pick("l1:" + cat, VOCAB["label1"][cat], self.spec.has("label_variants"))

    def label2(self, cat: str) -> str:
        return self._pick("l2:" + cat, VOCAB["label2"][cat], self.spec.has("label_variants"))

    def score_note(self) -> str:
        return self._pick("score_note", VOCAB["score_note"], True)


def _categories(table: GoldTable, spec: Spec, rng: random.Random) -> list[tuple[str | None, str | None]]:
    """The (一级, 二级) each row is printed under; label_variants moves 成本 between the legacy
    产出/成本 and 一级 成本 (经济成本), a whole table one way."""
    cats = [(r.l1, r.l2) for r in table.rows]
    if spec.has("label_variants") and rng.random() < 0.5:
        cats = [("成本", "经济成本") if c == ("产出", "成本") else ("产出", "成本") if c[0] == "成本" else c
                for c in cats]
    return cats


def _render_table(table: GoldTable, index: int, spec: Spec, rng: random.Random, words: _Words):
    cats = _categories(table, spec, rng)
    order1 = {c: i for i, c in enumerate(dict.fromkeys(c[0] for c in cats))}
    order2 = {c: i for i, c in enumerate(dict.fromkeys(cats))}
    order = sorted(range(len(cats)), key=lambda i: (order1[cats[i][0]], order2[cats[i]]))
    groups = list(dict.fromkeys(cats[i][0] for i in order))
    points = allocate([(g, sum(1 for c in cats if c[0] == g)) for g in groups], rng)
    weights: dict[int, int] = {}
    for g in groups:
        members = [i for i in order if cats[i][0] == g]
        weights.update(zip(members, split_points(points[g], len(members), rng)))

    if spec.separator == "prose":
        return _render_prose(table, index, spec, rng, words, cats, order, points)

    roles = _columns(spec, rng)
    must = _designated(table, order, rng)
    rendered: list[RenderedRow] = []
    data_rows: list[Row] = []
    prev: tuple = (object(), object())
    for i in order:
        gold = table.rows[i]
        l1, l2 = cats[i]
        label1 = words.label1(l1) if l1 else ""
        if label1 and spec.has("label_scores"):
            label1 = words.score_note().format(label=label1, points=points[l1])
        label2 = words.label2(l2) if l2 else ""
        cells, value = _cells(gold, spec, rng, weights[i], force_slip=i == must["ocr"])
        cells["l1"] = label1
        cells["l2"] = label2
        if spec.has("labels_merged"):
            cells["l1"] = label1 if l1 != prev[0] else ""
            cells["l2"] = label2 if (l1, l2) != prev else ""
        prev = (l1, l2)
        weight, score = weights[i], float(cells.pop("_score"))
        _perturb_cells(cells, spec, rng, force_wrap=i == must["wrap"])
        data_rows.append(Row([cells.get(r, "") for r in roles], "data", list(roles)))
        labelled = not spec.has("no_labels")
        rendered.append(RenderedRow(
            index, l1 if labelled else None, l2 if labelled else None, label1, label2, cells, weight, score,
            points[l1] if l1 in points else 0,
            {"name": gold.name, "value": value, "declared_l1": l1 if labelled else None,
             "declared_l2": l2 if labelled else None, "l1": gold.gold_l1, "l2": gold.gold_l2,
             "project": table.project, "period": "annual", "doc": table.doc}, gold))

    head = _header(roles, spec, rng, words)
    items: list[Item] = [Text(_title(table, spec))]
    items.append(Grid(_meta_rows(table, rng)))
    label_cols = tuple(i for i, r in enumerate(roles) if r in ("l1", "l2")) if spec.has("labels_merged") else ()
    pages = _pages(data_rows, spec, rng)
    page_no = rng.randint(2, 5)
    n_pages = page_no + len(pages) + rng.randint(0, 2)
    for p, page in enumerate(pages):
        grid_rows = []
        if p == 0 or spec.has("repeated_header"):
            grid_rows += [Row(list(h.cells), h.kind, h.roles, h.interleave) for h in head]
        if p == 0 and spec.has("header_merged_row") and page:
            first = page[0]
            grid_rows[-1] = Row(grid_rows[-1].cells + first.cells, "head_data", grid_rows[-1].roles + first.roles)
            page = page[1:]
        grid_rows += page
        if p == len(pages) - 1 and spec.has("total_row"):
            grid_rows.append(_total_row(roles, rendered, rng))
        items.append(Grid(grid_rows, label_cols))
        if p < len(pages) - 1 and spec.has("page_markers"):
            items.append(Text(rng.choice(VOCAB["junk"]["pages"]).format(page=page_no + p, pages=n_pages)))
    items += _after(table, spec, rng)
    return items, rendered


def _columns(spec: Spec, rng: random.Random) -> list[str]:
    """The column roles in order: labels, then the name, the value block and the extra columns
    (shuffled with reorder; the comparator/value/unit block stays together)."""
    value_block = (["cmp"] if spec.has("col_comparator") else []) + ["value"] + (["unit"] if spec.has("col_unit") else [])
    extra = [r for r in ("desc", "nature", "direction", "weight", "actual", "score", "note") if spec.has("col_" + r)]
    blocks = [["name"], value_block] + [[r] for r in extra]
    if spec.has("reorder"):
        plain = list(blocks)
        for _ in range(10):  # a different order, where there is one
            rng.shuffle(blocks)
            if blocks != plain:
                break
    labels = [] if spec.has("no_labels") else ["l1", "l2"]
    return labels + [r for b in blocks for r in b]


def _designated(table: GoldTable, order: list[int], rng: random.Random) -> dict[str, int | None]:
    """The row that certainly gets an OCR slip, and the one whose name is certainly wrapped, so
    a kind drawn row by row always shows in the document."""
    slippable = [i for i in order if can_slip(table.rows[i].value)]
    wrappable = [i for i in order if len(table.rows[i].name) >= 6]
    return {"ocr": rng.choice(slippable) if slippable else None, "wrap": rng.choice(wrappable) if wrappable else None}


def _cells(gold: GoldRow, spec: Spec, rng: random.Random, weight: int,
           force_slip: bool = False) -> tuple[dict[str, str], str]:
    """The cells of one indicator by role, and its expected value (as gold would record it)."""
    value = gold.value
    if spec.has("ocr"):
        value = _ocr(value, rng, force_slip)
    cells: dict[str, str] = {"name": gold.name}
    parts = split_value(value)
    expected = value
    cmp, num, unit = parts if parts else ("", value, "")
    if spec.has("col_comparator"):
        if parts and not cmp and rng.random() < 0.5:
            cmp = "="  # a printed "=" is part of the recorded value
            expected = "=" + value
        cells["cmp"] = cmp
        cells["value"] = num + ("" if spec.has("col_unit") else unit) if parts else value
    else:
        cells["value"] = (cmp + num if spec.has("col_unit") else value) if parts else value
    if spec.has("col_unit"):
        cells["unit"] = unit
    if not parts and spec.has("col_comparator"):
        cells["cmp"] = ""
    cells["desc"] = rng.choice(VOCAB["cells"]["descriptions"]).format(name=gold.name, value=gold.value or "预期")
    actual, share = synth_actual(value, rng)
    cells["actual"] = actual
    score = weight if share >= 1 else round(weight * share, 1)
    cells["weight"] = str(weight)
    cells["score"] = f"{score:g}"
    cells["_score"] = str(score)
    cells["direction"] = "反向" if cmp in ("<=", "≤", "≦", "＜＝", "＜", "<") else "正向"
    cells["nature"] = "定量" if parts else "定性"
    cells["note"] = "" if rng.random() < 0.8 else "无"
    return cells, expected


def can_slip(value: str) -> bool:
    return any(c in value for c in "≥01") or (value.endswith("%") and len(value) > 1)


def _ocr(value: str, rng: random.Random, force: bool = False) -> str:
    """One OCR slip, on half of the values that can have one (always with force)."""
    slips = []
    if "≥" in value:
        slips.append(lambda v: v.replace("≥", "2", 1))
    if "0" in value:
        slips.append(_o_for_0)
    if "1" in value:
        slips.append(lambda v: v.replace("1", "l", 1))
    if value.endswith("%") and len(value) > 1:
        slips.append(lambda v: v[:-1])
    if not slips or (not force and rng.random() < 0.5):
        return value
    slip = rng.choice(slips)
    return slip(value, rng) if slip is _o_for_0 else slip(value)


def _o_for_0(value: str, rng: random.Random) -> str:
    """Some zeros read as the letter O (at least one)."""
    zeros = [i for i, c in enumerate(value) if c == "0"]
    chosen = {i for i in zeros if rng.random() < 0.5} or {rng.choice(zeros)}
    return "".join("O" if i in chosen else c for i, c in enumerate(value))


def _perturb_cells(cells: dict[str, str], spec: Spec, rng: random.Random, force_wrap: bool = False) -> None:
    """Wraps and spaced-out characters inside cells (the expected name is untouched: the
    scorer ignores whitespace)."""
    if spec.has("spaced_chars"):
        for role in ("l1", "l2"):
            cells[role] = _spaced(cells[role])
        if len(cells["name"]) <= 8 and rng.random() < 0.25:
            cells["name"] = _spaced(cells["name"])
    for kind, gap in (("wrap_space", " "), ("wrap_newline", "\n")):
        if spec.has(kind):
            for role in ("name", "desc"):
                if len(cells[role]) >= 6 and (rng.random() < 0.6 or (force_wrap and role == "name")):
                    cells[role] = _wrap(cells[role], gap, rng)


def _spaced(text: str) -> str:
    """产出指标 -> 产 出 指 标 (runs of ASCII/digits kept together)."""
    return " ".join(re.findall(r"[A-Za-z0-9.%]+|\S", text)) if text else text


NUMBER_CHARS = frozenset("0123456789.,")


def _wrap(text: str, gap: str, rng: random.Random) -> str:
    """A break inside the cell, never inside a number or at its edges."""
    cuts = [i for i in range(2, len(text) - 1)
            if not (text[i - 1] in NUMBER_CHARS and text[i] in NUMBER_CHARS)
            and not text[i].isspace() and not text[i - 1].isspace()]
    if not cuts:
        return text
    i = rng.choice(cuts)
    return text[:i] + gap + text[i:]


def _header(roles: list[str], spec: Spec, rng: random.Random, words: _Words) -> list[Row]:
    if spec.has("no_header"):
        for r in roles:
            words.header(r)  # drawn all the same, so the document says what it would have printed
        return []
    cells = [words.header(r) for r in roles]
    spaced = [spec.has("spaced_chars") and rng.random() < 0.5 for _ in cells]
    if spec.has("header_wrapped"):  # a word over two lines, one at least
        last = max((i for i, c in enumerate(cells) if len(c) >= 3), default=None)
        out = []
        for i, c in enumerate(cells):
            cut = len(c) // 2 if len(c) <= 4 else rng.randint(2, len(c) - 2)
            parts = [c[:cut], c[cut:]] if len(c) >= 3 and (rng.random() < 0.7 or i == last) else [c]
            out.append("\n".join(_spaced(p) if spaced[i] else p for p in parts))
        return [Row(out, "head", list(roles), interleave=True)]
    cells = [_spaced(c) if s else c for c, s in zip(cells, spaced)]
    if spec.has("header_two_rows"):
        group_of = {"l1": "indicator", "l2": "indicator", "name": "indicator", "cmp": "target", "value": "target",
                    "unit": "target", "actual": "result", "score": "result"}
        top, bottom = [], []
        for i, (role, word) in enumerate(zip(roles, cells)):
            g = group_of.get(role)
            if g is None:
                top.append(word)
                bottom.append("")
                continue
            run_start = i == 0 or group_of.get(roles[i - 1]) != g
            top.append(words.group(g) if run_start else "")
            bottom.append(word)
        return [Row(top, "head_top", list(roles)), Row(bottom, "head_bottom", list(roles))]
    return [Row(cells, "head", list(roles))]


def _title(table: GoldTable, spec: Spec) -> str:
    kind = "自评表" if spec.has("col_actual") or spec.has("col_score") else "绩效目标表"
    return f"{table.project}项目支出{kind}（{table.year}年度）"


def _meta_rows(table: GoldTable, rng: random.Random) -> list[Row]:
    rows = [Row(["项目名称", table.project], "meta"),
            Row(["主管部门", rng.choice(VOCAB["cells"]["departments"])], "meta")]
    if table.budget is not None:
        rows.append(Row(["年度资金总额（万元）", f"{table.budget:g}"], "meta"))
    if rng.random() < 0.5:
        rows.append(Row(["年度绩效目标", rng.choice(VOCAB["cells"]["goals"]).format(project=table.project)], "meta"))
    return rows


def _pages(data_rows: list[Row], spec: Spec, rng: random.Random) -> list[list[Row]]:
    """The data rows cut at page breaks (4 to 8 rows a page, at least one break)."""
    if not (spec.has("page_markers") or spec.has("repeated_header")) or len(data_rows) < 2:
        return [data_rows]
    size = min(rng.randint(4, 8), max(1, len(data_rows) // 2))
    return [data_rows[i:i + size] for i in range(0, len(data_rows), size)]


def _total_row(roles: list[str], rendered: list[RenderedRow], rng: random.Random) -> Row:
    cells = [""] * len(roles)
    cells[0] = rng.choice(VOCAB["junk"]["total"])
    placed = False
    for role, amount in (("weight", sum(r.weight for r in rendered)), ("score", sum(r.score for r in rendered))):
        if role in roles:
            cells[roles.index(role)] = f"{round(amount, 1):g}"
            placed = True
    if not placed:
        cells[roles.index("value")] = "100"
    return Row(cells, "junk", list(roles))


def _after(table: GoldTable, spec: Spec, rng: random.Random) -> list[Item]:
    out: list[Item] = []
    if spec.has("notes"):
        out.append(Text(rng.choice(VOCAB["junk"]["notes"])))
    if spec.has("signature_rows"):
        if spec.separator != "prose" and rng.random() < 0.5:
            cells = [c.format(year=table.year) for c in rng.choice(VOCAB["junk"]["signature_cells"])]
            out.append(Grid([Row(cells, "junk")]))
        else:
            lines = rng.sample(VOCAB["junk"]["signatures"], 2)
            out += [Text(s.format(year=table.year)) for s in lines]
    return out


# ---------------------------------------------------------------- prose

NUMERALS = "一二三四五六七八九十"


def _render_prose(table, index, spec, rng, words, cats, order, points):
    must = _designated(table, order, rng)
    items: list[Item] = [Text(f"{table.project}绩效目标")]
    if table.budget is not None:
        items.append(Text(f"年度资金总额：{table.budget:g}万元"))
    rendered: list[RenderedRow] = []
    one_line = rng.random() < 0.5  # "一、产出指标 数量指标：…" or the label on a line of its own
    width = rng.randint(18, 40)  # the page's line length, for wrap_space / wrap_newline
    labelled = not spec.has("no_labels")
    groups = list(dict.fromkeys(cats[i][0] for i in order))
    sentences: list[str] = []
    for gi, l1 in enumerate(groups):
        members = [i for i in order if cats[i][0] == l1]
        label1 = words.label1(l1) if l1 else ""
        if label1 and spec.has("label_scores"):
            label1 = words.score_note().format(label=label1, points=points[l1])
        label1_printed = _spaced(label1) if spec.has("spaced_chars") else label1
        parts = []
        for l2, run in _runs([(cats[i][1], i) for i in members]):
            label2 = words.label2(l2) if l2 else ""
            label2_printed = _spaced(label2) if spec.has("spaced_chars") else label2
            texts = []
            for i in run:
                gold = table.rows[i]
                value = _ocr(gold.value, rng, i == must["ocr"]) if spec.has("ocr") else gold.value
                texts.append(gold.name + _prose_joiner(value, rng) + value)
                rendered.append(RenderedRow(
                    index, l1 if labelled else None, l2 if labelled else None, label1, label2,
                    {"name": gold.name, "value": value}, 0, 0.0, points.get(l1, 0),
                    {"name": gold.name, "value": value, "declared_l1": l1 if labelled else None,
                     "declared_l2": l2 if labelled else None, "l1": gold.gold_l1, "l2": gold.gold_l2,
                     "project": table.project, "period": "annual", "doc": table.doc}, gold))
            body = "；".join(texts) + "。"
            parts.append(f"{label2_printed}：{body}" if labelled and label2 else body)
        if labelled:
            head = f"{NUMERALS[gi % 10]}、{label1_printed}"
            if one_line:
                items.append(Text(_reflow(head + " " + "".join(parts), spec, width)))
            else:
                items += [Text(head), Text(_reflow("".join(parts), spec, width))]
        else:
            sentences += parts
        if spec.has("page_markers") and gi < len(groups) - 1:
            items.append(Text(rng.choice(VOCAB["junk"]["pages"]).format(page=gi + 2, pages=len(groups) + 1)))
    if sentences:
        items.append(Text(_reflow("绩效指标：" + "".join(sentences), spec, width)))
    items += _after(table, spec, rng)
    return items, rendered


PROSE_GLUED = re.compile(rf"^(?:{COMPARATOR}|\d|不低于|不少于|不超过|不高于|大于|小于|约|达到|百分之)")


def _prose_joiner(value: str, rng: random.Random) -> str:
    """What stands between a name and its value in a sentence: nothing before a number or a
    comparator (培训人数≥100人), else 为 or a colon (空气质量为优良), as a writer would put it."""
    if not value or PROSE_GLUED.match(value):
        return ""
    return rng.choice(["为", "："])


def _reflow(text: str, spec: Spec, width: int) -> str:
    """A paragraph broken into lines of `width` characters as a PDF prints it, the breaks kept as
    newlines (wrap_newline) or turned into spaces (wrap_space); never inside a number."""
    gaps = [g for k, g in (("wrap_newline", "\n"), ("wrap_space", " ")) if spec.has(k)]
    if not gaps:
        return text
    width = min(width, max(6, len(text) // 2))  # a paragraph of 12 characters or more breaks once at least
    out, run = [], 0
    for i, ch in enumerate(text):
        in_number = (ch.isdigit() or ch == ".") and (text[i - 1].isdigit() or text[i - 1] == ".")
        if run >= width and not in_number and ch not in "，。；：、":
            out.append(gaps[len(out) % len(gaps)])
            run = 0
        out.append(ch)
        run += 1
    return "".join(out)


def _runs(pairs):
    out: list[tuple] = []
    for key, i in pairs:
        if out and out[-1][0] == key:
            out[-1][1].append(i)
        else:
            out.append((key, [i]))
    return out
