"""Evaluate the classifier directly on the gold indicators (no reading or segmentation).

For each gold indicator (name, value, declared_l1/l2) run `classify_text` and compare with the
gold `l1` / `l2` lists (either answer counts when two are given). Prints accuracy per set, the
misses, and the timing of the first and later calls.

    .venv/bin/python benchmarks/classify_eval.py [--gold /work/shared/gold] [--show-misses]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

GOLD = Path("/work/shared/gold")
# The corpus documents kept aside to measure what nobody tuned on: never read here unless asked
# (`--set-aside`), as in rules_eval.py.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())


def load(set_dir: Path, set_aside: bool = False) -> list[dict]:
    rows = []
    for path in sorted(set_dir.glob("*.json")):
        if path.stem in SET_ASIDE and not set_aside:
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        for ind in doc.get("indicators", []):
            rows.append({**ind, "doc": doc.get("doc", path.stem)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--sets", nargs="*", default=["seeds", "corpus"])
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--parse", action="store_true", help="fill `parsed` with kpicheck.values first")
    ap.add_argument("--set-aside", action="store_true",
                    help="read the set-aside documents too (only at the end, by the lead)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from kpicheck.classify import classify_text
    t_import = time.perf_counter() - t0
    parse = None
    if args.parse:
        from kpicheck.values import parse_value as parse

    first_call = None
    ok_all = True
    total_time, total_n = 0.0, 0
    for name in args.sets:
        rows = load(args.gold / name, args.set_aside)
        l1_ok = l2_ok = 0
        misses = []
        for row in rows:
            t = time.perf_counter()
            parsed = parse(row.get("value") or "") if parse else None
            result = classify_text(row["name"], row.get("value") or "", parsed,
                                   row.get("declared_l1"), row.get("declared_l2"))
            dt = time.perf_counter() - t
            if first_call is None:
                first_call = dt
            else:
                total_time += dt
                total_n += 1
            good1 = result.category in (row.get("l1") or [])
            good2 = result.subcategory in (row.get("l2") or [])
            l1_ok += good1
            l2_ok += good2
            if not good1 or (args.show_misses and not good2):
                misses.append((good1, row, result))
        n = len(rows) or 1
        acc = l1_ok / n
        ok_all &= acc >= 0.95
        print(f"{name}: category_accuracy={acc:.3f} ({l1_ok}/{len(rows)})  "
              f"subcategory_accuracy={l2_ok / n:.3f} ({l2_ok}/{len(rows)})")
        for good1, row, r in misses:
            if good1 and not args.show_misses:
                continue
            tag = "L2" if good1 else "L1"
            print(f"  {tag} {row['doc'][:12]:12s} {row.get('declared_l1')}/{row.get('declared_l2')} "
                  f"| {row['name']} | {row.get('value')} → {r.category}/{r.subcategory} "
                  f"(gold {'/'.join(row.get('l1') or [])} {'/'.join(row.get('l2') or [])}) "
                  f"conf={r.confidence} cues={list(r.cues)[:5]}")
    print(f"timing: import {t_import * 1000:.0f} ms, first call (loads the NLP stack) "
          f"{(first_call or 0) * 1000:.0f} ms, later calls {total_time / max(total_n, 1) * 1e6:.0f} µs "
          f"per indicator (cached names included)")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
