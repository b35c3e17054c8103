"""Lemma lookup for ``lemma:`` codebook entries (Russian and Ukrainian), offline.

A codebook entry written ``lemma:уступить`` matches every word form whose dictionary lemma is
``уступить`` (уступит, уступил, уступили, уступая ...), which a glob cannot do without also
matching other words (``уступ*`` = уступка, уступ, уступчивый). The lemmas come from
``pymorphy3`` with the OpenCorpora (ru, MIT) and VESUM-based (uk, GPL-3.0 data) dictionaries
that ship as the packages ``pymorphy3-dicts-ru`` and ``pymorphy3-dicts-uk``; every analysis of an
ambiguous form counts (``мира`` -> мир, миро).

Cost: each DISTINCT token of a corpus is looked up at most once, and only when its first three
letters are those of some lemma entry (an inflected form keeps them in all but suppletive
forms such as идти/шёл, which a ``lemma:`` entry therefore misses: list them as plain terms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

__all__ = ["LEMMA_PREFIX", "LEMMA_LANGUAGES", "lemmatizer"]

LEMMA_PREFIX = "lemma:"
#: languages with a morphological dictionary
LEMMA_LANGUAGES = ("ru", "uk")


@lru_cache(maxsize=4)
def _analyzer(language: str):
    try:
        import pymorphy3
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ImportError(
            "lemmatizer(): 'lemma:' entries need pymorphy3 · it is not installed · run "
            f"`pip install pymorphy3 pymorphy3-dicts-{language}`."
        ) from exc
    return pymorphy3.MorphAnalyzer(lang=language)


def lemmatizer(language: str, lemmas: Iterable[str]) -> Callable[[str], tuple[str, ...]]:
    """A function token -> its lemmas that are among ``lemmas`` (cached per distinct token).

    Parameters
    ----------
    language : {"ru", "uk"}
        Dictionary to use.
    lemmas : iterable of str
        The lemmas the codebook's ``lemma:`` entries ask for (lower case).

    Examples
    --------
    >>> lem = lemmatizer("ru", ["уступить", "генерал"])
    >>> [lem(w) for w in ["уступил", "уступит", "уступка", "генерала", "генеральный"]]
    [('уступить',), ('уступить',), (), ('генерал',), ()]
    """
    if language not in LEMMA_LANGUAGES:
        from framelab.codebook import CodebookError

        raise CodebookError(
            f"lemmatizer(): 'lemma:' entries work for {', '.join(LEMMA_LANGUAGES)} only · got "
            f"them for language {language!r} · use globs (negotiat*) for other languages."
        )
    wanted = frozenset(lemma.lower() for lemma in lemmas)
    starts = frozenset(w[:3] for w in wanted)
    cache: dict[str, tuple[str, ...]] = {}
    morph = _analyzer(language)

    def lookup(token: str) -> tuple[str, ...]:
        if token[:3] not in starts:
            return ()
        got = cache.get(token)
        if got is None:
            got = tuple(sorted(set(morph.normal_forms(token)) & wanted))
            cache[token] = got
        return got

    return lookup
