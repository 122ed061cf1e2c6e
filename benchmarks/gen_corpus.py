"""Generate a corpus of N documents from the seeds and the shared corpus, each varied a little.

Variations keep documents realistic (what a batch of real submissions looks like): numbers
nudged, years shifted, a few lines dropped or duplicated, blank lines added. Deterministic for
a given --seed.

    python benchmarks/gen_corpus.py OUT_DIR [-n 1000] [--seeds seeds] [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS, documents  # noqa: E402

NUMBER = re.compile(r"\d+(?:\.\d+)?")
YEAR = re.compile(r"20[12]\d(?=\s*年)")


def vary(text: str, rng: random.Random) -> str:
    """A plausible sibling of `text`: same layout, slightly different content."""
    shift = rng.choice([-1, 0, 0, 1])
    text = YEAR.sub(lambda m: str(int(m.group()) + shift), text)

    def nudge(m: re.Match) -> str:
        if rng.random() > 0.15:
            return m.group()
        raw = m.group()
        if raw.isdigit() and 1990 <= int(raw) <= 2100:
            return raw  # a year: shifted consistently above, never nudged
        if "." in raw:
            places = len(raw.split(".")[1])
            return f"{float(raw) * rng.uniform(0.8, 1.2):.{places}f}"
        return str(max(0, round(int(raw) * rng.uniform(0.8, 1.2))))

    text = NUMBER.sub(nudge, text)
    lines = text.split("\n")
    out = []
    for line in lines:
        r = rng.random()
        if r < 0.01:
            continue  # dropped
        out.append(line)
        if r > 0.995:
            out.append(line)  # duplicated
        elif r > 0.985:
            out.append("")
    return "\n".join(out)


def generate(out_dir: Path, n: int, sources: list[Path], seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sources]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        stem, text = texts[i % len(texts)]
        path = out_dir / f"{i:05d}_{stem}.txt"
        path.write_text(vary(text, rng), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sources = documents(args.seeds, args.corpus)
    if not sources:
        sys.exit("no source documents found")
    written = generate(args.out_dir, args.n, sources, args.seed)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} documents ({size / 1e6:.1f} MB) to {args.out_dir}")


if __name__ == "__main__":
    main()
