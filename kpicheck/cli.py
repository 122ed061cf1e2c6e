"""The command line, modelled on ruff: a thin layer over `kpicheck.pipeline` and `kpicheck.report`.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it; 2 a usage or config
error, or an input that could not be read (the other inputs are still checked and reported).
Machine formats own stdout; notes (baseline, progress) go to stderr.
"""
from __future__ import annotations

import gc
import glob
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Hashable, Iterator, List, NoReturn, Optional, Sequence, Union

import typer

from kpicheck import baseline as bl
from kpicheck import pool, spool
from kpicheck.config import DEFAULT_CONFIG, Config, ConfigError, discover, load_config, to_toml, with_overrides
from kpicheck.models import FileError, FileReport
from kpicheck.pipeline import process_path
from kpicheck.remote import Url, is_url
from kpicheck.remote import expand as expand_url
from kpicheck.report import BINARY_FORMATS, FORMATS, RenderOptions, build_report, render
from kpicheck.report.common import ReportError
from kpicheck.report.stream import STREAMERS, Streamer, Tally, Totals, make_streamer, tally
from kpicheck.spool import Spooled, SpoolWriter

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="kpicheck: 绩效目标表检查工具 (a linter for performance targets in budget documents)")

FAIL_LEVELS = {"info": 0, "warning": 1, "error": 2}
SEV_LEVEL = {"info": 0, "warning": 1, "error": 2}
PARALLEL_FROM = 4  # below this many files a process pool costs more than it saves
CHECK_FORMATS = list(FORMATS) + ["parquet"]  # parquet: a directory of tables (-o DIR)


def fail(message: str) -> NoReturn:
    """A usage, config or output error: one line on stderr, exit 2."""
    typer.echo(f"kpicheck: {message}", err=True)
    raise typer.Exit(2)


def note(message: str) -> None:
    typer.echo(message, err=True)


# ---------------------------------------------------------------------- inputs


# a file, a URL (`kpicheck.remote.Url`), "-" for stdin, or an input already known to be bad
Item = Union[Path, str, FileReport]


def supported_suffixes() -> set[str]:
    from kpicheck.read import SUPPORTED_SUFFIXES

    return {s.lower() for s in SUPPORTED_SUFFIXES}


def _walk(directory: Path) -> list[Path]:
    suffixes = supported_suffixes()
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .git, .venv ...
        for name in sorted(files):
            if not name.startswith((".", "~$")) and os.path.splitext(name)[1].lower() in suffixes:
                found.append(Path(root) / name)
    return sorted(found)


def _identity(p: Path) -> Hashable:
    """What makes two paths the same file: device and inode (one stat, where resolving a path
    costs one per directory of it; a symbolic or hard link is the file it links to), or the
    resolved path for a file that cannot be stat'ed, a file system that numbers no inodes, and
    Windows (where Python before 3.12 truncates ReFS file ids)."""
    if os.name == "nt":
        return p.resolve()
    try:
        st = os.stat(p)
    except OSError:
        return p.resolve()
    return (st.st_dev, st.st_ino) if st.st_ino else p.resolve()


def expand_paths(paths: Sequence[str]) -> list[Item]:
    """Files as given; directories recursively by known extension; globs expanded; `-` kept.
    A glob or directory that yields nothing becomes an error entry (exit 2), as does a
    missing file (reported by the reader)."""
    items: list[Item] = []
    seen: set[Hashable] = set()

    def add(p: Path) -> None:
        key = _identity(p)
        if key not in seen:
            seen.add(key)
            items.append(p)

    for raw in paths:
        p = Path(raw)
        if raw == "-":
            items.append("-")
        elif "://" in raw and is_url(raw):  # fsspec: s3://, hdfs://, file://...
            for u in expand_url(raw):
                if isinstance(u, FileReport) or u not in seen:
                    seen.add(u)
                    items.append(u)
        elif p.is_dir():
            found = _walk(p)
            if not found:
                items.append(FileReport(path=raw, error=FileError(
                    code="no-input", message=f"目录中没有可检查的文件（支持 {', '.join(sorted(supported_suffixes()))}）")))
            for q in found:
                add(q)
        elif any(ch in raw for ch in "*?[") and not p.exists():
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                items.append(FileReport(path=raw, error=FileError(code="no-match", message="没有文件与此模式匹配")))
            for m in matches:
                q = Path(m)
                for r in (_walk(q) if q.is_dir() else [q]):
                    add(r)
        else:
            add(p)
    return items


