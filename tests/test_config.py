"""Config discovery, `extend`, kebab/snake keys and strict validation."""
from __future__ import annotations

import pytest

from kpicheck.config import ConfigError, discover, find_config_file, load_config, to_toml, with_overrides
from kpicheck_samples import FAKE_RULES


@pytest.fixture(autouse=True)
def rules(monkeypatch):
    from kpicheck.rules import REGISTRY

    for rule in FAKE_RULES:
        monkeypatch.setitem(REGISTRY, rule.code, rule)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_file_upward_wins_and_kpicheck_toml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.kpicheck]\nlang = "en"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.kpicheck]: skipped
    doc = write(tmp_path / "sub" / "deep" / "表.txt", "")
    assert find_config_file(doc) == tmp_path / "pyproject.toml"
    assert discover([str(doc)]).lang == "en"
    write(tmp_path / "sub" / "kpicheck.toml", 'lang = "zh"\n')
    assert discover([str(doc)]).lang == "zh"
    write(tmp_path / "sub" / "deep" / "pyproject.toml", '[tool.kpicheck]\nfail-on = "never"\n')
    assert find_config_file(doc).name == "pyproject.toml"


def test_no_file_gives_the_defaults(tmp_path):
    assert discover([str(tmp_path)]).select == ["KPI"]


def test_kebab_and_snake_keys_and_thresholds(tmp_path):
    cfg = load_config(write(tmp_path / "kpicheck.toml",
                            'extend-select = ["kpi3"]\nfail_on = "info"\n'
                            "[thresholds]\nsatisfaction-floor = 85\n"))
    assert cfg.extend_select == ["KPI3"] and cfg.fail_on == "info"
    assert cfg.thresholds.satisfaction_floor == 85 and cfg.thresholds.min_indicators == 3


def test_extend_inherits_and_the_child_wins(tmp_path):
    write(tmp_path / "base.toml", 'ignore = ["KPI7"]\nlang = "en"\n[thresholds]\nmin-indicators = 5\n'
                                   '[severity]\nKPI398 = "warning"\n')
    cfg = load_config(write(tmp_path / "proj" / "kpicheck.toml",
                            'extend = "../base.toml"\nlang = "zh"\n[thresholds]\nsatisfaction-floor = 90\n'))
    assert cfg.ignore == ["KPI7"] and cfg.lang == "zh"
    assert cfg.thresholds.min_indicators == 5 and cfg.thresholds.satisfaction_floor == 90
    assert cfg.severity == {"KPI398": "warning"}


def test_severity_prefix_expands_and_exact_code_wins(tmp_path):
    cfg = load_config(write(tmp_path / "kpicheck.toml", '[severity]\nKPI = "info"\nKPI398 = "error"\n'))
    assert cfg.severity["KPI398"] == "error" and cfg.severity["KPI798"] == "info"


def test_lexicon_paths_are_relative_to_the_config(tmp_path):
    write(tmp_path / "words" / "mine.toml", '[values.vague]\nphrases = ["有所改善"]\n')
    cfg = load_config(write(tmp_path / "kpicheck.toml", 'lexicons = ["words/mine.toml"]\n'))
    assert cfg.lexicons == [str((tmp_path / "words" / "mine.toml").resolve())]


@pytest.mark.parametrize("text, words", [
    ('colour = "red"\n', "未知配置项 'colour'"),
    ("[thresholds]\nsatisfaction_flor = 80\n", "thresholds.satisfaction-flor"),
    ('select = ["KPI999"]\n', "KPI999"),
    ('[per-file-ignores]\n"*.txt" = ["BAD1"]\n', "BAD1"),
    ('[severity]\nKPI398 = "fatal"\n', "fatal"),
    ('fail-on = "sometimes"\n', "sometimes"),
    ('lexicons = ["missing.toml"]\n', "missing.toml"),
    ("select = [\n", "TOML"),
    ('extend = "kpicheck.toml"\n', "循环"),
])
def test_invalid_configs_are_rejected_with_the_reason(tmp_path, text, words):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path / "kpicheck.toml", text))
    assert words in str(err.value)


