"""Apply a codebook to a corpus: frame codes at document, paragraph or sentence level.

How matching works
------------------
Each document is tokenised once with the text layer's tokenizer. Tokens are matched in their
normalised form (lower case, curly apostrophes straight, hyphens inside a token removed, so
``Cease-fire`` = ``ceasefire``). All terms, globs and phrases of a codebook are compiled into one
token trie per language; one left-to-right pass finds every match. Regexes run on the text and are
aligned to the tokens they touch.

* **Longest match wins within a frame**: if ``security guarantees`` and ``guarantees`` are both
  entries of one frame, ``security guarantees`` in the text is one hit, not two. Different frames
  may match overlapping text (like quanteda's ``nested_scope = "key"``).
* **Phrases** never run across a paragraph break.
* **Exclusions**: a hit is vetoed when one of its frame's ``exclude`` entries matches within
  ``exclude_window`` tokens on either side (at most that many tokens between them; overlapping
  counts).
* **Ambiguous entries** (a frame's ``ambiguous`` list) count only when one of the frame's
  ``context`` cues occurs in the same paragraph as the hit (at every coding level, so document,
  paragraph and sentence codes agree): ``negotiations`` is a negotiations hit next to ``war`` or
  ``Kremlin``, not in a paragraph about wage talks. In a text without paragraph breaks
  (scraped articles often have none) the cue must start within ``CONTEXT_WINDOW`` (40) tokens
  before or after the hit instead; a warning gives the number of such documents.
* **Scope** (codebook ``scope:`` block): a hit of a scoped frame counts only when one of the
  scope cues (the subject: Ukraine, Russia, Kyiv ...) occurs in its document (or paragraph,
  or sentence: ``scope.level``, or a frame's own level per language); other hits are kept in
  Hits with ``out_of_scope=True`` and not counted.
  A rival cue (``scope.without``, issue 21) in the hit's unit puts it out of scope whatever
  the cues say. At level paragraph in a text without paragraph breaks a cue or rival counts
  within ``CONTEXT_WINDOW`` (40) tokens of the hit, as for the context rule (issue 21).
  ``framelab.codebook.without_scope`` switches the rule off.
* **Closed-up spellings**: a multi-word entry matches a single token only in its hyphenated
  spelling (``dug in`` = ``dug-in``), or closed up (``ceasefire``) when written with a hyphen
  (``cease-fire``), never against a capitalised token that does not start a sentence
  ("Dugin") unless the entry is written with a capital.
* **Compound tails**: a match never starts inside a hyphenated word ("escalation" in
  "de-escalation", "de–escalation", "de -escalation"): see ``docs/codebook_format.md``.
* **Negation**: a hit is ``negated`` when a negation cue ends at most ``window`` tokens before it
  (``no truce``: 0 tokens between; ``ruled out any truce``: 1), in the same clause: no
  ``. ! ? … ; : |``, em/en dash, free-standing hyphen or line break between them. The codebook's policy decides: ``keep`` counts it (flagged), ``drop`` does
  not count it, ``separate`` counts it under the frame id ``<frame>:negated``. A cue inside a
  match of one of the codebook's ``negation.blockers`` ("no alternative to", "not only",
  "don't ... from", "why not") is no cue.

Outputs
-------
:func:`code_frames` returns a :class:`Coded` result holding the **FrameCodes** table (``codes``),
the **Hits** table (``hits``) and the units (``units``).
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from framelab import _coded_cache, _engine, _tokens
from framelab._codebook_rules import frame_scope_cues, frame_scope_level, frame_scope_rivals
from framelab._engine import (
    CONTEXT_WINDOW,
    RegexTimeout,
)
from framelab._explanation import Explanation
from framelab.codebook import Codebook, CodebookError, load_codebook
from framelab.corpus import check_corpus
from framelab.schema import (  # the columns live in framelab.schema; old names kept here
    CODE_COLUMNS,
    HIT_COLUMNS,
    LEVELS,
    TEXT_COLUMNS,
    frame_codes_table,
)
from framelab.text import SentenceSplitter

__all__ = [
    "CODE_COLUMNS",
    "HIT_COLUMNS",
    "Coded",
    "code_frames",
    "codebook_coverage",
    "explain",
    "kwic",
]

logger = logging.getLogger(__name__)

_META_SKIP = TEXT_COLUMNS  # never copied into the codes as metadata

# ===================================================================== public API


@dataclass
class Coded:
    """The result of :func:`code_frames`.

    Attributes
    ----------
    codes : pandas.DataFrame
        FrameCodes, long form, one row per unit and frame (zeros included): ``doc_id, unit_id,
        level, frame, count, n_tokens, per_1k, present, codebook`` followed by the document's
        metadata columns (everything of the Corpus except text, title, url, source_file).
        ``n_tokens`` counts word tokens (punctuation excluded); ``per_1k = 1000 * count /
        n_tokens``; ``present = int(count > 0)``.
    hits : pandas.DataFrame
        Hits: ``doc_id, unit_id, frame, term, start, end, negated, out_of_scope`` - one row per
        matched occurrence that survived exclusions (negated ones included and flagged;
        ``out_of_scope`` hits lack a scope cue of the codebook and do not count); ``term`` is the
        codebook entry as written, ``start``/``end`` are character offsets in the document text.
    units : pandas.DataFrame
        ``doc_id, unit_id, level, start, end, n_tokens``.
    codebook : Codebook
    level : str
    texts : pandas.Series
        Document texts indexed by doc_id (a view of the corpus column, for :func:`explain`).
    languages : pandas.Series
        The language each document was coded in (normalised label, or detected), by doc_id.

    Examples
    --------
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["a"], "text": ["A truce.\\n\\nNo news."]}),
    ...                     cb, level="paragraph")
    >>> coded.level, coded.units["unit_id"].tolist(), coded.hits[["unit_id", "term"]].values.tolist()
    ('paragraph', ['a-p0', 'a-p1'], [['a-p0', 'truce']])
    """

    codes: pd.DataFrame
    hits: pd.DataFrame
    units: pd.DataFrame
    codebook: Codebook
    level: str
    texts: pd.Series
    languages: pd.Series | None = None
    #: the corpus and its tokens, for :meth:`recode` (not part of the result)
    _state: object = field(default=None, repr=False, compare=False)

    def recode(self, codebook: Codebook | str) -> Coded:
        """The corpus coded again with an edited ``codebook``, without tokenizing it again.

        The tokenised corpus (token ids, offsets, units) is kept from the first coding, and
        the frames the edit left unchanged keep their hits (a frame's hits depend only on its
        own entries and the codebook's negation and scope settings), so after editing one entry
        only that frame is matched again. The result is identical to
        ``code_frames(corpus, codebook, level=...)`` on the same corpus.

        Examples
        --------
        >>> from framelab.codebook import Codebook
        >>> book = {"name": "m", "version": "1", "frames": {
        ...     "ceasefire": {"terms": ["truce"]}, "talks": {"terms": ["talks"]}}}
        >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": ["Talks on a truce and an armistice."]})
        >>> coded = code_frames(corpus, Codebook.from_dict(book))
        >>> book["frames"]["ceasefire"]["terms"].append("armistice")
        >>> coded.recode(Codebook.from_dict(book)).hits[["frame", "term", "start"]]
               frame       term  start
        0      talks      talks      0
        1  ceasefire      truce     11
        2  ceasefire  armistice     24
        """
        if not isinstance(self._state, _State):
            raise ValueError(
                "Coded.recode(): this result does not come from code_frames() (it holds no "
                "corpus to recode). Call framelab.code_frames(corpus, codebook) instead."
            )
        from framelab._recode import recode

        return recode(self, load_codebook(codebook), _match, _assemble)

    def to_wide(self, value: str = "count") -> pd.DataFrame:
        """One row per unit, one column per frame (``value``: count, present or per_1k)."""
        return to_wide(self.codes, value=value)

    def explain(self, doc_id: str) -> Explanation:
        """The document with its hits highlighted (see :func:`explain`)."""
        return explain(self, doc_id)

    def kwic(self, **kwargs) -> pd.DataFrame:
        """Concordance of the hits (see :func:`kwic`)."""
        return kwic(self, **kwargs)

    def coverage(self) -> pd.DataFrame:
        """How often each codebook entry fired (see :func:`codebook_coverage`)."""
        return codebook_coverage(self)

    def __repr__(self) -> str:
        n_docs = self.units["doc_id"].nunique()
        return (
            f"Coded({self.codebook.id}, level={self.level!r}, documents={n_docs}, "
            f"units={len(self.units)}, hits={len(self.hits)})"
        )

    def _repr_html_(self) -> str:
        share = (self.codes.groupby("frame", sort=False)["present"].mean() * 100).round(1)
        rows = "".join(f"<tr><td>{html.escape(f)}</td><td>{v}</td></tr>" for f, v in share.items())
        return (
            f"<p><b>{html.escape(repr(self))}</b></p><table><tr><th>frame</th>"
            f"<th>% of {self.level}s</th></tr>{rows}</table>"
        )


def to_wide(codes: pd.DataFrame, value: str = "count") -> pd.DataFrame:
    """Pivot FrameCodes to one row per unit and one column per frame.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a", "a"], "frame": ["x", "y"],
    ...                       "count": [2, 0]})
    >>> to_wide(codes)
    frame doc_id unit_id  x  y
    0          a       a  2  0
    """
    if value not in ("count", "present", "per_1k"):
        raise ValueError(f"to_wide(): value must be count, present or per_1k, got {value!r}.")
    order = list(dict.fromkeys(codes["frame"]))
    wide = codes.pivot_table(
        index=["doc_id", "unit_id"], columns="frame", values=value, sort=False, aggfunc="first"
    )
    return wide[order].reset_index()


def _someone_watching() -> bool:
    """A person sees the progress bar: stderr is a terminal, or this is a Jupyter kernel.

    (``framelab report`` sets ``TQDM_DISABLE`` for its kernels, so no bar reaches a report.)
    """
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if type(shell).__name__ == "ZMQInteractiveShell":  # a Jupyter kernel (JupyterLab)
        return True
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def code_frames(
    corpus: pd.DataFrame,
    codebook: Codebook | str,
    *,
    level: str = "document",
    splitter: SentenceSplitter | None = None,
    progress: bool | None = None,
    cache_dir: str | Path | bool | None = None,
) -> Coded:
    """Code every document of ``corpus`` with ``codebook``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table (``doc_id``, ``text``, ``language`` and metadata).
    codebook : Codebook or str
        A Codebook, a shipped codebook name (``"peace_talks"``) or a path.
    level : {"document", "paragraph", "sentence"}
        Unit of analysis. Paragraphs are separated by blank lines; sentences are found within
        paragraphs by Punkt (``splitter``).
    splitter : SentenceSplitter, optional
        For ``level="sentence"``; default: pretrained Punkt if installed, else Punkt trained on
        (up to 2,000 documents of) this corpus in doc_id order.
    progress : bool, optional
        Show a progress bar; by default only for corpora of more than 5,000 documents, and only
        in a terminal or a Jupyter kernel (never in a script's log file or a pipe).
    cache_dir : str or Path, optional
        Keep the result on disk there and reuse it while corpus, codebook, level and framelab
        are unchanged (Parquet + a checksummed JSON record; never with a custom ``splitter``).
        By default the folder a study corpus is tagged with
        (:meth:`framelab.config.StudyConfig.load_corpus`: ``data/processed/cache/coded``), so
        the notebooks of a report code their corpus once; a corpus built otherwise is not
        cached. ``False``: never cache.

    Returns
    -------
    Coded
        ``.codes`` (FrameCodes), ``.hits`` (Hits), ``.units``; see :class:`Coded`.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "mini", "version": "1", "frames": {
    ...     "ceasefire": {"terms": ["truce", "cease-fire"]},
    ...     "talks": {"terms": ["negotiat*"], "phrases": ["peace talks"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Envoys resumed peace talks. Officials ruled out a cease fire; negotiators met."]})
    >>> coded = code_frames(corpus, cb)
    >>> coded.hits[["frame", "term", "start", "end", "negated"]]
           frame         term  start  end  negated
    0      talks  peace talks     15   26    False
    1  ceasefire   cease-fire     50   60     True
    2      talks    negotiat*     62   73    False
    >>> coded.codes[["frame", "count", "n_tokens", "present", "codebook"]]
           frame  count  n_tokens  present codebook
    0  ceasefire      1        12        1   mini@1
    1      talks      2        12        1   mini@1
    """
    check_corpus(corpus, "code_frames")
    if level not in LEVELS:
        from framelab._errors import suggest

        raise ValueError(
            f"code_frames(): level must be one of {', '.join(LEVELS)}, got "
            f"{level!r}.{suggest(str(level), LEVELS, 'level')}"
        )
    codebook = load_codebook(codebook)
    docs = (
        corpus.sort_values("doc_id", kind="mergesort")
        if not corpus["doc_id"].is_monotonic_increasing
        else corpus
    )
    folder = _coded_cache.cache_folder(cache_dir, corpus) if splitter is None else None
    if folder is None:
        return _code(corpus, docs, codebook, level, splitter, progress)
    ingredients = _coded_cache.coded_ingredients(corpus, codebook, level)
    cached = _coded_cache.load_coded(folder, ingredients)
    if cached is not None:
        tables, notes = cached
        for note in notes:
            logger.warning(note)
        state = _State(corpus, docs, level, None, progress, folder)
        text_index = pd.Series(state.texts, index=pd.Index(state.ids, name="doc_id"))
        langs = tables["languages"].set_index("doc_id")["language"].astype(object)
        coded = Coded(
            codes=tables["codes"],
            hits=tables["hits"],
            units=tables["units"],
            codebook=codebook,
            level=level,
            texts=text_index.rename("text"),
            languages=langs,
            _state=state,
        )
        _remember(ingredients["corpus"], coded)
        return coded
    log = _coded_cache.WarningLog()
    logger.addHandler(log)
    try:
        last = _LAST.get((ingredients["corpus"], level))
        if last is not None:  # this corpus was tokenised by the last coding: recode it
            coded = last.recode(codebook)
        else:
            coded = _code(corpus, docs, codebook, level, splitter, progress, folder)
    finally:
        logger.removeHandler(log)
    _coded_cache.save_coded(folder, ingredients, coded, log.messages)
    _remember(ingredients["corpus"], coded)
    return coded


def _remember(corpus_sha: str, coded: Coded) -> None:
    """Keep the tokens of one cached corpus in memory, with the hits to recode from."""
    _LAST.clear()
    _LAST[(corpus_sha, coded.level)] = replace(coded, codes=coded.codes.iloc[:0])


#: the last cached coding of this process (hits, tokens), so that coding the same corpus with an
#: edited codebook (notebook 02's ``without_context``) recodes instead of tokenising again
_LAST: dict[tuple[str, str], Coded] = {}


def _code(
    corpus: pd.DataFrame,
    docs: pd.DataFrame,
    codebook: Codebook,
    level: str,
    splitter: SentenceSplitter | None,
    progress: bool | None,
    folder: Path | None = None,
) -> Coded:
    """:func:`code_frames` without the disk cache of its tables (``docs``: the corpus in doc_id
    order; ``folder``: the cache folder, used for the detected languages only)."""
    state = _State(corpus, docs, level, splitter, progress, folder)
    langs = state.languages(codebook)
    return _assemble(state, codebook, langs, _match(state, codebook, langs))


class _State:
    """What a :class:`Coded` result needs to recode: the corpus and, once built, its tokens."""

    def __init__(self, corpus, docs, level, splitter, progress, folder=None):
        self.corpus, self.docs, self.level = corpus, docs, level
        self.folder = folder  # the coded-table cache folder (detected languages are kept there)
        self.splitter, self.progress = splitter, progress
        self.ids = docs["doc_id"].astype(str).tolist()
        text = docs["text"]
        # a string column stays as it is (pandas' Arrow strings: no Python copy of every text;
        # the matcher takes the texts block by block), anything else becomes a list
        self.texts = text.array if isinstance(text.dtype, pd.StringDtype) else text.tolist()
        self._tokens: _tokens.Tokenized | None = None
        self._languages: dict[tuple, list[str]] = {}

    def show(self) -> bool:
        if self.progress is not None:
            return self.progress
        return len(self.ids) > 5000 and _someone_watching()

    def tokens(self) -> _tokens.Tokenized:
        if self._tokens is None:
            splitter = self.splitter
            if self.level == "sentence" and splitter is None:
                splitter = SentenceSplitter.for_corpus(list(self.texts[:2000]))
            self._tokens = _tokens.tokenize_corpus(
                self.ids, self.texts, self.level, splitter, self.show()
            )
        return self._tokens

    def languages(self, codebook: Codebook, log: bool = True) -> list[str]:
        """The documents' coding languages (they depend on the codebook's languages only)."""
        key = (_available_languages(codebook), codebook.language)
        if key not in self._languages:
            self._languages[key] = _document_languages(self.docs, self.texts, codebook, self.folder)
        langs, notes = self._languages[key]
        for lvl, note in notes if log else ():  # logged by every coding, as by a fresh one
            logger.log(lvl, "code_frames(): %s", note)
        return langs


def _match(state: _State, codebook: Codebook, langs: list[str], only=None) -> pd.DataFrame:
    """The Hits table of ``codebook`` on the state's tokenised corpus (documents ``only``)."""
    try:
        return _tokens.match_hits(state.tokens(), codebook, langs, state.show(), only=only)
    except RegexTimeout as slow:
        raise CodebookError(
            f"code_frames(): regex {slow.pattern!r} of frame {slow.frame!r} ran longer than "
            f"{_engine.REGEX_SECONDS:g} s on document {getattr(slow, 'doc_id', '?')!r} "
            "(catastrophic backtracking) and was stopped. Rewrite it: bound the repeat, or list "
            "the words as phrases."
        ) from None


def _paragraph_scope(codebook: Codebook, lang: str) -> bool:
    """A frame of ``codebook`` has scope cues or rivals at level paragraph in ``lang``."""
    return any(
        (frame_scope_cues(codebook, fr, lang) or frame_scope_rivals(codebook, fr, lang))
        and frame_scope_level(codebook, fr, lang) == "paragraph"
        for fr in codebook.frames.values()
    )


def _assemble(state: _State, codebook: Codebook, langs: list[str], hits: pd.DataFrame) -> Coded:
    """The Coded result of ``hits``: warnings, FrameCodes with metadata, presence rules."""
    tok = state.tokens()
    # documents where the context rule, or paragraph-level scope, uses the token window
    # instead of the (whole-document) paragraph (issue 21)
    weak = {lg for fr in codebook.frames.values() for lg, v in fr.ambiguous.items() if v}
    scoped = {lg for lg in set(langs) if _paragraph_scope(codebook, lg)}
    context_docs = scope_docs = no_breaks = 0
    if weak or scoped:
        n_chunks = np.diff(tok.offsets)
        for d, lang in enumerate(langs):
            if (lang in weak or lang in scoped) and n_chunks[d] > CONTEXT_WINDOW:
                if tok.one_paragraph(d):
                    no_breaks += 1
                    context_docs += lang in weak
                    scope_docs += lang in scoped
    if no_breaks:
        rule = (
            "an ambiguous entry needs a context cue, and a paragraph-level scope or rival "
            "(without) cue must be,"
            if context_docs and scope_docs
            else "an ambiguous entry counts only with a context cue"
            if context_docs
            else "a paragraph-level scope or rival (without) cue counts only when it is"
        )
        logger.warning(
            "code_frames(): %d of %d document(s) have no paragraph breaks: there %s within %d "
            "tokens of the hit (not anywhere in the document).",
            no_breaks,
            len(state.ids),
            rule,
            CONTEXT_WINDOW,
        )
    for lang in dict.fromkeys(langs):
        frames = [f for f, fr in codebook.frames.items() if not _has_entries(fr, lang)]
        if frames:
            logger.warning(
                "code_frames(): codebook %s has no %r entries for frame(s) %s; documents "
                "in that language cannot be coded for them.",
                codebook.id,
                lang,
                ", ".join(frames),
            )
    units = tok.units
    codes = _frame_codes(units, hits, codebook, codebook.negation.policy)
    corpus = state.corpus
    meta_cols = [c for c in corpus.columns if c not in _META_SKIP and c != "doc_id"]
    if meta_cols:
        meta = corpus[["doc_id", *meta_cols]]
        codes = codes.merge(meta, on="doc_id", how="left", validate="many_to_one")
    text_index = pd.Series(state.texts, index=pd.Index(state.ids, name="doc_id"), name="text")
    coded = Coded(
        codes=codes,
        hits=hits,
        units=units,
        codebook=codebook,
        level=state.level,
        texts=text_index,
        languages=pd.Series(langs, index=text_index.index, name="language", dtype=object),
        _state=state,
    )
    if getattr(codebook, "presence", None):  # the codebook's presence rules (min_count, ...)
        from framelab._presence import apply_presence

        coded = apply_presence(coded, codebook.presence, strict=False)
    return coded


def _has_entries(frame, language: str) -> bool:
    """A frame has entries for ``language`` when it has terms, phrases, ambiguous entries or
    regexes of that language (regexes of every language count only for a frame that has
    nothing else: they are usually written for one language, e.g. English, issue 21)."""
    maps = (frame.terms, frame.phrases, frame.ambiguous, frame.regex_by_language)
    if any(m.get(language) for m in maps):
        return True
    return bool(frame.regex) and not any(v for m in maps for v in m.values())


def _available_languages(codebook: Codebook) -> tuple[str, ...]:
    """The languages the codebook has terms, phrases, ambiguous entries or regexes of their
    own in."""
    langs = {lg for fr in codebook.frames.values() for lg in fr.languages}
    return tuple(sorted(langs or {codebook.language}))


def _document_languages(
    docs: pd.DataFrame, texts: list, codebook: Codebook, folder: Path | None = None
) -> tuple[list[str], list[str]]:
    """Normalised language per document (missing ones detected among the codebook's languages),
    and warnings (counts) for the silent-zero cases; see
    :func:`framelab.languages.coding_languages`."""
    from framelab.languages import coding_languages

    column = next((c for c in ("language", "lang") if c in docs.columns), None)
    labels = docs[column].tolist() if column else [None] * len(docs)
    available = list(_available_languages(codebook))

    def detect(texts: list, languages: list) -> list:
        return _coded_cache.detected_languages(texts, languages, folder)

    return coding_languages(labels, texts, available, codebook.language, detect)


def _frame_codes(
    units: pd.DataFrame, hits: pd.DataFrame, codebook: Codebook, policy: str
) -> pd.DataFrame:
    frames = list(codebook.frames)
    if policy == "separate":
        frames = [x for f in frames for x in (f, f"{f}:negated")]
    fidx = {f: i for i, f in enumerate(frames)}
    uidx = pd.Index(units["unit_id"])
    counts = np.zeros((len(units), len(frames)), dtype=np.int64)
    if len(hits):
        use = hits[~hits["out_of_scope"]]  # out-of-scope hits are reported, never counted
        if policy == "drop":
            use = use[~use["negated"]]
        # factorize (no Python string per hit), then look up each distinct value once
        codes, uniques = pd.factorize(use["frame"])
        cols = np.asarray([fidx[f] for f in uniques], dtype=np.int64)[codes]
        if policy == "separate":
            negated = np.asarray([fidx[f"{f}:negated"] for f in uniques], dtype=np.int64)
            cols = np.where(use["negated"].to_numpy(), negated[codes], cols)
        codes, uniques = pd.factorize(use["unit_id"])
        rows = uidx.get_indexer(uniques)[codes]
        np.add.at(counts, (rows, cols), 1)
    return frame_codes_table(units, frames, counts, codebook=codebook.id)


def _codes_table(
    units: pd.DataFrame, frames: list[str], counts: np.ndarray, codebook_id: str
) -> pd.DataFrame:
    """The FrameCodes table of a units x frames matrix of counts: :func:`framelab.schema.
    frame_codes_table` (the one builder), under the name :mod:`framelab.learn` imports."""
    return frame_codes_table(units, frames, counts, codebook=codebook_id)


# ===================================================================== inspection


def explain(coded: Coded, doc_id: str) -> Explanation:
    """Show a document with its hits highlighted and labelled by frame.

    In a notebook the result renders as HTML (negated hits underlined with dashes); ``print`` it
    for plain text with ``[[matched text|frame]]`` markers.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["d1"], "text": ["No truce yet."]}), cb)
    >>> print(explain(coded, "d1"))
    d1: No [[truce|ceasefire(neg)]] yet.
    """
    if not isinstance(coded, Coded):
        raise TypeError("explain(): pass the result of code_frames(corpus, codebook).")
    if doc_id not in coded.texts.index:
        from framelab._errors import suggest

        raise KeyError(
            f"explain(): no document {doc_id!r} in the coded corpus."
            f"{suggest(str(doc_id), coded.texts.index[:5000])}"
        )
    hits = coded.hits[coded.hits["doc_id"] == doc_id]
    return Explanation(str(doc_id), coded.texts[doc_id], hits, coded.codebook.frame_ids)


def kwic(
    source: Coded | pd.DataFrame,
    *,
    frame: str | None = None,
    term: str | None = None,
    window: int = 8,
    codebook: Codebook | str | None = None,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Keyword-in-context concordance.

    Parameters
    ----------
    source : Coded or pandas.DataFrame
        A coding result (concordance of its hits), or a Corpus (then ``term`` or ``codebook`` +
        ``frame`` says what to look for; the corpus is coded on the fly).
    frame : str, optional
        Only hits of this frame.
    term : str, optional
        Only hits of this codebook entry (as written, e.g. ``"negotiat*"``); with a Corpus
        source and no codebook, any word/phrase/glob to look up.
    window : int, default 8
        Words of context on each side.
    max_rows : int, optional
        Keep the first rows only.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, frame, term, left, match, right, negated``, in document order.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": ["Both sides said a truce could hold."]})
    >>> kwic(corpus, term="truce", window=3)[["left", "match", "right"]]
               left  match        right
    0  sides said a  truce  could hold.
    """
    if isinstance(source, pd.DataFrame):
        check_corpus(source, "kwic")
        cache = None  # the study codebook: the report's cached coding; a word: never cached
        if codebook is None:
            cache = False
            if term is None:
                raise ValueError("kwic(): with a corpus, give term=... or codebook=... (+ frame).")
            codebook = Codebook.from_dict(
                {
                    "name": "kwic",
                    "version": "0",
                    "frames": {"match": {"phrases" if " " in term.strip() else "terms": [term]}},
                }
            )
            frame, term = None, None
        source = code_frames(source, codebook, cache_dir=cache)
    hits = source.hits
    if frame is not None:
        if frame not in source.codebook.frames:
            from framelab._errors import suggest

            raise KeyError(
                f"kwic(): no frame {frame!r} in {source.codebook.id}."
                f"{suggest(frame, source.codebook.frames, 'frame')}"
            )
        hits = hits[hits["frame"].str.split(":").str[0] == frame]
    if term is not None:
        hits = hits[hits["term"] == term]
    if max_rows is not None:
        hits = hits.head(max_rows)
    rows = []
    for doc_id, uid, fr, t, s, e, neg, *_ in hits.itertuples(index=False):
        text = source.texts[doc_id]
        left = " ".join(text[:s].split()[-window:]) if window else ""
        right = " ".join(text[e:].split()[:window]) if window else ""
        rows.append((doc_id, uid, fr, t, left, text[s:e], right, bool(neg)))
    return pd.DataFrame(
        rows, columns=["doc_id", "unit_id", "frame", "term", "left", "match", "right", "negated"]
    )


def codebook_coverage(coded: Coded) -> pd.DataFrame:
    """How often each codebook entry fired, including entries that never did.

    Returns
    -------
    pandas.DataFrame
        ``frame, language, kind, pattern, hits, documents, negated`` (negated = hits flagged as
        negated), sorted by frame (codebook order) then hits descending. An entry's hits are
        counted in the documents of its language; a regex of every language (language ``*``)
        in all documents.

    Examples
    --------
    >>> import pandas as pd
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {
    ...     "ceasefire": {"terms": ["truce*", "ceasefire"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["a", "b"],
    ...                                   "text": ["A truce. Truces hold.", "No news."]}), cb)
    >>> codebook_coverage(coded)[["frame", "pattern", "hits", "documents"]]
           frame    pattern  hits  documents
    0  ceasefire     truce*     2          1
    1  ceasefire  ceasefire     0          0
    """
    entries = coded.codebook.entries()
    entries = entries[~entries["kind"].isin(["exclude", "context"])].copy()
    h = _hits_with_language(coded)
    stats = (
        h.groupby(["frame", "language", "term"])
        .agg(hits=("doc_id", "size"), documents=("doc_id", "nunique"), negated=("negated", "sum"))
        .reset_index()
        .rename(columns={"term": "pattern"})
    )
    out = entries.merge(stats, on=["frame", "language", "pattern"], how="left")
    for col in ("hits", "documents", "negated"):
        out[col] = out[col].fillna(0).astype("int64")
    order = {f: i for i, f in enumerate(coded.codebook.frames)}
    out["_o"] = out["frame"].map(order)
    out = out.sort_values(
        ["_o", "hits", "pattern"], ascending=[True, False, True], kind="mergesort"
    )
    return out.drop(columns="_o").reset_index(drop=True)


def _hits_with_language(coded: Coded) -> pd.DataFrame:
    """Hits with the language of their document (``*`` for hits of a regex of every language,
    as in ``Codebook.entries()``), so identical ru/uk spellings, and a language's own regexes,
    are counted in the right language."""
    h = coded.hits
    if coded.languages is not None:
        lang = h["doc_id"].map(coded.languages).fillna(coded.codebook.language)
    else:
        lang = pd.Series(coded.codebook.language, index=h.index)
    regex = {(f, r) for f, fr in coded.codebook.frames.items() for r in fr.regex}
    is_rx = [(f, t) in regex for f, t in zip(h["frame"], h["term"], strict=True)]
    return h.assign(language=lang.where(~pd.Series(is_rx, index=h.index, dtype=bool), "*"))
