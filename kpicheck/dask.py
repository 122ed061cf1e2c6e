"""kpicheck on a Dask cluster (`kpicheck[dask]`, on `dask.distributed`): for the command line
(`kpicheck check PATHS --dask ADDRESS|local`) and for analysts already in Dask or Spark.

The command line hands chunks of consecutive files to the cluster as tasks (`cluster_map`), each
checked and rendered on a worker exactly as a `--jobs` child does it, and writes the results in
input order as they come back, so the report is the same bytes as a local run. A few chunks per
worker are in flight at a time, so that what waits to be written stays small. Dask reschedules
the tasks of a worker that dies; a task comes back once whatever happened to it, so no file is
lost or written twice. A chunk that kills its workers `distributed.scheduler.allowed-failures`
times is split, and a file that still kills its worker on its own gets an error entry, as a
`--jobs` child killed on a file does.

The library entry points work on a list of paths (or URLs) or on a `dask.bag` of texts:

    import kpicheck.dask as kd
    reports = kd.reports(["申报材料/a.xlsx", "s3://bucket/b.txt"])      # bag of FileReport
    findings = kd.rows(reports, "findings")                              # bag of dicts
    df = kd.dataframe(reports, "findings")                               # dask DataFrame
    texts = dask.bag.from_sequence([("a.txt", "一级指标 ..."), ...])      # (name, text) pairs
    df = kd.dataframe(kd.reports(texts), "indicators")

`check_partition(items, table)` is the function underneath, usable wherever a partition of
inputs is an iterator, such as Spark's `rdd.mapPartitions` (README). The tables and their
columns are those of `--format parquet` (`kpicheck.report.parquet`).
"""
from __future__ import annotations

import logging
import sys
import uuid
import warnings
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from kpicheck import pool
from kpicheck.config import DEFAULT_CONFIG, Config
from kpicheck.models import FileError, FileReport

MISSING = "--dask 需要 dask.distributed：pip install 'kpicheck[dask]'"
# Files per task at most: Dask's own cost, ~1-3 ms of CPU a task between the client, the
# scheduler and the worker (`benchmarks/dask_throughput.py`), shared by up to 32 files of ~3-9 ms
# each; tasks shrink towards the end of the batch (`pool.chunks`) so the workers finish together.
CHUNK = 32
IN_FLIGHT = 4  # tasks per worker thread in flight at most (topped up at half)


class DaskError(RuntimeError):
    """The cluster cannot be used (dask missing, an address that does not answer): exit 2."""


# ---------------------------------------------------------------------- the command line's map


