#!/usr/bin/env python3
"""Self-evaluations (自评表): what kpicheck reads of them, and what the KPI8 rules catch.

For the SELF-EVAL documents of the shared corpus (../shared/corpus/README.md), minus the nine
set aside (benchmarks/README.md), three measurements:

1. reading (`kpicheck.api.extract_file`): per document, the share of its indicators with
   `actual`, `weight` and `score` read, whether the funds block and the 总分 were read, and how
   many of the rows transcribed by hand (tests/data/selfeval_rows.json) were read as printed;
2. planted defects through the document text: each real document is read, then one defect at a
   time is planted by editing the text at the position of the field (a score raised above its
   weight, an actual lowered below target with full marks kept, a weight changed so the sum
   breaks, an execution rate altered), the text is checked again, and a plant counts as caught
   when its KPI8 rule reports it; the KPI8 findings on the unaltered documents are listed (each
   must be one a reviewer accepts). This needs the parser to read the fields and their
   positions: until it does, nothing can be planted and the figures are zeros;
3. the same plants on indicator lists (`check_indicators`), which need no parser:
   "transcribed": the real rows of tests/data/selfeval_rows.json, every field as printed, with
   the findings a reviewer accepts on them; "synthetic": rows built from the gold targets of the
   same documents (with --all-gold: of every gold document not set aside), with a synthetic
   actual that meets the target, weights sharing 90 points, full scores and a funds block.

Usage:  .venv/bin/python benchmarks/selfeval_eval.py [--corpus DIR] [--gold DIR] [--all-gold] [--show]
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpicheck import api  # noqa: E402
from kpicheck.config import Config  # noqa: E402
from kpicheck.models import FileReport, Finding  # noqa: E402
from kpicheck.rules import _facts as F  # noqa: E402
from kpicheck.rules import _selfeval as S  # noqa: E402
from kpicheck.rules import run_rules  # noqa: E402
from kpicheck.segment.assemble import clean_name  # noqa: E402
from kpicheck.values import parse_value  # noqa: E402
from tests.selfeval_rows import documents as transcribed_documents  # noqa: E402
from tests.selfeval_rows import matches, report_of  # noqa: E402

SHARED = ROOT.parent / "shared"
SET_ASIDE = {"h044", "h045", "h054", "h056", "h069", "h073", "h074", "h078", "h081"}  # benchmarks/README.md
KPI8 = Config(select=["KPI8"])
KINDS = ("score>weight", "actual<target", "weight sum", "execution rate")
EXPECTED = {"score>weight": "KPI801", "actual<target": "KPI803", "weight sum": "KPI802", "execution rate": "KPI807"}


def self_evaluation_ids(corpus: Path) -> list[str]:
    """The SELF-EVAL documents of the corpus README (自评 in their entry), set-aside ones left out."""
    text = (corpus / "README.md").read_text(encoding="utf-8")
    ids = []
    for entry in re.split(r"\n### ", text)[1:]:
        doc = entry[:4]
        if doc in SET_ASIDE or not re.fullmatch(r"h\d{3}", doc):
            continue
        if re.search(r"SELF-EVAL|自评", entry):
            ids.append(doc)
    return ids


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "-"


# ====================================================================== 1. reading


def reading(corpus: Path, ids: list[str]) -> None:
    print("== 1. reading (extract_file): share of indicators with the field read")
    print(f"  {'doc':5} {'inds':>4} {'actual':>6} {'weight':>6} {'score':>6} {'funds':>5} {'total':>5}  "
          f"{'transcribed rows read as printed':>32}")
    transcribed = {d["doc"]: d for d in transcribed_documents()}
    sums = Counter()
    for doc in ids:
        report = api.extract_file(corpus / f"{doc}.txt")
        f = report.files[0]
        inds = f.indicators
        n = len(inds)
        counts = {k: sum(1 for i in inds if getattr(i, k) not in (None, "")) for k in ("actual", "weight", "score")}
        funds = sum(1 for p in f.projects if p.funds and p.funds.rows)
        total = sum(1 for p in f.projects if p.total_weight is not None or p.total_score is not None)
        read_ok, printed = _transcribed_read(f, transcribed.get(doc))
        sums.update(inds=n, funds=funds, total=total, ok=read_ok, printed=printed, **counts)
        print(f"  {doc:5} {n:4d} {ratio(counts['actual'], n):>6} {ratio(counts['weight'], n):>6} "
              f"{ratio(counts['score'], n):>6} {funds:5d} {total:5d}  {read_ok:>14d} / {printed:<3d}")
    n = sums["inds"]
    print(f"  {'all':5} {n:4d} {ratio(sums['actual'], n):>6} {ratio(sums['weight'], n):>6} {ratio(sums['score'], n):>6} "
          f"{sums['funds']:5d} {sums['total']:5d}  {sums['ok']:>14d} / {sums['printed']:<3d}")


def _transcribed_read(f: FileReport, doc: Optional[dict]) -> tuple[int, int]:
    """(rows read with actual, weight and score exactly as transcribed, rows transcribed that
    print at least one of them)."""
    if doc is None:
        return 0, 0
    def key(name: str) -> str:  # the transcription keeps a numbering ('指标1:') the reader drops
        return F.fold(clean_name(name))

    by_name = {key(i.name): i for i in f.indicators}
    ok = printed = 0
    for p in doc["projects"]:
        for row in p["indicators"]:
            fields = [k for k in ("actual", "weight", "score") if row.get(k)]
            if not fields:
                continue
            printed += 1
            got = by_name.get(key(row["name"]))
            if got is not None and all(F.fold(getattr(got, k)) == F.fold(row[k]) for k in fields):
                ok += 1
    return ok, printed


# ====================================================================== plants


@dataclass
class Plant:
    kind: str  # one of KINDS
    where: str  # indicator name or funds row label, for --show
    bucket: str = ""  # actual<target: "explicit ≥/≤", "no comparator: gold category", "date", "grade/answer"
    spot: Optional[str] = None  # the indicator's id, or the funds field: where its finding must land


@dataclass
class Tally:
    planted: Counter
    caught: Counter
    caught_any: Counter
    missed: list
    already: Counter

    @classmethod
    def new(cls) -> "Tally":
        return cls(Counter(), Counter(), Counter(), [], Counter())

    def add(self, plant: Plant, before: list[Finding], after: list[Finding], doc: str) -> None:
        key = plant.kind + (f" ({plant.bucket})" if plant.bucket else "")
        code = EXPECTED[plant.kind]
        if plant.spot is not None and _count(before, code, plant.spot):
            self.already[key] += 1  # the row was reported already: planting there proves nothing
            return
        self.planted[key] += 1
        if _count(after, code, plant.spot) > _count(before, code, plant.spot):
            self.caught[key] += 1
        else:
            self.missed.append((doc, key, plant.where))
        if _signature(after) - _signature(before):
            self.caught_any[key] += 1

    def print(self, title: str, show: bool) -> None:
        total_p = sum(self.planted.values())
        total_c = sum(self.caught.values())
        print(f"  {title}: {total_c}/{total_p} planted defects caught by their rule ({ratio(total_c, total_p)}), "
              f"{sum(self.caught_any.values())}/{total_p} by some new KPI8 finding")
        if self.already:
            print(f"    (not planted: {sum(self.already.values())} rows already reported by the same rule)")
        for key in sorted(self.planted):
            print(f"    {key:38} {self.caught[key]:4d}/{self.planted[key]:<4d} ({ratio(self.caught[key], self.planted[key])})"
                  f"  any KPI8: {self.caught_any[key]}")
        if show:
            for doc, key, where in self.missed:
                print(f"      not caught: {doc} {key}: {where}")


def _count(findings: list[Finding], code: str, spot: Optional[str] = None) -> int:
    """Findings of `code`; at `spot` (an indicator id or a funds field) when given. A weight sum
    is reported on the category or the total, not on the row: any KPI802 counts."""
    return sum(1 for f in findings if f.code == code and
               (spot is None or code == "KPI802" or spot in (f.indicator_id, f.field)))


def _signature(findings: list[Finding]) -> set:
    return {(f.code, f.indicator_id, f.field, f.message) for f in findings}


def _raise(fig: S.Figure, by: float) -> str:
    value = fig.value + by
    return f"{value:.{fig.decimals}f}" + ("%" if fig.percent else "")


# ---------------------------------------------------------------------- plants on indicator rows


def row_plants(report: FileReport) -> Iterable[tuple[Plant, Callable[[FileReport], None]]]:
    """The defects one can plant into a read self-evaluation, each with the edit that plants it
    into a copy of the report (fields as printed; the edit re-parses what it changes)."""
    for n, ind in enumerate(report.indicators):
        weight, score = S.weight_of(ind), S.score_of(ind)
        if weight is not None and score is not None and weight.value > 0:
            new_score = _raise(weight, max(2.0, round(weight.value * 0.2)))
            yield Plant("score>weight", ind.name, spot=ind.id), _set_field(n, "score", new_score)
        if weight is not None and score is not None and S.same(score, weight):
            lowered = lowered_actual(ind)
            if lowered is not None:
                text, bucket = lowered
                yield Plant("actual<target", ind.name, bucket, ind.id), _set_field(n, "actual", text)
        if weight is not None and _sum_is_checkable(report, ind):
            yield Plant("weight sum", ind.name, spot=ind.id), _set_field(n, "weight", _raise(weight, 3))
    for p_index, project in enumerate(report.projects):
        for r_index, row in enumerate(project.funds.rows if project.funds else []):
            rate = S.figure(row.rate)
            if rate is not None and S.computed_rates(row):
                yield Plant("execution rate", f"{project.name} {row.label}", spot=f"funds[{r_index}].rate"), \
                    _set_funds(p_index, r_index, _altered(rate))


def _altered(rate: S.Figure) -> str:
    """The rate 7 points off (0.07 for a fraction printed without %)."""
    step = 7 if rate.percent or rate.value > 1.5 else 0.07
    return _raise(rate, -step if rate.value >= step else step)


def _set_field(n: int, key: str, text: str) -> Callable[[FileReport], None]:
    def edit(report: FileReport) -> None:
        ind = report.indicators[n]
        setattr(ind, key, text)
        if key == "actual":
            ind.actual_parsed = parse_value(text)
    return edit


def _set_funds(p_index: int, r_index: int, rate: str) -> Callable[[FileReport], None]:
    def edit(report: FileReport) -> None:
        report.projects[p_index].funds.rows[r_index].rate = rate  # type: ignore[union-attr]
    return edit


_SUBTOTAL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def _sum_is_checkable(report: FileReport, ind) -> bool:
    """The weight counts towards a printed subtotal or total that its rows add up to now (a
    weight changed there breaks a sum that held)."""
    rows = [i for i in report.indicators if i.project == ind.project]
    m = _SUBTOTAL.search(ind.declared_level1_raw or "")
    if m and abs(_weight_sum(i for i in rows if i.declared_level1_raw == ind.declared_level1_raw)
                 - float(m.group(1))) < 1e-6:
        return True
    project = next((p for p in report.projects if p.name == ind.project), None)
    printed = S.figure(project.total_weight) if project else None
    if printed is None:
        return False
    total = _weight_sum(rows)
    found = S.total_row(project)
    funds = S.figure(found[1].weight) if found else None
    return any(abs(t - printed.value) < 1e-6 for t in (total, total + (funds.value if funds else 10)))


def _weight_sum(rows: Iterable) -> float:
    return sum(w.value for w in (S.weight_of(i) for i in rows) if w is not None)


def lowered_actual(ind) -> Optional[tuple[str, str]]:
    """An actual that plainly misses the target, and its bucket; None when the row gives no
    way to tell which side is worse. The direction comes from the printed comparator, else
    from the gold category (a cost missed from above, anything else from below); dates are made
    two months late, grades one band lower, answers the opposite."""
    p = ind.parsed
    if p is None or p.placeholder:
        return None
    if p.kind == "grade":
        for scale in S.lexicon("grades", "scales"):
            if p.grade in scale and scale.index(p.grade) + 1 < len(scale):
                return scale[scale.index(p.grade) + 1], "grade/answer"
        return None
    if p.kind == "binary":
        for pair in S.lexicon("binary", "opposites"):
            if p.binary in pair:
                return pair[1 - pair.index(p.binary)], "grade/answer"
        return None
    if p.dates and p.kind == "date" and p.dates[-1].month and p.dates[-1].valid:
        d = p.dates[-1]
        month = d.month + 2
        year = d.year
        if month > 12:
            if year is None:
                return None
            year, month = year + 1, month - 12
        return (f"{year}年{month}月" if year else f"{month}月"), "date"
    if p.kind != "quantity" or p.number is None or len(p.numbers) > 1 or F.is_time_like(ind):
        return None
    unit = p.unit or ""
    if p.comparator in ("≥", ">"):
        low, bucket = True, "explicit ≥/≤"
    elif p.comparator in ("≤", "<"):
        low, bucket = False, "explicit ≥/≤"
    elif "成本" in {ind.declared_level1 or "", ind.declared_level2 or ""} or p.number == 0:
        low, bucket = False, "no comparator: gold category"
    else:
        low, bucket = True, "no comparator: gold category"
    number = p.number * 0.5 if low else (p.number * 2 if p.number else 3)
    if unit == "%" and number > 100:
        return None
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}", bucket


def plant_rows(reports: list[tuple[str, FileReport]], show: bool, title: str,
               accepted: Optional[dict[str, list[dict]]] = None) -> None:
    """Run the unaltered reports (list their KPI8 findings), then every plant one at a time."""
    tally = Tally.new()
    alarms = accepted_count = 0
    for doc, report in reports:
        before = run_rules(copy.deepcopy(report), KPI8)
        for f in before:
            ok = accepted is not None and any(matches(f, e, report) for e in accepted.get(doc, []))
            accepted_count += ok
            alarms += not ok
            if show or not ok:
                print(f"    {doc} unaltered: {'accepted' if ok else 'FALSE ALARM'} {f.code} {f.message}")
        for plant, edit in row_plants(report):
            planted = copy.deepcopy(report)
            edit(planted)
            tally.add(plant, before, run_rules(planted, KPI8), doc)
    print(f"  {title}: {len(reports)} documents, {sum(len(r.indicators) for _, r in reports)} rows; "
          f"KPI8 findings on the unaltered documents: {accepted_count + alarms}"
          + (f" ({accepted_count} a reviewer accepts, {alarms} false alarms)" if accepted is not None
             else " (any would be a false alarm: the rows are consistent by construction)"))
    tally.print(title, show)


# ====================================================================== 2. through the document text


def plant_in_documents(corpus: Path, ids: list[str], show: bool) -> None:
    print("== 2. planted into the real documents (edit the text at the field's position, check again)")
    tally = Tally.new()
    unaltered = unplaceable = 0
    for doc in ids:
        text = (corpus / f"{doc}.txt").read_text(encoding="utf-8")
        base = api.check_text(text, path=f"{doc}.txt", config=KPI8).files[0]
        unaltered += len(base.findings)
        for f in base.findings:
            print(f"    {doc} unaltered: {f.code} {f.severity} {f.pos.label()} {f.message}  <- a reviewer must accept this")
        extracted = api.extract_text(text, path=f"{doc}.txt").files[0]
        for plant, spot in text_plants(extracted):
            edited = _edit_text(text, *spot)
            if edited is None:
                unplaceable += 1
                continue
            after = api.check_text(edited, path=f"{doc}.txt", config=KPI8).files[0]
            tally.add(plant, base.findings, after.findings, doc)
    print(f"  documents: {len(ids)}; KPI8 findings on the unaltered documents: {unaltered}; "
          f"plants whose field has no position in the text: {unplaceable}")
    tally.print("through the text", show)


def text_plants(report: FileReport) -> Iterable[tuple[Plant, tuple[Any, str, str]]]:
    """Each plant as (position, printed text, new text) for the fields the parser placed."""
    for ind in report.indicators:
        weight, score = S.weight_of(ind), S.score_of(ind)
        if weight is not None and score is not None and "score" in ind.positions:
            new = _raise(weight, max(2.0, round(weight.value * 0.2)))
            yield Plant("score>weight", ind.name, spot=ind.id), (ind.positions["score"], ind.score or "", new)
        if weight is not None and score is not None and S.same(score, weight) and "actual" in ind.positions:
            lowered = lowered_actual(ind)
            if lowered is not None:
                yield Plant("actual<target", ind.name, lowered[1], ind.id), \
                    (ind.positions["actual"], ind.actual or "", lowered[0])
        if weight is not None and "weight" in ind.positions and _sum_is_checkable(report, ind):
            yield Plant("weight sum", ind.name, spot=ind.id), (ind.positions["weight"], ind.weight or "", _raise(weight, 3))
    for project in report.projects:
        for r_index, row in enumerate(project.funds.rows if project.funds else []):
            rate = S.figure(row.rate)
            if rate is not None and "rate" in row.positions and S.computed_rates(row):
                yield Plant("execution rate", f"{project.name} {row.label}", spot=f"funds[{r_index}].rate"), \
                    (row.positions["rate"], row.rate or "", _altered(rate))


def _edit_text(text: str, pos, printed: str, new: str) -> Optional[str]:
    """The text with `printed` at line:column replaced by `new`; None when it is not there."""
    if pos.line is None or not printed:
        return None
    lines = text.split("\n")
    if not 1 <= pos.line <= len(lines):
        return None
    line = lines[pos.line - 1]
    col = (pos.column or 1) - 1
    if line[col:col + len(printed)] != printed:
        return None
    lines[pos.line - 1] = line[:col] + new + line[col + len(printed):]
    return "\n".join(lines)


# ====================================================================== 3b. synthetic rows from gold


def synthetic_report(gold: dict) -> Optional[FileReport]:
    """A consistent self-evaluation built from a gold document's targets: each target met by
    its actual, 90 points shared by the indicators (a printed subtotal per 一级 and a total of
    100), full scores, and a funds block executed at 95% scored in proportion."""
    rows = [g for g in gold.get("indicators", []) if (g.get("value") or "").strip()]
    rows = [(g, meeting_actual(g)) for g in rows]
    rows = [(g, a) for g, a in rows if a is not None]
    if not rows:
        return None
    by_project: dict[str, list] = defaultdict(list)
    for g, a in rows:
        by_project[g.get("project") or ""].append((g, a))
    projects, indicators = [], []
    for name, members in by_project.items():
        share, extra = divmod(90, len(members)) if len(members) <= 90 else (0, 0)
        if share == 0:
            continue
        weights = [share + (1 if k < extra else 0) for k in range(len(members))]
        subtotals = Counter()  # per block (period) and 一级, as a table prints them
        for (g, _), w in zip(members, weights):
            subtotals[(g.get("period") or "annual", g.get("declared_l1") or "产出")] += w
        for (g, actual), w in zip(members, weights):
            l1 = g.get("declared_l1") or "产出"
            subtotal = subtotals[(g.get("period") or "annual", l1)]
            indicators.append({
                "project": name, "name": g.get("name") or "", "value": g["value"], "actual": actual,
                "weight": str(w), "score": str(w), "deviation_reason": "",
                "declared_level1": g.get("declared_l1"), "declared_level2": g.get("declared_l2"),
                "declared_level1_raw": f"{l1}指标({subtotal}分)", "period": g.get("period") or "annual"})
        budget = next((p.get("budget_wan") for p in gold.get("projects", []) if p.get("name") == name), None) or 100.0
        executed = round(budget * 0.95, 2)
        rate = executed / budget * 100
        projects.append({"name": name, "total_weight": "100", "total_score": f"{90 + round(rate / 10, 2):.2f}",
                         "funds": {"unit": "万元", "rows": [
                             {"label": "年度资金总额", "initial": f"{budget:.2f}", "adjusted": f"{budget:.2f}",
                              "executed": f"{executed:.2f}", "rate": f"{rate:.2f}%", "weight": "10",
                              "score": f"{rate / 10:.2f}"},
                             {"label": "其中：财政拨款", "initial": f"{budget:.2f}", "adjusted": f"{budget:.2f}",
                              "executed": f"{executed:.2f}", "rate": f"{rate:.2f}%"}]}})
    report = api.check_indicators(indicators, projects=projects, budget_year=gold.get("budget_year"),
                                  config={"select": ["KPI8"]}, path=gold.get("doc", "")).files[0]
    report.findings = []
    report.truncated = False
    return report


def meeting_actual(g: dict) -> Optional[str]:
    """An actual that meets the gold target, printed as a self-evaluation prints one."""
    p = parse_value(g["value"])
    if p.placeholder or p.kind in ("empty", "placeholder"):
        return None
    if p.kind == "range" and p.low is not None:
        return f"{p.low:g}{p.unit or ''}"
    if p.kind == "quantity" and p.number is not None and not p.dates:
        number = p.number + (1 if p.comparator == ">" else -1 if p.comparator == "<" and p.number >= 1 else 0)
        return f"{number:g}{p.unit or ''}"
    if p.kind == "date" and p.dates and p.dates[-1].month:
        d = p.dates[-1]
        return (f"{d.year}年" if d.year else "") + f"{d.month}月" + (f"{d.day}日" if d.day else "")
    return g["value"]  # grades, answers, words: the target restated


def synthetic_reports(gold_dirs: list[Path], ids: Optional[set[str]]) -> list[tuple[str, FileReport]]:
    out = []
    for gold_dir in gold_dirs:
        for path in sorted(gold_dir.glob("*.json")):
            if path.stem in SET_ASIDE or (ids is not None and path.stem not in ids):
                continue
            report = synthetic_report(json.loads(path.read_text(encoding="utf-8")))
            if report is not None:
                out.append((path.stem, report))
    return out


# ====================================================================== main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--gold", type=Path, default=SHARED / "gold" / "corpus")
    ap.add_argument("--all-gold", action="store_true",
                    help="synthetic rows from every gold document not set aside (seeds and corpus), not only the self-evaluations")
    ap.add_argument("--show", action="store_true", help="list every finding on the unaltered rows and every plant not caught")
    args = ap.parse_args()
    ids = self_evaluation_ids(args.corpus)
    print(f"self-evaluation documents (set-aside ones left out): {' '.join(ids)}\n")
    reading(args.corpus, ids)
    print()
    plant_in_documents(args.corpus, ids, args.show)
    print()
    print("== 3. planted into indicator lists (check_indicators, no parser involved)")
    transcribed = [(d["doc"], report_of(d)) for d in transcribed_documents() if d["doc"] not in SET_ASIDE]
    accepted = {d["doc"]: d["expected"] for d in transcribed_documents()}
    plant_rows(transcribed, args.show, "transcribed real rows", accepted)
    gold_dirs = [args.gold, SHARED / "gold" / "seeds"] if args.all_gold else [args.gold]
    synthetic = synthetic_reports(gold_dirs, None if args.all_gold else set(ids))
    plant_rows(synthetic, args.show, "synthetic rows from gold targets" + (" (all gold)" if args.all_gold else ""))


if __name__ == "__main__":
    main()
