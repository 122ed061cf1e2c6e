"""`fn` over many inputs in several processes, results in input order: `ordered_map`.

With fork (Linux, macOS) the parent is one of the workers: `jobs=N` forks N-1 children and
checks files itself between handing results on. On a 2-core machine a third, mostly idle
coordinating process (a `ProcessPoolExecutor`'s parent, with its feeder and result threads)
took ~0.1 s of CPU per 1,000 documents from the two that work.

- Work: chunks of consecutive inputs, written up front as 8-byte frames (start, stop) into one
  task pipe that every process reads from; a read of 8 bytes takes exactly one frame. Chunks
  shrink towards the end so that the processes finish together. A process that dies holds no
  lock: there is none.
- Results: each child writes one frame per input (length, pickled (index, result)) into a
  result pipe of its own; its end of file says the child has gone. A child notes in shared
  memory which input it is on, so that a child killed by a signal (out of memory) costs the
  one input it was checking (`Lost`), whose siblings the parent checks instead.
- Without fork (Windows): a `ProcessPoolExecutor` with `initializer` (spawn); the parent waits,
  and a worker that dies costs the input it broke on, the rest being checked in the parent.
"""
from __future__ import annotations

import mmap
import os
import pickle
import select
import signal
import struct
from itertools import repeat
from typing import Callable, Iterator, NamedTuple, Optional, Sequence

MAX_CHUNK = 8  # inputs per chunk: fewer hand-overs; small enough to finish together
HOLD = 64  # the parent's own results kept as they are while earlier ones are awaited; then `spill`
_TASK = struct.Struct("<II")  # start, stop
_LENGTH = struct.Struct("<I")
_SLOT = struct.Struct("<q")  # per child: the input it is checking, or -1
_READ = 1 << 20
_ATOMIC = getattr(select, "PIPE_BUF", 512) // _TASK.size * _TASK.size  # whole frames per write


class Lost(NamedTuple):
    """An input whose worker stopped while checking it (killed, out of memory) or raised."""

    index: int
    reason: str  # what fn raised, or how the worker ended ("signal 9 (SIGKILL)")
    died: bool = False


