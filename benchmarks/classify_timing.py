"""Loading and per-indicator cost of the classifier, per engine, each in fresh processes.

    .venv/bin/python benchmarks/classify_timing.py [--runs 5]

Prints medians: import of kpicheck.classify, the first classify call (loads jieba's compact
dictionary, and spaCy for the spacy engine), the cost per distinct name (uncached) and per
repeated name (cached), using the gold indicator names.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROBE = r"""
import glob, json, time
t0 = time.perf_counter()
import kpicheck.classify as c
t1 = time.perf_counter()
c.classify_text("维护硬件软件设备需用资金", "≥99%", None, "产出", None)
t2 = time.perf_counter()
rows = [i for f in sorted(glob.glob("/work/shared/gold/*/*.json"))
        for i in json.load(open(f, encoding="utf-8"))["indicators"]]
names = sorted({r["name"] for r in rows})
t3 = time.perf_counter()
for n in names:
    c.read_name(n)
t4 = time.perf_counter()
for r in rows:
    c.classify_text(r["name"], r.get("value") or "", None, r.get("declared_l1"), r.get("declared_l2"))
t5 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "first_call_ms": (t2 - t1) * 1e3,
                  "distinct_name_us": (t4 - t3) / len(names) * 1e6,
                  "cached_indicator_us": (t5 - t4) / len(rows) * 1e6}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for engine in ("spacy", "fast"):
        env = {**os.environ, "KPICHECK_NLP_ENGINE": engine}
        runs = [json.loads(subprocess.run([sys.executable, "-c", PROBE], env=env, check=True,
                                          capture_output=True, text=True).stdout)
                for _ in range(args.runs)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{engine:5s}: import {med['import_ms']:.0f} ms, first call {med['first_call_ms']:.0f} ms, "
              f"distinct name {med['distinct_name_us']:.0f} µs, cached indicator "
              f"{med['cached_indicator_us']:.0f} µs (median of {args.runs})")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
