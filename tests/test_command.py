"""The `kpicheck` command as a process (`kpicheck.__main__`): what it prints and its exit status
when it leaves without tearing the interpreter down; the package imports its API lazily."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpicheck import __main__ as command
from kpicheck.cli import app

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kpicheck", *args], capture_output=True, timeout=300)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_whole_report_is_out_before_the_process_leaves(jobs):
    args = ["check", "--format", "json", "--jobs", jobs, *map(str, SEEDS)]
    proc = _run(*args)
    in_process = CliRunner().invoke(app, args)
    assert proc.returncode == in_process.exit_code == 1  # the seeds have errors
    assert proc.stdout == in_process.stdout_bytes  # every byte, through a pipe
    assert len(json.loads(proc.stdout)["files"]) == len(SEEDS)


def test_exit_statuses_and_messages_survive_the_quick_exit(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("项目名称：档案数字化\n", encoding="utf-8")
    assert _run("check", str(clean)).returncode == 0
    bad = _run("check", "--format", "nonsense", str(clean))
    assert bad.returncode == 2 and "--format" in bad.stderr.decode("utf-8")
    missing = _run("check", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "missing.txt" in missing.stdout.decode("utf-8")
    assert _run("--version").stdout.decode().startswith("kpicheck ")


def test_exit_status_reads_sys_exit_arguments_as_python_does(capsys):
    assert command.exit_status(None) == 0
    assert command.exit_status(3) == 3
    assert command.exit_status("出错了") == 1
    assert "出错了" in capsys.readouterr().err


def test_importing_the_package_leaves_the_api_until_it_is_used():
    code = ("import sys, kpicheck; assert 'kpicheck.api' not in sys.modules; "
            "assert callable(kpicheck.check_text) and 'kpicheck.api' in sys.modules; "
            "assert kpicheck.models.Report; "
            "import pytest; pytest.raises(AttributeError, getattr, kpicheck, 'no_such_thing')")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.skipif(sys.platform == "win32", reason="closes a POSIX descriptor")
def test_a_closed_stdout_is_no_crash_at_exit():
    import os

    proc = subprocess.run([sys.executable, "-m", "kpicheck", "--version"], stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.close(1), timeout=120)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
