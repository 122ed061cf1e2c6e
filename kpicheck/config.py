"""Configuration: which rules run, at what severity, with which thresholds and extra lexicons.

Read from `[tool.kpicheck]` in pyproject.toml or from kpicheck.toml (top-level keys, or a
`[tool.kpicheck]` table); the nearest file upward from the checked path wins, and `extend =
"other.toml"` inherits from another file. Keys may be written `kebab-case` (as ruff does) or
`snake_case`. Validated strictly, so an unknown key or rule code is an error rather than a
silent no-op.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kpicheck import lexicons as lexicon_files
from kpicheck.models import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("kpicheck.toml", "pyproject.toml")  # in precedence order within one directory


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

    @field_validator("lexicons")
    @classmethod
    def _lexicons_usable(cls, files: list[str]) -> list[str]:
        """A user's lexicon must read and its regular expressions compile: fail here, naming the
        file and the pattern, rather than in the middle of a run."""
        lexicon_files.validate_files(files)  # LexiconError is a ValueError: reported by pydantic
        return files


DEFAULT_CONFIG = Config()

# Keys whose own keys are data (glob patterns, rule codes), not setting names.
_DATA_KEYED = {"per_file_ignores", "severity"}


# ---------------------------------------------------------------------- discovery


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest kpicheck.toml, or pyproject.toml with a [tool.kpicheck] table, upward."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    for directory in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and "kpicheck" not in _read_toml(candidate).get("tool", {}):
                continue
            return candidate
    return None


def discover(paths: Iterable[str], cwd: Optional[Path] = None) -> Config:
    """The config for a run over `paths`: nearest file upward from their common directory."""
    cwd = cwd or Path.cwd()
    dirs = []
    for raw in paths:
        if raw == "-":
            continue
        p = Path(raw)
        if any(ch in raw for ch in "*?[") and not p.exists():  # a glob: look from its fixed part
            p = Path(raw.split("*")[0].split("?")[0].split("[")[0] or ".")
        p = (cwd / p) if not p.is_absolute() else p
        dirs.append(p if p.is_dir() else p.parent)
    start = _common_dir(dirs) if dirs else cwd
    found = find_config_file(start)
    return load_config(found) if found else DEFAULT_CONFIG


def _common_dir(dirs: list[Path]) -> Path:
    import os

    try:
        return Path(os.path.commonpath([str(d.resolve()) for d in dirs]))
    except ValueError:  # different drives
        return dirs[0]


# ---------------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到配置文件: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 语法错误: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取配置文件: {exc.strerror or exc}") from exc


def _table(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if "kpicheck" not in tool:
            if path.name == "pyproject.toml":
                raise ConfigError(f"{path}: 没有 [tool.kpicheck] 配置段")
            return {k: v for k, v in data.items() if k != "tool"}
        return tool["kpicheck"]
    return data


def _snake(table: dict[str, Any], nested: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        k = key.replace("-", "_")
        if nested and isinstance(value, dict) and k not in _DATA_KEYED:
            value = _snake(value, nested=False)
        out[k] = value
    return out


def load_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The settings of one file, with `extend` resolved and relative paths made absolute."""
    path = path.resolve()
    if path in _seen:
        raise ConfigError(f"{path}: extend 循环引用")
    raw = _snake(_table(path))
    base: dict[str, Any] = {}
    if "extend" in raw:
        parent = raw.pop("extend")
        if not isinstance(parent, str):
            raise ConfigError(f"{path}: extend 必须是文件路径字符串")
        base = load_raw(path.parent / Path(parent).expanduser(), _seen + (path,))
    if isinstance(raw.get("lexicons"), list):
        resolved = []
        for item in raw["lexicons"]:
            lex = path.parent / Path(str(item)).expanduser()
            if not lex.is_file():
                raise ConfigError(f"{path}: 找不到词表文件 {item}")
            resolved.append(str(lex.resolve()))
        raw["lexicons"] = resolved
    merged = dict(base)
    for key, value in raw.items():
        if key in ("thresholds", "severity", "per_file_ignores") and isinstance(value, dict) \
                and isinstance(base.get(key), dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    merged["source"] = str(path)
    return merged


def load_config(path: str | Path) -> Config:
    """Load and validate one config file (with what it extends)."""
    path = Path(path)
    raw = load_raw(path)
    return validate(raw, str(path))


def validate(raw: dict[str, Any], origin: str = "配置") -> Config:
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_explain(exc)}") from None
    return check_codes(config, origin)


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x).replace("_", "-") for x in err["loc"])
        if err["type"] == "value_error" and isinstance(err.get("ctx", {}).get("error"), lexicon_files.LexiconError):
            parts.append(str(err["ctx"]["error"]))
        elif err["type"] == "extra_forbidden":
            parts.append(f"未知配置项 '{where}'")
        elif err["type"] == "literal_error":
            parts.append(f"'{where}' 的取值 {err['input']!r} 无效（{err['msg']}）")
        else:
            parts.append(f"'{where}' 的取值 {err['input']!r} 无效（{err['msg']}）")
    return "；".join(parts)


