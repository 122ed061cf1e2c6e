"""All rules, one module per family; importing this package registers them."""
from __future__ import annotations

import importlib
import pkgutil

from kpicheck.rules.base import REGISTRY, Rule, run_rules, selected_rules

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name.startswith("kpi"):
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["REGISTRY", "Rule", "run_rules", "selected_rules"]
