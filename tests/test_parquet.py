"""`--format parquet -o DIR`: four tables whose rows are the JSON report's items, joined by keys,
readable by DuckDB and pandas as they are; the caller's metadata; bad arguments exit 2."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from kpicheck.report import parquet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# Documents kept aside to measure kpicheck on text nobody tuned on: never read by a test.
SET_ASIDE = {"h044", "h045", "h054", "h056", "h069", "h073", "h074", "h078", "h081"}
CORPUS = sorted(p for p in (ROOT.parent / "shared" / "corpus").glob("*.txt") if p.stem not in SET_ASIDE)
KPICHECK = [sys.executable, "-m", "kpicheck"]


def kpicheck(*args, cwd=None):
    return subprocess.run(KPICHECK + [str(a) for a in args], capture_output=True, cwd=cwd, timeout=600)


def documents(tmp_path: Path) -> Path:
    """The seeds and the shared corpus (less the set-aside documents), with an unreadable file."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in SEEDS + CORPUS:
        shutil.copy(p, docs / p.name)
    (docs / "zz_broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return docs


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same documents as a JSON report and as parquet tables."""
    tmp = tmp_path_factory.mktemp("parquet")
    docs = documents(tmp)
    report = kpicheck("check", docs, "--format", "json", "--isolated")
    assert report.returncode == 2, report.stderr  # the broken workbook
    out = tmp / "tables"
    tables = kpicheck("check", docs, "--format", "parquet", "-o", out, "--isolated")
    assert tables.returncode == 2, tables.stderr
    return json.loads(report.stdout), out, docs


def rows(directory: Path, table: str) -> list[dict]:
    return pq.read_table(directory / f"{table}.parquet").to_pylist()


def test_rows_are_the_json_items_on_seeds_and_corpus(both):
    report, out, _ = both
    files = report["files"]
    assert len(files) == len(SEEDS) + len(CORPUS) + 1
    expected = {
        "files": [{k: v for k, v in f.items() if k not in ("path",) + parquet.FILE_LISTS} for f in files],
        "projects": [p for f in files for p in f["projects"]],
        "indicators": [i for f in files for i in f["indicators"]],
        "findings": [x for f in files for x in f["findings"]],
    }
    assert len(expected["indicators"]) > 400 and len(expected["findings"]) > 200
    for table in parquet.TABLES:
        got = rows(out, table)
        back = [parquet.item_of(r, table) for r in got]
        if table == "files":
            back = [{k: v for k, v in b.items() if k not in parquet.FILE_COUNTS} for b in back]
        assert back == expected[table], table
        # every row says which file it belongs to, in input order
        owners = [(f_id, f["path"]) for f_id, f in enumerate(files)
                  for _ in (f[table] if table != "files" else [None])]
        assert [(r["file_id"], r["path"]) for r in got] == owners, table


def test_keys_join_the_tables(both):
    report, out, _ = both
    indicators = {(r["file_id"], r["id"]) for r in rows(out, "indicators")}
    projects = {(r["file_id"], r["name"]) for r in rows(out, "projects")}
    findings = rows(out, "findings")
    on_indicators = [x for x in findings if x["indicator_id"] is not None]
    assert on_indicators and all((x["file_id"], x["indicator_id"]) in indicators for x in on_indicators)
    named = [r for r in rows(out, "indicators") if r["project"]]
    assert named and all((r["file_id"], r["project"]) in projects for r in named)
    files = rows(out, "files")
    assert [f["n_findings"] for f in files] == [len(f["findings"]) for f in report["files"]]
    broken = files[-1]
    assert broken["path"].endswith("zz_broken.xlsx") and broken["error_code"] and broken["n_indicators"] == 0


def test_duckdb_reads_the_readme_query(both):
    duckdb = pytest.importorskip("duckdb")
    report, out, _ = both
    con = duckdb.connect()
    # the README's query, on this directory
    got = con.execute(f"""
        SELECT code, severity, count(*) AS findings, count(DISTINCT f.file_id) AS documents
        FROM '{out}/findings.parquet' f JOIN '{out}/files.parquet' USING (file_id)
        GROUP BY code, severity ORDER BY findings DESC, code""").fetchall()
    per_code: dict = {}
    for code, _, n, _ in got:  # a rule may report at more than one severity
        per_code[code] = per_code.get(code, 0) + n
    assert per_code == report["summary"]["by_code"]
    # nested columns are there to query: a position's fields, the parsed value's number
    n = con.execute(f"SELECT count(*) FROM '{out}/indicators.parquet' "
                    "WHERE pos_line IS NOT NULL AND parsed_kind = 'quantity' AND parsed_number IS NOT NULL").fetchone()[0]
    assert n == sum(1 for f in report["files"] for i in f["indicators"]
                    if i["pos"]["line"] is not None and i["parsed"] and i["parsed"]["kind"] == "quantity"
                    and i["parsed"]["number"] is not None)


def test_pandas_loads_the_tables_as_they_are(both):
    pd = pytest.importorskip("pandas")
    report, out, _ = both
    frame = pd.read_parquet(out / "indicators.parquet")
    assert len(frame) == report["summary"]["indicators"]
    assert str(frame["file_id"].dtype) == "int64" and frame["parsed_number"].dtype.kind == "f"
    assert list(frame["category_cues"].iloc[0]) == report["files"][0]["indicators"][0]["category_cues"]
    findings = pd.read_parquet(out / "findings.parquet")
    assert findings.groupby("code").size().to_dict() == report["summary"]["by_code"]


def test_same_bytes_whatever_the_jobs(both, tmp_path):
    _, out, docs = both
    one = tmp_path / "one"
    assert kpicheck("check", docs, "--format", "parquet", "-o", one, "--isolated", "--jobs", "1").returncode == 2
    for table in parquet.TABLES:
        assert (one / f"{table}.parquet").read_bytes() == (out / f"{table}.parquet").read_bytes(), table


def test_metadata_columns(tmp_path):
    tree = tmp_path / "湖南" / "2024" / "财政局"
    tree.mkdir(parents=True)
    shutil.copy(SEEDS[0], tree / "a.txt")
    shutil.copy(SEEDS[1], tmp_path / "b.txt")
    table = tmp_path / "meta.csv"
    table.write_text("path,unit,批次\nb.txt,教育局,二\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    done = kpicheck("check", tree / "a.txt", "b.txt", "--format", "parquet", "-o", out, "--isolated",
                    "--layout", "{region}/{year}/{unit}", "--meta", "cycle=2024预算", "--meta-file", table,
                    cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    files = rows(out, "files")
    assert [(f["region"], f["year"], f["unit"], f["cycle"], f["批次"]) for f in files] == [
        ("湖南", "2024", "财政局", "2024预算", None),
        (None, None, "教育局", "2024预算", "二"),  # b.txt: its row of the CSV, no directories to read
    ]


@pytest.mark.parametrize("args, message", [
    (["--format", "parquet"], "-o DIR"),
    (["--format", "parquet", "-o", "{out}", "--meta", "no-equals"], "KEY=VALUE"),
    (["--format", "parquet", "-o", "{out}", "--meta", "path=x"], "重名"),
    (["--format", "parquet", "-o", "{out}", "--layout", "{region}/省"], "--layout"),
    (["--format", "parquet", "-o", "{out}", "--meta-file", "missing.csv"], "missing.csv"),
    (["--format", "json", "--meta", "a=b"], "--format parquet"),
    (["--format", "parquet", "-o", "{file}"], "无法写入"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, args, message):
    (tmp_path / "file").write_text("x")
    args = [a.replace("{out}", str(tmp_path / "out")).replace("{file}", str(tmp_path / "file")) for a in args]
    done = kpicheck("check", SEEDS[0], *args, cwd=tmp_path)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err and "Traceback" not in err


def test_a_stopped_run_leaves_no_half_tables(tmp_path):
    """The tables are renamed into place at the end: a run that fails keeps what was there."""
    out = tmp_path / "out"
    assert kpicheck("check", SEEDS[0], "--format", "parquet", "-o", out).returncode in (0, 1)
    before = {t: (out / f"{t}.parquet").read_bytes() for t in parquet.TABLES}
    sink = parquet.ParquetSink(out)
    sink.abort()
    assert {t: (out / f"{t}.parquet").read_bytes() for t in parquet.TABLES} == before
    assert not list(out.glob(".*.part"))
