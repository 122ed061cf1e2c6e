"""Bad files: every one gets a clear per-file error or a normal report, never a traceback, and
the other files of the same run are still checked.

`pipeline.process_path` turns an unexpected exception into a FileError "internal-error" so a
batch survives it; these tests assert that NO input produces it (it would hide a bug).
"""
from __future__ import annotations

import codecs
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kpicheck.pipeline import process_path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GBK_SEED = SEEDS[1]  # every character of this seed exists in GBK
SEED_TEXT = GBK_SEED.read_text(encoding="utf-8")


def _binary(rng: random.Random, n: int) -> bytes:
    return bytes(rng.randrange(256) for _ in range(n))


def _big_text(size: int) -> str:
    """`size` bytes: long lines of the seed's narrative, then the seed itself at the very end, so
    its indicators are found only if the whole file is read. (A 10 MB file of tables takes ~20 s:
    that one is measured by benchmarks/adversarial.py, not run in the tests.)"""
    prose = " ".join(ln for ln in SEED_TEXT.split("\n") if len(ln) > 40 and "|" not in ln and "\t" not in ln)
    line = (prose * (3000 // len(prose) + 1))[:3000]
    reps = size // len(line.encode("utf-8")) + 1
    return "\n".join([line] * reps) + "\n" + SEED_TEXT


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad")
    rng = random.Random(20240601)
    one_line = SEED_TEXT.replace("\n", " ")
    contents = {
        "empty.txt": b"",
        "only_whitespace.txt": b" \n\t\n\r\n\xe3\x80\x80\n",
        "png.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _binary(rng, 4000),
        "random.txt": _binary(rng, 8000),
        "zip.txt": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + _binary(rng, 4000),
        "invalid_utf8.txt": SEED_TEXT.encode("utf-8")[:3000] + b"\xff\xfe\x80\xc3" + SEED_TEXT.encode("utf-8")[3004:],
        "truncated_utf8.txt": SEED_TEXT.encode("utf-8")[:-1],
        "utf16le_bom.txt": codecs.BOM_UTF16_LE + SEED_TEXT.encode("utf-16-le"),
        "utf16be_bom.txt": codecs.BOM_UTF16_BE + SEED_TEXT.encode("utf-16-be"),
        "utf16le.txt": SEED_TEXT.encode("utf-16-le"),
        "utf16be.txt": SEED_TEXT.encode("utf-16-be"),
        "utf8_bom.txt": codecs.BOM_UTF8 + SEED_TEXT.encode("utf-8"),
        "gbk.txt": SEED_TEXT.encode("gbk"),
        "gb18030.txt": SEEDS[4].read_text(encoding="utf-8").encode("gb18030"),
        "crlf.txt": SEED_TEXT.replace("\n", "\r\n").encode("utf-8"),
        "cr_only.txt": SEED_TEXT.replace("\n", "\r").encode("utf-8"),
        "nul_bytes.txt": SEED_TEXT.replace("\n", "\n\x00", 5).encode("utf-8"),
        "one_mb_line.txt": (one_line * (1_000_000 // len(one_line.encode("utf-8")) + 1)).encode("utf-8"),
        "ten_mb.txt": _big_text(10_000_000).encode("utf-8"),
        "weird.unknown": b"hello",
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = d / name
        paths[name].write_bytes(data)
    paths["directory.txt"] = d / "directory.txt"
    paths["directory.txt"].mkdir()
    paths["missing.txt"] = d / "missing.txt"
    return paths


# Files that must read exactly as the UTF-8 original: same indicators, same findings.
SAME_AS_ORIGINAL = ["utf16le_bom.txt", "utf16be_bom.txt", "utf8_bom.txt", "gbk.txt", "crlf.txt", "cr_only.txt"]
# Files that must be refused with a clear error (not read as an empty document).
MUST_BE_ERRORS = {"png.txt": None, "random.txt": None, "zip.txt": None, "missing.txt": "not-found",
                  "directory.txt": None, "weird.unknown": "unsupported-format"}


def _signature(report) -> list[tuple]:
    return [(i.name, i.value, i.category) for i in report.indicators]


def test_no_input_produces_an_internal_error(bad_files):
    small = {k: v for k, v in bad_files.items() if k not in ("ten_mb.txt", "one_mb_line.txt")}
    for name, path in small.items():
        report = process_path(path)
        if report.error is not None:
            assert report.error.code != "internal-error", f"{name}: {report.error.message}"
            assert report.error.code and report.error.message


@pytest.mark.parametrize("name", sorted(MUST_BE_ERRORS))
def test_unreadable_files_get_a_clear_error(bad_files, name):
    report = process_path(bad_files[name])
    assert report.error is not None, f"{name} was read as a document"
    if MUST_BE_ERRORS[name]:
        assert report.error.code == MUST_BE_ERRORS[name]


@pytest.mark.parametrize("name", SAME_AS_ORIGINAL)
def test_other_encodings_read_like_the_original(bad_files, name):
    original = process_path(GBK_SEED)
    report = process_path(bad_files[name])
    assert report.error is None, report.error
    assert _signature(report) == _signature(original)
    assert [(f.code, f.indicator_id) for f in report.findings] == [(f.code, f.indicator_id) for f in original.findings]


@pytest.mark.parametrize("name", ["utf16le.txt", "utf16be.txt"])
def test_utf16_without_bom_reads_like_the_original(bad_files, name):
    original = process_path(GBK_SEED)
    report = process_path(bad_files[name])
    assert report.error is None, report.error
    assert _signature(report) == _signature(original)


def test_utf16be_without_bom_is_not_decoded_as_little_endian():
    from kpicheck.read.text import decode_bytes

    text = "产出指标|数量指标|≥95%\n" * 3
    assert decode_bytes(text.encode("utf-16-be"))[0] == text


@pytest.mark.parametrize("text", [
    "满意度指标服务对象满意度≥95%。" * 4,  # ideographs only: no NUL byte, no ASCII
    "Output targets | Quantity | >= 95%\n" * 3,  # ASCII only: also valid UTF-8, half NULs
    "一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|培训人数|≥1200人次\n",
])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_either_byte_order(text, encoding):
    from kpicheck.read.text import decode_bytes

    assert decode_bytes(text.encode(encoding)) == (text, encoding)


def test_random_bytes_are_never_taken_for_utf16():
    from kpicheck.read.errors import ReadError
    from kpicheck.read.text import decode_bytes

    rng = random.Random(7)
    for size in (32, 64, 500, 4000):
        for _ in range(50):
            try:
                _, encoding = decode_bytes(_binary(rng, size))
            except ReadError:
                continue
            assert not encoding.startswith("utf-16"), size


def test_cli_batch_survives_bad_files(bad_files, tmp_path):
    """One `kpicheck check` run over good and bad files: exit 2, every file listed in order,
    the good files checked exactly as when they run alone, no traceback."""
    good_dir = tmp_path / "good"
    good_dir.mkdir()
    (good_dir / "inner.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    args = [str(SEEDS[2])] + [str(p) for p in bad_files.values()] + [str(good_dir), str(SEEDS[3])]
    proc = subprocess.run(
        [sys.executable, "-c", "from kpicheck.cli import main; main()", "check", "--format", "json",
         "--jobs", "1", *args],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 2, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    listed = [Path(f["path"]).name for f in report["files"]]
    expected = [SEEDS[2].name] + list(bad_files) + ["inner.txt", SEEDS[3].name]
    assert listed == expected
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    for name, entry in by_name.items():
        if entry["error"]:
            assert entry["error"]["code"] != "internal-error", (name, entry["error"])
            assert entry["error"]["message"]
    for good, name in ((SEEDS[2], SEEDS[2].name), (SEEDS[3], SEEDS[3].name), (SEEDS[0], "inner.txt")):
        alone = process_path(good)
        assert by_name[name]["error"] is None
        assert [(i["name"], i["value"]) for i in by_name[name]["indicators"]] == \
               [(i.name, i.value) for i in alone.indicators]
    for big in ("ten_mb.txt", "one_mb_line.txt"):
        assert by_name[big]["error"] is None or by_name[big]["error"]["code"] == "too-large", by_name[big]["error"]
    assert by_name["ten_mb.txt"]["error"] is None  # 10 MB is a plausible document size: it is checked
    assert [(i["name"], i["value"]) for i in by_name["ten_mb.txt"]["indicators"]] == \
           [(i.name, i.value) for i in process_path(GBK_SEED).indicators]


# --------------------------------------------------------------- text rows (read/text.py fast path)


def test_text_rows_built_without_validation_equal_validated_rows():
    from kpicheck.read import text as T

    lines = SEED_TEXT.split("\n") + ["", "  一级指标 | 二级指标 ", "\t"]
    fast, checked = T._rows_prebuilt(lines), T._rows_validated(lines)
    assert T._line_rows is T._rows_prebuilt  # the import-time check accepted this pydantic
    assert fast == checked
    assert [r.model_dump_json() for r in fast] == [r.model_dump_json() for r in checked]
    assert [r.model_fields_set for r in fast] == [r.model_fields_set for r in checked]


def test_segmentation_of_text_does_not_need_rows():
    from kpicheck.read.text import read_text_file
    from kpicheck.segment import segment

    with_rows = read_text_file(SEEDS[0])
    without = read_text_file(SEEDS[0], rows=False)
    assert without.rows == [] and len(with_rows.rows) == with_rows.text.count("\n") + 1
    assert segment(without) == segment(with_rows)


