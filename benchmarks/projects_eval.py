"""Projects and budgets found by segmentation against the gold annotations.

Prints, per document, the gold projects (name, 万元) beside what kpicheck found, and a total:
projects matched by name, and budgets equal (within 0.5%) on matched projects. Not a test.

    python benchmarks/projects_eval.py [--gold ../shared/gold/corpus --docs ../shared/corpus]
"""
from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path

from kpicheck.api import extract_file


def _similar(a: str, b: str) -> float:
    return 1.0 if a in b or b in a else difflib.SequenceMatcher(None, a, b).ratio()


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, action="append")
    ap.add_argument("--docs", type=Path, action="append")
    args = ap.parse_args()
    golds = args.gold or [here.parent / "shared/gold/seeds", here.parent / "shared/gold/corpus"]
    docs = args.docs or [here / "seeds", here.parent / "shared/corpus"]
    named = budgets = total = with_budget = 0
    for gold_dir, doc_dir in zip(golds, docs):
        for gold_path in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            doc = next(doc_dir.glob(gold_path.stem + ".*"), None)
            if doc is None:
                continue
            found = extract_file(doc).files[0].projects
            print(f"{gold_path.stem}")
            for g in gold["projects"]:
                total += 1
                best = max(found, key=lambda p: _similar(g["name"], p.name), default=None)
                ok_name = best is not None and _similar(g["name"], best.name) >= 0.6
                named += ok_name
                want = g.get("budget_wan")
                got = best.budget_wan if ok_name else None
                if want:
                    with_budget += 1
                ok_budget = bool(want and got and abs(want - got) <= 0.005 * want + 0.01)
                budgets += ok_budget
                mark = "ok " if ok_name and (ok_budget or not want) else "   "
                print(f"  {mark} {g['name'][:30]:32} {want!s:>10} | "
                      f"{(best.name[:30] if ok_name else '-'):32} {got!s:>10} {best.other_budgets_wan if ok_name else ''}")
    print(f"projects named {named}/{total}; budgets right {budgets}/{with_budget}")


if __name__ == "__main__":
    main()