def _stdin_report(config: Config, rules: bool, name: Optional[str]) -> FileReport:
    """stdin goes through the same readers as a file: spooled to a temporary file whose suffix
    comes from `--stdin-filename` (plain text by default)."""
    shown = name or "-"
    data = sys.stdin.buffer.read()
    suffix = Path(name).suffix if name and Path(name).suffix else ".txt"
    with tempfile.TemporaryDirectory(prefix="kpicheck-") as tmp:
        copy = Path(tmp) / f"stdin{suffix}"
        copy.write_bytes(data)
        return process_path(copy, config, rules=rules, display_path=shown)


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_jobs(n_files: int) -> int:
    return usable_cores() if n_files >= PARALLEL_FROM else 1


# What each worker needs, set once per process by `_init` (fork inherits it; spawn pickles it
# once per worker, never once per file): config, rules on/off, and the streamer or None.
_WORKER: dict = {}


def _init(config: Config, rules: bool, fmt: Optional[str], opts: Optional[RenderOptions],
          known: frozenset[str] = frozenset()) -> None:
    _WORKER.update(config=config, rules=rules, streamer=_streamer(fmt, opts) if fmt else None, known=known)


def _streamer(fmt: str, opts: Optional[RenderOptions]) -> Optional[Streamer]:
    """A text format's streamer, or parquet's (its pieces are Arrow record batches)."""
    if fmt == "parquet":
        from kpicheck.report.parquet import ParquetStreamer

        return ParquetStreamer(opts)
    return make_streamer(fmt, opts)


def _init_worker(spool_dir: Optional[str], *args) -> None:
    """A pool worker: `_init`, and hand rendered pieces back as UTF-8 bytes, left in this
    worker's spool file (`kpicheck.spool`: only their place travels back) or, failing that,
    pickled (the parent writes them as they are instead of decoding and encoding 40 MB again)."""
    _init(*args)
    _WORKER["encode"] = True
    _WORKER["spool"] = SpoolWriter(spool_dir)


def _check(path: str) -> FileReport:
    if isinstance(path, Url) or ("://" in path and is_url(path)):
        from kpicheck.remote import check_url

        return check_url(path, lambda copy, display_path: process_path(
            copy, _WORKER["config"], rules=_WORKER["rules"], display_path=display_path))
    return process_path(path, _WORKER["config"], rules=_WORKER["rules"])


# A piece of a streamed report: text, UTF-8 bytes, or where a worker left the bytes (written
# to the output before the next piece is asked for: the spool goes when the pool ends).
Piece = Union[str, bytes, Spooled]
Write = Callable[[Piece], object]
Rendered = tuple[Piece, Tally, Optional[tuple[str, list[str]]]]


def _check_rendered(path: str) -> Rendered:
    """One file checked and rendered in the worker: only its text and a few counters travel back."""
    return _rendered(_check(path))


def _rendered(report: FileReport) -> Rendered:
    """The file's piece of the report and its tally, after the baseline (if any) dropped the
    findings it knows; then (document, fingerprints used) to find the stale baseline entries."""
    seen = None
    if _WORKER["known"] and not report.error:
        seen = (bl.document_name(report.path), _suppress(report, _WORKER["known"]))
    piece = _WORKER["streamer"].piece(report)
    if _WORKER.get("encode") and isinstance(piece, str):
        return _WORKER["spool"].put(piece.encode("utf-8")), tally(report), seen
    return piece, tally(report), seen


def _suppress(report: FileReport, known: frozenset[str]) -> list[str]:
    """`baseline.apply` for one file: drop the known findings, return their fingerprints."""
    kept, used = [], []
    for x in report.findings:
        fp = bl.fingerprint(report.path, x)
        if fp in known:
            used.append(fp)
        else:
            kept.append(x)
    report.findings = kept
    return used


