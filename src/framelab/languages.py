"""Language codes and per-document language detection.

Corpora label their language in many ways (``RU``, ``ru-RU``, ``rus``, ``Russian``, ``русский``);
a codebook's term lists are keyed by ISO 639-1 codes (``en``, ``ru``, ``uk``). A label that is not
normalised silently selects no term list, so every loader and :func:`framelab.code_frames` pass
labels through :func:`language_code`.

When a document has no label, :func:`detect_language` guesses it from the text with ``py3langid``
(a naive Bayes model over byte n-grams whose model file ships inside the package: offline, no
pickle). Restricting the guess to the languages a study actually has (``languages=["en", "ru",
"uk"]``) makes it reliable even on headlines: on short ru/uk/en news sentences the unrestricted
model confuses Russian with Bulgarian now and then, the restricted one does not.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["coding_languages", "cyrillic_share", "detect_language", "language_code"]

logger = logging.getLogger(__name__)

#: ISO 639-1 code -> names exports and people write (English, French, German, Spanish, native)
_LANGUAGES = {
    "en": ("english", "anglais", "englisch", "ingles", "inglese", "английский", "англійська"),
    "fr": ("french", "francais", "franzosisch", "frances", "francese", "французский"),
    "de": ("german", "deutsch", "allemand", "aleman", "tedesco", "немецкий", "німецька"),
    "es": ("spanish", "espanol", "espagnol", "spanisch", "castellano", "spagnolo"),
    "it": ("italian", "italiano", "italien", "italienisch"),
    "pt": ("portuguese", "portugues", "portugais"),
    "nl": ("dutch", "nederlands", "neerlandais", "niederlandisch"),
    "ru": ("russian", "russe", "russisch", "ruso", "русский", "російська", "русская"),
    "uk": ("ukrainian", "ukrainien", "ukrainisch", "ucraniano", "українська", "украинский"),
    "be": ("belarusian", "belarusian", "беларуская", "белорусский"),
    "bg": ("bulgarian", "български", "болгарский"),
    "pl": ("polish", "polonais", "polski", "polnisch", "польский"),
    "ar": ("arabic", "arabe", "arabisch"),
    "zh": ("chinese", "chinois", "chinesisch"),
    "ja": ("japanese", "japonais", "japanisch"),
    "tr": ("turkish", "turc", "turkisch"),
    "sv": ("swedish", "suedois", "schwedisch"),
    "da": ("danish", "danois", "danisch"),
    "no": ("norwegian", "norvegien", "norwegisch"),
    "fi": ("finnish", "finnois", "finnisch"),
    "el": ("greek", "grec", "griechisch"),
    "cs": ("czech", "tcheque", "tschechisch"),
    "hu": ("hungarian", "hongrois", "ungarisch"),
    "ro": ("romanian", "roumain", "rumanisch"),
    "he": ("hebrew", "hebreu", "hebraisch"),
    "ka": ("georgian",),
    "kk": ("kazakh",),
    "lt": ("lithuanian",),
    "lv": ("latvian",),
    "et": ("estonian",),
    "sr": ("serbian",),
    "hr": ("croatian",),
    "sk": ("slovak",),
    "sl": ("slovenian",),
}
#: ISO 639-2 (bibliographic and terminology) and 639-3 codes -> ISO 639-1
_ISO3 = {
    "eng": "en", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de", "spa": "es", "ita": "it",
    "por": "pt", "dut": "nl", "nld": "nl", "rus": "ru", "ukr": "uk", "bel": "be", "bul": "bg",
    "pol": "pl", "ara": "ar", "chi": "zh", "zho": "zh", "jpn": "ja", "tur": "tr", "swe": "sv",
    "dan": "da", "nor": "no", "nob": "no", "fin": "fi", "gre": "el", "ell": "el", "cze": "cs",
    "ces": "cs", "hun": "hu", "rum": "ro", "ron": "ro", "heb": "he", "geo": "ka", "kat": "ka",
    "kaz": "kk", "lit": "lt", "lav": "lv", "est": "et", "srp": "sr", "hrv": "hr", "slo": "sk",
    "slk": "sk", "slv": "sl",
}  # fmt: skip
#: country codes often written where a language is meant
_COUNTRY = {"ua": "uk", "by": "be", "gr": "el", "se": "sv", "dk": "da", "cz": "cs", "jp": "ja"}


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )


_NAMES = {_fold(name): code for code, names in _LANGUAGES.items() for name in names}


@lru_cache(maxsize=4096)
def _code(value: str) -> str | None:
    first = re.split(r"[;,/|]", value)[0].strip()
    if not first:
        return None
    folded = _fold(first)
    if folded in _NAMES:
        return _NAMES[folded]
    match = re.fullmatch(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*", folded)
    if match:
        code = match.group(1)
        return _ISO3.get(code) or _COUNTRY.get(code, code)
    return folded


def language_code(value: object) -> str | None:
    """Map a language as exports and people write it to an ISO 639-1 code where known.

    Case, region and script tags (``ru-RU``, ``uk_UA``, ``sr-Latn``), ISO 639-2/-3 codes
    (``rus``, ``ukr``, ``eng``), English, French, German, Spanish and native names
    (``Russian``, ``русский``, ``українська``) are understood; the first of several languages
    (``"ENGLISH; ENGLISHS"``) is used; ``ua`` (the country) means ``uk``. Missing or empty values
    give None; unknown names are returned in lower case.

    Examples
    --------
    >>> [language_code(v) for v in ("RU", "ru-RU", "rus", "Russian", "русский", "Українська")]
    ['ru', 'ru', 'ru', 'ru', 'ru', 'uk']
    >>> language_code("ENGLISH; ENGLISHS"), language_code("Français"), language_code("en-US")
    ('en', 'fr', 'en')
    >>> language_code(""), language_code(None), language_code(float("nan"))
    (None, None, None)
    """
    if value is None or (isinstance(value, float) and value != value) or str(value) == "<NA>":
        return None
    return _code(str(value))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def cyrillic_share(text: str, max_chars: int = 1000) -> float:
    """Share of Cyrillic among the Cyrillic and Latin letters of the first ``max_chars``.

    Examples
    --------
    >>> cyrillic_share("Мир в Geneva"), cyrillic_share("Talks"), cyrillic_share("2024")
    (0.4, 0.0, 0.0)
    """
    head = text[:max_chars]
    if _CYRILLIC.search(head) is None:  # the common case, without counting the Latin letters
        return 0.0
    cyr = len(_CYRILLIC.findall(head))
    total = cyr + len(_LATIN.findall(head))
    return cyr / total if total else 0.0


@lru_cache(maxsize=16)
def _identifier(languages: tuple[str, ...] | None):
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError as exc:  # pragma: no cover - py3langid is a dependency
        raise ImportError(
            "detect_language(): language detection needs py3langid · it is not installed · "
            "run `pip install py3langid` (it ships its model, nothing is downloaded)."
        ) from exc
    ident = LanguageIdentifier.from_model_file(MODEL_FILE)
    if languages:
        known = set(ident.nb_classes)
        unknown = [lg for lg in languages if lg not in known]
        if unknown:
            from framelab._errors import suggest

            raise ValueError(
                f"detect_language(): the detector does not know language(s) {unknown} · "
                f"languages={list(languages)} · use ISO 639-1 codes among "
                f"{', '.join(sorted(known))}.{suggest(unknown[0], sorted(known), 'languages')}"
            )
        ident.set_languages(list(languages))
    return ident


def detect_language(
    texts: str | Iterable[str],
    languages: Sequence[str] | None = None,
    *,
    max_chars: int = 2000,
) -> list[str | None]:
    """The most likely ISO 639-1 language of each text, offline (``py3langid``).

    Parameters
    ----------
    texts : str or iterable of str
        Documents (a single string counts as one document).
    languages : sequence of str, optional
        Candidate languages (codes in any spelling :func:`language_code` understands); the
        answer is always one of them. Restrict to your study's languages: the full 97-language
        model mistakes short Russian headlines for Bulgarian now and then.
    max_chars : int, default 2000
        Only the first ``max_chars`` characters are read (the language rarely changes later, and
        the cost grows with length).

    Returns
    -------
    list of str or None
        One code per text; None for texts without letters.

    Examples
    --------
    >>> detect_language(["Переговоры о прекращении огня возобновятся",
    ...                  "Переговори про припинення вогню відновляться",
    ...                  "Ceasefire talks resume", "2024 — 15:30"], ["en", "ru", "uk"])
    ['ru', 'uk', 'en', None]
    """
    if isinstance(texts, str):
        texts = [texts]
    langs = None
    if languages is not None:
        langs = tuple(sorted({language_code(lg) for lg in languages} - {None}))
    ident = _identifier(langs)
    out: list[str | None] = []
    for text in texts:
        head = str(text)[:max_chars] if text is not None else ""
        if not any(ch.isalpha() for ch in head):
            out.append(None)
            continue
        out.append(ident.classify(head)[0])
    return out


#: languages written in Cyrillic (a Cyrillic text coded with other lists finds nothing)
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})


def coding_languages(
    labels: Sequence[object],
    texts: Sequence[str],
    available: Sequence[str],
    default: str,
    detect=None,
) -> tuple[list[str], list[tuple[int, str]]]:
    """The language each document is coded in, and notes about silent zeros (private use by
    :func:`framelab.code_frames`), each with its logging level.

    Labels are normalised (:func:`language_code`); a document without a label is detected among
    ``available`` (the languages the codebook has entries for) when there are several, else gets
    ``default``. Notes (with counts): documents detected (``logging.INFO``: the result is
    reported, nothing is lost); warnings (``logging.WARNING``) for Cyrillic documents coded with
    the lists of a non-Cyrillic language and for Cyrillic documents labelled ``ru`` that read as
    ``uk`` (and vice versa) when the codebook has both. ``detect(texts, languages)`` detects
    the unlabelled documents (default :func:`detect_language`; :func:`framelab.code_frames`
    passes one that caches its answers with the coded tables).

    Examples
    --------
    >>> langs, notes = coding_languages(["RU", None, "en"],
    ...     ["Переговоры о мире", "Переговори про мир тривають", "Переговоры"], ["en", "ru", "uk"],
    ...     "en")
    >>> langs
    ['ru', 'uk', 'en']
    >>> print(notes[0][1])
    1 document(s) had no language label; detected among en, ru, uk: uk 1.
    >>> notes[1][0] == logging.WARNING
    True
    >>> print(notes[1][1])
    1 document(s) written in Cyrillic are coded with the 'en' term lists: they will get \
