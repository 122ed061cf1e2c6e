"""`--format parquet -o DIR`: the report as four tables an analyst queries (needs pyarrow:
`kpicheck[parquet]`).

    files.parquet       one row per input file        file_id, path, error_*, budget_year, ...,
                                                      the caller's metadata (--meta, --meta-file)
    projects.parquet    one row per project           file_id, path, name, budget_wan, pos_*, ...
    indicators.parquet  one row per indicator         file_id, path, id, name, value, parsed_*, ...
    findings.parquet    one row per finding           file_id, path, indicator_id, code, severity, ...

`file_id` is the file's place in the input (0-based) and joins the four tables; a finding's
`indicator_id` joins the indicator's `id` within its file, an indicator's `project` the
project's `name`. The columns are the JSON report's, derived from the models
(`kpicheck.models`), so a field added there is a column here: a nested model one level down is
spread over prefixed columns (`pos` → `pos_line`, `pos_sheet`...; `parsed` → `parsed_number`,
`parsed_unit_canonical`...), anything deeper stays a struct (`parsed_period_start`), lists are
lists (`category_cues`, `unread`), and `positions` is a map from the printed field to its
position. DuckDB, pandas and Spark read the files as they are.

Rows are laid out as columns where the file is checked (a pool child or a Dask worker); the
process that writes numbers them, converts them to Arrow `BATCH` rows at a time and writes a row
group every `ROW_GROUP` rows, so the same inputs give the same bytes whatever `--jobs` or `--dask`.
"""
from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Literal, NamedTuple, Optional, Union

from pydantic import BaseModel

from kpicheck.models import FileReport, Finding, Indicator, Project
from kpicheck.report.common import ReportError
from kpicheck.report.stream import Streamer

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - exercised by the CLI's message
    pa = pq = None

TABLES = ("files", "projects", "indicators", "findings")
KEYS = ("file_id", "path")  # first in every table
ROW_GROUP = 65_536
BATCH = 2_048  # rows held as Python values before they become Arrow arrays
MISSING = "parquet 格式需要 pyarrow：pip install 'kpicheck[parquet]'"
# A file's own columns: its items go to the other tables; three counts instead.
FILE_LISTS = ("projects", "indicators", "findings")
FILE_COUNTS = ("n_projects", "n_indicators", "n_findings")


def require() -> None:
    if pa is None:
        raise ReportError(MISSING)


# ---------------------------------------------------------------------- schema from the models


class Column(NamedTuple):
    name: str  # in the table: "pos_line"
    field: str  # in the model: "pos"
    sub: Optional[str]  # in the nested model: "line"; None for a field of its own
    type: Any  # pyarrow type


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) is Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def arrow_type(annotation: Any) -> Any:
    """The Arrow type of a field's annotation: scalars as themselves, models as structs, lists as
    lists, dicts as maps (an untyped dict, a finding's {"name", "value"}, as string → string)."""
    annotation = _strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = typing.get_args(annotation)
        return pa.int64() if all(isinstance(v, int) for v in values) else pa.string()
    if origin is list:
        return pa.list_(arrow_type(typing.get_args(annotation)[0]))
    if origin is dict or annotation is dict:
        args = typing.get_args(annotation)
        return pa.map_(pa.string(), arrow_type(args[1]) if args else pa.string())
    if _is_model(annotation):
        return pa.struct([(name, arrow_type(f.annotation)) for name, f in annotation.model_fields.items()])
    scalar = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if annotation in scalar:
        return scalar[annotation]
    raise TypeError(f"no Arrow type for {annotation!r}")


def model_columns(model: type[BaseModel], skip: Iterable[str] = ()) -> list[Column]:
    """A model's fields as columns: a nested model spread over `field_sub` columns, one level."""
    out = []
    for name, f in model.model_fields.items():
        if name in skip:
            continue
        annotation = _strip_optional(f.annotation)
        if _is_model(annotation):
            out.extend(Column(f"{name}_{sub}", name, sub, arrow_type(g.annotation))
                       for sub, g in annotation.model_fields.items())
        else:
            out.append(Column(name, name, None, arrow_type(f.annotation)))
    return out


