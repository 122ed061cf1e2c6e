"""Checks that run before an untrusted file is handed to a parser library.

Office files are zip packages: a small file can inflate to gigabytes (a "zip bomb") or hold
millions of entries, so the zip directory is inspected first. An encrypted .xlsx/.docx is not a
zip at all but an OLE compound file holding an `EncryptedPackage` stream; an OLE file without
one is a legacy .xls/.doc. Limits are module constants so a deployment can tune them.
"""
from __future__ import annotations

import importlib
import zipfile
from pathlib import Path
from types import ModuleType

from kpicheck.read.errors import ReadError, one_line

MAX_FILE_BYTES = 100 * 1024 * 1024  # the file as stored
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all zip entries, inflated
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200  # inflated/compressed, for entries large enough to matter
RATIO_CHECK_MIN_BYTES = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

EXTRAS = {"openpyxl": "office", "docx": "office", "pdfplumber": "pdf"}


def require(module: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = EXTRAS.get(module, "all")
        raise ReadError(
            "missing-extra",
            f"读取此格式需要可选依赖 {module}：请运行 pip install 'kpicheck[{extra}]'",
        ) from exc


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_head(path: Path, limit: int | None = None) -> tuple[int, bytes]:
    """(size, first bytes) of a readable file within `limit` bytes (default MAX_FILE_BYTES)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReadError("unreadable", f"这是一个目录，不是文件: {path}")
        if size > limit:
            raise ReadError("too-large", f"文件过大 ({_mb(size)})，上限 {_mb(limit)}")
        with path.open("rb") as fh:
            head = fh.read(2048)
    except FileNotFoundError as exc:
        raise ReadError("not-found", f"文件不存在: {path}") from exc
    except PermissionError as exc:
        raise ReadError("unreadable", f"没有读取权限: {path}") from exc
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件: {exc}") from exc
    return size, head


def _ole_is_encrypted(path: Path) -> bool:
    """An OLE file whose directory names an `EncryptedPackage` stream (Office encryption)."""
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_STREAM):]
    return False


def check_office_package(path: Path, required_part: str, kind: str) -> None:
    """Refuse encrypted, legacy, corrupt or bomb-like .xlsx/.docx before any parser sees them.

    `required_part` is the part every such package has ("xl/workbook.xml"); `kind` names the
    format for messages ("Excel", "Word")."""
    _, head = read_head(path)
    if head.startswith(OLE_MAGIC):
        if _ole_is_encrypted(path):
            raise ReadError("encrypted", f"{kind} 文件已加密（设有打开密码），请去掉密码后再检查")
        legacy = {"Excel": ".xls", "Word": ".doc"}.get(kind, "旧版")
        raise ReadError("unsupported-format",
                        f"这是旧版 {legacy} 格式的文件，请另存为 {path.suffix.lower() or '新版格式'} 后再检查")
    if not head.startswith(ZIP_MAGIC):
        raise ReadError("corrupt", f"{kind} 文件已损坏或不是 {kind} 文件（缺少 zip 文件头）")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise ReadError("corrupt", f"{kind} 文件已损坏: {one_line(exc)}") from exc
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件: {exc}") from exc
    check_zip_entries(infos, kind)
    names = {info.filename for info in infos}
    if required_part not in names:
        raise ReadError("corrupt", f"{kind} 文件已损坏或不是 {kind} 文件（缺少 {required_part}）")


def check_zip_entries(infos: list[zipfile.ZipInfo], kind: str) -> None:
    """Entry count, total inflated size and per-entry compression ratio within limits."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError("too-large", f"{kind} 文件包含 {len(infos)} 个部件，上限 {MAX_ZIP_ENTRIES}（疑似压缩炸弹）")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("encrypted", f"{kind} 文件的内容已加密，无法读取")
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ReadError("too-large",
                            f"{kind} 文件解压后超过 {_mb(MAX_UNCOMPRESSED_BYTES)}（疑似压缩炸弹）")
        if info.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise ReadError("too-large",
                                f"{kind} 文件中 {info.filename} 的压缩比为 {ratio:.0f}:1，"
                                f"超过上限 {MAX_COMPRESSION_RATIO}:1（疑似压缩炸弹）")
