"""Plain-text documents (.txt/.md): decode whatever encoding Chinese offices use, keep positions.

A text file becomes one row per line with a single cell holding the whole line; splitting a
line into cells is a layout question, answered by `kpicheck.segment.layout`.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from kpicheck.models import Cell, Position, Row, SourceDocument
from kpicheck.read.errors import ReadError

MAX_TEXT_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Order: BOM, strict UTF-8, UTF-16 without BOM, GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ReadError("decode-error", f"文件以 {encoding} 标记开头，但内容无法解码: {exc}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data):
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    if b"\x00" in data:
        raise ReadError("binary", "文件看起来是二进制文件，不是文本")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # rare path: only for odd legacy encodings

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ReadError("decode-error", "无法识别文件编码（已尝试 UTF-8、UTF-16、GB18030）")
    return str(best), best.encoding


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: about half the bytes of ASCII-heavy text are NUL, at one parity."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) > len(sample) // 8 and min(even, odd) == 0


def text_to_document(text: str, path: str = "<text>", encoding: str | None = None) -> SourceDocument:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows = [
        Row(cells=[Cell(text=line, pos=Position(line=n, column=1))], pos=Position(line=n, column=1))
        for n, line in enumerate(text.split("\n"), start=1)
    ]
    return SourceDocument(path=path, format="text", text=text, rows=rows, encoding=encoding)


def read_text_file(path: Path) -> SourceDocument:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ReadError("too-large", f"文件过大 ({size // (1024 * 1024)} MB)，上限 {MAX_TEXT_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError("not-found", f"文件不存在: {path}") from exc
    except IsADirectoryError as exc:
        raise ReadError("unreadable", f"这是一个目录，不是文件: {path}") from exc
    except PermissionError as exc:
        raise ReadError("unreadable", f"没有读取权限: {path}") from exc
    except OSError as exc:
        raise ReadError("unreadable", f"无法读取文件: {exc}") from exc
    text, encoding = decode_bytes(data)
    return text_to_document(text, path=str(path), encoding=encoding)