(almost) no hits. Fix the language column, or load with language='detect'.
    """
    from pandas import isna

    labels = [None if isna(v) else v for v in labels]  # None, NaN, pd.NA alike
    codes = {v: language_code(v) for v in set(labels) if v is not None}
    langs = [codes.get(v) if v is not None else None for v in labels]
    notes: list[tuple[int, str]] = []
    avail = sorted(set(available))
    missing = [i for i, lg in enumerate(langs) if lg is None]
    if missing:
        if len(avail) > 1:
            found = (detect or detect_language)([texts[i] for i in missing], avail)
            counts: dict[str, int] = {}
            for i, lg in zip(missing, found, strict=True):
                langs[i] = lg or default
                counts[langs[i]] = counts.get(langs[i], 0) + 1
            notes.append(
                (
                    logging.INFO,
                    f"{len(missing)} document(s) had no language label; detected among "
                    f"{', '.join(avail)}: "
                    f"{', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}.",
                )
            )
        else:
            for i in missing:
                langs[i] = default
    cyr = [cyrillic_share(t) > 0.5 if isinstance(t, str) else False for t in texts]
    latin_coded: dict[str, int] = {}
    for i, lg in enumerate(langs):
        if cyr[i] and lg not in _CYRILLIC_LANGUAGES:
            latin_coded[lg] = latin_coded.get(lg, 0) + 1
    for lg, n in sorted(latin_coded.items()):
        notes.append(
            (
                logging.WARNING,
                f"{n} document(s) written in Cyrillic are coded with the {lg!r} term lists: "
                "they will get (almost) no hits. Fix the language column, or load with "
                "language='detect'.",
            )
        )
    if {"ru", "uk"} <= set(avail):
        check = [i for i, lg in enumerate(langs) if cyr[i] and lg in ("ru", "uk")]
        if check:
            seen = detect_language([texts[i] for i in check], ["ru", "uk"])
            wrong: dict[tuple[str, str], int] = {}
            for i, got in zip(check, seen, strict=True):
                if got and got != langs[i]:
                    wrong[(langs[i], got)] = wrong.get((langs[i], got), 0) + 1
            for (lab, got), n in sorted(wrong.items()):
                notes.append(
                    (
                        logging.WARNING,
                        f"{n} document(s) labelled {lab!r} read as {got!r} (detected): they "
                        f"are coded with the {lab!r} lists. Check the language column, or load "
                        "with language='detect'.",
                    )
                )
    return [str(lg) for lg in langs], notes
