"""Train the category model of `textcat_component.py` (tried for issue 16, not shipped).

Deterministic: the same gold gives the same files, byte for byte (fixed seeds, sorted inputs).
Trained on the gold indicators of the development documents (the set-aside nine are excluded
whatever directory is given) and, weighed less, on the declared categories of collected
documents as kpicheck reads them (`--collected DIR`, when such a directory exists).

    .venv/bin/python benchmarks/textcat_train.py --out DIR [--gold ../shared/gold] [--collected DIR]

Needs the extra `kpicheck[spacy]`. `textcat_eval.py` trains its own models the same way.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textcat_component as textcat  # noqa: E402

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


def collected_rows(directory: Path, exclude: frozenset[str] = SET_ASIDE) -> list[dict]:
    """The indicators kpicheck reads in collected documents, labelled by their DECLARED 一级/二级
    (what the table says: noisy, so weighed less than gold). Documents without a declared 一级
    give nothing."""
    from kpicheck.classify import CHILDREN, PARENT
    from kpicheck.pipeline import process_path

    rows = []
    if not directory.is_dir():
        return rows
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in
                       (".txt", ".xlsx", ".docx", ".pdf") and p.stem not in exclude):
        report = process_path(path)
        for ind in report.indicators:
            l1, l2 = ind.declared_level1, ind.declared_level2
            if l2 == "成本" and l1 in ("产出", None):  # a legacy 产出/成本 row is money (gold convention)
                l1, l2 = "成本", "经济成本"
            l1 = l1 or PARENT.get(l2 or "")
            if ind.name and l1 in CHILDREN:
                rows.append({"doc": f"collected/{path.stem}", "name": ind.name, "value": ind.value or "",
                             "declared_l1": l1, "declared_l2": l2 if l2 in CHILDREN[l1] else None})
    return rows


def feature_tokens(row: dict) -> list[str]:
    """The model's features for one indicator dict (name, value, declared_l1/l2)."""
    from kpicheck.classify import read_name
    from kpicheck.values import parse_value

    value = row.get("value") or ""
    parsed = parse_value(value)
    return textcat.features(read_name(row["name"]).tokens, parsed.dimension, parsed.unit_canonical,
                            parsed.kind, value, row.get("declared_l1"), row.get("declared_l2"))


def labels_of(rows: list[dict]) -> list[str]:
    from kpicheck.classify import CHILDREN, LEVEL1

    names = [textcat.L1_PREFIX + c for c in LEVEL1]
    l2 = sorted({c for kids in CHILDREN.values() for c in kids} | {c for r in rows for c in r.get("l2") or []})
    return names + [textcat.L2_PREFIX + c for c in l2]


def train(rows: list[dict], noisy: list[dict] = (), epochs: int = EPOCHS, seed: int = SEED):
    """A trained pipeline from gold `rows` (l1/l2 lists) and `noisy` rows (declared labels)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

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
    ap.add_argument("--out", type=Path, required=True, help="the directory to write the model to")
    args = ap.parse_args(argv)
    from kpicheck import nlp

    if not nlp.spacy_installed():
        print(f"error: {nlp.SPACY_MISSING}", file=sys.stderr)
        return 2
    rows = gold_rows(args.gold)
    noisy = collected_rows(args.collected)
    nlp = train(rows, noisy)
    nlp.to_disk(args.out)
    print(f"trained on {len(rows)} gold indicators of {len({r['doc'] for r in rows})} documents and "
          f"{len(noisy)} declared ones of {len({r['doc'] for r in noisy})} collected documents -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
