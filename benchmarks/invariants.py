#!/usr/bin/env python3
"""Label-free invariants of extraction, over any directory of real documents (no gold needed).

    .venv/bin/python benchmarks/invariants.py                       # collected + corpus + seeds
    .venv/bin/python benchmarks/invariants.py benchmarks/collected  # one directory (or files)
    .venv/bin/python benchmarks/invariants.py --json out.json --worst 15

Four checks, each true of a correct reader whatever the document says (issue 15, point 3):

(a) no silent pass: a document that shows performance-table signals (header words, category
    labels, value-like cells, counted with the package's own lexicons) yields indicators or a
    KPI100 finding ("未能完整识别绩效指标表"). Until KPI100 exists, the documents that would
    need it are listed.
(b) clean names: no extracted indicator name is empty, a header word, a category label, a
    total, a signature or approval line, a date, a page marker or a bare value.
(c) weights add up: where the table prints weights (分值/权重, `Indicator.weight`) and a
    total (合计/总分, or a printed subtotal such as 产出指标(50分)), the extracted weights sum
    as printed. Skipped when no weight was extracted.
(d) stability: the set of (name, value) pairs barely changes when the spaces inside lines are
    removed, when pairs of lines are joined, or when long lines are split at a space. The
    overlap (Jaccard) with the original extraction is reported per perturbation.

Figures are printed per document and summed up; the worst documents are listed with the
reason. Deterministic, no network; the set-aside corpus documents are never read.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS, REPO  # noqa: E402

from kpicheck import lexicons  # noqa: E402
from kpicheck.api import check_text, extract_text  # noqa: E402
from kpicheck.segment.labels import leading_labels, normalize, simplify  # noqa: E402

# Kept to measure honestly how kpicheck does on documents nobody tuned on (benchmarks/README.md):
# never opened here, whatever directory is given.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())
DEFAULT_COLLECTED = REPO / "benchmarks" / "collected"
KPI_UNREADABLE = "KPI100"
PERTURBATIONS = ("nospace", "join", "split")
SPLIT_AT = 30  # a line longer than this is split at the space nearest its middle
_TOLERANCE = 0.5  # weights are printed to one decimal at most

_WS = re.compile(r"[\s\u3000]+")
_NAME_NOISE = re.compile(r"[\s\u3000|｜★☆*]+")
_EDGE_PUNCT = ":：,，。;；"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


# ---------------------------------------------------------------------- signals (lexicons)


@lru_cache(maxsize=1)
def _header_words() -> Optional[re.Pattern]:
    """The headings the header lexicon finds inside run-together text (`[glued]` of
    lexicons/headers.toml: 一级指标二级指标三级指标指标值)."""
    from kpicheck import lexicons

    words = lexicons.load("headers").get("glued", {}).get("words", [])
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _header_cells() -> Optional[re.Pattern]:
    """The header lexicon (lexicons/headers.toml), when the package ships one: a cell is a
    heading when its folded text fully matches one of the roles' patterns."""
    if "headers" not in lexicons.available():
        return None
    roles = lexicons.load("headers").get("roles", {})
    pats = [p for ps in roles.values() if isinstance(ps, list) for p in ps]
    return re.compile("|".join(f"(?:{p})" for p in pats)) if pats else None


_CELL_EDGE = re.compile(r"[|｜\t\n]+| {2,}|\u3000+")


def _is_heading_cell(cell: str) -> bool:
    pattern = _header_cells()
    folded = normalize(cell)
    return bool(pattern and folded and pattern.fullmatch(folded))


@lru_cache(maxsize=1)
def _label_words() -> re.Pattern:
    """A category label as the label lexicon writes one: a stem and its suffix (产出指标, 效果目标),
    or a stem long enough to stand bare (服务对象满意度)."""
    data = lexicons.load("labels")
    stems = sorted(set(data.get("level1", {})) | set(data.get("level2", {})), key=len, reverse=True)
    suffixes = sorted(data.get("suffixes", []), key=len, reverse=True)
    bare = sorted(data.get("bare_ok", []), key=len, reverse=True)
    alt = "|".join(map(re.escape, stems))
    suf = "|".join(map(re.escape, suffixes))
    return re.compile(rf"(?:{alt})(?:{suf})|" + "|".join(map(re.escape, bare)))


