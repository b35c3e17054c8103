"""Units of analysis, the topic tokenizer (framelab's tokens and stopwords) and content hashes."""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Iterable, Sequence

import pandas as pd

from framelab.corpus import check_corpus
from framelab.text import stopwords, tokenize
from framelab.text import units as text_units

__all__ = ["TopicAnalyzer", "auto_min_df", "corpus_units", "texts_hash", "topic_stopwords"]

#: Corpus columns that are not copied to unit-level tables (see the FrameCodes schema).
TOPIC_UNIT_COLUMNS = ("unit_id", "doc_id", "text")


def corpus_units(corpus: pd.DataFrame, level: str, caller: str) -> pd.DataFrame:
    """The units to model, sorted by ``unit_id``: ``unit_id, doc_id, text``.

    Sorting makes every result independent of the corpus' row order. Paragraphs are numbered
    from 0 within their document (``<doc_id>-p<k>``), as in the FrameCodes table.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["b", "a"], "text": ["One.\\n\\nTwo.", "Three."]})
    >>> corpus_units(corpus, "paragraph", "fit_topics").values.tolist()
    [['a-p0', 'a', 'Three.'], ['b-p0', 'b', 'One.'], ['b-p1', 'b', 'Two.']]
    """
    check_corpus(corpus, caller)
    if level not in ("document", "paragraph"):  # validated by TopicConfig
        raise ValueError(f"{caller}(): level must be 'document' or 'paragraph', got {level!r}.")
    # sorted by doc_id, then unit number: the natural order of paragraphs within a document
    units = text_units(corpus, level, caller=caller)[list(TOPIC_UNIT_COLUMNS)]
    if not units["text"].str.strip().astype(bool).any():
        raise ValueError(f"{caller}(): the corpus has no text to model (0 {level}s with text).")
    return units.reset_index(drop=True)


def texts_hash(texts: Iterable[str]) -> str:
    """SHA-256 of texts in the given order (one ``\\x1e`` between texts).

    Examples
    --------
    >>> texts_hash(["a", "b"])[:12], texts_hash(["b", "a"])[:12]
    ('619c1d904388', '76c69234bf51')
    """
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def auto_min_df(n_units: int) -> int:
    """Document-frequency floor of the topic vocabulary for a corpus of ``n_units`` units.

    1 below 100 units, else ``max(2, ceil(n_units / 1000))``: 475 -> 2, 5,000 -> 5,
    20,000 -> 20.

    Examples
    --------
    >>> [auto_min_df(n) for n in (50, 475, 5000, 20000)]
    [1, 2, 5, 20]
    """
    if n_units < 100:
        return 1
    return max(2, math.ceil(n_units / 1000))


def topic_stopwords(languages: Sequence[str], extra: Sequence[str] = ()) -> frozenset[str]:
    """Union of framelab's stopword lists for ``languages`` plus ``extra`` words (lower case).

    Examples
    --------
    >>> sw = topic_stopwords(["en", "ru"], extra=["Said"])
    >>> "the" in sw, "и" in sw, "said" in sw
    (True, True, True)
    """
    words: set[str] = set()
    for lang in sorted(set(languages)):
        try:
            words |= stopwords(lang)
        except ValueError:  # no offline list for this language: keep going without
            continue
    words |= {w.lower() for w in extra}
    return frozenset(w.lower() for w in words)


def corpus_languages(corpus: pd.DataFrame) -> tuple[str, ...]:
    """Languages of the corpus' ``language`` column, English when absent."""
    if "language" not in corpus.columns:
        return ("en",)
    langs = sorted({str(x) for x in corpus["language"].dropna().unique() if str(x)})
    return tuple(langs) or ("en",)


class TopicAnalyzer:
    """Turn a text into the n-grams of a topic representation (a scikit-learn ``analyzer``).

    Tokens come from :func:`framelab.text.tokenize`, lower-cased; a token is kept when it
    starts with a letter, has at least two characters and is not a stopword. n-grams join
    *adjacent* kept tokens only (no n-gram spans a stopword or punctuation), with a space.

    Parameters
    ----------
    stop_words : iterable of str
        Lower-case words to drop.
    ngram_range : (int, int), default (1, 2)
        Smallest and largest n.
    memo : dict, optional
        Shared store of tokenized texts, so that the passes of one fit (vocabulary, embedding,
        BERTopic) tokenize each text once; :func:`fit_topics` empties it when done.

    Examples
    --------
    >>> analyzer = TopicAnalyzer({"the", "for", "of"}, ngram_range=(1, 2))
    >>> analyzer("Security guarantees for Kyiv: the end of 2024 talks.")
    ['security', 'guarantees', 'kyiv', 'end', 'talks', 'security guarantees']
    """

    def __init__(
        self,
        stop_words: Iterable[str] = (),
        ngram_range: tuple[int, int] = (1, 2),
        memo: dict | None = None,
    ):
        self.stop_words = frozenset(stop_words)
        self.ngram_range = tuple(ngram_range)
        self.memo = memo

    def _runs(self, text: str) -> list[list[str]]:
        memo = self.memo
        if memo is not None:
            hit = memo.get(text)
            if hit is not None:
                return hit
        stop = self.stop_words
        runs: list[list[str]] = []
        run: list[str] = []
        for tok in tokenize(text, lower=True):
            if len(tok) >= 2 and tok[0].isalpha() and tok not in stop:
                run.append(sys.intern(tok))
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        if type(memo) is dict:  # a read-only view (MappingProxyType) is only consulted
            memo[text] = runs
        return runs

    def __call__(self, text: str) -> list[str]:
        low, high = self.ngram_range
        runs = self._runs(text)
        out: list[str] = []
        for n in range(low, high + 1):
            if n == 1:
                for run in runs:
                    out.extend(run)
                continue
            for run in runs:
                out.extend(" ".join(run[i : i + n]) for i in range(len(run) - n + 1))
        return out

    def __repr__(self) -> str:
        return f"TopicAnalyzer({len(self.stop_words)} stopwords, ngram_range={self.ngram_range})"
