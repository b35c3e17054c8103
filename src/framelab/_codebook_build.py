"""Reading a codebook: YAML mapping -> validated :class:`~framelab.codebook.Codebook`.

``extends:`` resolution, frame building with ``add``/``remove`` blocks, negation settings and the
top-level checks live here; the types and the public API are in :mod:`framelab.codebook`, which
imports this module lazily (this one imports the types).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from framelab import _codebook_rules as _rules
from framelab._codebook_parse import (
    ALL_LANGUAGES,
    _check_ambiguous,
    _Locator,
    _pattern_list,
    _warn_duplicates,
    change_regex,
    language_key,
    regex_spec,
)
from framelab._errors import CodebookError, suggest
from framelab._presence import parse_presence
from framelab._yaml import as_int as _as_int
from framelab._yaml import check_duplicate_keys
from framelab._yaml import check_keys as _check_keys
from framelab.codebook import (
    _LIST_KEYS,
    _NEG_KEYS,
    NEGATION_POLICIES,
    Codebook,
    Frame,
    Negation,
    _shipped_path,
    list_codebooks,
)

_TOP_KEYS = (
    "name",
    "version",
    "description",
    "language",
    "extends",
    "negation",
    "presence",
    "frames",
    "remove_frames",
    "scope",
)
_FRAME_KEYS = (
    "label",
    "description",
    "parent",
    "terms",
    "phrases",
    "regex",
    "exclude",
    "exclude_window",
    "ambiguous",
    "context",
    "examples",
    "add",
    "remove",
    "scope",
    "audit",
)
#: lists a pattern leaves when an ``add`` block puts it into another one
_MOVES = {"terms": ("ambiguous",), "phrases": ("ambiguous",), "ambiguous": ("terms", "phrases")}
_FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


# ===================================================================== YAML reading & validation


def read_yaml(path: Path, chain: tuple[str, ...]) -> Codebook:
    if not path.exists():
        raise FileNotFoundError(f"Codebook.from_yaml(): {path} does not exist.")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodebookError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)}). Check indentation "
            "and quote patterns that contain ':' or start with '*'."
        ) from None
    check_duplicate_keys(root, str(path), CodebookError)
    key = str(path.resolve())
    if key in chain:
        raise CodebookError(f"{path}: 'extends' forms a cycle: {' -> '.join(chain + (key,))}.")
    return build(data, _Locator(str(path), root), base_dir=path.parent, chain=chain + (key,))


def _frame_from(
    fid: str, spec: Mapping, lang: str, loc: _Locator, path: tuple, base: Frame | None
) -> Frame:
    _check_keys(spec, _FRAME_KEYS, loc, path)
    if ("add" in spec or "remove" in spec) and base is None:
        raise loc.error(
            (*path, "add" if "add" in spec else "remove"),
            f"frame {fid!r} does not exist in the parent codebook, so it cannot be "
            "changed with add/remove; define it fully instead.",
        )
    values: dict[str, Any] = {}
    if base is not None:
        values = {
            "label": base.label,
            "description": base.description,
            "parent": base.parent,
            "terms": {k: list(v) for k, v in base.terms.items()},
            "phrases": {k: list(v) for k, v in base.phrases.items()},
            "regex": {ALL_LANGUAGES: list(base.regex)}
            | {k: list(v) for k, v in base.regex_by_language.items()},
            "exclude": {k: list(v) for k, v in base.exclude.items()},
            "exclude_window": base.exclude_window,
            "ambiguous": {k: list(v) for k, v in base.ambiguous.items()},
            "context": {k: list(v) for k, v in base.context.items()},
            "examples": list(base.examples),
            "scope": base.scope,
            "scope_without": base.scope_without,
            "scope_level": base.scope_level,  # (an audit is not inherited by a changed frame)
        }
    for key in ("label", "description", "parent"):
        if key in spec:
            if spec[key] is not None and not isinstance(spec[key], str):
                raise loc.error((*path, key), f"expected text, got {type(spec[key]).__name__}.")
            values[key] = (spec[key] or "").strip() if key != "parent" else spec[key]
    for key in _LIST_KEYS:
        if key in spec:
            values[key] = _pattern_list(spec[key], lang, loc, (*path, key))
    if "regex" in spec:  # a list (every language) or a mapping language -> list
        values["regex"] = regex_spec(spec["regex"], loc, (*path, "regex"))
    if "exclude_window" in spec:
        values["exclude_window"] = _as_int(spec["exclude_window"], loc, (*path, "exclude_window"))
    if "examples" in spec:
        ex = spec["examples"] or []
        if not isinstance(ex, list) or not all(isinstance(e, str) for e in ex):
            raise loc.error((*path, "examples"), "expected a list of example sentences.")
        values["examples"] = [" ".join(e.split()) for e in ex]
    if "scope" in spec:
        values["scope"], values["scope_level"], values["scope_without"] = _rules.frame_scope_from(
            spec["scope"], lang, loc, (*path, "scope"), _pattern_list
        )
    if "audit" in spec:
        values["audit"] = _rules.audit_from(spec["audit"], lang, loc, (*path, "audit"))
    for op in ("add", "remove"):
        if op not in spec:
            continue
        block = spec[op] or {}
        if not isinstance(block, Mapping):
            raise loc.error(
                (*path, op), "expected a mapping such as {terms: [...], phrases: [...]}."
            )
        _check_keys(block, (*_LIST_KEYS, "regex"), loc, (*path, op))
        for key, items in block.items():
            if key == "regex":
                change_regex(values.setdefault("regex", {}), op, items, loc, (*path, op, key))
                continue
            change = _pattern_list(items, lang, loc, (*path, op, key))
            current = values.setdefault(key, {})
            for lg, pats in change.items():
                have = current.setdefault(lg, [])
                if op == "add":
                    have.extend(p for p in pats if p not in have)
                    # adding a pattern as a plain term/phrase makes it count anywhere, and
                    # adding it as ambiguous makes it need context: it moves between the lists
                    for other in _MOVES.get(key, ()):
                        moved = values.get(other, {})
                        if moved.get(lg):
                            moved[lg] = [p for p in moved[lg] if p not in pats]
                else:
                    missing = [p for p in pats if p not in have]
                    if missing:
                        raise loc.error(
                            (*path, op, key),
                            f"cannot remove {missing!r}: not in the "
                            f"parent's {key} for language {lg!r}.",
                        )
                    current[lg] = [p for p in have if p not in pats]
    label = values.get("label") or fid.replace("_", " ").capitalize()
    frame = Frame(
        id=fid,
        label=label,
        description=values.get("description", ""),
        parent=values.get("parent"),
        terms={k: v for k, v in values.get("terms", {}).items() if v},
        phrases={k: v for k, v in values.get("phrases", {}).items() if v},
        regex=values.get("regex", {}),
        exclude={k: v for k, v in values.get("exclude", {}).items() if v},
        exclude_window=values.get("exclude_window", 8),
        ambiguous={k: v for k, v in values.get("ambiguous", {}).items() if v},
        context={k: v for k, v in values.get("context", {}).items() if v},
        examples=tuple(values.get("examples", ())),
        scope=values.get("scope"),
        scope_level=values.get("scope_level"),
        scope_without=values.get("scope_without"),
        audit=values.get("audit"),
    )
    _check_ambiguous(frame, loc, path)
    if frame.n_entries() == 0:
        raise loc.error(
            path,
            f"frame {fid!r} is empty: give it at least one term, phrase or "
            "regex (or remove it with remove_frames).",
        )
    return frame


def _negation_from(spec: Any, lang: str, loc: _Locator, base: Negation | None) -> Negation:
    base = base or Negation()
    if spec is None:
        return base
    if not isinstance(spec, Mapping):
        raise loc.error(("negation",), "expected a mapping with cues, window and policy.")
    _check_keys(spec, _NEG_KEYS, loc, ("negation",))
    cues = dict(base.cues)
    if "cues" in spec:
        cues = _pattern_list(spec["cues"], lang, loc, ("negation", "cues"))
    window = _as_int(spec.get("window", base.window), loc, ("negation", "window"))
    blockers = dict(base.blockers)
    if "blockers" in spec:
        blockers = _pattern_list(spec["blockers"], lang, loc, ("negation", "blockers"))
    policy = spec.get("policy", base.policy)
    if policy not in NEGATION_POLICIES:
        raise loc.error(
            ("negation", "policy"),
            f"policy must be one of "
            f"{', '.join(NEGATION_POLICIES)}, got {policy!r}."
            f"{suggest(str(policy), NEGATION_POLICIES)}",
        )
    return Negation(cues=cues, window=window, policy=policy, blockers=blockers)


def build(data: Any, loc: _Locator, base_dir: Path | None, chain: tuple[str, ...] = ()) -> Codebook:
    if not isinstance(data, Mapping):
        raise loc.error((), "a codebook must be a mapping with name, version and frames.")
    _check_keys(data, _TOP_KEYS, loc, ())
    parent: Codebook | None = None
    if data.get("extends"):
        ref = str(data["extends"])
        if ref in list_codebooks():
            parent = read_yaml(_shipped_path(ref), chain)
        else:
            ppath = Path(ref)
            if base_dir is not None and not ppath.is_absolute():
                ppath = base_dir / ppath
            if not ppath.exists():
                raise loc.error(
                    ("extends",),
                    f"cannot find {ref!r}: not a shipped codebook "
                    f"({', '.join(list_codebooks())}) and no such file.",
                )
            parent = read_yaml(ppath, chain)
    elif "remove_frames" in data:
        raise loc.error(("remove_frames",), "remove_frames needs 'extends: <codebook>'.")
    for key in ("name", "version"):
        if data.get(key) in (None, ""):
            raise loc.error((), f"missing required key {key!r}.")
    name = str(data["name"])
    if not _NAME.match(name):
        raise loc.error(("name",), f"name {name!r} may use letters, digits, '_', '-' and '.' only.")
    version = str(data["version"])
    lang = data.get("language") or (parent.language if parent else "en")
    lang = language_key(lang, loc, ("language",), "per-language blocks, like `language:`,")
    frames: dict[str, Frame] = dict(parent.frames) if parent else {}
    for i, fid in enumerate(data.get("remove_frames") or []):
        if fid not in frames:
            raise loc.error(
                ("remove_frames", i), f"no frame {fid!r} in {parent.id}.{suggest(str(fid), frames)}"
            )
        del frames[fid]
    spec_frames = data.get("frames")
    if parent is None and not spec_frames:
        raise loc.error(
            ("frames",) if "frames" in data else (),
            "a codebook needs at least one frame under 'frames:'.",
        )
    if spec_frames is not None and not isinstance(spec_frames, Mapping):
        raise loc.error(("frames",), "expected a mapping of frame id -> frame definition.")
    for fid, spec in (spec_frames or {}).items():
        fid = str(fid)
        if not _FRAME_ID.match(fid):
            raise loc.error(
                ("frames", fid),
                f"frame id {fid!r} must be lower_snake_case "
                "(letters, digits, '_', starting with a letter).",
            )
        if not isinstance(spec, Mapping):
            raise loc.error(("frames", fid), "expected a mapping with label, description, terms...")
        frames[fid] = _frame_from(fid, spec, lang, loc, ("frames", fid), frames.get(fid))
    negation = _negation_from(data.get("negation"), lang, loc, parent.negation if parent else None)
    description = str(data.get("description") or (parent.description if parent else "")).strip()
    _warn_duplicates(frames, loc)
    presence = data.get("presence", parent.presence if parent else None)
    try:
        parse_presence(presence, frames, where="presence")
    except ValueError as exc:
        raise loc.error(("presence",), str(exc).removeprefix("presence: ")) from None
    return Codebook(
        name=name,
        version=version,
        frames=frames,
        description=description,
        language=lang,
        negation=negation,
        source=loc.source,
        presence=presence,
        scope=_rules.scope_from(
            data.get("scope"), lang, loc, parent.scope if parent else None, _pattern_list
        ),
    )
