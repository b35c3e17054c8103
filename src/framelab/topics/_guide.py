"""Codebooks as topic-model guidance: frame lexicons, seed-word lists, zero-shot descriptions.

Accepts a :class:`framelab.codebook.Codebook` (``.frames`` -> Frame with ``terms``,
``phrases``, ``label``, ``description``; term lists may be per language) or a plain dict
``{frame_id: [seed words]}``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["frame_lexicons", "seed_topic_list", "zeroshot_topic_list"]


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _per_language(value: Any, language: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [str(v) for v in value.get(language, ())]
    return [str(v) for v in value]


def frame_lexicons(
    codebook: Any, *, language: str = "en", caller: str = "frame_lexicons"
) -> dict[str, dict[str, Any]]:
    """Frame id -> ``{"terms", "phrases", "label", "description"}`` in one language.

    A plain dict ``{frame: [words]}`` is read as terms: entries with a space are phrases.

    Examples
    --------
    >>> lex = frame_lexicons({"ceasefire": ["truce", "cease fire"]})
    >>> lex["ceasefire"]["terms"], lex["ceasefire"]["phrases"]
    (['truce'], ['cease fire'])
    """
    frames = _get(codebook, "frames") if not isinstance(codebook, Mapping) else None
    if frames is None and isinstance(codebook, Mapping):
        frames = codebook
    if not isinstance(frames, Mapping) or not frames:
        raise TypeError(
            f"{caller}(): expected a Codebook (framelab.codebook.load_codebook(...)) or a dict "
            f"{{frame_id: [seed words]}}, got {type(codebook).__name__}."
        )
    out: dict[str, dict[str, Any]] = {}
    for frame_id, frame in frames.items():
        if isinstance(frame, (list, tuple, set, frozenset, str)):
            entries = (
                [frame]
                if isinstance(frame, str)
                else sorted(frame)
                if isinstance(frame, (set, frozenset))
                else list(frame)
            )
            terms = [e for e in entries if " " not in e.strip()]
            phrases = [e for e in entries if " " in e.strip()]
            out[str(frame_id)] = {
                "terms": terms,
                "phrases": phrases,
                "label": str(frame_id),
                "description": "",
            }
            continue
        out[str(frame_id)] = {
            "terms": _per_language(_get(frame, "terms"), language),
            "phrases": _per_language(_get(frame, "phrases"), language),
            "label": str(_get(frame, "label") or frame_id),
            "description": str(_get(frame, "description") or ""),
        }
    return out


def _expand(term: str, vocabulary: Sequence[str] | None, limit: int) -> list[str]:
    term = term.lower().strip()
    if "*" not in term:
        return [term]
    if vocabulary is None:
        stem = term.replace("*", "")
        return [stem] if len(stem) >= 3 else []
    matches = [w for w in vocabulary if " " not in w and fnmatch.fnmatchcase(w, term)]
    return sorted(matches)[:limit]


def seed_topic_list(
    codebook: Any,
    *,
    language: str = "en",
    vocabulary: Iterable[str] | None = None,
    max_words: int = 30,
    frames: Sequence[str] | None = None,
) -> list[list[str]]:
    """Seed words per frame for BERTopic's guided topic modelling (one list per frame).

    Terms are lower-cased; ``*`` globs are expanded against ``vocabulary`` (the corpus' topic
    vocabulary) when given, else cut to their stem; phrases are kept as n-grams (they match
    the bigrams of the topic vocabulary). Frames whose list ends up empty are left out.

    Examples
    --------
    >>> seed_topic_list({"talks": ["negotiat*", "envoy"], "truce": ["truce"]},
    ...                 vocabulary=["negotiate", "negotiations", "envoy", "truce", "sea"])
    [['negotiate', 'negotiations', 'envoy'], ['truce']]
    """
    lex = frame_lexicons(codebook, language=language, caller="seed_topic_list")
    vocab = sorted(set(vocabulary)) if vocabulary is not None else None
    selected = list(frames) if frames is not None else list(lex)
    out = []
    for frame_id in selected:
        entry = lex[frame_id]
        words: list[str] = []
        for term in entry["terms"]:
            words.extend(_expand(term, vocab, limit=max_words))
        for phrase in entry["phrases"]:
            if "*" not in phrase:
                words.append(" ".join(phrase.lower().split()))
        seen, unique = set(), []
        for w in words:
            if w and w not in seen:
                seen.add(w)
                unique.append(w)
        if unique:
            out.append(unique[:max_words])
    return out


def zeroshot_topic_list(codebook: Any, *, language: str = "en") -> tuple[list[str], list[str]]:
    """Zero-shot topic texts from frame labels and descriptions: ``(frame ids, texts)``.

    Each text is ``"<label>: <description>"`` (just the label, or the seed words, when the
    frame has no description).

    Examples
    --------
    >>> zeroshot_topic_list({"truce": ["truce", "ceasefire"]})
    (['truce'], ['truce: truce, ceasefire'])
    """
    lex = frame_lexicons(codebook, language=language, caller="zeroshot_topic_list")
    ids, texts = [], []
    for frame_id, entry in lex.items():
        detail = entry["description"] or ", ".join(entry["terms"] + entry["phrases"])
        ids.append(frame_id)
        texts.append(f"{entry['label']}: {detail}" if detail else entry["label"])
    return ids, texts


def lexicon_matcher(entry: Mapping[str, Any]):
    """A predicate ``word -> bool``: does a topic word (unigram or n-gram) belong to the lexicon?

    A unigram matches a term (``*`` globs allowed, hyphens ignored); an n-gram matches a phrase
    (same words, globs allowed per word) or, failing that, when any of its words matches a term.
    """
    terms = [t.lower().replace("-", "") for t in entry["terms"]]
    phrases = [[w.replace("-", "") for w in p.lower().split()] for p in entry["phrases"]]

    def term_match(word: str) -> bool:
        word = word.replace("-", "")
        return any(fnmatch.fnmatchcase(word, t) for t in terms)

    def match(topic_word: str) -> bool:
        parts = topic_word.lower().split()
        if len(parts) == 1:
            if term_match(parts[0]):
                return True
            # a closed-up phrase ("backchannel" = "back channel")
            return any("".join(p) == parts[0].replace("-", "") for p in phrases)
        for phrase in phrases:
            if len(phrase) == len(parts) and all(
                fnmatch.fnmatchcase(w.replace("-", ""), p)
                for w, p in zip(parts, phrase, strict=True)
            ):
                return True
        return any(term_match(w) for w in parts)

    return match
