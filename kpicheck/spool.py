"""Rendered pieces handed from pool workers to the parent through files, not the result pipe.

A batch's JSON report runs to ~44 KB per document. Pickled back through the pool's pipe, every
piece was copied four times, and a worker blocked on a full pipe until the parent's result
thread drained it. Instead each worker appends its pieces to a file of its own in a spool
directory and sends back only where a piece is (`Spooled`); the parent copies those bytes to the
output with `os.sendfile` (kernel to kernel) or, where there is none, reads and writes them.

The spool stays small: a worker starts a new file once its file passes `ROTATE_BYTES`, marking
the piece that closes the old one (`last`), and the parent deletes a file as soon as it has
copied that piece (a worker's pieces reach the output in the order it wrote them). Whatever is
left goes with the directory when the pool ends, or when the process is asked to terminate.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from typing import BinaryIO, Iterator, NamedTuple, Optional, Union

ROTATE_BYTES = 16 * 1024 * 1024


class Spooled(NamedTuple):
    """A piece left in a worker's spool file: `length` bytes from `offset`; `last`: no piece
    follows it in that file."""

    path: str
    offset: int
    length: int
    last: bool = False

    def __bool__(self) -> bool:  # an empty piece is falsy, as b"" is
        return self.length > 0


class SpoolWriter:
    """A worker's side. `put` gives back where the bytes went, or the bytes themselves when
    there is no spool or it cannot take them (no room): then they travel through the pipe."""

    def __init__(self, directory: Optional[str], rotate_bytes: int = ROTATE_BYTES) -> None:
        self.directory, self.rotate_bytes = directory, rotate_bytes
        self.fd: Optional[int] = None
        self.path = ""
        self.end = 0

    def put(self, data: bytes) -> Union[Spooled, bytes]:
        if not data or not self.directory:
            return data
        try:
            if self.fd is None:
                self.fd, self.path = tempfile.mkstemp(dir=self.directory, suffix=".part")
                self.end = 0
            view = memoryview(data)
            while view:  # a regular file takes it all at once; loop for the odd short write
                view = view[os.write(self.fd, view):]
        except OSError:
            self._close()
            self.directory = None  # full or gone: this piece and the rest go through the pipe
            return data
        piece = Spooled(self.path, self.end, len(data), self.end + len(data) >= self.rotate_bytes)
        self.end += len(data)
        if piece.last:
            self._close()  # the next piece starts a new file; the parent deletes this one
        return piece

    def _close(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass  # already unusable: what matters is that it is not used again


class SpoolReader:
    """The parent's side for one pool: the spool files it has open."""

    def __init__(self) -> None:
        self.fds: dict[str, int] = {}

    def read(self, piece: Spooled) -> bytes:
        fd = self._fd(piece.path)
        if hasattr(os, "pread"):
            data = os.pread(fd, piece.length, piece.offset)
        else:  # Windows: this reader is the file's only user, so seek and read
            os.lseek(fd, piece.offset, os.SEEK_SET)
            data = os.read(fd, piece.length)
        self._done_with(piece)
        return data

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
            out.write(self.read(Spooled(piece.path, offset, length, piece.last)))
        else:
            self._done_with(piece)

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()

    def _fd(self, path: str) -> int:
        fd = self.fds.get(path)
        if fd is None:
            fd = self.fds[path] = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        return fd

    def _done_with(self, piece: Spooled) -> None:
        if piece.last:
            os.close(self.fds.pop(piece.path))
            try:
                os.remove(piece.path)
            except OSError:
                pass  # removed with the directory at the end


# The readers of the pools running now, by spool directory (a piece's path says its pool).
_READERS: dict[str, SpoolReader] = {}


def reader_for(piece: Spooled) -> SpoolReader:
    return _READERS[os.path.dirname(piece.path)]


@contextmanager
def spool_directory() -> Iterator[Optional[str]]:
    """A spool directory for one pool, with its reader; None when no temporary directory can
    be made (the pieces then travel through the pipe). Removed at the end, and on SIGTERM."""
    try:
        directory = tempfile.mkdtemp(prefix="kpicheck-")
    except OSError:
        yield None
        return
    _READERS[directory] = SpoolReader()
    restore = _remove_on_terminate(directory)
    try:
        yield directory
    finally:
        restore()
        _READERS.pop(directory).close()
        shutil.rmtree(directory, ignore_errors=True)


def _remove_on_terminate(directory: str):
    """While the pool runs, SIGTERM first removes the spool, then terminates as it would have
    (only where this process has no handler of its own and this is the main thread)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return lambda: None

    def on_terminate(signum, frame) -> None:
        shutil.rmtree(directory, ignore_errors=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_terminate)
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL)