# ---------------------------------------------------------------------- rule codes


def known_code(selector: str) -> bool:
    """`KPI`, `ALL`, a family (`KPI3`), a registered code or a prefix of one (`KPI30`)."""
    from kpicheck.rules import REGISTRY
    from kpicheck.rules.base import FAMILIES, REDIRECTS

    sel = selector.upper()
    if sel in ("KPI", "ALL") or sel in REDIRECTS:
        return True
    if any(sel.startswith(fam) and len(sel) == len(fam) for fam in FAMILIES):
        return True
    return any(code.startswith(sel) for code in REGISTRY)


def check_codes(config: Config, origin: str = "配置") -> Config:
    """Reject unknown codes; upper-case selectors; an old code means its successor; expand
    severity prefixes to exact codes."""
    from kpicheck.rules import REGISTRY
    from kpicheck.rules.base import redirected

    def norm(codes: list[str], key: str) -> list[str]:
        out = []
        for code in codes:
            if not known_code(code):
                raise ConfigError(f"{origin}: {key} 中有未知的规则代码或前缀 '{code}'"
                                  f"（用 `kpicheck rules` 查看全部规则）")
            out.append("KPI" if code.upper() == "ALL" else redirected(code.upper()))
        return out

    update: dict[str, Any] = {
        "select": norm(config.select, "select"),
        "extend_select": norm(config.extend_select, "extend-select"),
        "ignore": norm(config.ignore, "ignore"),
        "per_file_ignores": {pat: norm(codes, f"per-file-ignores['{pat}']")
                             for pat, codes in config.per_file_ignores.items()},
    }
    severity: dict[str, Severity] = {}
    norm(list(config.severity), "severity")
    # prefixes expand to the registered codes; longer (more specific) selectors win
    for sel, level in sorted(config.severity.items(), key=lambda kv: len(kv[0])):
        sel = "KPI" if sel.upper() == "ALL" else redirected(sel.upper())
        if sel in REGISTRY:
            severity[sel] = level
        else:
            for code in REGISTRY:
                if code.startswith(sel):
                    severity[code] = level
    update["severity"] = severity
    return config.model_copy(update=update)


def with_overrides(config: Config, **options: Any) -> Config:
    """Apply command-line options (None means not given) on top of a loaded config."""
    update: dict[str, Any] = {}
    if options.get("select") is not None:
        update["select"] = _split(options["select"])
        update["extend_select"] = []
    if options.get("extend_select") is not None:
        update["extend_select"] = list(update.get("extend_select", config.extend_select)) + _split(options["extend_select"])
    if options.get("ignore") is not None:
        update["ignore"] = list(config.ignore) + _split(options["ignore"])
    for key in ("lang", "fail_on"):
        if options.get(key) is not None:
            update[key] = options[key]
    raw = config.model_dump()
    raw.update(update)
    return validate(raw, "命令行选项")


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


# ---------------------------------------------------------------------- showing


def to_toml(config: Config) -> str:
    """The effective config as a `[tool.kpicheck]` table, ready to paste."""
    data = config.model_dump(exclude={"source"})
    lines = [f"# 生效的配置（来源: {config.source or '内置默认值'}）", "[tool.kpicheck]"]
    tables = []
    for key, value in data.items():
        name = key.replace("_", "-")
        if isinstance(value, dict):
            tables.append((name, value))
        elif value is not None:
            lines.append(f"{name} = {_toml_value(value)}")
    for name, table in tables:
        if not table:
            continue
        lines += ["", f"[tool.kpicheck.{name}]"]
        for key, value in table.items():
            shown = key if name in ("severity", "per-file-ignores") else key.replace("_", "-")
            if name in ("severity", "per-file-ignores"):
                shown = _toml_value(shown)
            if value is not None:
                lines.append(f"{shown} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