@lru_cache(maxsize=1)
def _value_like() -> re.Pattern:
    """A value-like cell: a comparator before a number, or a number before a unit, with the
    comparators and units of the value parser's lexicons."""
    comparators = lexicons.load("comparators")
    symbols = set(comparators.get("symbols", {})) | set(comparators.get("prefix", {}))
    units = set()
    for table in lexicons.load("units").values():
        if isinstance(table, dict):
            units |= {u for u in table if u != "万"}  # a bare 万 is a magnitude, not a unit
    sym = "|".join(sorted(map(re.escape, symbols), key=len, reverse=True))
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    gap = r"[\s|｜]{0,4}"  # a cell edge may stand between them (≥ | 95 | %)
    return re.compile(rf"(?:{sym}){gap}\d|(?<![\d.])\d+(?:\.\d+)?{gap}(?:万|亿)?(?:{unit})")


_YEAR = re.compile(r"(?:19|20)\d\d\s*年")  # a year in a title or a date is no value cell


@dataclass
class Signals:
    header: int = 0  # header-word occurrences
    labels: int = 0  # category-label occurrences
    values: int = 0  # value-like cells

    @property
    def table(self) -> bool:
        """Enough to expect indicators: values together with labels or with a header."""
        return self.values >= 2 and (self.labels >= 2 or self.header >= 2)


def table_signals(text: str) -> Signals:
    folded = _WS.sub("", simplify(text))
    words = _header_words()
    in_text = len(words.findall(folded)) if words else 0
    in_cells = sum(map(_is_heading_cell, _CELL_EDGE.split(text))) if _header_cells() else 0
    return Signals(header=max(in_text, in_cells),
                   labels=len(_label_words().findall(folded)),
                   values=sum(not _YEAR.fullmatch(m.group()) for m in _value_like().finditer(simplify(text))))


# ---------------------------------------------------------------------- (b) names


@lru_cache(maxsize=1)
def _junk() -> dict[str, re.Pattern]:
    data = tomllib.loads(Path(__file__).with_name("invariants.toml").read_text(encoding="utf-8"))
    return {kind: re.compile("|".join(f"(?:{p})" for p in pats)) for kind, pats in data["junk"].items()}


def _name_form(name: str) -> str:
    t = _NAME_NOISE.sub("", simplify(name or "")).strip(_EDGE_PUNCT)
    core = t.strip("….")  # ……总分: leading filler, unless the filler is all there is
    return core if core else t


@lru_cache(maxsize=1)
def _bare_values() -> re.Pattern:
    """A name made only of values (75元75元, ≥90%, 0): numbers with the parser's units."""
    units = set()
    for table in lexicons.load("units").values():
        if isinstance(table, dict):
            units |= set(table)
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    return re.compile(rf"(?:[≥≤><=≧≦]?\d+(?:\.\d+)?(?:万|亿)?(?:{unit})?)+")


def junk_kind(name: str) -> Optional[str]:
    """Why a name cannot be an indicator name ('empty', 'header', 'label', 'total', 'signature',
    'date', 'page', 'value'), or None when it may be one."""
    t = _name_form(name)
    if not t:
        return "empty"
    words = _header_words()
    if words and words.search(t) and not re.sub(r"[()（）:：/、]", "", words.sub("", t)):
        return "header"  # nothing but header words (指标值, 一级指标/二级指标)
    if _is_heading_cell(name):
        return "header"  # a heading of the header lexicon (分值, 实际完成值, 偏差原因分析…)
    labels, rest = leading_labels(t)
    if labels and not rest.strip():
        return "label"  # 产出指标, 产出指标数量指标: stem and suffix (a bare 服务对象满意度 may be a measure)
    for kind, pattern in _junk().items():
        if pattern.fullmatch(t):
            return kind
    if _bare_values().fullmatch(t):
        return "value"
    return None


# ---------------------------------------------------------------------- (c) weights


def _number(text: Optional[str]) -> Optional[float]:
    m = _NUMBER.search(text or "")
    return float(m.group()) if m else None