@contextmanager
def connect(address: str, workers: Optional[int] = None) -> Iterator[Any]:
    """A `Client` on the cluster at `address`, or on a `LocalCluster` of `workers` one-thread
    processes for `local` (this machine's cores by default)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskError(MISSING) from exc
    for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny"):
        logging.getLogger(name).setLevel(logging.ERROR)  # a rescheduled task is not the user's news
    cluster = None
    try:
        if address == "local":
            import dask
            from kpicheck.cli import usable_cores

            # On Linux the workers (and their nannies) are forked from this process, which has
            # imported distributed and kpicheck already: spawned, each would import both again
            # (~0.7 s of CPU each, ~4 s in all for 2 workers; the whole run of 1,000 documents
            # takes ~3 s). Elsewhere (macOS, Windows) fork is unsafe or missing: spawn.
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            if method == "fork":
                _warm()
            with dask.config.set({"distributed.worker.multiprocessing-method": method}), warnings.catch_warnings():
                # the scheduler's HTTP endpoint takes another port when 8787 is taken: not news
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                cluster = LocalCluster(n_workers=workers or usable_cores(), threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster)
        else:
            client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        if cluster is not None:
            cluster.close()
        raise DaskError(f"无法连接 Dask 集群 {address}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# A small table that takes a document through every stage (read, segment, parse, classify,
# rules, render), so that what each stage builds on first use is built once, here.
_WARM_TEXT = "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 培训人数 ≥200人\n满意度指标 服务对象满意度指标 学员满意度 ≥90%\n"


def _warm() -> None:
    """Check one small document in this process before the workers are forked from it: the
    lazily imported modules, the compiled word lists and the caches a first check builds are then
    inherited by every worker instead of built by each (two workers on two cores each paid it
    while the other was already checking)."""
    from kpicheck.pipeline import check_document
    from kpicheck.read.text import text_to_document
    from kpicheck.report.stream import stream_all

    stream_all([check_document(text_to_document(_WARM_TEXT))], "json")


def _settings(init_args: tuple) -> tuple:
    return init_args


def _run_chunk(fn: Callable, init_args: tuple, paths: Sequence[str]) -> list:
    """On a worker: `fn` over a chunk, after `kpicheck.cli._init` once per worker and run."""
    from kpicheck import cli

    if cli._WORKER.get("dask_init") is not init_args:
        cli._init(*init_args)
        cli._WORKER["dask_init"] = init_args
    return [pool.guarded(fn, i, p) for i, p in enumerate(paths)]


def cluster_map(client: Any, fn: Callable, files: list[str], init_args: tuple, chunk: int = CHUNK) -> Iterator:
    """`fn(path)` for each file on the cluster's workers, yielded in input order; a `pool.Lost`
    where `fn` raised or a file killed every worker it was given to.

    Tasks are submitted a batch at a time (`client.map`: one message for many) and their
    results come back with their completion (`as_completed(with_results=True)` gathers them
    in the background), rather than a submit and a `result()` call per task (which cost ~1.6x
    the CPU a task, measured)."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    if not files:
        return
    threads = max(1, sum(client.nthreads().values()))
    # The settings travel once to each worker, as the result of a task rather than scattered
    # data: should every worker holding them die, the scheduler computes them again.
    init = client.submit(_settings, init_args, pure=False)
    run = uuid.uuid4().hex[:12]
    queue = iter(pool.chunks(len(files), threads, chunk))
    done: dict[int, object] = {}  # results not yet handed on, by file index
    emitted = 0
    pending = as_completed(with_results=True, raise_errors=False)
    in_flight: dict[str, tuple[int, int, Any]] = {}  # task key → (start, stop, future)
    window = IN_FLIGHT * threads

    retried: set[int] = set()

    def submit(spans: list[tuple[int, int]], again: bool = False) -> None:
        if not spans:
            return
        suffix = "-again" if again else ""
        futures = client.map(_run_chunk, [fn] * len(spans), [init] * len(spans), [files[a:b] for a, b in spans],
                             key=[f"kpicheck-{run}-{a}-{b}{suffix}" for a, b in spans], pure=False)
        for (a, b), future in zip(spans, futures):
            in_flight[future.key] = (a, b, future)
        pending.update(futures)

    def refill() -> None:
        """Top the tasks in flight up to the window once half of it has come back."""
        if len(in_flight) <= window // 2:
            submit([span for _, span in zip(range(window - len(in_flight)), queue)])

    refill()
    try:
        for future, results in pending:
            a, b, _ = in_flight.pop(future.key)
            if future.status != "finished":
                error = results[1] if isinstance(results, tuple) and len(results) == 3 else results
                if isinstance(error, KilledWorker) and b - a > 1:  # which of them: each on its own
                    submit([(i, i + 1) for i in range(a, b)])
                    future.release()
                    continue
                if isinstance(error, KilledWorker) and a not in retried:
                    # a file alone can be a bystander, on a worker that another file killed while
                    # it ran: once more before it is called the culprit
                    retried.add(a)
                    future.release()
                    submit([(a, b)], again=True)
                    continue
                reason = ("Dask 工作进程在检查此文件时多次终止" if isinstance(error, KilledWorker)
                          else f"Dask: {type(error).__name__}: {error}")  # the cluster lost the task
                results = [pool.Lost(i, reason, died=True) for i in range(a, b)]
            future.release()
            for i, result in enumerate(results, a):
                done[i] = result
            refill()
            while emitted in done:
                yield done.pop(emitted)
                emitted += 1
    finally:
        if in_flight:  # stopped early: what is queued is not run
            client.cancel([f for _, _, f in in_flight.values()])
        init.release()


# ---------------------------------------------------------------------- the library's entry points


def _text_report(name: str, text: str, config: Config, rules: bool) -> FileReport:
    from kpicheck.api import check_text, extract_text

    report = (check_text if rules else extract_text)(text, config=config)
    report.files[0].path = name
    return report.files[0]


def check_one(item: Any, config: Optional[Config] = None, rules: bool = True) -> FileReport:
    """One input of a partition: a path or URL (read where this runs), a (name, text) pair, or
    a dict with `path` and optionally `text`. A file that cannot be read is an error entry."""
    from kpicheck.pipeline import process_path
    from kpicheck.remote import check_url, is_url

    config = config or DEFAULT_CONFIG
    if isinstance(item, dict):
        item = (item["path"], item["text"]) if item.get("text") is not None else item["path"]
    if isinstance(item, (tuple, list)):
        name, text = item
        return _text_report(str(name), text, config, rules)
    path = str(item)
    if is_url(path):
        return check_url(path, lambda copy, display_path: process_path(copy, config, rules=rules,
                                                                        display_path=display_path))
    return process_path(path, config, rules=rules)


