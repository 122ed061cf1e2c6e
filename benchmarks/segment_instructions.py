#!/usr/bin/env python3
"""Instructions per seed round of segmentation, stage by stage, each document as never seen (valgrind).

`instructions.py` counts the whole pipeline; this counts the parts of `segment()` in the same
conditions: a child warms up (every seed through the pipeline once), then runs each stage
`rounds` times over the seeds, already read, with the text caches emptied before each
document; callgrind counts only the stages (~1.5 minutes in all). The stages are cumulative:

  atomize    atoms.atomize(doc)
  headings   atomize + template.find_headings
  tables     atomize + segment.tables (headings, anchors, region ends, the parse, trimming)
  segment    segment(doc): tables, assembly, the projects/narrative pass, coverage
  pipeline   process_path(path): read, segment, values and categories, rules

so `headings - atomize` is what finding the headings costs, `segment - tables` the rest.

    python benchmarks/segment_instructions.py [--rounds 1] [--stages atomize,segment] [--seeds seeds]
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

STAGES = ("atomize", "headings", "tables", "segment", "pipeline")

# Callgrind counts only inside functools.reduce (nothing in kpicheck calls it) and writes a
# profile each time it returns: one reduce per stage, so one child measures every stage.
CHILD = """
import functools, gc, sys
from pathlib import Path
from kpicheck import textcache
from kpicheck.pipeline import process_path
from kpicheck.read import read_document
from kpicheck.segment import segment, tables, _self_evaluation
from kpicheck.segment.atoms import atomize
from kpicheck.segment.template import find_headings

rounds, stages = int(sys.argv[1]), sys.argv[2].split(",")
paths = [Path(p) for p in sys.argv[3:]]
docs = [read_document(p, rows=False) for p in paths]
for p in paths:
    process_path(p)
RUN = {
    "atomize": lambda path, doc: atomize(doc),
    "headings": lambda path, doc: find_headings(atomize(doc)[0]),
    "tables": lambda path, doc: tables(atomize(doc)[0], _self_evaluation(doc)),
    "segment": lambda path, doc: segment(doc),
    "pipeline": lambda path, doc: process_path(path),
}
def measured(run):
    def one(_, pair):
        textcache.clear()
        run(*pair)
        return None
    return one
gc.disable()  # as the pipeline does while it checks a document
for stage in stages:
    functools.reduce(measured(RUN[stage]), list(zip(paths, docs)) * rounds, None)
"""


def count(stages: list[str], rounds: int, paths: list[Path]) -> list[int]:
    """Instructions of each stage's `rounds` rounds, in one child."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                              "--toggle-collect=functools_reduce", "--dump-after=functools_reduce",
                              f"--callgrind-out-file={tmp}/cg.out",
                              sys.executable, "-c", CHILD, str(rounds), ",".join(stages), *map(str, paths)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        if out.returncode:
            raise SystemExit(f"valgrind failed:\n{out.stderr[-2000:]}")
        totals = []
        for dump in sorted(Path(tmp).glob("cg.out.*"), key=lambda p: int(p.name.rsplit(".", 1)[1].split("-")[0])):
            found = re.search(r"^(?:summary|totals):\s*(\d+)", dump.read_text(errors="replace"), re.M)
            if found and int(found.group(1)):
                totals.append(int(found.group(1)))
    if len(totals) != len(stages):
        raise SystemExit(f"expected {len(stages)} profiles from callgrind, got {len(totals)}")
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = ap.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise SystemExit(f"unknown stages: {', '.join(unknown)} (one of {', '.join(STAGES)})")
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind not found (Debian: apt-get install valgrind)")
    paths = documents(args.seeds)
    print(f"# {machine()}")
    kb = sum(p.stat().st_size for p in paths) / 1024
    previous = None
    for stage, total in zip(stages, count(stages, args.rounds, paths)):
        per_round = total / args.rounds
        step = f"  (+{(per_round - previous) / 1e6:.0f} M)" if previous is not None else ""
        print(f"{stage:9} {per_round / 1e6:7.0f} M instructions per round of {len(paths)} seeds "
              f"({per_round / kb * 25 / 1e6:.1f} M per 25 KB){step}", flush=True)
        previous = per_round


if __name__ == "__main__":
    main()
