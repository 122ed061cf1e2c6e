"""The default install's start is unchanged by the extras: `kpicheck check` on a document in
a text format imports none of pyarrow, dask, distributed, fsspec, pandas or plotly (they load on
the paths that need them: --format parquet, --dask, URLs, kpicheck summary)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_ef8236a379d28a74.txt"
EXTRAS = {"pyarrow", "dask", "distributed", "fsspec", "pandas", "plotly", "numpy", "duckdb"}

PROBE = """
import json, sys
from kpicheck.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_check_imports_no_extra(tmp_path):
    out = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-c", PROBE, "check", str(SEED), "--format", "json", "--isolated",
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "kpicheck" in loaded and json.loads(out.read_text(encoding="utf-8"))["files"]
    assert not loaded & EXTRAS, loaded & EXTRAS
