"""Rendered pieces handed from pool workers to the parent through files, not the result pipe.

A batch's JSON report runs to ~44 KB per document. Pickled back through the pool's pipe, every
piece was copied four times, and a worker blocked on a full pipe until the parent's result
thread drained it. Instead each worker appends its pieces to its own file in a spool directory
and sends back only where a piece is (`Spooled`); the parent copies those bytes to the output
with `os.sendfile` (kernel to kernel) or, where there is none, reads and writes them.
"""
from __future__ import annotations

import os
import tempfile
from typing import BinaryIO, NamedTuple, Optional, Union


class Spooled(NamedTuple):
    """A piece left in a worker's spool file: `length` bytes from `offset`."""

    path: str
    offset: int
    length: int

    def __bool__(self) -> bool:  # an empty piece is falsy, as b"" is
        return self.length > 0


class SpoolWriter:
    """A worker's spool file. `put` gives back where the bytes went, or the bytes themselves
    when the file cannot take them (no room, no spool): then they travel through the pipe."""

    def __init__(self, directory: Optional[str]) -> None:
        self.fd: Optional[int] = None
        self.path = ""
        self.end = 0
        if directory:
            try:
                self.fd, self.path = tempfile.mkstemp(dir=directory, suffix=".part")
            except OSError:
                self.fd = None

    def put(self, data: bytes) -> Union[Spooled, bytes]:
        if self.fd is None or not data:
            return data
        view = memoryview(data)
        try:
            while view:  # a regular file takes it all at once; loop for the odd short write
                view = view[os.write(self.fd, view):]
        except OSError:
            self.fd = None  # disk full or gone: this piece and the rest go through the pipe
            return data
        piece = Spooled(self.path, self.end, len(data))
        self.end += len(data)
        return piece


class SpoolReader:
    """The parent's side: the spool files it has opened, closed together when the pool is done."""

    def __init__(self) -> None:
        self.fds: dict[str, int] = {}

    def read(self, piece: Spooled) -> bytes:
        fd = self._fd(piece.path)
        if hasattr(os, "pread"):
            return os.pread(fd, piece.length, piece.offset)
        os.lseek(fd, piece.offset, os.SEEK_SET)  # Windows: one reader, so seek and read
        return os.read(fd, piece.length)

    def copy(self, piece: Spooled, out: BinaryIO) -> None:
        """Write the piece to `out` (flushed by the caller): sendfile where the kernel allows it."""
        fd = self._fd(piece.path)
        offset, length = piece.offset, piece.length
        if hasattr(os, "sendfile"):
            try:
                target = out.fileno()
                while length:
                    sent = os.sendfile(target, fd, offset, length)
                    if not sent:
                        break
                    offset, length = offset + sent, length - sent
            except (OSError, ValueError, AttributeError):
                pass  # not a file descriptor the kernel can send to: read and write below
        if length:
            out.write(self.read(Spooled(piece.path, offset, length)))

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()

    def _fd(self, path: str) -> int:
        fd = self.fds.get(path)
        if fd is None:
            fd = self.fds[path] = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        return fd


# The parent's reader for the pool that runs now (one batch at a time per process).
READER = SpoolReader()
