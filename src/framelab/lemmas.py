"""Lemma lookup for ``lemma:`` codebook entries (Russian and Ukrainian), offline.

A codebook entry written ``lemma:уступить`` matches every word form whose dictionary lemma is
``уступить`` (уступит, уступил, уступили, уступая ...), which a glob cannot do without also
matching other words (``уступ*`` = уступка, уступ, уступчивый). The lemmas come from
``pymorphy3`` with the OpenCorpora (ru: CC BY-SA 3.0 data) and VESUM-based (uk: GPL-3.0)
dictionaries that ship as the packages ``pymorphy3-dicts-ru`` (a dependency of framelab) and
``pymorphy3-dicts-uk`` (optional: ``pip install "framelab[uk-lemmas]"``, so that installing
framelab, MIT, never pulls in GPL data); every analysis of an ambiguous form counts (``мира`` ->
мир, миро).

Which tokens match (the rule): a token matches ``lemma:L`` when its first three letters are those
of some lemma entry and ``L`` is among ``pymorphy3``'s normal forms of the token (an inflected
form keeps its first letters in all but suppletive forms such as идти/шёл, which a ``lemma:``
entry therefore misses: list them as plain terms).

How it stays cheap (issue 21): each lemma is expanded once into the surface forms of its
lexemes (:func:`lemma_forms`, cached per language and lemma). A token the dictionary knows can
have ``L`` as a normal form only if it is one of those forms (its analyses are dictionary
analyses, and the lexeme of each holds all its forms), so a known token outside the form sets is
settled by one dictionary lookup, without a morphological analysis. Only the tokens inside a form
set (to confirm the lemma, so homonyms keep all their senses) and the tokens the dictionary does
not know (analysed by ``pymorphy3``'s guessers, exactly as before) are analysed. The dictionary
lookups and the analyses are cached per language and distinct token for the whole session, so
coding the same vocabulary again (another codebook, another run) costs dict look-ups only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import lru_cache

__all__ = [
    "LEMMA_LANGUAGES",
    "LEMMA_PREFIX",
    "clear_caches",
    "lemma_forms",
    "lemmatizer",
    "missing_dictionary",
]

LEMMA_PREFIX = "lemma:"
#: languages with a morphological dictionary
LEMMA_LANGUAGES = ("ru", "uk")
#: language -> (distribution of its dictionary, its data licence, the command that installs it)
DICTIONARIES = {
    "ru": ("pymorphy3-dicts-ru", "CC BY-SA 3.0", "pip install pymorphy3-dicts-ru"),
    "uk": ("pymorphy3-dicts-uk", "GPL-3.0", 'pip install "framelab[uk-lemmas]"'),
}
#: letters a token must share with some lemma entry before it is looked up at all
PREFIX_LETTERS = 3
#: distinct tokens kept per language in the session caches (cleared when full)
_CACHE_LIMIT = 500_000
#: language -> token -> whether the dictionary knows it / its normal forms
_KNOWN: dict[str, dict[str, bool]] = {}
_NORMAL: dict[str, dict[str, frozenset[str]]] = {}


def missing_dictionary(language: str) -> str | None:
    """Why ``lemma:`` entries of ``language`` cannot be analysed here, or None if they can.

    Only checks that the dictionary package can be imported (cheap: it holds data files).

    Examples
    --------
    >>> missing_dictionary("ru") is None
    True
    >>> missing_dictionary("en")
    "'lemma:' entries work for ru, uk only"
    """
    if language not in DICTIONARIES:
        return f"'lemma:' entries work for {', '.join(LEMMA_LANGUAGES)} only"
    package, licence, install = DICTIONARIES[language]
    try:
        importlib.import_module("pymorphy3")
        importlib.import_module(package.replace("-", "_"))
    except ImportError:
        return (
            f"the {language} morphological dictionary ({package}, {licence} data) is not "
            f"installed · install it with `{install}`"
        )
    return None


def _analyzer(language: str):
    """The session's ``pymorphy3`` analyzer of ``language``, once its dictionary is found."""
    problem = missing_dictionary(language)
    if problem is not None:
        from framelab._errors import CodebookError

        raise CodebookError(f"lemmatizer(): 'lemma:' entries for {language!r}: {problem}.")
    return _make_analyzer(language)


@lru_cache(maxsize=4)
def _make_analyzer(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=4)
def _folding(language: str) -> dict[int, str]:
    """Translation table that undoes the letter substitutions ``pymorphy3`` tries on input words
    (ru: an input е may stand for ё; uk: г for ґ), so form sets compare folded spellings."""
    config = importlib.import_module(f"pymorphy3.lang.{language}.config")
    substitutes = getattr(config, "CHAR_SUBSTITUTES", None) or {}
    return str.maketrans({new: old for old, new in substitutes.items()})


