#!/usr/bin/env python3
"""Evaluate the rules alone, on gold indicators (no reading or segmentation involved).

For each gold document a FileReport is built straight from its gold indicators and projects,
then run through parse → classify (`pipeline.understand`) → rules (`rules.run_rules`), and the
findings are scored against the gold defects with the matching of ../shared/eval/score.py.

Usage:  .venv/bin/python benchmarks/rules_eval.py [GOLD_DIR ...] [--family KPI3] [--show] [--e2e]
                                                 [--set seeds|old|new] [--set-aside]
Default: three sets scored separately, so that fit and generalisation can be told apart: the
seeds (/work/shared/gold/seeds), the old corpus (h001-h038) and the new development documents
(h040 onwards less the nine set aside). The set-aside documents (SET_ASIDE below) are never read
unless --set-aside is given: they are scored once, at the end, by the lead.
A GOLD_DIR given on the command line is scored whole, as one set.
Prints, per set: error_recall, warning_recall, finding_precision overall and per family;
with --show, the missed gold defects and the false alarms. With --e2e the same figures are
computed on kpicheck's full reading of the documents (`kpicheck check --format json`).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, "/work/shared/eval")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from score import family, indicator_score, score_doc  # noqa: E402

from kpicheck.config import Config  # noqa: E402
from kpicheck.models import FileReport, Indicator, Project  # noqa: E402
from kpicheck.pipeline import understand  # noqa: E402
from kpicheck.rules import run_rules  # noqa: E402

DOCS = {"/work/shared/gold/seeds": Path("/work/shared/seeds"), "/work/shared/gold/corpus": Path("/work/shared/corpus")}
FAMILIES = ["KPI1", "KPI2", "KPI3", "KPI4", "KPI5", "KPI6", "KPI7", "KPI8"]
# Kept to measure honestly how kpicheck does on documents nobody tuned on (benchmarks/README.md,
# "First look"): never read unless asked for with --set-aside.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())
CORPUS = Path("/work/shared/gold/corpus")
SEEDS = Path("/work/shared/gold/seeds")


def _number(stem: str) -> int:
    digits = "".join(ch for ch in stem if ch.isdigit())
    return int(digits) if digits else -1


# name -> (gold dir, which documents of it)
NAMED_SETS = {
    "seeds": (SEEDS, lambda stem: True),
    "old": (CORPUS, lambda stem: _number(stem) < 40 and stem not in SET_ASIDE),
    "new": (CORPUS, lambda stem: _number(stem) >= 40 and stem not in SET_ASIDE),
    "set-aside": (CORPUS, lambda stem: stem in SET_ASIDE),
}


def report_from_gold(gold: dict) -> FileReport:
    indicators = []
    for i, g in enumerate(gold.get("indicators", []), 1):
        indicators.append(Indicator(
            id=f"i{i}",
            project=g.get("project"),
            period=g.get("period") or "annual",
            declared_level1_raw=g.get("declared_l1"),
            declared_level2_raw=g.get("declared_l2"),
            declared_level1=g.get("declared_l1"),
            declared_level2=g.get("declared_l2"),
            name=g.get("name") or "",
            value=g.get("value") or "",
            line=i,
        ))
    projects = [Project(name=p["name"], budget_wan=p.get("budget_wan"), budget_year=gold.get("budget_year"))
                for p in gold.get("projects", [])]
    understand(indicators)
    return FileReport(path=gold.get("doc", ""), budget_year=gold.get("budget_year"),
                      truncated=gold.get("truncated"), projects=projects, indicators=indicators)


def result_dict(report: FileReport) -> dict:
    return json.loads(report.model_dump_json())


def is_true(finding: dict, gold: dict, ind: dict | None) -> bool:
    """score.py's notion of a true positive, for listing the false alarms."""
    for d in gold.get("defects", []):
        if family(finding.get("code")) != (d.get("family") or "")[:4].upper():
            continue
        if d.get("name") is None and d.get("value") is None:
            if ind is None:
                return True
            continue
        if ind is not None and indicator_score(d, ind) >= 0.7:
            return True
    return False


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def e2e_results(gold_paths: list[Path], docs_dir: Path) -> dict[str, dict]:
    """kpicheck's own reading of each document (read → segment → … → rules), by document stem."""
    import subprocess

    paths = [str(docs_dir / f"{p.stem}.txt") for p in gold_paths
             if (docs_dir / f"{p.stem}.txt").exists()]
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([str(root / ".venv/bin/kpicheck"), "check", "--format", "json", *paths],
                         capture_output=True, text=True).stdout
    return {Path(f["path"]).stem: f for f in json.loads(out).get("files", [])}