def _pool_map(fn: Callable, files: list[str], workers: int, init_args: tuple) -> Iterator:
    """`fn` over `files` in input order, in `workers` processes, this one among them
    (`kpicheck.pool`); the children's rendered pieces come back through a spool directory
    (`kpicheck.spool`), this process's own as text, like `--jobs 1`."""
    if workers <= 1 or len(files) <= 1:
        yield from (pool.guarded(fn, i, f) for i, f in enumerate(files))
        return
    saved, own = _WORKER.get("spool"), None
    # Every piece yielded is written before the next is asked for: the spool may go at the end.
    try:
        with spool.spool_directory() as spool_dir:
            _WORKER["spool"] = own = SpoolWriter(spool_dir)  # for pieces held back (`_spill`)
            yield from pool.ordered_map(fn, files, workers, _init_worker, (spool_dir,) + init_args,
                                        spill=_spill if _WORKER["streamer"] else None)
    finally:
        if own is not None:
            own._close()
        _WORKER["spool"] = saved


def _spill(result: Rendered) -> Rendered:
    """A piece this process rendered that waits for a child's: into the spool, not memory."""
    piece, counts, seen = result
    if isinstance(piece, str):
        piece = _WORKER["spool"].put(piece.encode("utf-8"))
    return piece, counts, seen


# Maps `fn` over the files in input order: `_pool_map` (this machine), or a Dask cluster's.
Mapper = Callable[[Callable, list[str], int, tuple], Iterator]


def _in_order(items: list[Item], config: Config, rules: bool, jobs: Optional[int], fn: Callable,
              local: Callable[[FileReport], object], stdin_name: Optional[str],
              init_args: tuple, mapper: Optional[Mapper] = None) -> Iterator:
    """`fn(path)` for each file (in workers) and `local(report)` for stdin and inputs already
    known to be bad, in input order whatever the number of workers."""
    files = [x if isinstance(x, Url) else str(x) for x in items if isinstance(x, (Path, Url))]
    workers = max(1, min(jobs or default_jobs(len(files)), len(files) or 1))
    _init(*init_args)  # this process too: stdin and inputs known to be bad are done here
    # What is alive now (modules, lexicons, config) lives until exit: out of the cyclic GC's
    # sight, its collections no longer rescan it every few documents, nor write to the pages
    # forked workers share with this process (the `gc.freeze` docs' advice before a fork).
    gc.freeze()
    results = (mapper or _pool_map)(fn, files, workers, init_args)
    try:
        for item in items:
            if isinstance(item, FileReport):
                yield local(item)
            elif item == "-":
                yield local(_stdin_report(config, rules, stdin_name))
            else:
                result = next(results)
                if isinstance(result, pool.Lost):  # raised, or its worker died on it: a per-file error
                    message = f"检查此文件的进程意外终止（{result.reason}）" if result.died else f"内部错误: {result.reason}"
                    result = local(FileReport(path=str(item), error=FileError(code="internal-error", message=message)))
                yield result
    finally:
        results.close()


def run(items: list[Item], config: Config, *, rules: bool, jobs: Optional[int] = None,
        progress: bool = False, stdin_name: Optional[str] = None, mapper: Optional[Mapper] = None) -> list[FileReport]:
    """Check every input; results come back in input order whatever the number of workers."""
    out: list[FileReport] = []
    with _progress(len(items), progress) as tick:
        for report in _in_order(items, config, rules, jobs, _check, lambda r: r, stdin_name,
                                (config, rules, None, None), mapper):
            out.append(report)
            tick()
    return out