@lru_cache(maxsize=4096)
def lemma_forms(language: str, lemma: str) -> frozenset[str]:
    """Every surface form of the lexemes whose normal form is ``lemma`` (plus ``lemma``), with
    the letters ``pymorphy3`` substitutes folded (ru ё -> е, uk ґ -> г); cached.

    Parameters
    ----------
    language : {"ru", "uk"}
        Dictionary to use.
    lemma : str
        A lemma as written in a ``lemma:`` entry (lower case).

    Examples
    --------
    >>> sorted(lemma_forms("ru", "генерал"))[:4]
    ['генерал', 'генерала', 'генералам', 'генералами']
    >>> "уступлено" in lemma_forms("ru", "уступить"), "уступка" in lemma_forms("ru", "уступить")
    (True, False)
    """
    morph = _analyzer(language)
    fold = _folding(language)
    forms = {lemma.translate(fold)}
    for parse in morph.parse(lemma):
        if parse.normal_form == lemma:
            forms.update(form.word.translate(fold) for form in parse.lexeme)
    return frozenset(forms)


def _session_cache(store: dict[str, dict], language: str) -> dict:
    cache = store.setdefault(language, {})
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    return cache


def clear_caches() -> None:
    """Forget the session caches (form sets, dictionary look-ups, analyses), e.g. to time a
    cold run. Results never depend on them.

    Examples
    --------
    >>> lem = lemmatizer("ru", ["генерал"])
    >>> lem("генерала")
    ('генерал',)
    >>> clear_caches()
    >>> lemmatizer("ru", ["генерал"])("генерала")
    ('генерал',)
    """
    _KNOWN.clear()
    _NORMAL.clear()
    lemma_forms.cache_clear()


def lemmatizer(language: str, lemmas: Iterable[str]) -> Callable[[str], tuple[str, ...]]:
    """A function token -> its lemmas that are among ``lemmas`` (cached per distinct token).

    A token is looked up only when its first three letters are those of one of ``lemmas``;
    the result is then the sorted ``lemmas`` that are among ``pymorphy3``'s normal forms of
    the token (see the module docstring for how most tokens skip the analysis).

    Parameters
    ----------
    language : {"ru", "uk"}
        Dictionary to use.
    lemmas : iterable of str
        The lemmas the codebook's ``lemma:`` entries ask for (lower case).

    Raises
    ------
    CodebookError
        For a language without a dictionary, or when the dictionary is not installed.

    Examples
    --------
    >>> lem = lemmatizer("ru", ["уступить", "генерал"])
    >>> [lem(w) for w in ["уступил", "уступит", "уступка", "генерала", "генеральный"]]
    [('уступить',), ('уступить',), (), ('генерал',), ()]
    """
    if language not in LEMMA_LANGUAGES:
        from framelab._errors import CodebookError

        raise CodebookError(
            f"lemmatizer(): 'lemma:' entries work for {', '.join(LEMMA_LANGUAGES)} only · got "
            f"them for language {language!r} · use globs (negotiat*) for other languages."
        )
    wanted = frozenset(lemma.lower() for lemma in lemmas)
    starts = frozenset(w[:PREFIX_LETTERS] for w in wanted)
    morph = _analyzer(language)
    fold = _folding(language)
    words = morph.dictionary.words
    sources = frozenset(fold.values())  # letters pymorphy3 may read as others (ru е, uk г)
    forms = frozenset().union(*(lemma_forms(language, w) for w in sorted(wanted)))
    known = _session_cache(_KNOWN, language)
    normal = _session_cache(_NORMAL, language)
    cache: dict[str, tuple[str, ...]] = {}

    def lookup(token: str) -> tuple[str, ...]:
        if token[:PREFIX_LETTERS] not in starts:
            return ()
        got = cache.get(token)
        if got is not None:
            return got
        low = token.lower()  # (coding passes lower-case keys; pymorphy3 lower-cases too)
        if low.translate(fold) not in forms:
            is_known = known.get(low)
            if is_known is None:  # exact spelling first; е/ё-style variants only if needed
                is_known = low in words or (
                    not sources.isdisjoint(low) and morph.word_is_known(low)
                )
                known[low] = is_known
            if is_known:  # a dictionary word outside every form set: none of the lemmas
                cache[token] = ()
                return ()
        nfs = normal.get(token)
        if nfs is None:
            nfs = normal[token] = frozenset(morph.normal_forms(token))
        got = cache[token] = tuple(sorted(nfs & wanted))
        return got

    return lookup