def check_partition(items: Iterable[Any], table: Optional[str] = None, config: Optional[Config] = None,
                    rules: bool = True, meta: Optional[dict[str, dict[str, str]]] = None) -> Iterator:
    """Check each input of a partition. Without `table`: each `FileReport`; with `table`
    (files, projects, indicators, findings): the rows of that table as dicts, the columns of
    `--format parquet` (`file_id` is the input's place within its partition; `path` joins the
    tables across partitions). Spark: `rdd.mapPartitions(lambda it: check_partition(it, "findings"))`."""
    for k, item in enumerate(items):
        try:
            report = check_one(item, config, rules)
        except Exception as exc:  # noqa: BLE001 - one input never stops the partition
            name = item.get("path") if isinstance(item, dict) else item[0] if isinstance(item, (tuple, list)) else item
            report = FileReport(path=str(name), error=FileError(code="internal-error", message=f"内部错误: {exc!r}"))
        if table is None:
            yield report
            continue
        from kpicheck.report.parquet import file_rows

        rows = file_rows(report, k)[table]
        if table == "files" and meta:
            for row in rows:
                row.update(meta.get(report.path, {}))
        yield from rows


def _bag(inputs: Any, partition_size: int) -> Any:
    try:
        import dask.bag as db
    except ImportError as exc:
        raise DaskError(MISSING) from exc
    if isinstance(inputs, db.Bag):
        return inputs
    items: list = []
    for x in ([inputs] if isinstance(inputs, str) else inputs):
        if isinstance(x, str):
            from kpicheck.cli import expand_paths

            items.extend(str(p) if not isinstance(p, FileReport) else p for p in expand_paths([x]))
        else:
            items.append(x)
    return db.from_sequence(items, partition_size=partition_size)


def reports(inputs: Any, config: Optional[Config] = None, rules: bool = True, partition_size: int = 8) -> Any:
    """A bag of `FileReport`s: one per path, URL, glob match or (name, text) pair of `inputs`
    (a list, or a `dask.bag` of any of them). Nothing runs until it is computed."""
    bag = _bag(inputs, partition_size)
    return bag.map_partitions(_reports_partition, config, rules)


def _reports_partition(items: Iterable[Any], config: Optional[Config], rules: bool) -> list:
    return [x if isinstance(x, FileReport) else next(check_partition([x], None, config, rules)) for x in items]


def rows(report_bag: Any, table: str) -> Any:
    """A bag of a table's rows (dicts with the columns of `--format parquet`) from a bag of
    `FileReport`s. `file_id` numbers the files within their partition; join on `path`."""
    from kpicheck.report.parquet import TABLES

    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    return report_bag.map_partitions(_rows_partition, table)


def _rows_partition(reports_: Iterable[FileReport], table: str) -> list:
    from kpicheck.report.parquet import file_rows

    return [row for k, r in enumerate(reports_) for row in file_rows(r, k)[table]]


def dataframe(report_bag: Any, table: str) -> Any:
    """A dask DataFrame of a table: each partition's rows through the Arrow schema of
    `--format parquet`, as pandas' Arrow-backed columns (the same dtypes in every partition,
    nulls kept in integer columns)."""
    import dask.dataframe as dd
    from dask import delayed

    parts = [delayed(_frame)(part, table) for part in report_bag.to_delayed()]
    return dd.from_delayed(parts, meta=_frame([], table), verify_meta=False)


def _frame(reports_: Iterable[FileReport], table: str) -> Any:
    import pandas as pd
    import pyarrow as pa

    from kpicheck.report.parquet import schema

    rows_ = _rows_partition(reports_, table)
    return pa.Table.from_pylist(rows_, schema=schema(table)).to_pandas(types_mapper=pd.ArrowDtype)


def spark_ddl(table: str) -> str:
    """The Spark SQL schema (DDL) of a table, for `spark.createDataFrame(rows, spark_ddl(...))`
    over the rows `check_partition` yields (as tuples, in column order)."""
    from kpicheck.report.parquet import schema

    return ", ".join(f"`{f.name}` {_spark_type(f.type)}" for f in schema(table))


def _spark_type(t: Any) -> str:
    import pyarrow as pa

    if pa.types.is_map(t):
        return f"MAP<STRING, {_spark_type(t.item_type)}>"
    if pa.types.is_list(t):
        return f"ARRAY<{_spark_type(t.value_type)}>"
    if pa.types.is_struct(t):
        return "STRUCT<" + ", ".join(f"`{t.field(i).name}`: {_spark_type(t.field(i).type)}"
                                     for i in range(t.num_fields)) + ">"
    return {"string": "STRING", "int64": "BIGINT", "double": "DOUBLE", "bool": "BOOLEAN"}[str(t)]
