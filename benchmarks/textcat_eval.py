"""The category model (`textcat_component.py`) against the head-word reading, on any gold.

Compares, on the gold indicators of GOLD_DIR (every *.json below it; gold l1/l2 are lists, an
answer in the list is right):
  (a) the head-word reading alone (`kpicheck.classify.classify_text`, name + value + declared),
  (b) the model alone (best 一级, then the best 二级 under it),
  (c) the combination: the model consulted only where the reading is unsure
      (`textcat.combine`: confidence < 0.6 or a second score within 1.0; the model must give
      another answer a probability >= 0.8).

Two ways to get a model that has not seen the documents it is scored on:
  --cv K   cross-validation BY DOCUMENT inside GOLD_DIR: K folds of documents (0: leave one
           document out), a model trained on the other folds for each;
  default  one model trained on --train-gold (the development gold; the set-aside nine and every
           document of GOLD_DIR are left out of it), scored on GOLD_DIR. This is the run on the
           set-aside documents:  textcat_eval.py /tmp/setaside-gold

    .venv/bin/python benchmarks/textcat_eval.py GOLD_DIR [--cv K] [--train-gold ../shared/gold] [--show]

Needs the extra `kpicheck[spacy]`. Leave-one-document-out on the 42 development documents
takes ~6 minutes of CPU (a model of ~10 s per fold).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textcat_component as textcat  # noqa: E402
import textcat_train as training  # noqa: E402


def folds_by_document(rows: list[dict], k: int) -> list[set[str]]:
    docs = sorted({r["doc"] for r in rows})
    k = len(docs) if k <= 0 else min(k, len(docs))
    return [set(docs[i::k]) for i in range(k)]


def score(rows: list[dict], cats_of: list[dict], show: bool = False) -> dict[str, tuple[int, int]]:
    """Right answers per reading: {"a l1": (right, n), ...}; plus how the combination moved."""
    from kpicheck.classify import CHILDREN, classify_text
    from kpicheck.values import parse_value

    right: Counter = Counter()
    moved = Counter()
    for row, cats in zip(rows, cats_of):
        value = row.get("value") or ""
        gold1, gold2 = row.get("l1") or [], row.get("l2") or []
        hw = classify_text(row["name"], value, parse_value(value), row.get("declared_l1"), row.get("declared_l2"))
        m1, _ = textcat.best(cats, textcat.L1_PREFIX)
        m2, _ = textcat.best(cats, textcat.L2_PREFIX, CHILDREN.get(m1, ()))
        c1, c2 = textcat.combine(hw.category, hw.subcategory, hw.confidence, hw.scores, cats, CHILDREN)
        for tag, (l1, l2) in (("a", (hw.category, hw.subcategory)), ("b", (m1, m2)), ("c", (c1, c2))):
            right[f"{tag} l1"] += l1 in gold1
            right[f"{tag} l2"] += l2 in gold2
        moved["unsure"] += textcat.unsure(hw.confidence, hw.scores)
        for level, before, after, gold in (("l1", hw.category, c1, gold1), ("l2", hw.subcategory, c2, gold2)):
            if before != after:
                moved[f"{level} changed"] += 1
                moved[f"{level} fixed"] += after in gold and before not in gold
                moved[f"{level} broken"] += before in gold and after not in gold
                if show:
                    print(f"  {level} {row['doc']:10.10} {row['name'][:30]} | {value[:16]} | declared "
                          f"{row.get('declared_l1')}/{row.get('declared_l2')}: {before} -> {after} "
                          f"(gold {'/'.join(gold)})")
    n = len(rows)
    return {**{k: (v, n) for k, v in sorted(right.items())}, **{k: (v, n) for k, v in sorted(moved.items())}}


def report(label: str, result: dict[str, tuple[int, int]]) -> None:
    n = next(iter(result.values()))[1] if result else 0
    print(f"{label}: {n} indicators")
    for tag, what in (("a", "head-word reading"), ("b", "model alone"), ("c", "combination")):
        (r1, _), (r2, _) = result.get(f"{tag} l1", (0, n)), result.get(f"{tag} l2", (0, n))
        print(f"  ({tag}) {what:18} 一级 {r1 / max(n, 1):.3f} ({r1}/{n})   二级 {r2 / max(n, 1):.3f} ({r2}/{n})")
    moved = {k: v for k, (v, _) in result.items() if k[0] not in "abc" or k == "unsure"}
    print("  combination: " + ", ".join(f"{k} {v}" for k, v in moved.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path, help="a gold directory (*.json as in ../shared/gold)")
    ap.add_argument("--cv", type=int, default=None, metavar="K",
                    help="cross-validate by document inside GOLD (0: leave one document out)")
    ap.add_argument("--train-gold", type=Path, default=training.DEFAULT_GOLD)
    ap.add_argument("--collected", type=Path, default=None,
                    help="also train on the declared categories of these documents (noisy, weighed less)")
    ap.add_argument("--show", action="store_true", help="print every answer the combination changed")
    args = ap.parse_args(argv)
    if not args.gold.is_dir():
        print(f"error: {args.gold} is not a directory", file=sys.stderr)
        return 2
    from kpicheck import nlp

    if not nlp.spacy_installed():
        print(f"error: {nlp.SPACY_MISSING}", file=sys.stderr)
        return 2
    rows = training.gold_rows(args.gold, exclude=frozenset())  # scored as given
    if not rows:
        print(f"error: no gold indicators under {args.gold}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    noisy = training.collected_rows(args.collected) if args.collected else []
    cats_of: list[dict] = [{}] * len(rows)
    if args.cv is not None:
        held = training.gold_rows(args.gold)  # the set-aside nine are never trained on
        for fold in folds_by_document(rows, args.cv):
            nlp = training.train([r for r in held if r["doc"] not in fold], noisy)
            for i, row in enumerate(rows):
                if row["doc"] in fold:
                    cats_of[i] = textcat.scores(training.feature_tokens(row), nlp)
        label = f"{args.gold}: cross-validated by document ({len(folds_by_document(rows, args.cv))} folds)"
    else:
        scored = {r["doc"] for r in rows}
        train_rows = [r for r in training.gold_rows(args.train_gold) if r["doc"] not in scored]
        nlp = training.train(train_rows, noisy)
        cats_of = [textcat.scores(training.feature_tokens(r), nlp) for r in rows]
        label = (f"{args.gold}: model trained on {len(train_rows)} indicators of "
                 f"{len({r['doc'] for r in train_rows})} other documents under {args.train_gold}")
    result = score(rows, cats_of, args.show)
    report(label, result)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