ITEM_MODELS = {"files": FileReport, "projects": Project, "indicators": Indicator, "findings": Finding}


@lru_cache(maxsize=None)
def columns(table: str) -> tuple[Column, ...]:
    """The columns of a table after its keys (and before the caller's metadata, for files)."""
    require()
    if table == "files":
        own = model_columns(FileReport, skip=("path",) + FILE_LISTS)
        cols = tuple(own) + tuple(Column(n, n, None, pa.int64()) for n in FILE_COUNTS)
    else:
        cols = tuple(model_columns(ITEM_MODELS[table]))
    names = [c.name for c in cols] + list(KEYS)
    clash = {n for n in names if names.count(n) > 1}
    if clash:  # a field added to the models whose name a spread model's columns already take
        raise TypeError(f"{table}: columns named twice: {', '.join(sorted(clash))}")
    return cols


@lru_cache(maxsize=None)
def schema(table: str, meta: tuple[str, ...] = ()) -> Any:
    """A table's Arrow schema; files carry the caller's metadata columns last, as strings."""
    fields = [pa.field("file_id", pa.int64(), nullable=False), pa.field("path", pa.string(), nullable=False)]
    fields += [pa.field(c.name, c.type) for c in columns(table)]
    if table == "files":
        fields += [pa.field(k, pa.string()) for k in meta]
    return pa.schema(fields)


def reserved_names() -> set[str]:
    """Column names metadata keys may not take."""
    return set(KEYS) | {c.name for c in columns("files")}


# ---------------------------------------------------------------------- rows


def _row(item: dict, cols: tuple[Column, ...]) -> dict:
    row = {}
    for c in cols:
        value = item.get(c.field)
        row[c.name] = value if c.sub is None else (None if value is None else value.get(c.sub))
    return row


def file_rows(report: FileReport, file_id: int = 0) -> dict[str, list[dict]]:
    """One file's rows of each table, as plain dicts (the JSON report's values)."""
    require()
    item = report.model_dump()
    keys = {"file_id": file_id, "path": report.path}
    own = dict(item, n_projects=len(report.projects), n_indicators=len(report.indicators),
               n_findings=len(report.findings))
    out = {"files": [{**keys, **_row(own, columns("files"))}]}
    for table in FILE_LISTS:
        cols = columns(table)
        out[table] = [{**keys, **_row(x, cols)} for x in item[table]]
    return out


def file_columns(report: FileReport) -> dict[str, dict[str, list]]:
    """One file's rows of each table as columns (name → values; `file_id` is given by the
    writer). Built where the file was checked; the writer converts many files' columns to Arrow
    at once (a record batch per file would cost more than checking the file: ~100 columns)."""
    out = {}
    for table, rows in file_rows(report, -1).items():
        names = schema(table).names
        out[table] = {name: [row[name] for row in rows] for name in names}
    return out


def item_of(row: dict, table: str) -> dict:
    """A table's row back as the JSON report's item (the inverse of `file_rows`, for tests and
    readers): prefixed columns gathered into their model, a nested model that is absent where
    all its columns are null; maps back to dicts."""
    out: dict = {}
    for c in columns(table):
        value = _unmap(row.get(c.name), c.type)
        if c.sub is None:
            out[c.field] = value
        else:
            out.setdefault(c.field, {})[c.sub] = value
    for c in columns(table):
        if c.sub is not None and isinstance(out.get(c.field), dict) and all(v is None for v in out[c.field].values()):
            out[c.field] = None if _optional(table, c.field) else out[c.field]
    return out


def _optional(table: str, field: str) -> bool:
    model = ITEM_MODELS[table]
    f = model.model_fields[field]
    return typing.get_origin(f.annotation) is Union and type(None) in typing.get_args(f.annotation)


