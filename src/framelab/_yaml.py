"""YAML helpers shared by codebooks and study configs: where a key is (file, line, column)."""

from __future__ import annotations

import yaml

__all__ = ["Locator"]


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
