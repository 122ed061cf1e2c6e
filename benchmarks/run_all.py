"""Run every speed benchmark in turn (cold start, warm, throughput, adversarial, and Dask's when
the extra is installed), passing paths on.

    python benchmarks/run_all.py [--seeds seeds] [--corpus ../shared/corpus] [--quick]

--quick: fewer runs and a 200-document corpus, for a first look.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEFAULT_CORPUS, DEFAULT_SEEDS  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    paths = ["--seeds", str(args.seeds)]
    both = paths + ["--corpus", str(args.corpus)]
    steps = [
        ["cold_start.py", *paths, "--runs", "3" if args.quick else "9"],
        ["warm.py", *both],
        ["warm.py", *both, "--cpu"],
        ["throughput.py", *both, "-n", "200" if args.quick else "1000"],
        ["adversarial.py", *paths],
    ]
    if importlib.util.find_spec("distributed"):  # the extra `dask`
        steps.append(["dask_throughput.py", *both, "-n", "200" if args.quick else "1000",
                      "--small", "50" if args.quick else "250", "--repeat", "1" if args.quick else "3"])
    for step in steps:
        print(f"\n$ python benchmarks/{' '.join(step)}", flush=True)
        subprocess.run([sys.executable, str(HERE / step[0]), *step[1:]], check=False)


if __name__ == "__main__":
    main()
