"""Throughput: `kpicheck check --format json` on a generated corpus of N documents.

Runs with `--jobs 1` and `--jobs 2` (when the CLI has --jobs; otherwise once, as it is), reports
documents per second, the speed-up, the peak RSS (the largest single process of the run: Linux
folds reaped workers' ru_maxrss into the child's), and whether the JSON is byte-identical.
`--repeat R` alternates the runs R times and takes the median speed-up of the pairs (wall times
on a shared machine are noisy; the pairs see the same load). `--formats json text` also measures
the peak RSS of other formats (one `--jobs 2` run each).

    python benchmarks/throughput.py [-n 1000] [--jobs 1 2] [--repeat 3] [--formats json text]
                                    [--seeds seeds] [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (DEFAULT_CORPUS, DEFAULT_SEEDS, cli_supports, documents, kpicheck_cmd,  # noqa: E402
                     load_note, machine, run_child)
from gen_corpus import generate  # noqa: E402

TARGET_SPEEDUP = 1.8
TARGET_RSS_MB = 400


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="alternate the runs R times (median speed-up)")
    ap.add_argument("--formats", nargs="+", default=["json"], help="formats whose peak RSS is measured")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    print(f"# {machine()}")
    print(load_note())
    has_jobs = cli_supports("--jobs")
    job_counts = args.jobs if has_jobs else [None]
    if not has_jobs:
        print("# note: this kpicheck has no --jobs option yet; measuring the default run only")
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="kpicheck-bench-") as tmp:
        files = generate(Path(tmp), args.n, documents(args.seeds, args.corpus))
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(f"corpus: {len(files)} generated documents, {size_mb:.1f} MB")
        outputs: dict = {}
        walls: dict = {jobs: [] for jobs in job_counts}
        for rep in range(max(1, args.repeat)):
            for jobs in job_counts:
                cmd = kpicheck_cmd() + ["check", "--format", "json", tmp]
                if jobs is not None:
                    cmd += ["--jobs", str(jobs)]
                run = run_child(cmd)
                # a digest, not the bytes: this process's size would leak into the next child's
                # ru_maxrss (Linux keeps it across the fork/exec of the next run)
                outputs.setdefault(jobs, set()).add(hashlib.sha256(run.stdout).hexdigest())
                run.stdout = b""
                walls[jobs].append(run.wall)
                label = f"--jobs {jobs}" if jobs is not None else "(default)"
                print(f"{label:10} wall {run.wall:7.2f} s  {len(files) / run.wall:7.1f} docs/s  CPU {run.cpu:7.2f} s  "
                      f"peak RSS {run.rss_mb:4d} MB  exit {run.code}" + (f"  (run {rep + 1})" if args.repeat > 1 else ""))
                prev = result.get(label, {"rss_mb": 0})
                result[label] = {"wall_s": statistics.median(walls[jobs]),
                                 "docs_per_s": len(files) / statistics.median(walls[jobs]), "cpu_s": run.cpu,
                                 "rss_mb": max(prev["rss_mb"], run.rss_mb), "exit": run.code}
        if has_jobs and 1 in outputs and 2 in outputs:
            pairs = [one / two for one, two in zip(walls[1], walls[2])]
            speedup = statistics.median(pairs)
            same = len(outputs[1] | outputs[2]) == 1
            result["speedup"] = speedup
            result["identical"] = same
            each = f" (pairs: {', '.join(f'{x:.2f}' for x in pairs)})" if len(pairs) > 1 else ""
            print(f"speed-up --jobs 2 vs 1: {speedup:.2f}x{each} (target >= {TARGET_SPEEDUP}x) -> "
                  f"{'OK' if speedup >= TARGET_SPEEDUP else 'MISSED'}")
            if len(pairs) > 1:  # the least disturbed run of each: steadier on a shared machine
                best = min(walls[1]) / min(walls[2])
                result["speedup_best"] = best
                print(f"speed-up of the fastest runs ({min(walls[1]):.2f} s / {min(walls[2]):.2f} s): {best:.2f}x")
            print(f"JSON byte-identical across --jobs: {'yes' if same else 'NO'}")
        peak = max(r["rss_mb"] for r in result.values() if isinstance(r, dict))
        for fmt in args.formats:
            if fmt == "json":
                continue
            cmd = kpicheck_cmd() + ["check", "--format", fmt, tmp] + (["--jobs", "2"] if has_jobs else [])
            run = run_child(cmd)
            print(f"--format {fmt:10} wall {run.wall:7.2f} s  peak RSS {run.rss_mb:4d} MB  exit {run.code}")
            result[f"format {fmt}"] = {"wall_s": run.wall, "rss_mb": run.rss_mb, "exit": run.code}
            peak = max(peak, run.rss_mb)
        result["peak_rss_mb"] = peak
        print(f"peak memory: {peak} MB (target <= {TARGET_RSS_MB} MB) -> {'OK' if peak <= TARGET_RSS_MB else 'MISSED'}")
    return result


if __name__ == "__main__":
    main()
