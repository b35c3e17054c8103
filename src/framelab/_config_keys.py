"""Validation of the study config's list and mapping keys (private; see framelab.config)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from framelab._errors import ConfigError, suggest
from framelab._yaml import Locator

__all__ = ["SPECIAL", "check_keys", "names", "term_names", "text"]


def _config_error() -> type[ValueError]:
    return ConfigError


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME = re.compile(r"[A-Za-z_]\w*")


def _term_names(term: str) -> list[str]:
    """The column names in a regression term: ``C(outlet, Treatment('a'))`` -> ``['outlet']``."""
    text = _QUOTED.sub("", term)
    out = []
    for m in _NAME.finditer(text):
        before = text[: m.start()].rstrip()[-1:]
        after = text[m.end() :].lstrip()[:1]
        if after in ("(", ".") or before == ".":
            continue
        out.append(m.group())
    return out


def _check_keys(obj: Mapping, allowed, loc: Locator, path: tuple) -> None:
    for key in obj:
        if key not in allowed:
            raise loc.error(
                (*path, key),
                f"unknown key {key!r}.{suggest(str(key), allowed)} "
                f"Allowed keys: {', '.join(allowed)}.",
                _config_error(),
            )


def text(value: Any, loc: Locator, path: tuple) -> str:
    """A scalar as the user wrote it: YAML 1.1 reads ``NO`` (Norway), ``yes`` or ``off`` as
    booleans, which must not become ``'False'``."""
    if isinstance(value, bool):
        return loc.raw_scalar(path) or str(value)
    return str(value)


def _node(loc: Locator, path: tuple):
    node = loc.root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return None
    return node


def _raw_map(mapping: Mapping, loc: Locator, path: tuple) -> dict[str, str | None]:
    """A mapping of scalars as written (keys and values; null stays None)."""
    node = _node(loc, path)
    if isinstance(node, yaml.MappingNode) and all(
        isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode) for k, v in node.value
    ):
        return {
            k.value: None if v.tag == "tag:yaml.org,2002:null" else v.value for k, v in node.value
        }
    return {str(k): (None if v is None else str(v)) for k, v in mapping.items()}


def _names(value: Any, loc: Locator, where: tuple, what: str = "names") -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise loc.error(where, f"expected a list of {what}, got {value!r}.", _config_error())
    return tuple(text(v, loc, (*where, i)) for i, v in enumerate(value))


def _optional_names(value: Any, loc: Locator, where: tuple) -> tuple[str, ...] | None:
    if value is None:
        return None
    what = "frame ids (or null: the most prevalent)" if where[-1] == "frames" else "names"
    return _names(value, loc, where, what)


def _optional_str(value: Any, loc: Locator, where: tuple) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):  # YAML reads no/yes as booleans: keep the text
        return loc.raw_scalar(where) or str(value)
    if not isinstance(value, str | int | float):
        raise loc.error(where, f"expected a single value or null, got {value!r}.", _config_error())
    return str(value)


def _pairs(value: Any, loc: Locator, where: tuple) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise loc.error(
            where, f"expected a list of [a, b] group pairs or null, got {value!r}.", _config_error()
        )
    out = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list) or len(pair) != 2 or pair[0] == pair[1]:
            raise loc.error(
                (*where, i),
                f"each pair must be a list of two different group values like [a, b], "
                f"got {pair!r}.",
                _config_error(),
            )
        out.append((text(pair[0], loc, (*where, i, 0)), text(pair[1], loc, (*where, i, 1))))
    return tuple(out)


def _columns(value: Any, loc: Locator, where: tuple) -> dict[str, str | tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise loc.error(
            where,
            "expected a mapping of target column -> your column, e.g. {text: body}.",
            _config_error(),
        )
    out: dict[str, str | tuple[str, ...]] = {}
    for target, source in value.items():
        at = (*where, target)
        if target == "text" and isinstance(source, list):
            if not source or not all(isinstance(v, str) and v for v in source):
                raise loc.error(
                    at, f"expected a list of column names, got {source!r}.", _config_error()
                )
            out[str(target)] = tuple(source)
        elif isinstance(source, str) and source:
            out[str(target)] = source
        else:
            hint = " (only text may be a list of columns)" if isinstance(source, list) else ""
            raise loc.error(at, f"expected a column name, got {source!r}{hint}.", _config_error())
    return out


def _recode(value: Any, loc: Locator, where: tuple) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise loc.error(
            where,
            "expected a mapping like {country: {from: outlet, map: {rt.com: RU}, other: null}}.",
            _config_error(),
        )
    out = {}
    for name, spec in value.items():
        at = (*where, name)
        if not isinstance(spec, Mapping):
            raise loc.error(
                at,
                "expected {from: column, map: {value: new value}, other: null}.",
                _config_error(),
            )
        _check_keys(spec, ("from", "map", "other"), loc, at)
        if not isinstance(spec.get("from"), str) or not spec["from"]:
            raise loc.error(
                at, "needs 'from': the column whose values are mapped.", _config_error()
            )
        mapping = spec.get("map")
        if not isinstance(mapping, Mapping) or not mapping:
            raise loc.error(
                (*at, "map"), "expected a mapping of old value -> new value.", _config_error()
            )
        other = spec.get("other")
        out[str(name)] = {
            "from": spec["from"],
            "map": _raw_map(mapping, loc, (*at, "map")),
            "other": None if other is None else text(other, loc, (*at, "other")),
        }
    return out


def _day(value: Any, loc: Locator, where: tuple) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise loc.error(where, f"date {value!r} is not YYYY-MM-DD.", _config_error()) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise loc.error(where, f"date {value!r} is not YYYY-MM-DD.", _config_error())
    return value


def _filter(value: Any, loc: Locator, where: tuple) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise loc.error(
            where,
            "expected a mapping like {date: {from: 2022-02-24, to: 2023-12-31}, "
            "keep: {column: [values]}, drop: {column: [values]}}.",
            _config_error(),
        )
    _check_keys(value, ("date", "keep", "drop"), loc, where)
    out: dict[str, Any] = {}
    if value.get("date") is not None:
        span = value["date"]
        at = (*where, "date")
        if not isinstance(span, Mapping) or not span:
            raise loc.error(at, "expected {from: YYYY-MM-DD, to: YYYY-MM-DD}.", _config_error())
        _check_keys(span, ("from", "to"), loc, at)
        start, end = (_day(span.get(k), loc, (*at, k)) for k in ("from", "to"))
        if start and end and start > end:
            raise loc.error(at, f"'from' {start} is after 'to' {end}.", _config_error())
        out["date"] = {"from": start, "to": end}
    for kind in ("keep", "drop"):
        spec = value.get(kind)
        if spec is None:
            continue
        at = (*where, kind)
        if not isinstance(spec, Mapping):
            raise loc.error(at, "expected a mapping of column -> [values].", _config_error())
        out[kind] = {
            str(col): _names(vals, loc, (*at, col), "values") for col, vals in spec.items()
        }
    return out


def _clean(value: Any, loc: Locator, where: tuple) -> tuple[str, ...]:
    from framelab._regex_check import check_regex
    from framelab.prepare import CLEAN_PRESETS

    _CLEAN_PRESETS = tuple(CLEAN_PRESETS)
    patterns = _names(value, loc, where, "presets (web) or regexes")
    for i, pattern in enumerate(patterns):
        if pattern in _CLEAN_PRESETS:
            continue
        hint = suggest(pattern, _CLEAN_PRESETS)
        if pattern.isalpha() and pattern.islower() and hint:  # a misspelt preset, not a line
            raise loc.error(
                (*where, i),
                f"{pattern!r} is not a preset ({', '.join(_CLEAN_PRESETS)}).{hint} "
                "A line pattern is a regex such as '^Advertisement$'.",
                _config_error(),
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise loc.error(
                (*where, i),
                f"{pattern!r} is neither a preset ({', '.join(_CLEAN_PRESETS)}) nor a valid "
                f"regex ({exc}).{suggest(pattern, _CLEAN_PRESETS)}",
                _config_error(),
            ) from None
        problem = check_regex(pattern)
        if problem:
            raise loc.error((*where, i), f"regex {pattern!r}: {problem}.", _config_error())
    return patterns


SPECIAL = {
    ("corpus", "columns"): _columns,
    ("corpus", "recode"): _recode,
    ("corpus", "filter"): _filter,
    ("corpus", "clean"): _clean,
    ("compare", "reference"): _optional_str,
    ("compare", "pairs"): _pairs,
    ("compare", "frames"): _optional_names,
    ("compare", "covariates"): _names,
    ("time", "frames"): _optional_names,
}


check_keys = _check_keys
names = _names
term_names = _term_names