def stream(items: list[Item], config: Config, fmt: str, opts: RenderOptions, write: Write, *,
           jobs: Optional[int] = None, progress: bool = False, stdin_name: Optional[str] = None,
           baseline: Optional[bl.Baseline] = None, mapper: Optional[Mapper] = None) -> tuple[Totals, Optional[bl.Applied]]:
    """Check every input and write the report piece by piece as files finish, in input order:
    the workers render, the parent only writes and adds up counters (memory O(one file)).
    With a baseline, also what `baseline.apply` would have said (suppressed, stale entries)."""
    streamer = _streamer(fmt, opts)
    totals = Totals()
    known = frozenset(e.fingerprint for e in baseline.entries) if baseline else frozenset()
    applied = bl.Applied() if baseline else None
    checked: set[str] = set()
    used: set[str] = set()
    write(streamer.head())
    wrote = False
    with _progress(len(items), progress) as tick:
        for piece, counts, seen in _in_order(items, config, True, jobs, _check_rendered, _rendered, stdin_name,
                                             (config, True, fmt, opts, known), mapper):
            totals.add(counts)
            if seen is not None:
                checked.add(seen[0])
                used.update(seen[1])
                applied.suppressed += len(seen[1])  # type: ignore[union-attr]
            if piece:
                if wrote:
                    write(streamer.sep)
                write(piece)
                wrote = True
            tick()
    write(streamer.tail(totals, wrote))
    if applied is not None:
        applied.stale = [e for e in baseline.entries if e.document in checked and e.fingerprint not in used]
    return totals, applied


class _progress:
    """A transient progress bar on stderr (rich), or nothing."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.bar = total, enabled and total > 1, None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("检查中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("check", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# ---------------------------------------------------------------------- config


def resolve_config(paths: Sequence[str], config_file: Optional[Path], isolated: bool = False,
                   **overrides: object) -> Config:
    try:
        if isolated:
            config = DEFAULT_CONFIG
        elif config_file is not None:
            config = load_config(config_file)
        else:
            config = discover(paths)
        return with_overrides(config, **overrides)
    except ConfigError as exc:
        fail(str(exc))


def exit_code(files: list[FileReport], fail_on: str) -> int:
    totals = Totals()
    for f in files:
        totals.add(tally(f))
    return exit_code_of(totals, fail_on)


def exit_code_of(totals: Totals, fail_on: str) -> int:
    if totals.files_with_errors:
        return 2
    if fail_on == "never":
        return 0
    floor = FAIL_LEVELS[fail_on]
    return 1 if any(n and SEV_LEVEL[sev] >= floor for sev, n in totals.by_severity.items()) else 0


def _choice(value: Optional[str], allowed: Sequence[str], option: str) -> Optional[str]:
    if value is not None and value not in allowed:
        fail(f"{option} 的取值 '{value}' 无效，可选: {' | '.join(allowed)}")
    return value


def _baseline_notes(baseline: Optional[Path], applied: bl.Applied) -> None:
    if applied.suppressed:
        note(f"基线 {baseline} 忽略了 {applied.suppressed} 个问题")
    for entry in applied.stale:
        what = f"{entry.indicator} = {entry.value}" if entry.indicator else (entry.project or "")
        note(f"基线中的过期条目（已不再出现，可删除）: {entry.code} {entry.document} {what} "
             f"[{entry.fingerprint}]")


def _wants_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def emit(data: Union[str, bytes], output: Optional[Path], fmt: str) -> None:
    if output is not None:
        try:
            if isinstance(data, bytes):
                output.write_bytes(data)
            else:
                output.write_text(data, encoding="utf-8")
        except OSError as exc:
            fail(f"无法写入 {output}: {exc.strerror or exc}")
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            fail(f"{fmt} 是二进制格式，请用 -o FILE 写入文件")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def _writer(stream) -> Write:
    """Write text, or the UTF-8 bytes a worker rendered (given or spooled): straight to the
    binary buffer when the stream would produce those very bytes (UTF-8, no newline
    translation), else decoded."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    raw = getattr(stream, "buffer", None) if encoding == "utf8" and os.linesep == "\n" else None

    def write(piece: Piece) -> object:
        if isinstance(piece, str):
            return stream.write(piece)
        if isinstance(piece, Spooled):
            if raw is None:
                piece = spool.reader_for(piece).read(piece)
            else:
                stream.flush()
                raw.flush()
                return spool.reader_for(piece).copy(piece, raw)
        if raw is None:
            return stream.write(piece.decode("utf-8"))
        stream.flush()
        return raw.write(piece)
    return write


