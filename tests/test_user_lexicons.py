"""A user's own lexicon file (config `lexicons`) reaches the value parser and the rules through the
pipeline; a broken one is a config error that names the file and the pattern."""
from __future__ import annotations

import os

import pytest

from kpicheck.api import check_indicators
from kpicheck.config import Config

IND = {"name": "基层服务能力", "value": "稳中有进", "declared_level1": "效益", "declared_level2": "社会效益"}


def _parsed(config=None):
    return check_indicators([IND], budget_year=2023, config=config).files[0].indicators[0].parsed


def test_user_vague_phrase_reaches_the_parser(tmp_path):
    extra = tmp_path / "my-words.toml"
    extra.write_text('[values.vague]\nphrases = ["稳中有进"]\n', encoding="utf-8")
    assert _parsed().vague_phrase is None
    assert _parsed(Config(lexicons=[str(extra)])).vague_phrase == "稳中有进"


def test_user_patterns_reach_the_rules_and_the_parser(tmp_path):
    extra = tmp_path / "my-patterns.toml"
    extra.write_text("[boilerplate.measurability]\nslogan_patterns = ['弘扬.{0,6}精神']\n"
                     "[values.placeholders]\npatterns = ['[?？]{2,}']\n", encoding="utf-8")
    rows = [{"name": "弘扬劳模工匠精神", "value": "≥95%", "declared_level1": "效益", "declared_level2": "社会效益"},
            {"name": "培训人数", "value": "??人", "declared_level1": "产出", "declared_level2": "数量"}]

    def run(config=None):
        f = check_indicators(rows, budget_year=2023, config=config).files[0]
        return "KPI702" in {x.code for x in f.findings}, f.indicators[1].parsed.placeholder

    assert run() == (False, None)
    assert run(Config(lexicons=[str(extra)])) == (True, "??")


def test_a_broken_pattern_given_to_the_api_fails_at_config_time(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text("[boilerplate.inputs]\nbudget_compliance = ['不超(出|过预算']\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mine\.toml.*budget_compliance.*不超\(出\|过预算"):
        Config(lexicons=[str(extra)])


def test_a_broken_pattern_on_the_command_line_exits_2_with_file_and_pattern(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kpicheck.cli import app

    (tmp_path / "words.toml").write_text("[boilerplate.measurability]\nslogan_patterns = ['(a+']\n", encoding="utf-8")
    (tmp_path / "kpicheck.toml").write_text('lexicons = ["words.toml"]\n', encoding="utf-8")
    (tmp_path / "doc.txt").write_text("产出指标|数量指标|培训人数|≥100人\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", "doc.txt"])
    assert result.exit_code == 2
    assert "words.toml" in result.output and "'(a+'" in result.output and "Traceback" not in result.output


def test_a_parsed_lexicon_kept_between_runs_is_read_again_once_its_file_changes(tmp_path):
    from kpicheck import lexicons

    path = tmp_path / "mine.toml"
    path.write_text('[values.vague]\nphrases = ["有所改善"]\n', encoding="utf-8")
    lexicons._read.cache_clear()
    assert lexicons._read(str(path))["values"]["vague"]["phrases"] == ["有所改善"]
    stamp = path.stat().st_mtime_ns
    path.write_text('[values.vague]\nphrases = ["明显好转"]\n', encoding="utf-8")  # the same size
    os.utime(path, ns=(stamp, stamp))  # and the same time, as `cp -p` or `tar x` leave it
    lexicons._read.cache_clear()  # a new process: only the disk cache remembers
    assert lexicons._read(str(path))["values"]["vague"]["phrases"] == ["明显好转"]
    path.write_text('when = 2024-01-01\n', encoding="utf-8")  # a date: not kept, still read
    lexicons._read.cache_clear()
    assert str(lexicons._read(str(path))["when"]) == "2024-01-01"
    lexicons._read.cache_clear()


def test_user_character_pairs_fold_labels_for_every_stage(tmp_path):
    from kpicheck.api import extract_text

    # '岀' (a variant of 出 that scans print) is in no shipped table: a user adds it and the label folds
    text = "一级指标\t二级指标\t三级指标\t指标值\n产岀指标\t\t培训人数\t≥100人\n"
    extra = tmp_path / "chars.toml"
    extra.write_text('[characters.fold]\ntraditional = ["岀出"]\n', encoding="utf-8")

    def declared(config=None):
        return [i.declared_level1 for i in extract_text(text, config=config).files[0].indicators]

    assert declared() != ["产出"]
    assert declared(Config(lexicons=[str(extra)])) == ["产出"]


def test_user_units_reach_the_reader(tmp_path):
    from kpicheck.api import extract_text

    # '罐' is in no shipped unit list: with it, '30罐' is a quantity, and the run-together row
    # splits into a name and its target
    text = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t发放氧气罐数量30罐\t\n"
    extra = tmp_path / "units.toml"
    extra.write_text('[units.count]\n"罐" = "罐"\n', encoding="utf-8")

    def read(config=None):
        return [(i.name, i.value) for i in extract_text(text, config=config).files[0].indicators]

    assert read() != [("发放氧气罐数量", "30罐")]
    assert read(Config(lexicons=[str(extra)])) == [("发放氧气罐数量", "30罐")]
