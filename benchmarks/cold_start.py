"""Cold start: wall-clock time of `kpicheck check` on one document, as a user runs it.

Median of N fresh subprocess runs (after one untimed run so the OS file cache is warm), with the
peak RSS of the child. For reference also: a bare interpreter, `import kpicheck.cli` alone, and
the very first run on a machine (an empty `KPICHECK_CACHE_DIR`: patterns compiled and lexicons
parsed, then written to the cache, `kpicheck/diskcache.py`).

    python benchmarks/cold_start.py [--runs 9] [--doc seeds/000_....txt]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_SEEDS, documents, kpicheck_cmd, load_note, machine, median, run_child  # noqa: E402

TARGET_S = 1.0


def measure(cmd: list[str], runs: int, fresh_cache: bool = False) -> tuple[float, float, float, float, int]:
    """(median wall, min wall, max wall, median CPU, peak RSS MB) over `runs` runs."""
    run_child(cmd)  # untimed: file cache
    runs_ = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="kpicheck-bench-cache-") as empty:
            runs_.append(run_child(cmd, env={"KPICHECK_CACHE_DIR": empty} if fresh_cache else None))
    walls = [r.wall for r in runs_]
    return median(walls), min(walls), max(walls), median([r.cpu for r in runs_]), max(r.rss_mb for r in runs_)


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--doc", type=Path, default=None)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = ap.parse_args()
    doc = args.doc or documents(args.seeds)[0]
    print(f"# {machine()}")
    print(load_note())
    check = kpicheck_cmd() + ["check", "--format", "json", str(doc)]
    rows = {
        "python -c pass": ([sys.executable, "-c", "pass"], False),
        "import kpicheck.cli": ([sys.executable, "-c", "import kpicheck.cli"], False),
        f"kpicheck check {doc.name}, first run": (check, True),
        f"kpicheck check {doc.name}": (check, False),
    }
    result = {}
    for label, (cmd, fresh) in rows.items():
        med, lo, hi, cpu, rss = measure(cmd, args.runs, fresh)
        result[label] = (med, cpu, rss)
        print(f"{label:48} wall median {med:6.3f} s (min {lo:.3f}, max {hi:.3f}, n={args.runs})  "
              f"CPU {cpu:6.3f} s  peak RSS {rss} MB")
    med, cpu, rss = result[f"kpicheck check {doc.name}"]
    print(f"cold start: {med:.3f} s median wall, {cpu:.3f} s CPU (target <= {TARGET_S} s) -> "
          f"{'OK' if med <= TARGET_S else 'MISSED'}")
    return {"cold_start_s": med, "cold_start_cpu_s": cpu, "cold_start_rss_mb": rss}


if __name__ == "__main__":
    main()
