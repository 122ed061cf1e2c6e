"""Plain-text documents (.txt/.md): decode whatever encoding Chinese offices use, keep positions.

A text file becomes one row per line with a single cell holding the whole line; splitting a
line into cells is a layout question, answered by `kpicheck.segment.layout`.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from pydantic import BaseModel

from kpicheck import patterns
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
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # ASCII in UTF-16 is also valid UTF-8, one NUL per character
        if "\x00" not in text or text.count("\x00") * 4 < len(text) or len(data) < 16:
            return text, "utf-8"
        return _decode_utf16(data) or (text, "utf-8")
    utf16 = _decode_utf16(data)
    if utf16 is not None:
        return utf16
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


# What a budget document is written in: ASCII, Latin-1, Greek (μ, α), punctuation and symbols
# (≥ ① ★ ℃), CJK punctuation, enclosed/compatibility forms (㎡), ideographs, full-width forms.
# Random bytes read as UTF-16 land here ~36% of the time, text read in the wrong byte order
# ~30-60% (only CJK stays CJK when swapped); real text > 95%.
_NOT_TEXT = patterns.compile("[^\t\n\r\x20-\x7e\u00a0-\u00ff\u0370-\u03ff\u2000-\u206f\u2100-\u22ff"
                             "\u2460-\u26ff\u3000-\u303f\u3200-\u33ff\u4e00-\u9fff\ufe30-\ufe4f\uff00-\uffef]")
_ASCII = patterns.compile("[\t\n\r\x20-\x7e]")
_SAMPLE_BYTES = 8192
_MIN_UTF16_BYTES = 32  # below 16 characters, random bytes pass for text too often (~1 in 100)
_MIN_TEXT_SHARE = 0.9


def _decode_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: decode a sample both ways, keep the order whose text is plausible
    (mostly ASCII/CJK, no lone surrogate). ASCII breaks the tie: swapped, ASCII letters turn
    into CJK ideographs but ideographs never turn into ASCII (except U+XX00)."""
    if len(data) < _MIN_UTF16_BYTES or len(data) % 2:
        return None
    head = data[:_SAMPLE_BYTES]
    best, best_score = None, -1
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            sample = codecs.getincrementaldecoder(encoding)().decode(head, final=len(data) <= _SAMPLE_BYTES)
        except UnicodeDecodeError:
            continue  # a lone surrogate: not this byte order
        if not sample:
            continue
        text_chars = len(sample) - len(_NOT_TEXT.findall(sample))
        if text_chars < _MIN_TEXT_SHARE * len(sample):
            continue
        score = text_chars + len(_ASCII.findall(sample))
        if score > best_score:
            best, best_score = encoding, score
    if best is None:
        return None
    try:
        return data.decode(best), best
    except UnicodeDecodeError:
        return None


def text_to_document(text: str, path: str = "<text>", encoding: str | None = None, *,
                     rows: bool = True) -> SourceDocument:
    """`rows=False`: `text` only (segmentation splits the text itself; one row per line is for
    callers that look at rows, ~1.5 µs a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceDocument(path=path, format="text", text=text, rows=_line_rows(text.split("\n")) if rows else [],
                          encoding=encoding)


def _rows_validated(lines: list[str]) -> list[Row]:
    rows = []
    for n, line in enumerate(lines, start=1):
        pos = Position(line=n, column=1)  # one Position for the row and its only cell (never mutated)
        rows.append(Row(cells=[Cell(text=line, pos=pos)], pos=pos))
    return rows


def _rows_prebuilt(lines: list[str]) -> list[Row]:
    """The same rows without validation (~1 µs per model; a seed has ~500 lines, 3 models each):
    the values are known-good. `model_construct` would be slower (it resolves every default in
    Python), so the instance state is set as pydantic does; checked against `_rows_validated`
    once at import, with a fallback to it if a pydantic version stores its state differently."""
    new, set_ = BaseModel.__new__, object.__setattr__
    blank_pos = dict.fromkeys(Position.model_fields)
    rows: list[Row] = []
    append = rows.append
    for n, line in enumerate(lines, start=1):
        pos = new(Position)
        set_(pos, "__dict__", {**blank_pos, "line": n, "column": 1})
        set_(pos, "__pydantic_fields_set__", {"line", "column"})
        set_(pos, "__pydantic_extra__", None)
        set_(pos, "__pydantic_private__", None)
        cell = new(Cell)
        set_(cell, "__dict__", {"text": line, "pos": pos, "merged": False})
        set_(cell, "__pydantic_fields_set__", {"text", "pos"})
        set_(cell, "__pydantic_extra__", None)
        set_(cell, "__pydantic_private__", None)
        row = new(Row)
        set_(row, "__dict__", {"cells": [cell], "pos": pos, "table": None})
        set_(row, "__pydantic_fields_set__", {"cells", "pos"})
        set_(row, "__pydantic_extra__", None)
        set_(row, "__pydantic_private__", None)
        append(row)
    return rows


def _pick_row_builder():
    sample = ["产出指标 | 数量指标", ""]
    try:
        fast, checked = _rows_prebuilt(sample), _rows_validated(sample)
        same = all(
            a == b and a.model_fields_set == b.model_fields_set and a.model_dump_json() == b.model_dump_json()
            and a.cells[0].model_fields_set == b.cells[0].model_fields_set
            and a.pos.model_fields_set == b.pos.model_fields_set
            for a, b in zip(fast, checked))
    except Exception:  # noqa: BLE001 - any surprise: use the validated path
        same = False
    return _rows_prebuilt if same else _rows_validated


_line_rows = _pick_row_builder()


def read_text_file(path: Path, *, rows: bool = True) -> SourceDocument:
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
    return text_to_document(text, path=str(path), encoding=encoding, rows=rows)
