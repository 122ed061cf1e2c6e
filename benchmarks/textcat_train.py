"""Train the category model shipped in `kpicheck/textcat_model/` (see `kpicheck/textcat.py`).

Deterministic: the same gold gives the same weights (fixed seeds, sorted inputs, one thread).
Trained on the gold indicators of the development documents (the set-aside nine are excluded
whatever directory is given) and, weighed less, on the declared categories of collected
documents as kpicheck reads them (`--collected DIR`, when such a directory exists).

    .venv/bin/python benchmarks/textcat_train.py [--gold ../shared/gold] [--collected benchmarks/collected]
        [--out kpicheck/textcat_model]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = REPO.parent / "shared" / "gold"
# Kept to measure kpicheck on documents nobody tuned on (benchmarks/README.md): never trained on.
SET_ASIDE = frozenset("h044 h045 h054 h056 h069 h073 h074 h078 h081".split())
EPOCHS = 12
BATCH = 16
SEED = 0
GOLD_REPEAT = 3  # a gold example counts three times a collected (declared, noisy) one


def gold_rows(gold: Path, exclude: frozenset[str] = SET_ASIDE) -> list[dict]:
    """Every gold indicator under `gold` (its *.json files, recursively), as dicts with `doc`."""
    rows = []
    for path in sorted(gold.rglob("*.json")):
        if path.stem in exclude:
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict) or "indicators" not in doc:
            continue
        for ind in doc["indicators"]:
            if ind.get("name") and ind.get("l1"):
                rows.append({**ind, "doc": str(doc.get("doc") or path.stem)})
    return rows


def feature_tokens(row: dict) -> list[str]:
    """The model's features for one indicator dict (name, value, declared_l1/l2)."""
    from kpicheck import textcat
    from kpicheck.classify import read_name
    from kpicheck.values import parse_value

    value = row.get("value") or ""
    parsed = parse_value(value)
    return textcat.features(read_name(row["name"]).tokens, parsed.dimension, parsed.unit_canonical,
                            parsed.kind, value, row.get("declared_l1"), row.get("declared_l2"))


def labels_of(rows: list[dict]) -> list[str]:
    from kpicheck.classify import CHILDREN, LEVEL1

    from kpicheck import textcat
    names = [textcat.L1_PREFIX + c for c in LEVEL1]
    l2 = sorted({c for kids in CHILDREN.values() for c in kids} | {c for r in rows for c in r.get("l2") or []})
    return names + [textcat.L2_PREFIX + c for c in l2]


def train(rows: list[dict], noisy: list[dict] = (), epochs: int = EPOCHS, seed: int = SEED):
    """A trained pipeline from gold `rows` (l1/l2 lists) and `noisy` rows (declared labels)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from kpicheck import textcat

    fix_random_seed(seed)
    labels = labels_of(list(rows) + list(noisy))
    nlp = textcat.blank_pipeline(labels)

    def example(row: dict, l1: list[str], l2: list[str]):
        cats = {lab: 0.0 for lab in labels}
        for c in l1:
            cats[textcat.L1_PREFIX + c] = 1.0
        for c in l2:
            if textcat.L2_PREFIX + c in cats:
                cats[textcat.L2_PREFIX + c] = 1.0
        return Example.from_dict(textcat.make_doc(nlp, feature_tokens(row)), {"cats": cats})

    examples = [example(r, r["l1"], r.get("l2") or []) for r in rows] * GOLD_REPEAT
    examples += [example(r, [r["declared_l1"]], [r["declared_l2"]] if r.get("declared_l2") else [])
                 for r in noisy]
    nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=BATCH):
            nlp.update(batch, drop=0.0, losses={})
    return nlp


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--collected", type=Path, default=REPO / "benchmarks" / "collected")
    ap.add_argument("--out", type=Path, default=REPO / "kpicheck" / "textcat_model")
    args = ap.parse_args(argv)
    rows = gold_rows(args.gold)
    nlp = train(rows)
    nlp.to_disk(args.out)
    print(f"trained on {len(rows)} gold indicators of {len({r['doc'] for r in rows})} documents -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