@contextmanager
def _sink(output: Optional[Path]) -> Iterator[Write]:
    """Where a streamed text report goes: the output file (same bytes as `emit`) or stdout."""
    if output is None:
        yield _writer(sys.stdout)
        sys.stdout.flush()
        return
    try:
        handle = open(output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        fail(f"无法写入 {output}: {exc.strerror or exc}")
    try:
        with handle:
            yield _writer(handle)
    except OSError as exc:
        fail(f"无法写入 {output}: {exc.strerror or exc}")


# ---------------------------------------------------------------------- commands


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="print the version and exit")) -> None:
    if version:
        from kpicheck import __version__

        typer.echo(f"kpicheck {__version__}")
        raise typer.Exit(0)


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="files, directories (recursive), globs, or - for stdin"),
    output_format: str = typer.Option("text", "--format", "--output-format",
                                      help=" | ".join(CHECK_FORMATS)),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write the report to FILE"),
    select: Optional[List[str]] = typer.Option(None, "--select", help="rule codes or prefixes to run (replaces config)"),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="add rule codes or prefixes"),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="rule codes or prefixes to skip"),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="error | warning | info | never (default error)"),
    statistics: bool = typer.Option(False, "--statistics", help="count findings per rule (text format)"),
    lang: Optional[str] = typer.Option(None, "--lang", help="zh | en"),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="findings only: no summary, no notes, no progress"),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, help="worker processes (default: CPU count for batches)"),
    config_file: Optional[Path] = typer.Option(None, "--config", help="use this config file instead of discovering one"),
    isolated: bool = typer.Option(False, "--isolated", help="ignore all config files"),
    no_progress: bool = typer.Option(False, "--no-progress", help="never show a progress bar"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="suppress the findings listed in this baseline"),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="write every finding to a baseline FILE"),
    baseline_reason: Optional[str] = typer.Option(None, "--baseline-reason", help="reason recorded for new baseline entries"),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="name (and format) of the document on stdin"),
    dask_address: Optional[str] = typer.Option(None, "--dask", help="check on a Dask cluster: its scheduler ADDRESS "
                                               "(tcp://host:8786), or local (a LocalCluster of --jobs workers)"),
    meta: Optional[List[str]] = typer.Option(None, "--meta", help="KEY=VALUE recorded for every file (parquet): region=湖南"),
    meta_file: Optional[Path] = typer.Option(None, "--meta-file", help="CSV: a path column and one column per key (parquet)"),
    layout: Optional[str] = typer.Option(None, "--layout", help='keys from the directories holding each file (parquet): '
                                         '"{region}/{year}/{unit}"'),
) -> None:
    """Check performance-target tables and report defects."""
    _choice(output_format, CHECK_FORMATS, "--format")
    _choice(fail_on, list(FAIL_LEVELS) + ["never"], "--fail-on")
    _choice(lang, ["zh", "en"], "--lang")
    if output_format in BINARY_FORMATS and output is None and sys.stdout.isatty():
        fail(f"{output_format} 是二进制格式，请用 -o FILE 写入文件")
    tables = output_format == "parquet"
    if tables and output is None:
        fail("parquet 格式写入一个目录（files/projects/indicators/findings.parquet），请用 -o DIR 指定")
    if not tables and (meta or meta_file or layout):
        fail("--meta、--meta-file 和 --layout 记录在 --format parquet 的 files 表中"
             "（kpicheck summary 也接受 --meta-file 和 --layout）")
    described = _metadata(layout, meta, meta_file) if tables else None
    if dask_address is not None and not dask_address.strip():
        fail("--dask 需要调度器地址（如 tcp://10.0.0.5:8786）或 local")
    config = resolve_config(paths, config_file, isolated, select=select, extend_select=extend_select,
                            ignore=ignore, fail_on=fail_on, lang=lang)
    loaded = None
    try:
        if baseline is not None:
            loaded = bl.load(baseline)
    except bl.BaselineError as exc:
        fail(str(exc))

    show_progress = not (quiet or no_progress) and sys.stderr.isatty()
    color = output_format == "text" and output is None and _wants_color()
    opts = RenderOptions(lang=config.lang, statistics=statistics, color=color, quiet=quiet)
    with _cluster(dask_address, jobs) as mapper:
        _check_all(expand_paths(paths), config, output_format, opts, output, jobs=jobs, progress=show_progress,
                   stdin_name=stdin_filename, baseline=baseline, loaded=loaded, write_baseline=write_baseline,
                   baseline_reason=baseline_reason, quiet=quiet, described=described, mapper=mapper)


