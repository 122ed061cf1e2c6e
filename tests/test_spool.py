"""Pieces handed from workers to the parent through spool files (kpicheck.spool)."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import textwrap

import pytest

from kpicheck import spool
from kpicheck.spool import SpoolReader, Spooled, SpoolWriter


def _copy_all(pieces, out) -> None:
    for p in pieces:
        if isinstance(p, Spooled):
            spool.reader_for(p).copy(p, out)
        else:
            out.write(p)


def test_pieces_come_back_byte_for_byte_and_a_file_goes_once_copied(tmp_path):
    texts = ["{\"a\": 1}", "", "绩效目标 ≥95%\n" * 300, "x", "满意度" * 1500, "y"]
    with spool.spool_directory() as directory:
        writer = SpoolWriter(directory, rotate_bytes=4000)  # small files: several rotations
        pieces = [writer.put(t.encode("utf-8")) for t in texts]
        assert pieces[1] == b""  # nothing to spool: the empty piece stays bytes (and falsy)
        assert [p.last for p in pieces if isinstance(p, Spooled)] == [False, True, False, True, False]
        assert len({p.path for p in pieces if isinstance(p, Spooled)}) == 3
        with open(tmp_path / "out.bin", "wb") as out:  # a real file: sendfile where there is one
            _copy_all(pieces, out)
        left = os.listdir(directory)
        assert left == [os.path.basename(pieces[-1].path)]  # closed files are deleted once copied
    assert not os.path.exists(directory)
    assert (tmp_path / "out.bin").read_bytes() == "".join(texts).encode("utf-8")


def test_a_stream_without_a_file_descriptor_gets_the_bytes_read(tmp_path):
    with spool.spool_directory() as directory:
        writer = SpoolWriter(directory, rotate_bytes=10)
        pieces = [writer.put(t.encode()) for t in ("first piece", "second", "third")]
        memory = io.BytesIO()
        _copy_all(pieces, memory)
        assert memory.getvalue() == b"first piecesecondthird"
        assert spool.reader_for(pieces[0]).fds == {}  # every file was the last of its pieces


def test_without_a_spool_or_when_it_breaks_the_bytes_travel_themselves(tmp_path, monkeypatch):
    assert SpoolWriter(None).put(b"abc") == b"abc"
    assert SpoolWriter(str(tmp_path / "missing")).put(b"abc") == b"abc"  # mkstemp fails
    writer = SpoolWriter(str(tmp_path))
    first = writer.put(b"one")
    os.close(writer.fd)  # the file can no longer be written (as on a full disk)
    assert writer.put(b"two") == b"two"
    assert writer.put(b"three") == b"three"  # and the spool is no longer tried
    reader = SpoolReader()
    try:
        assert reader.read(first) == b"one"
    finally:
        reader.close()
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: (_ for _ in ()).throw(OSError("read-only")))
    with spool.spool_directory() as directory:
        assert directory is None  # no temporary directory: the pool sends the bytes


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_removes_the_spool_and_still_terminates(tmp_path):
    script = textwrap.dedent("""
        import os, signal, sys, time
        from kpicheck import spool
        with spool.spool_directory() as directory:
            spool.SpoolWriter(directory).put(b"x" * 1000)
            print(directory, flush=True)
            time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    directory = proc.stdout.readline().strip()
    assert os.listdir(directory)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == -signal.SIGTERM  # terminated by the signal, as before
    assert not os.path.exists(directory)
