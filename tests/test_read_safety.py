"""Untrusted files: corrupt, encrypted, oversized, zip-bomb, XXE and scanned inputs each get a
clear error entry (a stable code), the batch goes on, and `kpicheck check` exits 2."""
from __future__ import annotations

import builtins
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpicheck.cli import app
from kpicheck.pipeline import process_path
from kpicheck.read import read_document, safety
from kpicheck.read.errors import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
XLSX = FIXTURES / "seed000_targets.xlsx"
DOCX = FIXTURES / "seed000_targets.docx"
PDF = FIXTURES / "seed000_targets.pdf"


def _rewrite_zip(src: Path, dst: Path, part: str, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data.decode("utf-8")).encode("utf-8") if info.filename == part else data)
    return dst


def _blank_pdf(path: Path, pages: int) -> Path:
    import pypdfium2

    pdf = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    pdf.save(str(path))
    return path


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    tmp_path = tmp_path_factory.mktemp("bad")
    files = {}
    bomb = tmp_path / "bomb.xlsx"  # 8 MB of zeros in a few KB: ratio ~1000:1
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    files["bomb.xlsx"] = bomb
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(safety.MAX_ZIP_ENTRIES + 1):
            z.writestr(f"p{i}", "")
    files["many.docx"] = many
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(XLSX.read_bytes()[:3000])
    files["cut.xlsx"] = cut
    cut_pdf = tmp_path / "cut.pdf"
    cut_pdf.write_bytes(PDF.read_bytes()[:5000])
    files["cut.pdf"] = cut_pdf
    fake = tmp_path / "fake.docx"
    fake.write_text("这不是 Word 文件", encoding="utf-8")
    files["fake.docx"] = fake
    for name in ("encrypted.pdf", "encrypted.xlsx"):
        files[name] = FIXTURES / name
    files["scan.pdf"] = _blank_pdf(tmp_path / "scan.pdf", 1)
    return files


EXPECTED = {
    "bomb.xlsx": "too-large", "many.docx": "too-large", "cut.xlsx": "corrupt", "cut.pdf": "corrupt",
    "fake.docx": "corrupt", "encrypted.pdf": "encrypted", "encrypted.xlsx": "encrypted", "scan.pdf": "no-text",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_a_clear_error_entry(bad_inputs, name):
    report = process_path(bad_inputs[name])
    assert report.error is not None
    assert report.error.code == EXPECTED[name]
    assert "\n" not in report.error.message and len(report.error.message) < 300


def test_cli_reports_each_bad_file_exits_2_and_still_checks_the_good_one(bad_inputs, tmp_path):
    good = tmp_path / "good.txt"
    shutil.copy(FIXTURES / "seed000_targets.txt", good)
    paths = [str(bad_inputs[n]) for n in ("bomb.xlsx", "encrypted.pdf", "cut.xlsx")] + [str(good)]
    result = CliRunner().invoke(app, ["check", "--format", "json", *paths])
    assert result.exit_code == 2
    assert result.output.count('"too-large"') == 1 and result.output.count('"encrypted"') == 1
    assert '"corrupt"' in result.output and "good.txt" in result.output


def test_total_inflated_size_is_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 5_000)
    with pytest.raises(ReadError) as err:
        read_document(XLSX)
    assert err.value.code == "too-large"


def test_file_size_is_limited(monkeypatch):
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ReadError) as err:
        read_document(DOCX)
    assert err.value.code == "too-large"


def test_pdf_page_limit(tmp_path, monkeypatch):
    from kpicheck.read import pdf

    monkeypatch.setattr(pdf, "MAX_PAGES", 3)
    with pytest.raises(ReadError) as err:
        read_document(_blank_pdf(tmp_path / "long.pdf", 4))
    assert err.value.code == "too-large" and "3" in err.value.message


def test_xlsx_with_an_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'

    def edit(xml: str) -> str:
        return xml.replace("?>", "?>" + doctype, 1).replace("<t", "<t>&e;</t><t", 1)

    bad = _rewrite_zip(XLSX, tmp_path / "xxe.xlsx", "xl/sharedStrings.xml", edit)
    report = process_path(bad)
    assert report.error is not None and report.error.code == "unsafe"


def test_docx_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'

    def edit(xml: str) -> str:
        return xml.replace("?>", "?>" + doctype, 1).replace("<w:t>", "<w:t>&e;", 1)

    bad = _rewrite_zip(DOCX, tmp_path / "xxe.docx", "word/document.xml", edit)
    try:
        doc = read_document(bad)
    except ReadError as exc:
        assert exc.code in {"corrupt", "unsafe"}
    else:
        assert "TOPSECRET" not in doc.text


@pytest.mark.parametrize("suffix, hint", [(".xls", ".xlsx"), (".doc", ".docx")])
def test_legacy_office_formats_say_how_to_convert(tmp_path, suffix, hint):
    path = tmp_path / f"old{suffix}"
    path.write_bytes(safety.OLE_MAGIC + b"\0" * 600)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.code == "unsupported-format" and hint in err.value.message


def test_old_binary_renamed_to_xlsx_is_not_called_encrypted(tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(safety.OLE_MAGIC + b"\0" * 600)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert err.value.code == "unsupported-format" and ".xls" in err.value.message


@pytest.mark.parametrize("fixture_name, module, extra", [
    ("seed000_targets.xlsx", "openpyxl", "office"),
    ("seed000_targets.docx", "docx", "office"),
    ("seed000_targets.pdf", "pdfplumber", "pdf"),
])
def test_missing_extra_names_the_extra(monkeypatch, fixture_name, module, extra):
    real_import = builtins.__import__

    def no_such_module(name, *args, **kwargs):
        if name == module or name.startswith(module + "."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_such_module)
    monkeypatch.setattr("importlib.import_module", lambda name, *a: no_such_module(name))
    report = process_path(FIXTURES / fixture_name)
    assert report.error is not None and report.error.code == "missing-extra"
    assert f"kpicheck[{extra}]" in report.error.message and "\n" not in report.error.message
