"""Instructions per round of the seeds, each document as never seen, counted by valgrind.

Wall-clock A/B on a shared 2-core machine moves by ±5% from minute to minute; an instruction
count does not. A child process imports kpicheck, checks every seed once (warm-up), then checks
them `rounds` more times with the text caches emptied before each document; a second child
stops after the warm-up. Their difference over `rounds` is one round's cost (repeatable to about
±1-2 M; fix PYTHONHASHSEED for ±0.3 M). Needs `valgrind` (Debian package), ~15 s per round.

    python benchmarks/instructions.py [--rounds 3] [--seeds seeds]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_SEEDS, documents, machine  # noqa: E402

CHILD = """
import sys
from pathlib import Path
from kpicheck import textcache
from kpicheck.pipeline import process_path
paths = [Path(p) for p in sys.argv[2:]]
for p in paths:
    process_path(p)
for _ in range(int(sys.argv[1])):
    for p in paths:
        textcache.clear()
        process_path(p)
"""


def count(rounds: int, paths: list[Path]) -> int:
    """Instructions of a child that runs the warm-up and `rounds` rounds."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                              sys.executable, "-c", CHILD, str(rounds), *map(str, paths)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"valgrind failed:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    paths = documents(args.seeds)
    print(f"# {machine()}")
    base, full = count(0, paths), count(args.rounds, paths)
    per_round = (full - base) / args.rounds
    kb = sum(p.stat().st_size for p in paths) / 1024
    print(f"{len(paths)} documents, {kb:.0f} KB: {per_round / 1e6:.0f} M instructions per round "
          f"({per_round / kb * 25 / 1e6:.1f} M per 25 KB), as never seen")


if __name__ == "__main__":
    main()