def _check_all(items: list[Item], config: Config, output_format: str, opts: RenderOptions, output: Optional[Path], *,
               jobs: Optional[int], progress: bool, stdin_name: Optional[str], baseline: Optional[Path],
               loaded: Optional[bl.Baseline], write_baseline: Optional[Path], baseline_reason: Optional[str],
               quiet: bool, described, mapper: Optional[Mapper]) -> NoReturn:
    """`check` once its options are settled: stream, write tables, or render the whole report."""
    if output_format == "parquet" and write_baseline is None:
        totals, applied = _write_tables(items, config, output, described, jobs=jobs, progress=progress,
                                        stdin_name=stdin_name, baseline=loaded, mapper=mapper)
        if applied is not None and not quiet:
            _baseline_notes(baseline, applied)
        raise typer.Exit(exit_code_of(totals, config.fail_on))
    if output_format in STREAMERS and write_baseline is None:
        with _sink(output) as write:
            totals, applied = stream(items, config, output_format, opts, write, jobs=jobs,
                                     progress=progress, stdin_name=stdin_name, baseline=loaded, mapper=mapper)
        if applied is not None and not quiet:
            _baseline_notes(baseline, applied)
        raise typer.Exit(exit_code_of(totals, config.fail_on))

    files = run(items, config, rules=True, jobs=jobs, progress=progress,
                stdin_name=stdin_name, mapper=mapper)

    if write_baseline is not None:
        try:
            previous = bl.load(write_baseline) if write_baseline.exists() else loaded
            written = bl.build(files, baseline_reason or bl.DEFAULT_REASON, previous)
            bl.save(written, write_baseline)
        except bl.BaselineError as exc:
            fail(str(exc))
        if not quiet:
            note(f"已写入基线 {write_baseline}: {len(written.entries)} 条（请在 reason 中写明理由）")
        raise typer.Exit(2 if any(f.error for f in files) else 0)

    if loaded is not None:
        applied = bl.apply(files, loaded)
        if not quiet:
            _baseline_notes(baseline, applied)

    report = build_report(files)
    try:
        data = render(report, output_format, opts)
    except Exception as exc:  # noqa: BLE001 - e.g. openpyxl missing for xlsx
        fail(str(exc))
    emit(data, output, output_format)
    raise typer.Exit(exit_code(files, config.fail_on))


def _metadata(layout: Optional[str], pairs: Optional[List[str]], table: Optional[Path]):
    """The caller's metadata for the files table (`kpicheck.meta`); bad input exits 2."""
    from kpicheck.meta import Metadata, MetaError
    from kpicheck.report.parquet import reserved_names

    try:
        described = Metadata(layout, pairs or (), table)
        reserved = reserved_names() & set(described.keys)
    except MetaError as exc:
        fail(str(exc))
    except ReportError as exc:  # pyarrow missing
        fail(str(exc))
    if reserved:
        fail(f"元数据的键与报告的列重名: {', '.join(sorted(reserved))}")
    return described