@pytest.mark.parametrize("lexicon, words", [
    ("[boilerplate.measurability]\nslogan_patterns = ['(营造|创造.{0,8}环境']\n",
     ["bad.toml", "[boilerplate.measurability] slogan_patterns", "(营造|创造.{0,8}环境", "missing )"]),
    ("[values.placeholders]\npatterns = ['[?']\n", ["bad.toml", "[values.placeholders] patterns", "'[?'"]),
    ("[boilerplate.inputs]\nbudget_compliance = '不超预算'\n", ["bad.toml", "budget_compliance", "列表"]),
    ("[boilerplate.categories]\ntimeliness_names = [3]\n", ["bad.toml", "timeliness_names", "列表"]),
    ("values = 3\n", ["bad.toml", "values 必须是表"]),
    ("[vague]\nphrases = ['有所改善']\n", ["bad.toml", "未知的词表 [vague]", "[values.vague]"]),
    ("[values.vauge]\nphrases = ['有所改善']\n", ["bad.toml", "vauge"]),
    ("[values.vague\n", ["bad.toml", "TOML"]),
])
def test_a_broken_user_lexicon_is_a_config_error_naming_file_and_pattern(tmp_path, lexicon, words):
    write(tmp_path / "bad.toml", lexicon)
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path / "kpicheck.toml", 'lexicons = ["bad.toml"]\n') or tmp_path / "kpicheck.toml")
    message = str(err.value)
    assert str(tmp_path / "kpicheck.toml") in message
    for word in words:
        assert word in message


def test_a_user_lexicon_with_good_patterns_loads(tmp_path):
    write(tmp_path / "mine.toml", "[boilerplate.measurability]\nslogan_patterns = ['弘扬.{0,6}精神']\n"
                                  "[values.vague]\nphrases = ['稳中有进']\n")
    cfg = load_config(write(tmp_path / "kpicheck.toml", 'lexicons = ["mine.toml"]\n') or tmp_path / "kpicheck.toml")
    assert cfg.lexicons == [str((tmp_path / "mine.toml").resolve())]


def test_pyproject_without_table_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="tool.kpicheck"):
        load_config(write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n"))


def test_command_line_overrides(tmp_path):
    cfg = load_config(write(tmp_path / "kpicheck.toml", 'select = ["KPI3"]\nextend-select = ["KPI798"]\n'))
    cfg2 = with_overrides(cfg, select=["KPI7"], ignore=["KPI398,KPI5"], fail_on="never")
    assert cfg2.select == ["KPI7"] and cfg2.extend_select == [] and cfg2.ignore == ["KPI398", "KPI5"]
    assert with_overrides(cfg, extend_select=["KPI4"]).extend_select == ["KPI798", "KPI4"]
    with pytest.raises(ConfigError):
        with_overrides(cfg, ignore=["NOPE"])


def test_shown_config_loads_back(tmp_path):
    cfg = load_config(write(tmp_path / "kpicheck.toml",
                            'ignore = ["KPI7"]\n[per-file-ignores]\n"旧表*.txt" = ["KPI3"]\n'))
    shown = to_toml(cfg)
    again = load_config(write(tmp_path / "again" / "pyproject.toml", shown))
    assert again.model_dump(exclude={"source"}) == cfg.model_dump(exclude={"source"})


def test_a_users_header_and_label_words_read_tables(tmp_path):
    """The parser's words are data a user extends: a heading and a category label the shipped
    lexicons do not know are read once the user's file names them; other runs are unaffected."""
    from kpicheck.api import extract_text
    from kpicheck.config import Config

    text = ("一级指标\t二级指标\t考核内容\t指标值\n产出指标\t数量指标\t培训人数\t≥100人\n"
            "产出指标\t质量指标\t培训合格率\t≥95%\n")
    mine = tmp_path / "mine.toml"
    mine.write_text("[headers.roles]\nname = ['考核内容']\n", encoding="utf-8")

    def names(config=None):
        return [i.name for i in extract_text(text, config=config).files[0].indicators]

    assert names() != ["培训人数", "培训合格率"]  # 考核内容 is no heading the shipped words know
    assert names(Config(lexicons=[str(mine)])) == ["培训人数", "培训合格率"]
    assert names() != ["培训人数", "培训合格率"]  # the next run, without the file, reads as shipped


def test_a_users_header_pattern_that_does_not_compile_is_a_config_error(tmp_path):
    from kpicheck.config import Config

    bad = tmp_path / "bad.toml"
    bad.write_text("[headers.roles]\nname = ['考核(内容']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="考核\\(内容"):
        Config(lexicons=[str(bad)])
