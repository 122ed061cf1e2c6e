"""Regenerate examples/reports/: one seed checked and written in every output format.

    .venv/bin/python examples/make_reports.py [SEED]

Runs the real command line (`kpicheck check`), so the samples show exactly what users get.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "reports"
SUFFIX = {"text": "txt", "json": "json", "json-lines": "jsonl", "sarif": "sarif", "github": "github.txt",
          "junit": "junit.xml", "csv": "csv", "xlsx": "xlsx", "html": "html"}


def main() -> int:
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("seeds/000_ef8236a379d28a74.txt")
    OUT.mkdir(parents=True, exist_ok=True)
    kpicheck = [sys.executable, "-m", "kpicheck.cli"]
    for fmt, suffix in SUFFIX.items():
        target = OUT / f"report.{suffix}"
        args = [*kpicheck, "check", str(seed), "--isolated", "--no-progress", "--format", fmt, "-o", str(target)]
        if fmt == "text":
            args.append("--statistics")
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            print(f"{fmt}: exit {done.returncode}: {done.stderr.strip()}", file=sys.stderr)
            return done.returncode
        print(f"wrote {target.relative_to(ROOT)}")
    schema = subprocess.run([*kpicheck, "schema"], cwd=ROOT, capture_output=True, text=True, check=True)
    (OUT / "report-schema.json").write_text(schema.stdout, encoding="utf-8")
    print(f"wrote {(OUT / 'report-schema.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
