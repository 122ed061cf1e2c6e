"""Warm time per document: in-process, after one warm-up pass, over the seeds and the corpus.

Reports the median time per document for each set and the time normalised to a 25 KB document
(the size of a seed), which is what the <= 10 ms target is about; "best rounds" sums each
document's fastest round (least disturbed when other processes share the cores).

Two figures per set. "unseen" empties the text caches (`kpicheck.textcache.clear()`) before each
run, so a document costs what a new document of a batch costs: imports and lexicons warm, its
own cells, names and values never seen. "repeat" keeps them: the same document again, every
text already answered, a figure that flatters and is printed for comparison only. The target is
judged on "unseen".

    python benchmarks/warm.py [--rounds 5] [--seeds seeds] [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS, documents, load_note, machine, median  # noqa: E402

TARGET_MS_PER_25KB = 10.0


def time_docs(paths: list[Path], rounds: int, clock=time.perf_counter,
              unseen: bool = True) -> list[tuple[Path, float, float, int]]:
    """(path, median ms over `rounds`, best ms, indicators found) for each document; `unseen`:
    the text caches emptied before each run."""
    from kpicheck import textcache
    from kpicheck.pipeline import process_path

    out = []
    for path in paths:
        report = process_path(path)  # warm-up: lazy loads, caches
        if report.error:
            print(f"# {path.name}: {report.error.code} {report.error.message}", file=sys.stderr)
        samples = []
        for _ in range(rounds):
            if unseen:
                textcache.clear()
            start = clock()
            process_path(path)
            samples.append((clock() - start) * 1000)
        out.append((path, median(samples), min(samples), len(report.indicators)))
    return out


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="time with process CPU time (for a busy machine)")
    args = ap.parse_args()
    print(f"# {machine()}")
    print(load_note())
    start = time.perf_counter()
    import kpicheck.pipeline  # noqa: F401
    print(f"import kpicheck.pipeline: {(time.perf_counter() - start) * 1000:.0f} ms")
    result = {}
    for label, directory, unseen in (("seeds", args.seeds, True), ("corpus", args.corpus, True),
                                     ("seeds (repeat)", args.seeds, False)):
        paths = documents(directory)
        if not paths:
            continue
        timed = time_docs(paths, args.rounds, time.process_time if args.cpu else time.perf_counter, unseen)
        per_doc = [ms for _, ms, _, _ in timed]
        kb = [p.stat().st_size / 1024 for p, *_ in timed]
        per_25kb = sum(per_doc) / sum(kb) * 25
        best_25kb = sum(best for _, _, best, _ in timed) / sum(kb) * 25
        if args.verbose:
            for (p, ms, best, n), size in zip(timed, kb):
                print(f"  {p.name:32} {size:6.1f} KB {ms:8.2f} ms (best {best:6.2f})  {n:4d} indicators")
        print(f"{label + (' (unseen)' if unseen else ''):16} {len(timed):3d} docs, {sum(kb) / len(kb):5.1f} KB avg: median {median(per_doc):7.2f} ms/doc, "
              f"max {max(per_doc):7.2f} ms, {per_25kb:6.2f} ms per 25 KB (best rounds {best_25kb:6.2f}), "
              f"{sum(n for *_, n in timed)} indicators")
        result[label] = {"median_ms": median(per_doc), "max_ms": max(per_doc), "ms_per_25kb": per_25kb,
                         "best_ms_per_25kb": best_25kb}
    if "seeds" in result:
        worst = result["seeds"]["ms_per_25kb"]
        print(f"warm, unseen ({'CPU' if args.cpu else 'wall'}): {worst:.2f} ms per 25 KB seed (target <= {TARGET_MS_PER_25KB} ms) -> "
              f"{'OK' if worst <= TARGET_MS_PER_25KB else 'MISSED'}")
    return result


if __name__ == "__main__":
    main()
