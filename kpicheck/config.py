"""Configuration: which rules run, at what severity, with which thresholds and extra lexicons.

Read from `[tool.kpicheck]` in pyproject.toml or from kpicheck.toml; validated strictly, so an
unknown key or rule code is an error rather than a silent no-op.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from kpicheck.models import Severity


class ConfigError(Exception):
    """A configuration that cannot be used; the CLI turns it into exit code 2."""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    satisfaction_floor: float = Field(80.0, description="满意度目标低于此值（%）视为过低")
    min_indicators: int = Field(3, description="一个项目至少应有的三级指标数")
    budget_tolerance: float = Field(0.0, description="成本目标超出预算的容差（比例，0.05 = 5%）")
    unit_cost_tolerance: float = Field(0.10, description="单价×数量超出预算的容差（比例）")


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    select: list[str] = Field(default_factory=lambda: ["KPI"])
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    severity: dict[str, Severity] = Field(default_factory=dict)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    lexicons: list[str] = Field(default_factory=list)  # extra lexicon files (TOML)
    lang: Literal["zh", "en"] = "zh"
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    budget_year: Optional[int] = None  # override the year read from the document
    source: Optional[str] = None  # the file this config came from


DEFAULT_CONFIG = Config()
