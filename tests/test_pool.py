"""`kpicheck.pool.ordered_map`: results in input order whatever the workers, a dead worker costs
one input, and no process is left behind."""
from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from kpicheck import pool
from kpicheck.pool import Lost, chunks, ordered_map

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the forked pool (POSIX)")
PARENT = os.getpid()


def _square_slowly(x: int) -> int:
    time.sleep(0.0005 * (x % 7))  # uneven: chunks finish out of order
    return x * x


@pytest.mark.parametrize("n", [0, 1, 2, 5, 97])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_in_input_order_whatever_the_workers(n, workers):
    assert list(ordered_map(_square_slowly, list(range(n)), workers)) == [x * x for x in range(n)]


def test_chunks_cover_the_inputs_once_and_shrink_towards_the_end():
    for n, workers in [(1, 2), (7, 2), (100, 2), (1000, 3), (5, 8)]:
        spans = chunks(n, workers)
        assert [i for a, b in spans for i in range(a, b)] == list(range(n))
        sizes = [b - a for a, b in spans]
        assert max(sizes) <= pool.MAX_CHUNK and sizes == sorted(sizes, reverse=True)
        assert sizes[-1] == 1


def _pid_tagged(x: int) -> tuple[int, int]:
    time.sleep(0.001)
    return x, os.getpid()


@needs_fork
def test_the_parent_checks_inputs_beside_its_child():
    out = list(ordered_map(_pid_tagged, list(range(200)), 2))
    assert [x for x, _ in out] == list(range(200))
    pids = {pid for _, pid in out}
    assert PARENT in pids and len(pids) == 2


def _raise_on_three(x: int) -> int:
    if x % 10 == 3:
        raise ValueError(f"bad input {x}")
    return x


@pytest.mark.parametrize("workers", [1, 2])
def test_an_input_whose_function_raises_is_lost_and_the_others_go_on(workers):
    out = list(ordered_map(_raise_on_three, list(range(40)), workers))
    lost = [r for r in out if isinstance(r, Lost)]
    assert [r.index for r in lost] == [3, 13, 23, 33]
    assert lost[0].reason == "ValueError: bad input 3" and not lost[0].died
    assert [r for r in out if not isinstance(r, Lost)] == [x for x in range(40) if x % 10 != 3]


def _killed_in_a_child_on_fives(x: int) -> int:
    time.sleep(0.002)
    if x % 5 == 0 and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    return x


@needs_fork
def test_a_killed_worker_costs_the_input_it_was_on_and_its_other_inputs_are_still_checked():
    out = list(ordered_map(_killed_in_a_child_on_fives, list(range(60)), 3))
    assert len(out) == 60
    lost = [r for r in out if isinstance(r, Lost)]
    assert lost, "the children take work from the start: at least one of them met a multiple of 5"
    for r in lost:
        assert r.died and r.index % 5 == 0 and "SIGKILL" in r.reason
    assert all(out[i] == i for i in range(60) if not isinstance(out[i], Lost))


@needs_fork
def test_stopping_early_leaves_no_process_behind(monkeypatch):
    forked = []
    real_fork = os.fork

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(pool.os, "fork", fork)
    results = ordered_map(_square_slowly, list(range(500)), 3)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    results.close()
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):  # reaped: no zombie, no orphan
            os.waitpid(pid, os.WNOHANG)


def _big(x: int) -> str:
    return str(x) * 300_000  # larger than a pipe holds: the parent reads while it works


@needs_fork
def test_results_larger_than_a_pipe_travel_whole():
    out = list(ordered_map(_big, list(range(12)), 2))
    assert out == [str(x) * 300_000 for x in range(12)]


@needs_fork
def test_more_chunks_than_the_task_pipe_holds_at_once(monkeypatch):
    monkeypatch.setattr(pool, "MAX_CHUNK", 1)
    monkeypatch.setattr(pool, "_grow", lambda fd: None)  # 64 KB: 8,192 chunks, fewer than these
    n = 20_000
    assert list(ordered_map(abs, list(range(-n, 0)), 2)) == list(range(n, 0, -1))


def _tag(x: int) -> str:
    return f"{_STATE.get('tag')}:{x}"


_STATE: dict = {}


def _set_tag(tag: str) -> None:
    _STATE["tag"] = tag


def test_without_fork_a_spawned_pool_does_the_same():
    out = list(pool._spawned(_tag, [1, 2, 3, 4], 2, _set_tag, ("w",)))
    assert out == ["w:1", "w:2", "w:3", "w:4"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX wait statuses")
def test_how_a_worker_ended_is_said_plainly():
    assert pool._how(signal.SIGKILL) == "signal 9 (SIGKILL)"
    assert pool._how(3 << 8) == "exit status 3"


def _slow_in_children(x: int) -> int:
    time.sleep(0.001 if os.getpid() == PARENT else 0.03)  # a child stuck on long inputs: the parent runs ahead
    return x


@needs_fork
def test_the_parents_results_that_must_wait_are_spilled_past_the_hold_limit(monkeypatch):
    monkeypatch.setattr(pool, "HOLD", 4)
    out = list(ordered_map(_slow_in_children, list(range(120)), 2, spill=lambda r: ("spilled", r)))
    spilled = [r[1] for r in out if isinstance(r, tuple)]
    assert spilled, "the parent ran ahead of the slow child"
    assert [r[1] if isinstance(r, tuple) else r for r in out] == list(range(120))


@needs_fork
def test_children_are_accounted_for_where_sigchld_is_ignored():
    """Some launchers leave SIGCHLD ignored: the kernel reaps the children itself."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert list(ordered_map(_square_slowly, list(range(40)), 2)) == [x * x for x in range(40)]
        out = list(ordered_map(_killed_in_a_child_on_fives, list(range(30)), 2))
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert all(isinstance(r, Lost) and r.died or r == i for i, r in enumerate(out))


def _killed_in_a_spawned_worker_on_seven(x: int) -> int:
    if x == 7 and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


@pytest.mark.skipif(sys.platform == "win32", reason="kills with a POSIX signal")
def test_without_fork_a_dead_worker_costs_one_input_and_the_rest_are_checked_here():
    out = list(pool._spawned(_killed_in_a_spawned_worker_on_seven, list(range(20)), 2, _set_tag, ("w",)))
    lost = [r for r in out if isinstance(r, Lost)]
    assert len(out) == 20 and len(lost) == 1 and lost[0].died and lost[0].index <= 7
    assert all(r == i for i, r in enumerate(out) if not isinstance(r, Lost))


def _sigint_ignored(x: int) -> tuple[bool, bool]:
    time.sleep(0.002)
    return os.getpid() == PARENT, signal.getsignal(signal.SIGINT) is signal.SIG_IGN


@needs_fork
def test_children_keep_sigint_ignored_when_it_was():
    """`cmd &` in a script starts with SIGINT ignored: Ctrl-C in that terminal must not kill
    the children of a batch running in the background."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        out = list(ordered_map(_sigint_ignored, list(range(40)), 2))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert any(not in_parent for in_parent, _ in out) and all(ignored for _, ignored in out)