def _write_tables(items: list[Item], config: Config, output: Path, described, *, jobs: Optional[int],
                  progress: bool, stdin_name: Optional[str], baseline: Optional[bl.Baseline],
                  mapper: Optional[Mapper]) -> tuple[Totals, Optional[bl.Applied]]:
    """`--format parquet`: the files stream into the four tables of `output` as they finish."""
    from kpicheck.report.parquet import ParquetSink

    try:
        sink = ParquetSink(output, described.keys)
    except OSError as exc:
        fail(f"无法写入 {output}: {exc.strerror or exc}")

    def write(piece: object) -> None:
        if isinstance(piece, dict):  # the other pieces are the streamer's empty separators
            sink.add(piece, described.of(piece["files"]["path"][0]))

    try:
        result = stream(items, config, "parquet", RenderOptions(lang=config.lang), write, jobs=jobs,
                        progress=progress, stdin_name=stdin_name, baseline=baseline, mapper=mapper)
        sink.close()
    except OSError as exc:
        sink.abort()
        fail(f"无法写入 {output}: {exc.strerror or exc}")
    except BaseException:
        sink.abort()
        raise
    return result


@contextmanager
def _cluster(address: Optional[str], jobs: Optional[int]) -> Iterator[Optional[Mapper]]:
    """With `--dask`: the map onto the cluster's workers (`kpicheck.dask`); else None (this machine)."""
    if address is None:
        yield None
        return
    from kpicheck import dask as kd

    connection = kd.connect(address.strip(), jobs)
    try:
        client = connection.__enter__()
    except kd.DaskError as exc:
        fail(str(exc))
    try:
        yield lambda fn, files, workers, init_args: kd.cluster_map(client, fn, files, init_args)
    finally:
        connection.__exit__(None, None, None)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="files, directories, globs, or -"),
    output_format: str = typer.Option("text", "--format", "--output-format", help="text | json"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write to FILE"),
    jobs: Optional[int] = typer.Option(None, "-j", "--jobs", min=1, help="worker processes"),
    config_file: Optional[Path] = typer.Option(None, "--config", help="config file"),
    no_progress: bool = typer.Option(False, "--no-progress", help="never show a progress bar"),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="name of the document on stdin"),
) -> None:
    """Show every indicator found, with its parsed value and category."""
    _choice(output_format, ["text", "json"], "--format")
    config = resolve_config(paths, config_file)
    files = run(expand_paths(paths), config, rules=False, jobs=jobs,
                progress=not no_progress and sys.stderr.isatty(), stdin_name=stdin_filename)
    report = build_report(files)
    if output_format == "json":
        data = render(report, "json")
    else:
        from kpicheck.report.text import render_indicators

        data = render_indicators(report)
    emit(data, output, output_format)
    raise typer.Exit(2 if any(f.error for f in files) else 0)


@app.command()
def summary(
    source: Path = typer.Argument(..., help="a report: the directory of --format parquet, or a --format json file"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write to FILE (summary.html, summary.xlsx)"),
    output_format: str = typer.Option("html", "--format", help="html | xlsx"),
    layout: Optional[str] = typer.Option(None, "--layout", help='unit/region/year from the directories holding each '
                                         'document: "{region}/{year}/{unit}"'),
    meta_file: Optional[Path] = typer.Option(None, "--meta-file", help="CSV: a path column and unit, region, year"),
    years: Optional[str] = typer.Option(None, "--years", help="the two years to compare: 2023,2024 "
                                        "(default: the last two the report has)"),
    lang: str = typer.Option("zh", "--lang", help="zh | en"),
    title: Optional[str] = typer.Option(None, "--title", help="the page's title"),
) -> None:
    """Summarise a whole corpus's report: counts per rule, family, severity, unit, region and year,
    documents ranked by defects, year on year; one offline HTML page with charts, or xlsx."""
    from kpicheck.meta import MetaError
    from kpicheck.summary import SummaryError, load

    _choice(output_format, ["html", "xlsx"], "--format")
    _choice(lang, ["zh", "en"], "--lang")
    if output_format == "xlsx" and output is None and sys.stdout.isatty():
        fail("xlsx 是二进制格式，请用 -o FILE 写入文件")
    pair = None
    if years is not None:
        parts = [p.strip() for p in years.replace("，", ",").split(",")]
        if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts) or parts[0] == parts[1]:
            fail(f"--years 需要两个不同的年份，如 2023,2024: '{years}'")
        pair = (int(parts[0]), int(parts[1]))
    try:
        corpus = load(source, layout, meta_file)
        if output_format == "xlsx":
            from kpicheck.summary.xlsx import render as render_summary
        else:
            from kpicheck.summary.html import render as render_summary
        data = render_summary(corpus, lang, pair, title or "")
    except (SummaryError, MetaError) as exc:
        fail(str(exc))
    emit(data, output, output_format)