def _unmap(value: Any, t: Any) -> Any:
    """pyarrow reads a map as a list of (key, value) pairs: a dict again, recursively."""
    if value is None:
        return None
    if isinstance(t, pa.MapType):
        return {k: _unmap(v, t.item_type) for k, v in value}
    if isinstance(t, pa.ListType):
        return [_unmap(v, t.value_type) for v in value]
    if isinstance(t, pa.StructType):
        return {t.field(i).name: _unmap(value.get(t.field(i).name), t.field(i).type) for i in range(t.num_fields)}
    return value


# ---------------------------------------------------------------------- writing


class ParquetStreamer(Streamer):
    """The command line's streamer for parquet: a file's piece is its record batches, built in
    the worker that checked it; `ParquetSink` writes them."""

    def piece(self, f: FileReport) -> dict[str, dict[str, list]]:
        return file_columns(f)


class ParquetSink:
    """Writes the four tables into a directory, file after file in input order. The files are
    written under temporary names and renamed at `close`: a run that stops half-way leaves the
    previous tables, not half of new ones."""

    def __init__(self, directory: Path, meta_keys: tuple[str, ...] = (), row_group: int = ROW_GROUP) -> None:
        require()
        self.directory, self.meta_keys, self.row_group = Path(directory), tuple(meta_keys), row_group
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schemas = {t: schema(t, self.meta_keys if t == "files" else ()) for t in TABLES}
        self.columns = {t: {name: [] for name in self.schemas[t].names} for t in TABLES}  # not yet Arrow
        self.batches: dict[str, list] = {t: [] for t in TABLES}  # Arrow, not yet written
        self.held = dict.fromkeys(TABLES, 0)  # rows in `batches`
        self.writers = {t: pq.ParquetWriter(self._part(t), self.schemas[t]) for t in TABLES}
        self.next_id = 0

    def _part(self, table: str) -> Path:
        return self.directory / f".{table}.parquet.part"

    def add(self, columns: dict[str, dict[str, list]], meta: Optional[dict[str, str]] = None) -> None:
        """The next file's columns (`file_columns`): numbered, given its metadata."""
        file_id = self.next_id
        self.next_id += 1
        for table in TABLES:
            given, into = columns[table], self.columns[table]
            n = len(given["path"])
            if not n:
                continue
            for name, values in given.items():
                into[name].extend(values)
            into["file_id"][-n:] = [file_id] * n
            if table == "files":
                for k in self.meta_keys:
                    into[k].append((meta or {}).get(k))
            if len(into["file_id"]) >= BATCH:
                self._convert(table)

    def _convert(self, table: str) -> None:
        into = self.columns[table]
        if into["file_id"]:
            batch = pa.RecordBatch.from_pydict(into, schema=self.schemas[table])
            self.batches[table].append(batch)
            self.held[table] += batch.num_rows
            self.columns[table] = {name: [] for name in into}
        if self.held[table] >= self.row_group:
            self._flush(table)

    def _flush(self, table: str) -> None:
        if self.batches[table]:
            data = pa.Table.from_batches(self.batches[table], schema=self.schemas[table]).combine_chunks()
            self.writers[table].write_table(data, row_group_size=self.row_group)
        self.batches[table], self.held[table] = [], 0

    def close(self) -> None:
        for table in TABLES:
            self._convert(table)
            self._flush(table)
            self.writers[table].close()
        for table in TABLES:
            self._part(table).replace(self.directory / f"{table}.parquet")

    def abort(self) -> None:
        for table in TABLES:
            try:
                self.writers[table].close()
            finally:
                self._part(table).unlink(missing_ok=True)


def write(files: Iterable[FileReport], directory: Path, meta: Optional[dict[str, dict[str, str]]] = None,
          meta_keys: tuple[str, ...] = ()) -> None:
    """The tables of a whole report (the library's way; the CLI streams through `ParquetSink`).
    `meta` maps a file's path to its metadata."""
    sink = ParquetSink(directory, meta_keys)
    try:
        for f in files:
            sink.add(file_columns(f), (meta or {}).get(f.path))
    except BaseException:
        sink.abort()
        raise
    sink.close()
