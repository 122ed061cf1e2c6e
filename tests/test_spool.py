"""Pieces handed from workers to the parent through spool files (kpicheck.spool)."""
from __future__ import annotations

import io
import os

from kpicheck.spool import SpoolReader, Spooled, SpoolWriter


def test_pieces_come_back_byte_for_byte_through_a_file_and_through_a_stream(tmp_path):
    writer = SpoolWriter(str(tmp_path))
    texts = ["{\"a\": 1}", "", "绩效目标 ≥95%\n" * 300, "x"]
    pieces = [writer.put(t.encode("utf-8")) for t in texts]
    assert pieces[1] == b""  # nothing to spool: the empty piece stays bytes (and falsy)
    assert all(isinstance(p, Spooled) and p for i, p in enumerate(pieces) if i != 1)
    reader = SpoolReader()
    try:
        with open(tmp_path / "out.bin", "wb") as out:  # a real file: sendfile where there is one
            for p in pieces:
                if isinstance(p, Spooled):
                    reader.copy(p, out)
                else:
                    out.write(p)
        memory = io.BytesIO()  # no file descriptor: read and write
        for p in pieces:
            if isinstance(p, Spooled):
                reader.copy(p, memory)
    finally:
        reader.close()
    expected = "".join(texts).encode("utf-8")
    assert (tmp_path / "out.bin").read_bytes() == expected
    assert memory.getvalue() == expected
    assert reader.fds == {}


def test_without_a_spool_or_with_a_broken_one_the_bytes_travel_themselves(tmp_path):
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