def evaluate(gold_dir: Path, families: list[str], show: bool, config: Config,
             docs_dir: Path | None = None, keep=lambda stem: True, label: str = "") -> dict:
    per_fam = {f: {"error": [0, 0], "warning": [0, 0], "findings": 0, "true": 0} for f in FAMILIES}
    total = {"error": [0, 0], "warning": [0, 0], "findings": 0, "true": 0}
    misses, false_alarms = [], []
    gold_paths = [p for p in sorted(gold_dir.glob("*.json")) if keep(p.stem)]
    e2e = e2e_results(gold_paths, docs_dir) if docs_dir else None
    for path in gold_paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        if e2e is not None:
            if path.stem not in e2e:
                continue
            result = e2e[path.stem]
        else:
            report = report_from_gold(gold)
            report.findings = run_rules(report, config)
            result = result_dict(report)
        by_id = {p["id"]: p for p in result["indicators"]}
        for fam in FAMILIES:
            sub_gold = {**gold, "defects": [d for d in gold.get("defects", [])
                                            if (d.get("family") or "")[:4].upper() == fam]}
            sub_res = {**result, "findings": [f for f in result["findings"] if family(f["code"]) == fam]}
            s = score_doc(sub_gold, sub_res)
            acc = per_fam[fam]
            for k in ("error", "warning"):
                acc[k][0] += s[k][0]
                acc[k][1] += s[k][1]
                total[k][0] += s[k][0]
                total[k][1] += s[k][1]
            acc["findings"] += s["findings"]
            acc["true"] += s["true_findings"]
            total["findings"] += s["findings"]
            total["true"] += s["true_findings"]
            if fam in families:
                misses += [(path.stem, d) for d in s["misses"]]
        for f in result["findings"]:
            if family(f["code"]) not in families or f["severity"] not in ("error", "warning"):
                continue
            ind = by_id.get(f.get("indicator_id")) or f.get("indicator")
            if not is_true(f, gold, ind):
                false_alarms.append((path.stem, f))
    print(f"== {label or gold_dir} ({len(gold_paths)} documents)" + (f" (end to end on {docs_dir})" if docs_dir else " (gold indicators)"))
    print(f"  all   error_recall={ratio(*total['error']):.3f} ({total['error'][0]}/{total['error'][1]}) "
          f"warning_recall={ratio(*total['warning']):.3f} ({total['warning'][0]}/{total['warning'][1]}) "
          f"finding_precision={ratio(total['true'], total['findings']):.3f} ({total['true']}/{total['findings']})")
    for fam, acc in per_fam.items():
        print(f"  {fam}  error_recall={ratio(*acc['error']):.3f} ({acc['error'][0]}/{acc['error'][1]}) "
              f"warning_recall={ratio(*acc['warning']):.3f} ({acc['warning'][0]}/{acc['warning'][1]}) "
              f"finding_precision={ratio(acc['true'], acc['findings']):.3f} ({acc['true']}/{acc['findings']})")
    if show:
        for stem, d in misses:
            print(f"    miss  {stem} {d.get('family')} {d.get('severity')}: {d.get('name')} | {d.get('value')} | {d.get('what')}")
        for stem, f in false_alarms:
            ind = f.get("indicator") or {}
            print(f"    false {stem} {f['code']} {f['severity']}: {ind.get('name')} | {ind.get('value')} | {f['message']}")
    return {"total": total, "per_family": per_fam}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dirs", nargs="*", type=Path)
    ap.add_argument("--family", action="append", help="only show misses/false alarms of these (e.g. KPI3)")
    ap.add_argument("--show", action="store_true", help="list misses and false alarms")
    ap.add_argument("--set", action="append", choices=["seeds", "old", "new"],
                    help="only these of the default sets (repeatable)")
    ap.add_argument("--set-aside", action="store_true",
                    help="score the set-aside documents too (only at the end, by the lead)")
    ap.add_argument("--e2e", action="store_true",
                    help="score kpicheck's own end-to-end reading of the documents instead (per family)")
    ap.add_argument("--docs", type=Path,
                    help="with --e2e and a GOLD_DIR: where the documents are (default: beside the gold)")
    args = ap.parse_args()
    families = [f.upper() for f in args.family] if args.family else FAMILIES
    config = Config()
    if args.gold_dirs:
        runs = [(str(d), d, lambda stem: True) for d in args.gold_dirs]
    else:
        names = args.set or ["seeds", "old", "new"]
        if args.set_aside:
            names = [*names, "set-aside"]
        runs = [(name, *NAMED_SETS[name]) for name in names]
    for label, gold_dir, keep in runs:
        docs = (args.docs or DOCS.get(str(gold_dir).rstrip("/"), gold_dir)) if args.e2e else None
        evaluate(gold_dir, families, args.show, config, docs, keep, label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