# A printed total of the weights; 自评总分/得分合计 are totals of the scores, not of the weights.
_PRINTED_TOTAL = re.compile(r"(?:合\s*计|(?<![评得])总\s*分|总\s*计)[^\d\n]{0,12}?(\d+(?:\.\d+)?)")
_SUBTOTAL = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


@dataclass
class WeightCheck:
    status: str  # "ok", "mismatch", "no-weights", "no-total"
    detail: str = ""


def check_weights(report, text: str) -> WeightCheck:
    """Extracted weights against the printed total of each project and each printed subtotal."""
    inds = report.indicators
    if not any(_number(i.weight) is not None for i in inds):
        return WeightCheck("no-weights")
    groups: dict[Optional[str], list] = {}
    for ind in inds:
        groups.setdefault(ind.project, []).append(ind)
    printed = {p.name: _number(p.total_weight) for p in report.projects if p.total_weight}
    funds = {p.name: _number(p.funds.rows[0].weight) for p in report.projects
             if p.funds and p.funds.rows and p.funds.rows[0].weight}
    in_text = [float(m.group(1)) for m in _PRINTED_TOTAL.finditer(text)]
    problems, checked = [], 0
    for n, (project, members) in enumerate(groups.items()):
        total = printed.get(project)
        if total is None and len(in_text) == len(groups):
            total = in_text[n]  # one printed total per table, in document order
        got = sum(w for w in (_number(i.weight) for i in members) if w is not None)
        if total is not None:
            checked += 1
            extra = funds.get(project) or 0.0  # 预算执行率 10分 sits in the funds block
            if min(abs(got - total), abs(got + extra - total)) > _TOLERANCE:
                problems.append(f"{project or '-'}: weights sum {got:g}, printed total {total:g}")
        by_l1: dict[str, list] = {}
        for ind in members:
            m = _SUBTOTAL.search(ind.declared_level1_raw or "")
            if m:
                by_l1.setdefault(m.group(1), []).append(ind)
        for sub, rows in by_l1.items():
            weights = [w for w in (_number(i.weight) for i in rows) if w is not None]
            if not weights:
                continue  # no weight read under this subtotal (a cut-off document): nothing to add up
            checked += 1
            s = sum(weights)
            if abs(s - float(sub)) > _TOLERANCE:
                problems.append(f"{rows[0].declared_level1_raw}: weights sum {s:g}")
    if not checked:
        return WeightCheck("no-total")
    return WeightCheck("mismatch", "; ".join(problems)) if problems else WeightCheck("ok")


# ---------------------------------------------------------------------- (d) stability


