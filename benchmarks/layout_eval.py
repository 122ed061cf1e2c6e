#!/usr/bin/env python3
"""Where segmentation and value parsing break: the gold indicators re-rendered in other layouts.

Our seeds and corpus score near-perfectly, so they no longer show what an unseen document will
break. This script takes every gold document's indicators (project, period, declared 一级/二级,
name, value) and prints them again in each layout real documents use, then runs
`kpicheck.api.extract_text` (and `extract_file` for an .xlsx) and scores the result with the
matching of `shared/eval/score.py`:

  tab      一级/二级/三级/指标值, tab-separated, 一级/二级 blank on continuation rows (merged cells)
  pipe     the same with `|` between cells, blank cells kept
  pipeshift  `|` rows with the merged (blank) cells dropped, so the columns shift (PIPE-ROW)
  cell     one cell per line, blank lines between (PDF extraction), merged cells dropped
  space    cells separated by spaces, merged cells dropped
  wide     one (三级, 指标值) column pair per 一级 (产出指标 | 指标值 | 效益指标 | 指标值 ...)
  prose    "一、产出指标\\n数量指标：X≥5个；Y100%。质量指标：..."
  units    一级/二级/三级/符号/指标值/计量单位 (≥ | 95 | %) when the value splits
  twogroup 长期 and 年度 column groups side by side (long-term = gold's, or the annual again)
  xlsx     the tab layout as an .xlsx with merged 一级/二级 cells (openpyxl)

Per layout: extraction recall/precision, category accuracy (gold l1), and per matched
indicator whether the declared 一级, project, period and value came out right.

A second table probes value variants a reviewer meets (full-width, ≧, 不低于, 以上, Chinese
numerals, thousands separators, ranges, traditional characters): each variant must give the
same comparator / number / unit / category as the plain form.

    .venv/bin/python benchmarks/layout_eval.py [--gold DIR ...] [--misses N] [--layouts tab,prose]

Deterministic, no network, ~30 s.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parent.parent / "tests"))
from layouts.render import SET_ASIDE  # noqa: E402  the documents kept out of development

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))

from score import indicator_score, norm  # noqa: E402  (the scorer's own matching)

from kpicheck.api import extract_file, extract_text  # noqa: E402

L1_LABEL = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标", "成本": "成本指标"}
L1_ORDER = ["产出", "效益", "满意度", "成本"]
HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]
UNITS = ("%|万元|元|万|个|人次|人|次|台|套|张|条|户|项|天|日|个月|月|年|小时|工作日|公里|千米|米|平方米|亩"
         "|批次|家|所|辆|份|册|场|期|株|吨|座|处|篇|元/人|分|万张|万人次|批")
SPLIT_VALUE = re.compile(rf"^(≥|≤|>=|<=|＞|＜|>|<|=)?\s*(\d[\d,]*(?:\.\d+)?)\s*({UNITS})?$")


# ---------------------------------------------------------------- gold → rows


@dataclass
class Row:
    l1: str  # canonical 一级 printed (declared, or gold l1 when the table declared none)
    l2: str | None
    name: str
    value: str
    gold: dict


@dataclass
class Block:
    project: str
    budget: float | None
    rows: list[Row]
    long_rows: list[Row] = field(default_factory=list)


def label1(l1: str) -> str:
    return L1_LABEL.get(l1, l1 + "指标")


def label2(l2: str | None) -> str:
    return "" if not l2 else (l2 if l2.endswith("指标") else l2 + "指标")


def to_row(ind: dict) -> Row:
    l1 = ind.get("declared_l1") or (ind.get("l1") or ["产出"])[0]
    l2 = ind.get("declared_l2") or ((ind.get("l2") or [None])[0] if not ind.get("declared_l1") else None)
    return Row(l1, l2, (ind.get("name") or "").strip(), (ind.get("value") or "").strip(), ind)


def grouped(rows: list[Row]) -> list[Row]:
    """Rows ordered by 一级 then 二级 (first appearance), so merged cells make sense."""
    order1 = {l1: i for i, l1 in enumerate(dict.fromkeys(r.l1 for r in rows))}
    order2 = {k: i for i, k in enumerate(dict.fromkeys((r.l1, r.l2) for r in rows))}
    return sorted(rows, key=lambda r: (order1[r.l1], order2[(r.l1, r.l2)]))


def blocks_of(gold: dict) -> list[Block]:
    budgets = {p.get("name"): p.get("budget_wan") for p in gold.get("projects", [])}
    by_project: dict[str, Block] = {}
    for ind in gold.get("indicators", []):
        if not (ind.get("name") or "").strip():
            continue
        proj = ind.get("project") or "未命名项目"
        block = by_project.setdefault(proj, Block(proj, budgets.get(proj), []))
        (block.long_rows if ind.get("period") == "long_term" else block.rows).append(to_row(ind))
    for b in by_project.values():
        b.rows, b.long_rows = grouped(b.rows), grouped(b.long_rows)
    return [b for b in by_project.values() if b.rows]


def head_lines(b: Block, sep: str) -> list[str]:
    out = [f"项目支出绩效目标表", f"项目名称{sep}{b.project}"]
    if b.budget is not None:
        out.append(f"年度资金总额{sep}{b.budget:g}万元")
    return out


def merged(rows: list[Row]):
    """(一级 cell, 二级 cell, row): the label cells blank when they repeat the row above."""
    prev1 = prev2 = None
    for r in rows:
        c1 = label1(r.l1) if r.l1 != prev1 else ""
        c2 = label2(r.l2) if (r.l1, r.l2) != (prev1, prev2) else ""
        prev1, prev2 = r.l1, r.l2
        yield c1, c2, r


# ---------------------------------------------------------------- layouts


def render_sep(blocks: list[Block], sep: str, keep_blank: bool, edge: bool = False) -> str:
    lines: list[str] = []
    wrap = (lambda cells: "| " + " | ".join(cells) + " |") if edge else sep.join
    for b in blocks:
        lines += head_lines(b, sep)
        lines.append(wrap(HEADER))
        for c1, c2, r in merged(b.rows):
            cells = [c1, c2, r.name, r.value]
            if not keep_blank:
                cells = [c for c in cells[:2] if c] + cells[2:]
            lines.append(wrap(cells))
        lines.append("")
    return "\n".join(lines)


def render_cell(blocks: list[Block]) -> str:
    cells: list[str] = []
    for b in blocks:
        cells += ["项目名称", b.project]
        if b.budget is not None:
            cells += ["年度资金总额", f"{b.budget:g}万元"]
        cells += HEADER
        for c1, c2, r in merged(b.rows):
            cells += [c for c in (c1, c2) if c] + [r.name, r.value or " "]
    return "\n\n".join(cells) + "\n"


def _category_columns(b: Block) -> tuple[list[str], list[str]]:
    """The block's categories in order, and its rows as (三级, 指标值) pairs side by side."""
    cats = [c for c in L1_ORDER if any(r.l1 == c for r in b.rows)]
    cols = {c: [r for r in b.rows if r.l1 == c] for c in cats}
    lines = []
    for i in range(max(len(v) for v in cols.values())):
        cells = []
        for c in cats:
            r = cols[c][i] if i < len(cols[c]) else None
            cells += [r.name, r.value] if r else ["", ""]
        lines.append("\t".join(cells).rstrip("\t"))
    return cats, lines


