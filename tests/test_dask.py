"""Dask: `--dask local` writes the same report as a local run (byte-identical JSON, the same
parquet tables), a worker killed mid-run costs nothing, a file that kills every worker it is
given to is an error entry, and the library entry points (`kpicheck.dask`) give the rows of
`--format parquet` from paths or from a bag of texts."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import dask  # noqa: E402
import dask.bag as db  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

import kpicheck.dask as kd  # noqa: E402
from kpicheck import cli  # noqa: E402
from kpicheck.api import check_file, check_text  # noqa: E402
from kpicheck.config import DEFAULT_CONFIG  # noqa: E402
from kpicheck.report import parquet  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SET_ASIDE = {"h044", "h045", "h054", "h056", "h069", "h073", "h074", "h078", "h081"}  # never read
CORPUS = sorted(p for p in (ROOT.parent / "shared" / "corpus").glob("*.txt") if p.stem not in SET_ASIDE)
KPICHECK = [sys.executable, "-m", "kpicheck"]


def kpicheck(*args):
    return subprocess.run(KPICHECK + [str(a) for a in args], capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask-docs")
    for p in SEEDS + CORPUS:
        shutil.copy(p, d / p.name)
    (d / "zz_broken.docx").write_bytes(b"PK\x03\x04 not a document")
    return d


def test_cli_dask_local_json_is_byte_identical(docs):
    local = kpicheck("check", docs, "--format", "json", "--isolated")
    remote = kpicheck("check", docs, "--format", "json", "--isolated", "--dask", "local", "--jobs", "2")
    assert local.returncode == remote.returncode == 2, remote.stderr  # the broken document
    assert remote.stdout == local.stdout
    assert b'"code": "corrupt"' in remote.stdout or b"zz_broken.docx" in remote.stdout


def test_cli_dask_local_parquet_is_row_identical(docs, tmp_path):
    assert kpicheck("check", docs, "--format", "parquet", "-o", tmp_path / "local", "--isolated").returncode == 2
    done = kpicheck("check", docs, "--format", "parquet", "-o", tmp_path / "dask", "--isolated", "--dask", "local")
    assert done.returncode == 2, done.stderr
    for table in parquet.TABLES:
        local = pq.read_table(tmp_path / "local" / f"{table}.parquet")
        remote = pq.read_table(tmp_path / "dask" / f"{table}.parquet")
        assert remote.num_rows == local.num_rows and remote.equals(local), table


@pytest.mark.parametrize("address, message", [
    ("tcp://127.0.0.1:9", "无法连接 Dask 集群"),
    ("   ", "--dask 需要调度器地址"),
])
def test_cli_bad_dask_address_exits_2(address, message):
    done = kpicheck("check", SEEDS[0], "--dask", address)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err and "Traceback" not in err


# ---------------------------------------------------------------------- on a cluster in this process


@pytest.fixture(scope="module")
def client():
    # a task whose worker dies is not given to a third one: the poison test stays short
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with kd.connect("local", 2) as c:
            yield c


def _many(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        src = SEEDS[i % len(SEEDS)]
        dst = tmp_path / f"{i:04d}_{src.name}"
        shutil.copy(src, dst)
        paths.append(str(dst))
    return paths


def test_a_worker_killed_mid_run_costs_nothing(client, tmp_path):
    files = _many(tmp_path, 240)
    init_args = (DEFAULT_CONFIG, True, None, None)
    before = client.run(os.getpid)
    results, killed = [], None
    for result in kd.cluster_map(client, cli._check, files, init_args):
        results.append(result)
        if len(results) == 24 and killed is None:
            killed = next(iter(before.values()))
            os.kill(killed, signal.SIGKILL)
    assert killed is not None
    assert [r.path for r in results] == files  # each file once, in input order
    expected = {p.name: check_file(p).files[0].model_dump() for p in SEEDS}
    for path, result in zip(files, results):
        got = result.model_dump()
        want = dict(expected[Path(path).name.split("_", 1)[1]], path=path)
        assert got == want
    deadline = time.time() + 60  # the nanny starts a new worker in place of the one killed
    while time.time() < deadline and len(client.scheduler_info()["workers"]) < 2:
        time.sleep(0.2)
    assert killed not in client.run(os.getpid).values()


def test_a_file_that_kills_its_workers_is_an_error_entry(client, tmp_path):
    import dask_helpers

    files = _many(tmp_path, 12)
    poison = tmp_path / "0005_poison.txt"
    shutil.copy(SEEDS[0], poison)
    files[5] = str(poison)
    results = list(kd.cluster_map(client, dask_helpers.check_or_die, files, (DEFAULT_CONFIG, True, None, None)))
    assert len(results) == 12
    lost = results[5]
    assert getattr(lost, "died", False) and "Dask" in lost.reason
    for i, r in enumerate(results):
        if i != 5:
            assert r.path == files[i] and not r.error and r.indicators


def test_library_reports_and_rows_from_paths(client):
    paths = [str(p) for p in SEEDS]
    reports = kd.reports(paths + [str(SEEDS[0].parent / "missing.txt")]).compute()
    assert [r.model_dump() for r in reports[:-1]] == [check_file(p).files[0].model_dump() for p in SEEDS]
    assert reports[-1].error.code == "not-found"
    frame = kd.dataframe(kd.reports(paths), "findings").compute()
    want = {}
    for p in SEEDS:
        for x in check_file(p).files[0].findings:
            want[x.code] = want.get(x.code, 0) + 1
    assert frame.groupby("code").size().to_dict() == want
    assert set(frame["path"]) <= set(paths)


def test_library_on_a_bag_of_texts(client):
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in SEEDS]
    bag = db.from_sequence(texts, npartitions=2)
    indicators = kd.dataframe(kd.reports(bag), "indicators").compute()
    want = [(name, i.name, i.value) for name, text in texts for i in check_text(text).files[0].indicators]
    assert list(zip(indicators["path"], indicators["name"], indicators["value"])) == want


def test_check_partition_is_what_spark_map_partitions_calls():
    """Spark hands a partition over as an iterator and takes any iterable back: no Dask involved."""
    partition = iter([str(SEEDS[1]), {"path": "inline.txt", "text": SEEDS[2].read_text(encoding="utf-8")}])
    got = list(kd.check_partition(partition, "findings"))
    want = parquet.file_rows(check_file(SEEDS[1]).files[0], 0)["findings"]
    inline = check_text(SEEDS[2].read_text(encoding="utf-8")).files[0]
    inline.path = "inline.txt"
    want += parquet.file_rows(inline, 1)["findings"]
    assert got == want and got


def test_spark_schema_names_every_column_with_its_type():
    ddl = kd.spark_ddl("indicators")
    columns = [c.strip() for c in re_split_top(ddl)]
    assert [c.split(" ", 1)[0].strip("`") for c in columns] == parquet.schema("indicators").names
    assert "`file_id` BIGINT" in columns and "`parsed_number` DOUBLE" in columns
    assert "`category_cues` ARRAY<STRING>" in columns
    assert any(c.startswith("`positions` MAP<STRING, STRUCT<`line`: BIGINT") for c in columns)


def re_split_top(ddl: str) -> list[str]:
    """Split a DDL at its top-level commas (not those inside STRUCT<...> or MAP<...>)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(ddl):
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "," and depth == 0:
            out.append(ddl[start:i])
            start = i + 1
    return out + [ddl[start:]]