def chunks(n: int, workers: int, largest: int = 0) -> list[tuple[int, int]]:
    """(start, stop) over n inputs: `largest` (MAX_CHUNK) at a time, then smaller as the end
    nears (each a share of what is left), so that no process is left with a long last chunk."""
    largest = largest or MAX_CHUNK
    out, start = [], 0
    while start < n:
        size = max(1, min(largest, (n - start) // (2 * workers)))
        out.append((start, start + size))
        start += size
    return out


def ordered_map(fn: Callable, items: Sequence, workers: int, initializer: Callable = lambda: None,
                initargs: tuple = (), spill: Optional[Callable] = None) -> Iterator:
    """`fn(item)` for each item, yielded in order; a `Lost` where `fn` raised or its worker
    died. `initializer(*initargs)` runs in each worker this starts (not in this process).
    `spill(result)` stores a result of this process's that must wait for earlier ones once
    `HOLD` are waiting (a child stuck on a long input), so that waiting costs no memory."""
    if workers <= 1 or len(items) <= 1:
        yield from (guarded(fn, i, item) for i, item in enumerate(items))
        return
    if not hasattr(os, "fork"):
        yield from _spawned(fn, items, workers, initializer, initargs)
        return
    yield from _Forked(fn, items, workers, initializer, initargs, spill).results()


def guarded(fn: Callable, index: int, item: object) -> object:
    """`fn(item)`, or a `Lost` saying what it raised: one input never stops the others."""
    try:
        return fn(item)
    except Exception as exc:  # noqa: BLE001 - reported as this input's result
        return Lost(index, f"{type(exc).__name__}: {exc}")


def _spawned(fn, items, workers, initializer, initargs) -> Iterator:
    """Where there is no fork. A worker that dies breaks the whole executor: the input it broke
    on is `Lost` (the first not yet handed on: the culprit or one of its chunk) and the rest are
    checked in this process."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(MAX_CHUNK, len(items) // (workers * 8)))
    executor = ProcessPoolExecutor(max_workers=workers, initializer=initializer, initargs=initargs)
    handed = 0
    try:
        for result in executor.map(guarded, repeat(fn), range(len(items)), items, chunksize=chunk):
            yield result
            handed += 1
    except BrokenProcessPool as exc:
        yield Lost(handed, f"{type(exc).__name__}: {exc}", died=True)
        for i in range(handed + 1, len(items)):
            yield guarded(fn, i, items[i])
    finally:
        executor.shutdown(wait=True, cancel_futures=True)  # stopped early: what is queued is not run


def _grow(fd: int) -> None:
    """A larger pipe where the kernel allows (Linux): fewer waits on a full one."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _READ)
    except (ImportError, AttributeError, OSError):
        pass


class _Child(NamedTuple):
    pid: int
    fd: int
    slot: int
    buffer: bytearray


class _Forked:
    def __init__(self, fn, items, workers, initializer, initargs, spill) -> None:
        self.fn, self.items, self.spill = fn, items, spill
        self.initializer, self.initargs = initializer, initargs
        self.n_children = workers - 1
        self.done: dict[int, object] = {}  # results not yet handed on, by input index
        self.emitted = 0  # how many have been
        self.children: list[_Child] = []
        self.tasks_read, tasks_write = os.pipe()
        _grow(tasks_write)
        self.pending = b"".join(_TASK.pack(a, b) for a, b in chunks(len(items), workers))
        self.tasks_write: int | None = tasks_write
        self.slots = mmap.mmap(-1, _SLOT.size * self.n_children)

    # ------------------------------------------------------------------ the parent

    def results(self) -> Iterator:
        try:
            os.set_blocking(self.tasks_write, False)
            self._feed()  # before forking: the children find work at once
            for k in range(self.n_children):
                self._fork(k)
            os.set_blocking(self.tasks_read, False)  # shared with the children: they wait in select
            yield from self._work()
        finally:
            self._stop()

    def _work(self) -> Iterator:
        n = len(self.items)
        while self.emitted < n:
            yield from self._hand_on()
            if self.emitted >= n:
                break
            task = self._take()
            if task is not None:
                for i in range(*task):
                    result = guarded(self.fn, i, self.items[i])
                    if i != self.emitted and self.spill and len(self.done) >= HOLD and not isinstance(result, Lost):
                        result = self.spill(result)
                    self.done[i] = result
                    self._drain(wait=False)
                    yield from self._hand_on()  # as they come: the output streams
            elif self.children:
                self._drain(wait=not self.pending)  # with tasks still to write, come back soon
            else:  # no work left to take and no child: what a dead child held, checked here
                for i in range(self.emitted, n):
                    if i not in self.done:
                        self.done[i] = guarded(self.fn, i, self.items[i])

    def _hand_on(self) -> Iterator:
        """The results that are ready, in input order from the next one due."""
        while self.emitted in self.done:
            yield self.done.pop(self.emitted)
            self.emitted += 1

    def _take(self) -> tuple[int, int] | None:
        self._feed()
        try:
            frame = os.read(self.tasks_read, _TASK.size)
        except BlockingIOError:
            return None
        return _TASK.unpack(frame) if frame else None

    def _feed(self) -> None:
        """Write what the task pipe takes (whole frames: each write at most PIPE_BUF bytes, which
        the kernel writes whole or not at all: 4096 on Linux, 512 on macOS); close it when all
        is written."""
        while self.pending:
            part = self.pending[:_ATOMIC]
            try:
                written = os.write(self.tasks_write, part)
            except BlockingIOError:
                return
            self.pending = self.pending[written:]
        if self.tasks_write is not None:
            os.close(self.tasks_write)
            self.tasks_write = None

    def _drain(self, wait: bool) -> None:
        """Read what the children have sent; with `wait`, block until one sends or goes."""
        fds = [c.fd for c in self.children]
        readable, _, _ = select.select(fds, [], [], None if wait else 0.001 if self.pending else 0)
        for child in [c for c in self.children if c.fd in readable]:
            data = os.read(child.fd, _READ)
            if not data:
                self._gone(child)
                continue
            child.buffer.extend(data)
            self._frames(child)

    def _frames(self, child: _Child) -> None:
        buf = child.buffer
        while len(buf) >= _LENGTH.size:
            size = _LENGTH.unpack_from(buf)[0]
            end = _LENGTH.size + size
            while len(buf) < end:  # the child is writing the rest of this frame now
                more = os.read(child.fd, max(_READ, end - len(buf)))
                if not more:
                    return
                buf.extend(more)
            index, result = pickle.loads(memoryview(buf)[_LENGTH.size:end])
            del buf[:end]
            self.done[index] = result

    def _gone(self, child: _Child) -> None:
        os.close(child.fd)
        self.children.remove(child)
        status = _reap(child.pid)
        busy = _SLOT.unpack_from(self.slots, _SLOT.size * child.slot)[0]
        if busy >= 0 and busy not in self.done:
            self.done[busy] = Lost(busy, _how(status) if status is not None else "ended", died=True)

    def _fork(self, k: int) -> None:
        _SLOT.pack_into(self.slots, _SLOT.size * k, -1)
        read_end, write_end = os.pipe()
        _grow(write_end)
        try:
            pid = os.fork()
        except OSError:  # no more processes allowed: the ones there are do the work
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns
            os.close(read_end)
            if self.tasks_write is not None:
                os.close(self.tasks_write)  # else the task pipe never ends for anyone
            for c in self.children:
                os.close(c.fd)
            self._child(k, write_end)
        os.close(write_end)
        self.children.append(_Child(pid, read_end, k, bytearray()))

    def _stop(self) -> None:
        if self.tasks_write is not None:
            os.close(self.tasks_write)
            self.tasks_write = None
        os.close(self.tasks_read)
        for child in self.children:  # still running only when the parent stops early
            try:
                os.kill(child.pid, signal.SIGTERM)
            except OSError:
                pass
        for child in self.children:
            os.close(child.fd)
            _reap(child.pid)
        self.children.clear()
        self.slots.close()

    # ------------------------------------------------------------------ a child

    def _child(self, k: int, out: int) -> None:
        code = 1
        try:
            if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # ignored (`cmd &` in a script): stays so
                signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports, children go
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            self.initializer(*self.initargs)
            offset = _SLOT.size * k
            while True:
                select.select([self.tasks_read], [], [])
                try:
                    frame = os.read(self.tasks_read, _TASK.size)
                except BlockingIOError:
                    continue  # another process took it first
                if not frame:
                    break
                for i in range(*_TASK.unpack(frame)):
                    _SLOT.pack_into(self.slots, offset, i)
                    result = guarded(self.fn, i, self.items[i])
                    try:
                        payload = pickle.dumps((i, result), pickle.HIGHEST_PROTOCOL)
                    except Exception as exc:  # noqa: BLE001 - a result that cannot travel
                        payload = pickle.dumps((i, Lost(i, f"{type(exc).__name__}: {exc}")))
                    _write_all(out, _LENGTH.pack(len(payload)) + payload)
                _SLOT.pack_into(self.slots, offset, -1)
            code = 0
        finally:
            os._exit(code)


def _reap(pid: int) -> Optional[int]:
    """The child's wait status; None where SIGCHLD is ignored (the kernel reaped it)."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"signal {number} ({name})"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
