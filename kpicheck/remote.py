"""Inputs named by URL (`s3://bucket/2024/*.xlsx`, `hdfs://...`, `file:///data/...`), read with
fsspec (installed with `kpicheck[dask]`; `s3fs` and the like are fsspec's own extras). The
process that lists the inputs expands a glob; the process that checks a file (a Dask worker)
copies it to a temporary file and reads that as it would a local one, so the report shows the
URL and everything else is as for a local path.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import PurePosixPath

from kpicheck.models import FileError, FileReport

MISSING = "读取 URL 需要 fsspec：pip install 'kpicheck[dask]'（以及该协议的包，如 s3fs）"
MAX_BYTES = 100 * 1024 * 1024 + 1  # the readers refuse larger files; no need to copy more


class Url(str):
    """An input named by URL (a `str`: it pickles and prints as itself)."""


def is_url(raw: str) -> bool:
    scheme, sep, _ = raw.partition("://")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").replace("-", "").isalnum() and len(scheme) > 1


def expand(raw: str) -> list:
    """A URL or URL glob → `Url`s in sorted order, or a `FileReport` saying why there are none."""
    try:
        import fsspec
    except ImportError:
        return [FileReport(path=raw, error=FileError(code="missing-extra", message=MISSING))]
    try:
        fs, _, paths = fsspec.get_fs_token_paths(raw)
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
        return [FileReport(path=raw, error=FileError(code="missing-extra", message=f"{MISSING}: {exc}"))]
    except OSError as exc:
        return [FileReport(path=raw, error=FileError(code="unreadable", message=f"无法读取: {exc}"))]
    if not paths:
        return [FileReport(path=raw, error=FileError(code="no-match", message="没有文件与此模式匹配"))]
    if len(paths) == 1 and not any(ch in raw for ch in "*?["):
        return [Url(raw)]  # as given: the report shows what the caller wrote
    return [Url(fs.unstrip_protocol(p)) for p in sorted(paths)]


def check_url(url: str, check) -> FileReport:
    """`check(local_copy, display_path=url)` on a temporary copy of the file at `url`."""
    try:
        import fsspec
    except ImportError:
        return FileReport(path=url, error=FileError(code="missing-extra", message=MISSING))
    suffix = PurePosixPath(url.split("://", 1)[1]).suffix
    try:
        with fsspec.open(url, "rb") as handle:
            data = handle.read(MAX_BYTES)
    except FileNotFoundError:
        return FileReport(path=url, error=FileError(code="not-found", message="文件不存在"))
    except (OSError, ValueError, ImportError) as exc:
        return FileReport(path=url, error=FileError(code="unreadable", message=f"无法读取: {exc}"))
    with tempfile.TemporaryDirectory(prefix="kpicheck-url-") as tmp:
        copy = os.path.join(tmp, "input" + suffix)
        with open(copy, "wb") as out:
            out.write(data)
        return check(copy, display_path=url)