def render_wide(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        lines += head_lines(b, "\t")
        cats, rows = _category_columns(b)
        lines.append("\t".join(f"{label1(c)}\t指标值" for c in cats))
        lines += rows + [""]
    return "\n".join(lines)


def render_wide2(blocks: list[Block]) -> str:
    """Seed-000 style: category labels on one header row, 三级指标/指标值 pairs on the next."""
    lines: list[str] = []
    for b in blocks:
        lines += head_lines(b, "\t")
        cats, rows = _category_columns(b)
        lines.append("\t".join(f"{label1(c)}\t" for c in cats).rstrip("\t"))
        lines.append("\t".join("三级指标\t指标值" for _ in cats))
        lines += rows + [""]
    return "\n".join(lines)


def render_prose(blocks: list[Block]) -> str:
    numerals = "一二三四五六七八九"
    lines: list[str] = []
    for b in blocks:
        lines.append(f"项目名称：{b.project}")
        if b.budget is not None:
            lines.append(f"年度资金总额：{b.budget:g}万元")
        lines.append("绩效指标：")
        by1: dict[str, list[Row]] = defaultdict(list)
        for r in b.rows:
            by1[r.l1].append(r)
        for i, (l1, rows) in enumerate(by1.items()):
            lines.append(f"{numerals[i]}、{label1(l1)}")
            parts: list[str] = []
            for l2, group in _runs(rows):
                items = "；".join(f"{r.name}{r.value}" for r in group)
                parts.append(f"{label2(l2)}：{items}。" if l2 else f"{items}。")
            lines.append("".join(parts))
        lines.append("")
    return "\n".join(lines)


def _runs(rows: list[Row]):
    out: list[tuple[str | None, list[Row]]] = []
    for r in rows:
        if out and out[-1][0] == r.l2:
            out[-1][1].append(r)
        else:
            out.append((r.l2, [r]))
    return out


def split_value(value: str) -> tuple[str, str, str]:
    m = SPLIT_VALUE.match(value)
    if not m:
        return "", value, ""
    return m.group(1) or "", m.group(2), m.group(3) or ""


def render_units(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        lines += head_lines(b, "\t")
        lines.append("\t".join(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位"]))
        for c1, c2, r in merged(b.rows):
            comp, num, unit = split_value(r.value)
            lines.append("\t".join([c1, c2, r.name, comp, num, unit]))
        lines.append("")
    return "\n".join(lines)


def render_twogroup(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        long_rows = b.long_rows or b.rows
        lines += head_lines(b, " | ")
        lines.append("| 绩效指标 | 长期目标 | | | 年度目标 | | |")
        lines.append("| 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值 |")
        left, right = list(merged(long_rows)), list(merged(b.rows))
        for i in range(max(len(left), len(right))):
            lc = left[i] if i < len(left) else ("", "", None)
            rc = right[i] if i < len(right) else ("", "", None)
            c1 = lc[0] or rc[0]
            cells = [c1, lc[1], lc[2].name if lc[2] else "", lc[2].value if lc[2] else "",
                     rc[1], rc[2].name if rc[2] else "", rc[2].value if rc[2] else ""]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_xlsx(blocks: list[Block], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    row = 1
    for b in blocks:
        ws.append(["项目名称", b.project])
        row += 1
        if b.budget is not None:
            ws.append(["年度资金总额(万元)", b.budget])
            row += 1
        ws.append(HEADER)
        row += 1
        start1 = start2 = row
        prev = None
        for c1, c2, r in merged(b.rows):
            ws.append([label1(r.l1), label2(r.l2), r.name, r.value])
            for cell in ws[row]:  # openpyxl would store "=100%" as a formula
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
            if c1 and prev is not None:  # close the 一级 / 二级 merges of the previous group
                _merge(ws, 1, start1, row - 1)
            if c2 and prev is not None:
                _merge(ws, 2, start2, row - 1)
            start1 = row if c1 else start1
            start2 = row if c2 else start2
            prev = r
            row += 1
        _merge(ws, 1, start1, row - 1)
        _merge(ws, 2, start2, row - 1)
        ws.append([])
        row += 1
    wb.save(path)


def _merge(ws, col: int, top: int, bottom: int) -> None:
    if bottom > top:
        ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)


LAYOUTS = {
    "tab": lambda bl: render_sep(bl, "\t", keep_blank=True),
    "pipe": lambda bl: render_sep(bl, " | ", keep_blank=True, edge=True),
    "pipeshift": lambda bl: render_sep(bl, " | ", keep_blank=False, edge=True),
    "cell": render_cell,
    "space": lambda bl: render_sep(bl, " ", keep_blank=False),
    "wide": render_wide,
    "wide2": render_wide2,
    "prose": render_prose,
    "units": render_units,
    "twogroup": render_twogroup,
    "xlsx": None,  # written to a file, read with extract_file
}


# ---------------------------------------------------------------- scoring


def expected(blocks: list[Block], layout: str) -> list[dict]:
    out = []
    for b in blocks:
        groups = [("annual", b.rows)]
        if layout == "twogroup":
            groups.append(("long_term", b.long_rows or b.rows))
        for period, rows in groups:
            for r in rows:
                out.append({**r.gold, "project": b.project, "period": period, "_declared": r.l1})
    return out


def match_indicators(gold: list[dict], pred: list[dict], threshold: float = 0.7) -> dict[int, int]:
    """score.py's greedy matching, with ties (the same name and value in two projects or in
    both period groups) broken by project and period, so a swap is not counted as an error."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s = indicator_score(g, p)
            if s >= threshold:
                bonus = 0.002 * same_project(g["project"], p.get("project")) + 0.001 * (g["period"] == p.get("period"))
                pairs.append((s + bonus, gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, match = set(), set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            match[gi] = pi
    return match


def same_project(gold: str, pred: str | None) -> bool:
    g, p = norm(gold), norm(pred)
    return bool(p) and (g == p or (len(p) >= 4 and (g in p or p in g)))


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    category: int = 0
    declared: int = 0
    project: int = 0
    period: int = 0
    value: int = 0
    errors: int = 0
    misses: list = field(default_factory=list)  # (kind, doc, gold name/value, what came out)


def run_layout(layout: str, golds: dict[str, dict], tmp: Path) -> Tally:
    t = Tally()
    for doc, gold in golds.items():
        blocks = blocks_of(gold)
        if not blocks:
            continue
        if layout == "xlsx":
            path = tmp / f"{doc}.xlsx"
            write_xlsx(blocks, path)
            report = extract_file(path)
        else:
            report = extract_text(LAYOUTS[layout](blocks), path=f"{doc}.{layout}.txt")
        f = report.files[0]
        if f.error:
            t.errors += 1
        preds = [i.model_dump(mode="json") for i in f.indicators]
        exp = expected(blocks, layout)
        match = match_indicators(exp, preds)
        t.gold += len(exp)
        t.pred += len(preds)
        t.matched += len(match)
        for gi, g in enumerate(exp):
            if gi not in match:
                t.misses.append(("missed", doc, f"{g['name']} {g['value']}", ""))
                continue
            p = preds[match[gi]]
            t.category += p.get("category") in (g.get("l1") or [])
            if p.get("category") not in (g.get("l1") or []):
                t.misses.append(("category", doc, f"{g['name']} {g['value']} (gold {'/'.join(g['l1'])})",
                                 f"{p.get('category')} (declared {p.get('declared_level1')})"))
            t.declared += p.get("declared_level1") == g["_declared"]
            if p.get("declared_level1") != g["_declared"]:
                t.misses.append(("declared", doc, f"{g['name']} under {g['_declared']}",
                                 f"declared {p.get('declared_level1')}/{p.get('declared_level2')}"))
            ok_proj = same_project(g["project"], p.get("project"))
            t.project += ok_proj
            if not ok_proj:
                t.misses.append(("project", doc, f"{g['name']} in {g['project']}", f"project {p.get('project')!r}"))
            t.period += p.get("period") == g["period"]
            if p.get("period") != g["period"]:
                t.misses.append(("period", doc, f"{g['name']} {g['period']}", f"period {p.get('period')}"))
            ok_val = norm(p.get("value")) == norm(g.get("value"))
            t.value += ok_val
            if not ok_val:
                t.misses.append(("value", doc, f"{g['name']} = {g.get('value')!r}",
                                 f"name {p.get('name')!r} value {p.get('value')!r}"))
        matched_pred = set(match.values())
        for pi, p in enumerate(preds):
            if pi not in matched_pred:
                t.misses.append(("spurious", doc, "", f"{p.get('name')!r} = {p.get('value')!r}"))
    return t


def pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


# ---------------------------------------------------------------- value probes

# (indicator name, plain value, variants a reviewer meets in the wild)
PROBES: list[tuple[str, str, list[str]]] = [
    ("村民满意度", "≥95%", ["＞＝９５％", "≥９５％", ">=95%", "≧95%", "＞=95%", "不低于95%", "95%以上",
                           "大于等于95%", "达到95%以上", "至少95%", "百分之九十五以上", "不低于百分之九十五",
                           "≥95 %", "≥ 95%", "≥95％", "95%及以上", "≥95.0%", "95%(含)以上", "≥95%。"]),
    ("设备维护费用", "≤30万元", ["≦30万元", "<=30万元", "＜＝30万元", "不超过30万元", "不高于30万元",
                              "30万元以内", "控制在30万元以内", "三十万元以内", "≤30.00万元", "≤300000元",
                              "≤300,000元", "≤ 30 万元", "≤30万", "30万元以下", "≤叁拾万元", "≤30万元（含）"]),
    ("培训农民人数", "≥1200人", ["≥1,200人", "≥１２００人", "不少于1200人", "1200人以上", "≥一千二百人",
                                 "≥1200 人", "≥0.12万人", "1200余人", "≥1200名"]),
    ("道路硬化长度", "≥3.5公里", ["≥3.5km", "≥3500米", "≥３．５公里", "不少于3.5公里"]),
    ("项目验收合格率", "100%", ["百分之百", "１００％", "=100%", "＝100%", "达到100%"]),
    ("设备故障修复时间", "≤48小时", ["48小时以内", "不超过48小时", "≤２天", "≤48h"]),
    ("资金拨付完成时间", "2024年12月31日前", ["2024年12月底前", "2024.12.31前", "2024-12-31前", "年底前"]),
    ("水质达标率", "90%-95%", ["90%～95%", "90%~95%", "90-95%", "90％—95％", "90%至95%"]),
    ("群眾滿意度", "≥90%", ["≥90%"]),  # traditional name, plain value
    ("項目驗收合格率", "≥98%", ["≥98%"]),
    ("受益貧困戶數", "≥50戶", ["≥50户"]),
]
# Traditional names: the category must match the simplified name's.
TRADITIONAL = {"群眾滿意度": "群众满意度", "項目驗收合格率": "项目验收合格率", "受益貧困戶數": "受益贫困户数"}


def probe_doc(name: str, value: str) -> str:
    """A small neutral table with one probed row; the 一级/二级 cells say nothing about it."""
    return "\n".join([
        "项目名称\t某县农村人居环境整治项目", "年度资金总额\t80万元", "\t".join(HEADER),
        "产出指标\t数量指标\t整治村庄数量\t≥12个",
        "\t\t" + name + "\t" + value,
        "效益指标\t社会效益指标\t农村人居环境改善\t明显改善",
        "满意度指标\t服务对象满意度指标\t群众满意度\t≥90%",
    ]) + "\n"


def probe_reading(name: str, value: str):
    inds = extract_text(probe_doc(name, value)).files[0].indicators
    hit = next((i for i in inds if norm(i.name) == norm(name)), None)
    if hit is None:
        return None
    pv = hit.parsed
    return {
        "comparator": pv.comparator if pv else None,
        "number": pv.number if pv else None,
        "low": pv.low if pv else None,
        "high": pv.high if pv else None,
        "unit": pv.unit_canonical if pv else None,
        "category": hit.category,
        "sub": hit.subcategory,
        "value": hit.value,
    }


def run_probes() -> list[tuple]:
    rows = []
    for name, plain, variants in PROBES:
        base_name = TRADITIONAL.get(name, name)
        base = probe_reading(base_name, plain)
        for v in ([plain] if name in TRADITIONAL else variants):
            got = probe_reading(name, v)
            if got is None:
                rows.append((name, v, "NOT EXTRACTED", base))
                continue
            diffs = [k for k in ("comparator", "number", "low", "high", "unit", "category", "sub")
                     if got[k] != base[k] and not _equivalent(k, base, got)]
            rows.append((name, v, "ok" if not diffs else "differs: " + ", ".join(
                f"{k} {got[k]!r} vs {base[k]!r}" for k in diffs), base))
    return rows


def _equivalent(key: str, base: dict, got: dict) -> bool:
    """Same quantity in another unit (3500米 = 3.5公里, 300000元 = 30万元, 2天 = 48小时)."""
    scale = {("米", "公里"): 1000, ("元", "万元"): 10000, ("天", "小时"): 1 / 24}
    if key == "comparator" and {base[key], got[key]} <= {None, "="}:
        return True  # "100%" and "=100%" say the same
    if key not in ("number", "unit"):
        return False
    k = (got["unit"], base["unit"])
    if k in scale and got["number"] is not None and base["number"] is not None:
        return abs(got["number"] - base["number"] * scale[k]) < 1e-6
    return False


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, nargs="*", default=[SHARED / "gold" / "seeds", SHARED / "gold" / "corpus"])
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--misses", type=int, default=6, help="misses shown per layout and kind")
    ap.add_argument("--no-probes", action="store_true")
    args = ap.parse_args()

    golds = {p.stem: json.loads(p.read_text(encoding="utf-8"))
             for d in args.gold for p in sorted(Path(d).glob("*.json")) if p.stem not in SET_ASIDE}
    layouts = [x for x in args.layouts.split(",") if x in LAYOUTS]
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for layout in layouts:
            results[layout] = run_layout(layout, golds, Path(tmp))

    print(f"# {len(golds)} gold documents re-rendered per layout\n")
    print("| layout | gold | pred | recall | precision | category acc | declared 一级 | project | period | value |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for layout, t in results.items():
        m = t.matched
        print(f"| {layout} | {t.gold} | {t.pred} | {pct(m, t.gold)} | {pct(m, t.pred)} | {pct(t.category, m)} | "
              f"{pct(t.declared, m)} | {pct(t.project, m)} | {pct(t.period, m)} | {pct(t.value, m)} |")

    for layout, t in results.items():
        if not t.misses:
            continue
        print(f"\n## {layout}: misses by kind")
        kinds = Counter(k for k, *_ in t.misses)
        for kind, n in kinds.most_common():
            print(f"  {kind}: {n}")
            for _, doc, gold, got in [x for x in t.misses if x[0] == kind][: args.misses]:
                print(f"    [{doc[:4]}] {gold}  ->  {got}")

    if not args.no_probes:
        rows = run_probes()
        bad = [r for r in rows if r[2] != "ok"]
        print(f"\n# value probes: {len(rows) - len(bad)}/{len(rows)} read the same as the plain form\n")
        print("| name | variant | result | plain form read as |")
        print("|---|---|---|---|")
        for name, v, res, base in rows:
            b = base and f"{base['comparator']} {base['number']} {base['unit']} {base['category']}/{base['sub']}"
            print(f"| {name} | {v} | {res} | {b} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
