"""A user's own lexicon file (config `lexicons`) reaches the value parser through the pipeline."""
from __future__ import annotations

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