def perturb(text: str, kind: str) -> str:
    """The same document with spaces removed inside lines ("nospace"), pairs of lines joined by
    a space ("join"), or lines longer than SPLIT_AT split at the space nearest their middle
    ("split"). Line breaks are kept by "nospace"; nothing but whitespace changes anywhere."""
    lines = text.split("\n")
    if kind == "nospace":
        return "\n".join(re.sub(r"[ \u3000\t]+", "", line) for line in lines)
    if kind == "join":
        return "\n".join(" ".join(lines[i:i + 2]) for i in range(0, len(lines), 2))
    if kind == "split":
        out = []
        for line in lines:
            spaces = [m.start() for m in re.finditer(r" ", line.strip())]
            if len(line.strip()) > SPLIT_AT and spaces:
                body = line.strip()
                cut = min(spaces, key=lambda i: abs(i - len(body) // 2))
                out += [body[:cut], body[cut + 1:]]
            else:
                out.append(line)
        return "\n".join(out)
    raise ValueError(f"unknown perturbation {kind!r}")


def pairs(report) -> set[tuple[str, str]]:
    """(name, value) of every indicator, whitespace and `|` removed (the perturbations move
    whitespace only, so a stable reader finds the same strings)."""
    norm = lambda s: _NAME_NOISE.sub("", s or "")  # noqa: E731
    return {(norm(i.name), norm(i.value)) for i in report.indicators}


def overlap(a: set, b: set) -> Optional[float]:
    """Jaccard overlap; None when neither extraction found anything."""
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


# ---------------------------------------------------------------------- one document


@dataclass
class DocResult:
    path: str
    chars: int
    seconds: float = 0.0  # wall clock
    cpu: float = 0.0  # process CPU time (the machine is shared: less sensitive to load)
    error: Optional[str] = None
    signals: dict = field(default_factory=dict)
    has_table: bool = False
    indicators: int = 0
    kpi100: bool = False
    coverage: Optional[float] = None
    silent_pass: bool = False  # (a) table signals, no indicator, no KPI100
    bad_names: dict = field(default_factory=dict)  # (b) kind -> [names]
    weights: dict = field(default_factory=dict)  # (c)
    stability: dict = field(default_factory=dict)  # (d) perturbation -> Jaccard or None

    def reasons(self) -> list[str]:
        out = []
        if self.error:
            out.append(f"error {self.error}")
        if self.silent_pass:
            out.append(f"silent pass ({self.signals['labels']} labels, {self.signals['header']} header words, "
                       f"{self.signals['values']} values, 0 indicators, no {KPI_UNREADABLE})")
        for kind, names in self.bad_names.items():
            out.append(f"{len(names)} {kind} name(s) e.g. {names[0]!r}")
        if self.weights.get("status") == "mismatch":
            out.append(f"weights: {self.weights['detail']}")
        for kind, j in self.stability.items():
            if j is not None and j < 0.5:
                out.append(f"{kind} overlap {j:.2f}")
        return out

    def badness(self) -> float:
        bad = sum(len(v) for v in self.bad_names.values())
        unstable = sum(1 - j for j in self.stability.values() if j is not None)
        return (3.0 * self.silent_pass + (2.0 if self.error else 0.0) + bad / max(1, self.indicators)
                + (1.0 if self.weights.get("status") == "mismatch" else 0.0) + unstable)


def check_document(text: str, path: str = "<text>") -> DocResult:
    """All four invariants on one document's text."""
    start, start_cpu = time.perf_counter(), time.process_time()
    res = DocResult(path=path, chars=len(text))
    sig = table_signals(text)
    res.signals, res.has_table = asdict(sig), sig.table
    report = check_text(text, path=path).files[0]
    if report.error:
        res.error = report.error.code
    res.indicators = len(report.indicators)
    res.kpi100 = any(f.code == KPI_UNREADABLE for f in report.findings)
    res.coverage = report.coverage
    res.silent_pass = res.has_table and not res.indicators and not res.kpi100
    for ind in report.indicators:
        kind = junk_kind(ind.name)
        if kind:
            res.bad_names.setdefault(kind, []).append(ind.name)
    res.weights = asdict(check_weights(report, text))
    base = pairs(report)
    for kind in PERTURBATIONS:
        other = extract_text(perturb(text, kind), path=path).files[0]
        res.stability[kind] = overlap(base, pairs(other)) if base else None
    res.seconds = time.perf_counter() - start
    res.cpu = time.process_time() - start_cpu
    return res


# ---------------------------------------------------------------------- the run


def documents(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [DEFAULT_COLLECTED, DEFAULT_CORPUS, DEFAULT_SEEDS]
    out: list[Path] = []
    for root in roots:
        if root.is_dir():
            out += sorted(p for p in root.glob("*.txt") if p.is_file())
        elif root.is_file():
            out.append(root)
        elif args:  # a path the user named must exist
            raise FileNotFoundError(str(root))
        else:
            print(f"# note: {root} not found, skipped", file=sys.stderr)
    return [p for p in out if p.stem not in SET_ASIDE]


def summarize(results: list[DocResult]) -> dict:
    with_table = [r for r in results if r.has_table]
    bad: dict[str, int] = {}
    for r in results:
        for kind, names in r.bad_names.items():
            bad[kind] = bad.get(kind, 0) + len(names)
    weights: dict[str, int] = {}
    for r in results:
        weights[r.weights.get("status", "-")] = weights.get(r.weights.get("status", "-"), 0) + 1
    stab = {}
    for kind in PERTURBATIONS:
        vals = [r.stability[kind] for r in results if r.stability.get(kind) is not None]
        stab[kind] = {"docs": len(vals),
                      "mean": round(statistics.fmean(vals), 3) if vals else None,
                      "median": round(statistics.median(vals), 3) if vals else None,
                      "below_0.5": sum(v < 0.5 for v in vals)}
    total_inds = sum(r.indicators for r in results)
    return {
        "documents": len(results),
        "errors": sum(bool(r.error) for r in results),
        "with_table_signals": len(with_table),
        "with_indicators": sum(r.indicators > 0 for r in results),
        "silent_passes": sum(r.silent_pass for r in results),
        "with_kpi100": sum(r.kpi100 for r in results),
        "indicators": total_inds,
        "bad_names": bad,
        "bad_name_share": round(sum(bad.values()) / total_inds, 3) if total_inds else None,
        "weights": weights,
        "stability": stab,
        "seconds_max": round(max((r.seconds for r in results), default=0.0), 3),
        "seconds_total": round(sum(r.seconds for r in results), 2),
        "cpu_max": round(max((r.cpu for r in results), default=0.0), 3),
        "cpu_total": round(sum(r.cpu for r in results), 2),
    }


def _fmt(x: Optional[float]) -> str:
    return "   -" if x is None else f"{x:4.2f}"


def print_report(results: list[DocResult], summary: dict, worst: int) -> None:
    print(f"{'document':<28} {'chars':>5} {'H':>3} {'L':>3} {'V':>3} tbl {'inds':>4} k100 silent "
          f"{'bad':>3} {'weights':<10} " + " ".join(f"{k:>7}" for k in PERTURBATIONS) + "   cpu s")
    for r in results:
        bad = sum(len(v) for v in r.bad_names.values())
        print(f"{Path(r.path).name[:28]:<28} {r.chars:>5} {r.signals['header']:>3} {r.signals['labels']:>3} "
              f"{r.signals['values']:>3} {'yes' if r.has_table else ' no'} {r.indicators:>4} "
              f"{'yes ' if r.kpi100 else ' no '} {'SILENT' if r.silent_pass else '     -'} {bad:>3} "
              f"{r.weights.get('status', '-'):<10} "
              + " ".join(f"{_fmt(r.stability.get(k)):>7}" for k in PERTURBATIONS) + f" {r.cpu:7.2f}")
    s = summary
    print()
    print(f"documents {s['documents']} (errors {s['errors']}), with table signals {s['with_table_signals']}, "
          f"with indicators {s['with_indicators']}, indicators {s['indicators']}")
    print(f"(a) silent passes (signals, no indicator, no {KPI_UNREADABLE}): {s['silent_passes']}; "
          f"documents with {KPI_UNREADABLE}: {s['with_kpi100']}")
    print(f"(b) bad names: {sum(s['bad_names'].values())} of {s['indicators']} "
          f"({s['bad_name_share']}) {json.dumps(s['bad_names'], ensure_ascii=False)}")
    print(f"(c) weights: {json.dumps(s['weights'])}")
    for kind, st in s["stability"].items():
        print(f"(d) {kind:<8} overlap over {st['docs']} docs: mean {st['mean']}, median {st['median']}, "
              f"below 0.5: {st['below_0.5']}")
    print(f"time: {s['cpu_total']} s CPU in all, slowest document {s['cpu_max']} s CPU "
          f"(wall {s['seconds_total']} s, slowest {s['seconds_max']} s)")
    ranked = sorted((r for r in results if r.reasons()), key=lambda r: (-r.badness(), r.path))[:worst]
    if ranked:
        print(f"\nworst {len(ranked)} documents:")
        for r in ranked:
            print(f"  {Path(r.path).name}: " + "; ".join(r.reasons()))


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="directories of .txt documents or files "
                    "(default: benchmarks/collected, ../shared/corpus, seeds)")
    ap.add_argument("--json", metavar="FILE", help="write per-document results and the summary as JSON")
    ap.add_argument("--worst", type=int, default=10, help="how many of the worst documents to list")
    args = ap.parse_args(argv)
    try:
        docs = documents(args.paths)
    except FileNotFoundError as exc:
        print(f"invariants: no such file or directory: {exc}", file=sys.stderr)
        return 2
    if not docs:
        print("invariants: no .txt documents found", file=sys.stderr)
        return 2
    results = [check_document(p.read_text(encoding="utf-8", errors="replace"), str(p)) for p in docs]
    summary = summarize(results)
    print_report(results, summary, args.worst)
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "documents": [asdict(r) for r in results]},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
