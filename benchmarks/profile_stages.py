"""Where the time goes: per-stage warm CPU time, the hottest functions, and what cold start pays.

    python benchmarks/profile_stages.py            # stages + top functions (warm, seeds+corpus)
    python benchmarks/profile_stages.py --cold     # import time by package, first-document cost

Stages are those of kpicheck.pipeline: read, segment, understand (parse values + classify),
rules; seeds (the ~25 KB documents of the warm target) and corpus are reported apart. As in
warm.py, each document is timed as if unseen (`kpicheck.textcache.clear()` before it); `--repeat`
keeps the caches (the same document again). The cold view runs `python -X importtime` in a child and sums self-times by top-level
package and by kpicheck module, then times the first document in-process (lazy loads: jieba
dictionary, spaCy, lexicons, compiled patterns) against the second.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS, documents, load_note, machine  # noqa: E402


STAGES = ("read", "segment", "understand", "rules")


def stages(paths: list[Path], rounds: int, label: str = "", unseen: bool = True) -> None:
    """CPU per document and stage: median and best round (the best is least disturbed by
    other processes on a shared machine; both over `rounds` after a warm-up round)."""
    from kpicheck import textcache
    from kpicheck.config import DEFAULT_CONFIG
    from kpicheck.models import FileReport
    from kpicheck.pipeline import gc_paused, lint, understand
    from kpicheck.read import read_document
    from kpicheck.segment import segment

    per_round: list[Counter[str]] = []
    clock = time.process_time
    for n in range(rounds + 1):
        totals: Counter[str] = Counter()
        for path in paths:
            if unseen:
                textcache.clear()
            with gc_paused():  # as process_path runs a document
                t0 = clock()
                doc = read_document(path, rows=False)  # as process_path reads it
                t1 = clock()
                extraction = segment(doc)
                t2 = clock()
                understand(extraction.indicators)
                t3 = clock()
                lint(FileReport(path=str(path), budget_year=extraction.budget_year, projects=extraction.projects,
                                indicators=extraction.indicators), DEFAULT_CONFIG)
                t4 = clock()
            totals.update({"read": t1 - t0, "segment": t2 - t1, "understand": t3 - t2, "rules": t4 - t3})
        if n:  # round 0 is the warm-up
            per_round.append(totals)
    kb = sum(p.stat().st_size for p in paths) / len(paths) / 1024
    print(f"warm CPU per document, {label}, {'unseen' if unseen else 'repeat'} ({len(paths)} documents, "
          f"{kb:.1f} KB avg, {rounds} rounds):")
    ms = {stage: sorted(r[stage] / len(paths) * 1000 for r in per_round) for stage in STAGES}
    ms["total"] = sorted(sum(r.values()) / len(paths) * 1000 for r in per_round)
    med_total = ms["total"][len(per_round) // 2]
    for stage in (*STAGES, "total"):
        med = ms[stage][len(per_round) // 2]
        share = f"({med / med_total:5.1%})" if stage != "total" else ""
        print(f"  {stage:11} median {med:7.2f} ms  best {ms[stage][0]:7.2f} ms  {share}")


def hot_functions(paths: list[Path], top: int) -> None:
    from kpicheck.pipeline import process_path

    for p in paths:
        process_path(p)
    prof = cProfile.Profile()
    prof.enable()
    for p in paths:
        process_path(p)
    prof.disable()
    print("\nhottest functions (tottime, one warm pass):")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def cold(doc: Path) -> None:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kpicheck.cli"],
                         capture_output=True, text=True).stderr
    by_pkg: Counter[str] = Counter()
    by_mod: Counter[str] = Counter()
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:
            by_pkg[m[3].split(".")[0]] += int(m[1])
            if m[3].startswith("kpicheck"):
                by_mod[m[3]] += int(m[1])
    total = sum(by_pkg.values())
    print(f"`import kpicheck.cli`: {total / 1000:.0f} ms of import self-time. By top-level package:")
    for name, us in by_pkg.most_common(12):
        print(f"  {name:24} {us / 1000:7.1f} ms")
    print("kpicheck modules (self time: module-level work such as compiling patterns, loading lexicons):")
    for name, us in by_mod.most_common(10):
        print(f"  {name:40} {us / 1000:7.1f} ms")
    child = (
        "import time, sys\n"
        "t0 = time.perf_counter(); import kpicheck.cli; t1 = time.perf_counter()\n"
        "from kpicheck.pipeline import process_path\n"
        f"p = {str(doc)!r}\n"
        "process_path(p); t2 = time.perf_counter(); process_path(p); t3 = time.perf_counter()\n"
        "heavy = [m for m in ('spacy', 'jieba', 'thinc', 'numpy', 'cn2an', 'rich', 'typer') if m in sys.modules]\n"
        "print(f'import {t1-t0:.3f} s, first document {t2-t1:.3f} s, second {t3-t2:.3f} s; loaded: {heavy}')\n"
    )
    print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seeds-only", action="store_true", help="hottest functions over the seeds only")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--repeat", action="store_true", help="keep the text caches between rounds")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    print(f"# {machine()}")
    print(load_note())
    paths = documents(args.seeds, args.corpus)
    if args.cold:
        cold(paths[0])
    else:
        for label, directory in (("seeds", args.seeds), ("corpus", args.corpus)):
            if documents(directory):
                stages(documents(directory), args.rounds, label, unseen=not args.repeat)
        hot_functions(documents(args.seeds) if args.seeds_only else paths, args.top)


if __name__ == "__main__":
    main()
