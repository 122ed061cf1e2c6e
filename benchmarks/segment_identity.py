#!/usr/bin/env python3
"""Whether a change to segmentation keeps what kpicheck reads: `extract_file` JSON of many documents, against a baseline.

A speed-up of the parser must not change what it reads. This dumps the report of
`kpicheck.api.extract_file` (indicators, projects, coverage, unread regions; no rules) for

  - the seeds (`seeds/`),
  - the shared corpus minus the set-aside nine (never opened here),
  - `benchmarks/collected/*.txt` and `tests/fixtures/segment/*.txt`,
  - documents rendered from gold by `tests/layouts` (every development kind, alone and mixed,
    `-n` per kind and mode; .xlsx and .docx included), written once into `--rendered`,

one JSON line per document, and with `--against BASE` compares them with a dump taken before
the change: it names every document whose report differs (and the first differing indicator).

    python benchmarks/segment_identity.py --save /tmp/base.jsonl       # before the change
    python benchmarks/segment_identity.py --against /tmp/base.jsonl    # after: exit 1 if any differs

`--cold` empties the text caches before each document (a cached answer that depends on more
than its text would show as a difference between the two modes).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS  # noqa: E402

SET_ASIDE = frozenset({"h044", "h045", "h054", "h056", "h069", "h073", "h074", "h078", "h081"})


def render_documents(out: Path, n: int, seed: str) -> None:
    """The rendered documents of `render_eval.py --dump` (the development kinds), written into `out`."""
    from layouts.render import DEV_KINDS, draw_spec, load_tables, plain_spec, render

    tables = load_tables()
    out.mkdir(parents=True, exist_ok=True)
    for kind in DEV_KINDS:
        for mode in ("alone", "mixed"):
            for i in range(n):
                doc_seed = f"{seed}/dev/{mode}/{kind}/{i}"
                spec = plain_spec({kind}, held_out=False) if mode == "alone" else draw_spec(
                    random.Random(doc_seed + "/spec"), force={kind}, held_out=False)
                doc = render(tables, spec, doc_seed)
                doc.write(out / f"{kind}-{mode}-{i}{doc.suffix}")


def paths(args) -> list[Path]:
    out = sorted(args.seeds.glob("*.txt"))
    out += sorted(p for p in args.corpus.glob("*.txt") if p.stem not in SET_ASIDE)
    out += sorted((REPO / "benchmarks" / "collected").glob("*.txt"))
    out += sorted((REPO / "tests" / "fixtures" / "segment").glob("*.txt"))
    stamp = args.rendered / f".complete-{args.n}-{args.seed.replace('/', '_')}"
    if not stamp.exists():
        render_documents(args.rendered, args.n, args.seed)
        stamp.touch()
    out += sorted(p for p in args.rendered.iterdir() if p.suffix in (".txt", ".xlsx", ".docx"))
    return out


def dump(files: list[Path], cold: bool) -> dict[str, str]:
    from kpicheck import textcache
    from kpicheck.api import extract_file

    out = {}
    for p in files:
        if cold:
            textcache.clear()
        key = str(p.relative_to(REPO)) if p.is_relative_to(REPO) else f"{p.parent.name}/{p.name}"
        report = extract_file(p, display_path=key)
        out[key] = json.dumps(report.model_dump(mode="json")["files"][0], ensure_ascii=False, sort_keys=True)
    return out


def first_difference(a: str, b: str) -> str:
    x, y = json.loads(a), json.loads(b)
    for field in sorted(set(x) | set(y)):
        if x.get(field) == y.get(field):
            continue
        if field == "indicators":
            xi, yi = x[field] or [], y[field] or []
            for k, (p, q) in enumerate(zip(xi, yi)):
                if p != q:
                    keys = [f for f in sorted(set(p) | set(q)) if p.get(f) != q.get(f)]
                    return (f"indicator {k}: " + "; ".join(f"{f}: {p.get(f)!r} -> {q.get(f)!r}" for f in keys))[:400]
            return f"{len(xi)} -> {len(yi)} indicators"
        return f"{field}: {str(x.get(field))[:160]} -> {str(y.get(field))[:160]}"
    return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", type=Path, help="write the dump here (a baseline)")
    ap.add_argument("--against", type=Path, help="compare with this baseline; exit 1 if any report differs")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rendered", type=Path, default=Path("/tmp/kpicheck-segment-identity"),
                    help="where the rendered documents are written (once)")
    ap.add_argument("-n", type=int, default=6, help="rendered documents per kind and mode (default 6)")
    ap.add_argument("--seed", default="render-1")
    ap.add_argument("--cold", action="store_true", help="empty the text caches before each document")
    args = ap.parse_args()
    if not args.save and not args.against:
        ap.error("--save or --against")
    files = paths(args)
    start = time.process_time()
    got = dump(files, args.cold)
    print(f"# {len(got)} documents, {time.process_time() - start:.1f} s CPU")
    if args.save:
        args.save.write_text("".join(json.dumps([k, v], ensure_ascii=False) + "\n" for k, v in got.items()),
                             encoding="utf-8")
    if not args.against:
        return 0
    base = dict(json.loads(line) for line in args.against.read_text(encoding="utf-8").splitlines())
    differ = [k for k in base if k in got and base[k] != got[k]]
    missing = sorted(set(base) ^ set(got))
    for k in differ:
        print(f"DIFFERS {k}: {first_difference(base[k], got[k])}")
    for k in missing:
        print(f"ONLY IN {'baseline' if k in base else 'this run'}: {k}")
    print(f"{len(got) - len(differ)} of {len(got)} identical" + (f", {len(missing)} not in both" if missing else ""))
    return 1 if differ or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
