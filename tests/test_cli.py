"""The command line: inputs, formats, selection, exit codes, config errors, stdin, jobs."""
from __future__ import annotations

import json
import os
import re

import pytest
from typer.testing import CliRunner

from kpicheck.cli import app, expand_paths
from kpicheck_samples import DOC_CLEAN, DOC_WITH_ERROR, DOC_WITH_WARNING, TEST_SELECT, install_fakes

runner = CliRunner()


def invoke(*args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def docs(tmp_path, monkeypatch):
    install_fakes(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "error.txt").write_text(DOC_WITH_ERROR, encoding="utf-8")
    (tmp_path / "a" / "warning.txt").write_text(DOC_WITH_WARNING, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(DOC_CLEAN, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- exit codes


def test_exit_1_when_an_error_is_found(docs):
    result = invoke("check", "a/error.txt", *TEST_SELECT)
    assert result.exit_code == 1
    assert "KPI398" in result.stdout and "服务对象满意度 = ≤90%" in result.stdout


def test_exit_0_for_warnings_under_default_fail_on(docs):
    result = invoke("check", "a/warning.txt", *TEST_SELECT)
    assert result.exit_code == 0
    assert "KPI798" in result.stdout and "警告" in result.stdout


@pytest.mark.parametrize("fail_on, expected", [("warning", 1), ("info", 1), ("error", 0), ("never", 0)])
def test_fail_on_levels_for_a_warning(docs, fail_on, expected):
    assert invoke("check", "a/warning.txt", *TEST_SELECT, "--fail-on", fail_on).exit_code == expected


def test_fail_on_never_even_with_errors(docs):
    assert invoke("check", "a/error.txt", *TEST_SELECT, "--fail-on", "never").exit_code == 0


def test_exit_0_for_a_clean_document(docs):
    result = invoke("check", "clean.txt", *TEST_SELECT)
    assert result.exit_code == 0
    assert "未发现问题" in result.stdout


def test_unreadable_input_exits_2_and_the_others_are_still_reported(docs):
    result = invoke("check", "missing.txt", "a/error.txt", *TEST_SELECT, "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == ["missing.txt", "a/error.txt"]
    assert report["files"][0]["error"]["code"] == "not-found"
    assert report["summary"]["findings"] == 2


def test_glob_without_match_and_empty_directory_exit_2(docs):
    (docs / "empty").mkdir()
    result = invoke("check", "nothing/*.xlsx", "empty", "--format", "json")
    assert result.exit_code == 2
    codes = [f["error"]["code"] for f in json.loads(result.stdout)["files"]]
    assert codes == ["no-match", "no-input"]


@pytest.mark.parametrize("args, words", [
    (["--format", "yaml"], "--format"),
    (["--fail-on", "sometimes"], "--fail-on"),
    (["--lang", "fr"], "--lang"),
    (["--select", "KPI999"], "KPI999"),
    (["--ignore", "XYZ"], "XYZ"),
])
def test_usage_errors_exit_2_with_one_line(docs, args, words):
    result = runner.invoke(app, ["check", "clean.txt", *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- inputs


def test_directory_is_walked_recursively_in_sorted_order(docs):
    (docs / "a" / "notes.docx.bak").write_text("x", encoding="utf-8")
    (docs / ".hidden").mkdir()
    (docs / ".hidden" / "x.txt").write_text(DOC_CLEAN, encoding="utf-8")
    items = [str(x) for x in expand_paths(["."])]
    assert items == ["a/error.txt", "a/warning.txt", "clean.txt"]


def test_glob_and_duplicates(docs):
    items = [str(x) for x in expand_paths(["a/*.txt", "a/error.txt"])]
    assert items == ["a/error.txt", "a/warning.txt"]


@pytest.mark.skipif(os.name == "nt", reason="links and inodes as on POSIX; Windows compares resolved paths")
def test_a_file_reached_twice_is_checked_once(docs):
    """By a symbolic or hard link, by another spelling of its path; a missing file named twice
    stays one error."""
    (docs / "link.txt").symlink_to(docs / "clean.txt")
    os.link(docs / "clean.txt", docs / "hard.txt")
    items = [str(x) for x in expand_paths(["clean.txt", "link.txt", "hard.txt", "./a/../clean.txt",
                                           "gone.txt", "gone.txt"])]
    assert items == ["clean.txt", "gone.txt"]


def test_stdin_is_checked_under_its_given_name(docs):
    result = invoke("check", "-", *TEST_SELECT, "--stdin-filename", "申报表.txt", "--format", "json",
                    input=DOC_WITH_ERROR)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == "申报表.txt"
    assert [x["code"] for x in report["files"][0]["findings"]] == ["KPI398", "KPI798"]


# ---------------------------------------------------------------- selection and options


def test_select_ignore_and_extend_select(docs):
    def codes(*args):
        out = invoke("check", "a", "--format", "json", *args).stdout
        return sorted(x["code"] for f in json.loads(out)["files"] for x in f["findings"])

    assert codes("--select", "KPI398") == ["KPI398"]
    assert codes("--select", "KPI398", "--extend-select", "KPI798") == ["KPI398", "KPI798", "KPI798"]
    assert codes(*TEST_SELECT, "--ignore", "KPI7") == ["KPI398"]
    assert codes("--select", "kpi3", "--ignore", "KPI398") == [x for x in codes("--select", "KPI3") if x != "KPI398"]


def test_machine_formats_carry_no_text_noise(docs):
    for fmt in ("json", "json-lines", "sarif", "github", "junit", "csv"):
        out = invoke("check", "a", *TEST_SELECT, "--format", fmt).stdout
        assert "共检查" not in out, fmt
    assert invoke("check", "a", *TEST_SELECT, "--format", "html").stdout.startswith("<!DOCTYPE html>")
    lines = invoke("check", "a", *TEST_SELECT, "--format", "json-lines").stdout.splitlines()
    assert [json.loads(x)["code"] for x in lines] == ["KPI398", "KPI798", "KPI798"]


def test_output_file_and_stdout_stays_empty(docs):
    result = invoke("check", "a", *TEST_SELECT, "--format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((docs / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_xlsx_written_with_o(docs):
    result = invoke("check", "a", *TEST_SELECT, "--format", "xlsx", "-o", "审核意见表.xlsx")
    assert result.exit_code == 1
    assert (docs / "审核意见表.xlsx").read_bytes()[:2] == b"PK"


def test_statistics_quiet_and_english(docs):
    out = invoke("check", "a", *TEST_SELECT, "--statistics").stdout
    assert re.search(r"^\s+2\s+KPI798\s+test-vague-target\s+警告", out, re.M)
    quiet = invoke("check", "a", *TEST_SELECT, "--quiet").stdout
    assert "KPI398" in quiet and "共检查" not in quiet
    en = invoke("check", "a", *TEST_SELECT, "--lang", "en").stdout
    assert "more is better" in en and "Checked 2 files" in en


def test_jobs_give_identical_json(docs):
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":  # the stand-in pipeline lives in this process only
        pytest.skip("needs fork to carry the test's stand-in pipeline into workers")
    for n in range(4):
        (docs / "a" / f"more{n}.txt").write_text(DOC_WITH_ERROR, encoding="utf-8")
    one = invoke("check", "a", *TEST_SELECT, "--format", "json", "--jobs", "1").stdout
    three = invoke("check", "a", *TEST_SELECT, "--format", "json", "--jobs", "3").stdout
    assert one == three and json.loads(one)["summary"]["files"] == 6


# ---------------------------------------------------------------- other commands


def test_rules_explain_schema_version(docs):
    listing = invoke("rules").stdout
    assert re.search(r"^KPI398\s+test-inverted-satisfaction\s+比较符号\s+错误\s+满意度目标", listing, re.M)
    rules_json = json.loads(invoke("rules", "--format", "json").stdout)
    assert {"code": "KPI798", "name": "test-vague-target"}.items() <= rules_json[-1].items() or \
        any(r["code"] == "KPI798" for r in rules_json)
    assert "错误示例" in invoke("explain", "kpi398").stdout
    assert invoke("explain", "test-vague-target").exit_code == 0
    bad = runner.invoke(app, ["explain", "KPI000"])
    assert bad.exit_code == 2 and "未知规则代码" in bad.stderr
    schema = json.loads(invoke("schema").stdout)
    assert schema["title"] == "Report" and "files" in schema["properties"]
    assert invoke("--version").stdout.startswith("kpicheck ")


def test_config_show_reports_the_discovered_file(docs):
    (docs / "kpicheck.toml").write_text('ignore = ["KPI7"]\nfail-on = "warning"\n', encoding="utf-8")
    out = invoke("config", "--show").stdout
    assert 'ignore = ["KPI7"]' in out and 'fail-on = "warning"' in out and "kpicheck.toml" in out
    as_json = json.loads(invoke("config", "--show", "--format", "json").stdout)
    assert as_json["fail_on"] == "warning"


def test_config_file_drives_check_and_cli_overrides_it(docs):
    (docs / "pyproject.toml").write_text(
        '[tool.kpicheck]\nselect = ["KPI398", "KPI798"]\nfail-on = "warning"\n'
        '[tool.kpicheck.severity]\nKPI398 = "info"\n', encoding="utf-8")
    result = invoke("check", "a/warning.txt")
    assert result.exit_code == 1  # fail-on warning from the config
    assert invoke("check", "a/warning.txt", "--fail-on", "error").exit_code == 0
    out = json.loads(invoke("check", "a/error.txt", "--format", "json").stdout)
    assert {x["code"]: x["severity"] for x in out["files"][0]["findings"]}["KPI398"] == "info"


def test_bad_config_exits_2_with_the_reason(docs):
    (docs / "kpicheck.toml").write_text('colour = "red"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "clean.txt"])
    assert result.exit_code == 2 and "colour" in result.stderr and "未知配置项" in result.stderr
    assert runner.invoke(app, ["check", "clean.txt", "--isolated", *TEST_SELECT]).exit_code == 0
    missing = runner.invoke(app, ["check", "clean.txt", "--config", "nope.toml"])
    assert missing.exit_code == 2 and "nope.toml" in missing.stderr


def test_per_file_ignores(docs):
    (docs / "kpicheck.toml").write_text(
        'select = ["KPI398", "KPI798"]\n[per-file-ignores]\n"warning.txt" = ["KPI7"]\n', encoding="utf-8")
    out = json.loads(invoke("check", "a", "--format", "json").stdout)
    assert [len(f["findings"]) for f in out["files"]] == [2, 0]


def test_seeds_end_to_end_whatever_the_number_of_workers(monkeypatch):
    """The real pipeline on the seeds: schema-valid JSON, same bytes with 1 or 2 workers."""
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    from kpicheck.report.json_report import schema

    seeds = str(Path(__file__).parent.parent / "seeds")
    one = runner.invoke(app, ["check", seeds, "--format", "json", "-j", "1"])
    two = runner.invoke(app, ["check", seeds, "--format", "json", "-j", "2"])
    assert one.exit_code in (0, 1) and one.exit_code == two.exit_code
    assert one.stdout == two.stdout
    data = json.loads(one.stdout)
    jsonschema.validate(data, schema())
    assert data["summary"]["files"] == 5 and data["summary"]["files_with_errors"] == 0


# ---------------------------------------------------------------- streaming batches


@pytest.fixture
def batch(tmp_path, monkeypatch):
    """Real documents through the real pipeline: two seeds, a clean one, a binary file."""
    from pathlib import Path

    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))[:2]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b").mkdir()
    for n, seed in enumerate(seeds):
        (tmp_path / "b" / f"{n}_{seed.name}").write_bytes(seed.read_bytes())
    (tmp_path / "b" / "2_clean.txt").write_text("项目名称：档案数字化\n一级指标 二级指标 三级指标 指标值\n",
                                                encoding="utf-8")
    (tmp_path / "b" / "1_broken.txt").write_bytes(b"\x00\x01PK\x03\x04" + bytes(range(256)) * 8)
    return tmp_path


STREAMED = [("json",), ("text",), ("text", "--statistics", "--lang", "en"), ("json-lines",), ("github",),
            ("csv",), ("text", "-q")]


def test_batch_output_without_a_temporary_directory_is_the_same(batch, monkeypatch):
    """Workers hand their pieces back through a spool directory; where none can be made (a
    read-only filesystem), the pieces travel through the pipe and the output is the same."""
    import tempfile

    args = ["check", "b", "missing.txt", "--format", "json"]
    one = invoke(*args, "--jobs", "1")
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: (_ for _ in ()).throw(OSError(30, "Read-only file system")))
    two = invoke(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout_bytes == two.stdout_bytes


@pytest.mark.parametrize("fmt", STREAMED, ids=lambda f: "-".join(f))
def test_batch_output_is_the_same_bytes_whatever_the_jobs(batch, fmt):
    """Streamed per file in workers, the output is what the whole report renders to, and the
    bad file gets its error entry (exit 2) while the others are still checked."""
    import multiprocessing

    from kpicheck.config import DEFAULT_CONFIG
    from kpicheck.pipeline import process_path
    from kpicheck.report import RenderOptions, build_report, render

    args = ["check", "b", "missing.txt", "--format", fmt[0], *fmt[1:]]
    one, two = invoke(*args, "--jobs", "1"), invoke(*args, "--jobs", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout_bytes == two.stdout_bytes
    lang = "en" if "en" in fmt else "zh"
    config = DEFAULT_CONFIG.model_copy(update={"lang": lang})
    files = [f"b/{p.name}" for p in sorted((batch / "b").iterdir())] + ["missing.txt"]
    whole = build_report([process_path(f, config) for f in files])
    opts = RenderOptions(lang=lang, statistics="--statistics" in fmt, quiet="-q" in fmt)
    assert one.stdout_bytes.decode("utf-8") == render(whole, fmt[0], opts)
    if fmt == ("json",):
        data = json.loads(one.stdout)
        errors = {f["path"]: f["error"]["code"] for f in data["files"] if f["error"]}
        assert set(errors) == {"b/1_broken.txt", "missing.txt"}
        assert data["summary"]["files"] == 5 and data["summary"]["files_with_errors"] == 2
        assert all(f["indicators"] for f in data["files"] if f["path"].endswith("ef8236a379d28a74.txt"))
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the forked pool (POSIX)")
def test_a_worker_killed_on_a_file_costs_that_file_only(batch, monkeypatch):
    """Killed by a signal (as by the out-of-memory killer) while checking a file: that file gets
    an error entry saying so (exit 2), every other file its normal report."""
    import signal
    import time

    from kpicheck import cli

    parent, real = os.getpid(), cli.process_path
    reached = batch / "child-reached-2_clean"  # (outside b/: not one of the files checked)

    def process_path(path, *args, **kwargs):
        if os.getpid() == parent and path.startswith("b/0_"):
            # the parent keeps its first file until the child has taken 2_clean.txt (on a loaded
            # machine a fixed pause may end first; the wait is bounded)
            deadline = time.monotonic() + 20
            while not reached.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        elif os.getpid() != parent and path.endswith("2_clean.txt"):
            reached.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cli, "process_path", process_path)
    result = invoke("check", "b", "--format", "json", "--jobs", "2")
    assert result.exit_code == 2
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert len(files) == 4
    killed = files["b/2_clean.txt"]["error"]
    assert killed["code"] == "internal-error" and "SIGKILL" in killed["message"]
    assert files["b/1_broken.txt"]["error"]["code"] != "internal-error"
    seeds = [f for p, f in files.items() if p.startswith(("b/0_", "b/1_0"))]
    assert len(seeds) == 2 and all(not f["error"] and f["indicators"] for f in seeds)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_whose_check_raises_gets_an_error_entry_whatever_the_jobs(batch, monkeypatch, jobs):
    from kpicheck import cli

    real = cli.process_path

    def process_path(path, *args, **kwargs):
        if path.endswith("2_clean.txt"):
            raise ValueError("a reader's bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cli, "process_path", process_path)
    result = invoke("check", "b", "--format", "json", "--jobs", jobs)
    assert result.exit_code == 2
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}  # the whole report, valid
    assert len(files) == 4
    assert files["b/2_clean.txt"]["error"] == {"code": "internal-error", "message": "内部错误: ValueError: a reader's bug"}


def test_streamed_report_to_a_file_and_fail_on(batch):
    (batch / "b" / "1_broken.txt").unlink()
    result = invoke("check", "b", "--format", "json", "-o", "out.json", "--jobs", "2")
    assert result.stdout == ""
    data = json.loads((batch / "out.json").read_text(encoding="utf-8"))
    sev = data["summary"]["by_severity"]
    assert result.exit_code == (1 if sev["error"] else 0)
    never = invoke("check", "b", "--format", "json", "--fail-on", "never", "--jobs", "2")
    assert never.exit_code == 0 and json.loads(never.stdout) == data
    assert invoke("check", "b", "--format", "json", "-o", "nodir/out.json").exit_code == 2


def test_empty_batch_json_is_still_valid(docs):
    result = invoke("check", "nothing*.txt", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 2 and data["files"][0]["error"]["code"] == "no-match"


def test_streamed_baseline_suppresses_and_names_stale_entries_like_the_whole_report(batch):
    (batch / "b" / "1_broken.txt").unlink()
    assert invoke("check", "b", "--write-baseline", "kb.json").exit_code == 0
    first = sorted((batch / "b").glob("0_*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("工作人员工资", "工作人员薪酬"), encoding="utf-8")
    runs = {j: runner.invoke(app, ["check", "b", "--baseline", "kb.json", "--format", "json", "-j", j])
            for j in ("1", "2")}
    assert runs["1"].stdout_bytes == runs["2"].stdout_bytes and runs["1"].stderr == runs["2"].stderr
    whole = runner.invoke(app, ["check", "b", "--baseline", "kb.json", "--format", "sarif"])  # not streamed
    assert runs["1"].stderr == whole.stderr
    assert "忽略了" in whole.stderr and "过期条目" in whole.stderr and "工作人员工资" in whole.stderr
    data = json.loads(runs["1"].stdout)
    assert [x["indicator"]["name"] for f in data["files"] for x in f["findings"]] == \
        [x["indicator"]["name"] for x in data["files"][0]["findings"]]  # only the edited document
    assert data["files"][0]["findings"]
    assert all("工作人员薪酬" in x["indicator"]["name"] for x in data["files"][0]["findings"])


def test_default_jobs_one_for_a_few_files_all_usable_cores_for_a_batch(monkeypatch):
    from kpicheck import cli

    monkeypatch.setattr(cli, "usable_cores", lambda: 6)
    assert cli.default_jobs(1) == 1 and cli.default_jobs(cli.PARALLEL_FROM - 1) == 1
    assert cli.default_jobs(1000) == 6
    monkeypatch.undo()
    assert 1 <= cli.usable_cores() <= (__import__("os").cpu_count() or 1)