@app.command("rules")
def list_rules(
    output_format: str = typer.Option("text", "--format", "--output-format", help="text | json"),
    lang: str = typer.Option("zh", "--lang", help="zh | en"),
) -> None:
    """List every rule: code, name, family, severity, one line."""
    from rich.cells import cell_len

    from kpicheck.report.common import family_label, severity_label
    from kpicheck.report.text import pad
    from kpicheck.rules import REGISTRY

    _choice(output_format, ["text", "json"], "--format")
    _choice(lang, ["zh", "en"], "--lang")
    rows = [(code, r.name, r.family, family_label(code, lang), r.severity,
             r.summary if lang == "zh" else getattr(r, "summary_en", r.summary))
            for code, r in sorted(REGISTRY.items())]
    if output_format == "json":
        import json

        keys = ("code", "name", "family", "family_name", "severity", "summary")
        typer.echo(json.dumps([dict(zip(keys, r)) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        note("尚未注册任何规则" if lang == "zh" else "no rules registered")
        return
    name_w = max(len(r[1]) for r in rows)
    fam_w = max(cell_len(r[3]) for r in rows)
    sev_w = max(cell_len(severity_label(s, lang)) for s in ("error", "warning", "info"))
    for code, name, _fam, fam_name, sev, summary in rows:
        typer.echo(f"{code}  {name.ljust(name_w)}  {pad(fam_name, fam_w)}  "
                   f"{pad(severity_label(sev, lang), sev_w)}  {summary}")


@app.command()
def explain(code: str = typer.Argument(..., help="a rule code (KPI301) or name"),
            lang: str = typer.Option("zh", "--lang", help="zh | en")) -> None:
    """Print a rule's documentation."""
    from kpicheck.rules import REGISTRY

    _choice(lang, ["zh", "en"], "--lang")
    from kpicheck.rules.base import redirected

    now = redirected(code.upper())
    rule = REGISTRY.get(now) or next((r for r in REGISTRY.values() if r.name == code), None)
    if rule is None:
        fail(f"未知规则代码: {code}（用 `kpicheck rules` 查看全部规则）")
    if now != code.upper():
        typer.echo(f"{code.upper()} 已并入 {now}。" if lang == "zh" else f"{code.upper()} is now {now}.")
    typer.echo(rule.doc(lang))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report (`--format json`), generated from the models."""
    import json

    from kpicheck.report.json_report import schema as report_schema

    typer.echo(json.dumps(report_schema(), ensure_ascii=False, indent=2))


@app.command("config")
def show_config(
    paths: Optional[List[str]] = typer.Argument(None, help="where to look for the config (default: .)"),
    show: bool = typer.Option(True, "--show", help="print the effective config"),
    output_format: str = typer.Option("toml", "--format", help="toml | json"),
    config_file: Optional[Path] = typer.Option(None, "--config", help="config file"),
) -> None:
    """Show the effective configuration (after discovery, `extend` and validation)."""
    _choice(output_format, ["toml", "json"], "--format")
    config = resolve_config(paths or ["."], config_file)
    if output_format == "json":
        typer.echo(config.model_dump_json(indent=2))
    else:
        typer.echo(to_toml(config), nl=False)


def main() -> None:  # console script
    try:
        app()
    except KeyboardInterrupt:
        note("kpicheck: 已中断")
        sys.exit(130)
    except BrokenPipeError:  # `kpicheck check ... | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        finally:
            sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - never a traceback for a user
        note(f"kpicheck: 内部错误: {exc!r}（请报告此问题）")
        sys.exit(2)


if __name__ == "__main__":
    main()
