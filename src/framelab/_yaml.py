"""YAML helpers shared by codebooks and study configs: where a key is (file, line, column)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from framelab._errors import suggest

__all__ = ["Locator", "as_int", "check_duplicate_keys", "check_keys"]


def check_duplicate_keys(root: yaml.Node | None, source: str, cls: type[Exception]) -> None:
    """Raise ``cls`` if any mapping of the composed YAML tree repeats a key.

    PyYAML keeps the last of two equal keys without a word, so a second ``compare:`` section or
    a frame defined twice silently replaces the first. The error names both lines.

    Examples
    --------
    >>> root = yaml.compose("a: 1\\nb: 2\\na: 3\\n", Loader=yaml.SafeLoader)
    >>> check_duplicate_keys(root, "study.yml", ValueError)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: study.yml, line 3, column 1: duplicate key 'a' (first at line 1); YAML would ...
    """
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    first = seen.setdefault(k.value, k)
                    if first is not k:
                        inside = f" in {'.'.join(map(str, path))}" if path else ""
                        raise cls(
                            f"{source}, line {k.start_mark.line + 1}, column "
                            f"{k.start_mark.column + 1}: duplicate key {k.value!r}{inside} "
                            f"(first at line {first.start_mark.line + 1}); YAML would keep only "
                            "the last one and silently drop the first. Remove or rename one of "
                            "them."
                        )
                stack.append((v, (*path, getattr(k, "value", "?"))))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*path, i)) for i, v in enumerate(node.value))


class Locator:
    """Find the line/column of a key path in the composed YAML node tree."""

    def __init__(self, source: str | None, root: yaml.Node | None):
        self.source = source or "<codebook>"
        self.root = root

    def where(self, *path: str | int) -> str:
        node = self.root
        mark = node.start_mark if node is not None else None
        for key in path:
            if node is None:
                break
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key:
                        nxt, mark = v, k.start_mark
                        if isinstance(path[-1], str) and key == path[-1]:
                            mark = k.start_mark
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if key < len(node.value):
                    nxt = node.value[key]
                    mark = nxt.start_mark
            node = nxt
        if mark is None:
            return self.source
        return f"{self.source}, line {mark.line + 1}, column {mark.column + 1}"

    def raw_scalar(self, path: tuple) -> str | None:
        """The source text of a plain scalar (YAML reads ``no`` as False; we want 'no')."""
        node = self.root
        for key in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == key), None)
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(key, int)
                and key < len(node.value)
            ):
                node = node.value[key]
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) and node.value.strip() else None

    def error(self, path: tuple, message: str, cls: type[Exception] = ValueError) -> Exception:
        dotted = ".".join(str(p) for p in path)
        return cls(f"{self.where(*path)}: {dotted + ': ' if dotted else ''}{message}")


def check_keys(obj: Mapping, allowed: tuple[str, ...], loc: Any, path: tuple) -> None:
    """Raise ``loc.error`` (file, line, column) for the first key of ``obj`` not in ``allowed``.

    Shared by the codebook readers (``codebook.py``, ``_codebook_rules.py``).

    Examples
    --------
    >>> class Loc:
    ...     def error(self, path, message):
    ...         return ValueError(f"{'.'.join(path)}: {message}")
    >>> check_keys({"terms": [], "labl": "x"}, ("label", "terms"), Loc(), ("frames", "a"))
    Traceback (most recent call last):
    ...
    ValueError: frames.a.labl: unknown key 'labl'. Did you mean 'label'? Allowed keys: label, terms.
    """
    for key in obj:
        if key not in allowed:
            raise loc.error(
                (*path, key),
                f"unknown key {key!r}.{suggest(str(key), allowed)} Allowed keys: {', '.join(allowed)}.",
            )


def as_int(value: Any, loc: Any, path: tuple, minimum: int = 0) -> int:
    """``value`` if it is a whole number >= ``minimum`` (not a bool), else ``loc.error``.

    Examples
    --------
    >>> class Loc:
    ...     def error(self, path, message):
    ...         return ValueError(f"{'.'.join(path)}: {message}")
    >>> as_int(3, Loc(), ("audit", "n"))
    3
    >>> as_int(True, Loc(), ("audit", "n"))
    Traceback (most recent call last):
    ...
    ValueError: audit.n: expected a whole number >= 0, got True.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise loc.error(path, f"expected a whole number >= {minimum}, got {value!r}.")
    return value
