"""Benchmark: the extra time ``lemma:`` entries cost when coding a Russian corpus (issue 21).

Run: ``python benchmarks/bench_lemmas.py [--corpus data/processed/dev/ruuk.parquet] [--reps 5]``.

Codes one Russian corpus with three codebooks:

* A, ``peace_talks`` as shipped (its ``lemma:`` entries resolved through ``pymorphy3``);
* B, the same codebook with every ``lemma:`` entry replaced by the explicit list of its word
  forms (each form of the lemma's lexemes, written with ё and with е): plain terms that find
  the same words, so A / B is the price of the lemma mechanism;
* C, the same codebook with its ``lemma:`` entries removed: A / C is all that lemma matching
  costs (lookups and the extra hits).

``--more-lemmas`` first adds seven more ``lemma:`` terms and one exclusion (генеральный) in
four frames. The runs are INTERLEAVED in one process, ``--reps`` of each, the order flipping
every round (A, B, C, C, B, A, A, B, C, ...) so that no codebook always runs after another,
with a garbage collection before each run; all codebooks thus see the same load of a shared
machine, and the ratios are taken between the minima (the run least disturbed by other
processes), with the medians shown too, both for the wall-clock time and for the process's CPU
time (which other processes disturb far less). Two rounds: cold (the lemma caches are cleared
before every run, so each A run pays all its dictionary lookups and analyses; the dictionary
itself is loaded once, as in a notebook session, and that time is printed apart) and warm (the
session caches are kept, as when a notebook codes a corpus a second time). Target: A / B and
A / C <= 1.10 in both rounds.

With ``--corpus`` the documents labelled ``ru`` are used (the development corpus is rebuilt by
``tools/dev_corpus_ruuk.py``); without it, ``--docs`` documents are generated (seeded, ~400
tokens, paragraphs of 100 words) from every inflected form of ~130 common Russian news words
(pymorphy3 lexemes, so the vocabulary is as varied as real text: thousands of distinct forms)
mixed with the codebook's own entries and forms of its lemmas.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import time
import warnings
from functools import lru_cache

import pandas as pd

from framelab.codebook import Codebook, load_codebook
from framelab.coding import code_frames
from framelab.lemmas import LEMMA_PREFIX, clear_caches, lemmatizer

WORDS = (
    "год время человек дело жизнь день рука работа слово место вопрос лицо глаз страна друг "
    "сторона дом случай голова ребенок сила конец вид система часть город отношение женщина "
    "деньги земля машина вода отец проблема час право нога решение дверь образ история власть "
    "закон война бог голос тысяча книга возможность результат ночь стол имя область статья "
    "число компания народ жена группа развитие процесс суд условие средство начало свет пора "
    "путь душа уровень форма связь минута улица вечер качество мысль дорога мать действие "
    "месяц государство язык любовь взгляд мама век школа цель общество президент министр "
    "заявить сообщить говорить сказать стать мочь хотеть знать новый большой российский "
    "генеральный уступка переговоры переговорный мирный граница армия солдат фронт удар "
    "сопротивление санкция союзник посол визит встреча саммит договор соглашение перемирие "
    "наступление оборона территория регион выборы партия депутат губернатор"
).split()
MORE_LEMMAS = {
    "concessions": ["lemma:капитулировать"],
    "civil_military": ["lemma:генерал", "lemma:главком"],
    "negotiations": ["lemma:посредничать"],
    "support_fatigue": ["lemma:усталость", "lemma:устать"],
}
MORE_EXCLUDE = ["lemma:генеральный"]  # in the same four frames
PATTERN_KEYS = ("terms", "ambiguous", "exclude", "context")


def _by_language(value, default: str) -> dict[str, list[str]]:
    if value is None:
        return {}
    return {k: list(v) for k, v in value.items()} if isinstance(value, dict) else {default: value}


def with_more_lemmas(base: Codebook) -> Codebook:
    """``base`` plus the ru ``lemma:`` entries of :data:`MORE_LEMMAS` (those not already there)."""
    data = base.to_dict()
    for fid, extra in MORE_LEMMAS.items():
        frame = data["frames"][fid]
        taken = {
            p
            for key in PATTERN_KEYS
            for p in _by_language(frame.get(key), base.language).get("ru", [])
        }
        for key, entries in (("terms", extra), ("exclude", MORE_EXCLUDE)):
            lists = _by_language(frame.get(key), base.language)
            lists["ru"] = [*lists.get("ru", []), *(e for e in entries if e not in taken)]
            frame[key] = lists
    data["version"] = f"{base.version}+lemmas"
    return Codebook.from_dict(data)


@lru_cache(maxsize=2)
def _morph(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def explicit_forms(language: str, lemma: str) -> list[str]:
    """The word forms a ``lemma:`` entry stands for, as plain terms (ё and е spellings)."""
    morph = _morph(language)
    forms = {lemma}
    for parse in morph.parse(lemma):
        if parse.normal_form == lemma:
            forms.update(f.word for f in parse.lexeme)
    forms |= {f.replace("ё", "е").replace("ґ", "г") for f in forms}
    return sorted(forms)


def without_lemmas(base: Codebook, *, forms: bool = True) -> Codebook:
    """``base`` with every ``lemma:`` entry replaced by the explicit list of its forms (or
    removed: ``forms=False``)."""
    data = base.to_dict()
    for frame in data["frames"].values():
        for key in PATTERN_KEYS:
            if key not in frame:
                continue
            lists = _by_language(frame[key], base.language)
            for lang, patterns in lists.items():
                out: list[str] = []
                for p in patterns:
                    if p.startswith(LEMMA_PREFIX):
                        if forms:
                            out.extend(explicit_forms(lang, p[len(LEMMA_PREFIX) :]))
                    else:
                        out.append(p)
                lists[lang] = list(dict.fromkeys(out))
            frame[key] = {lang: v for lang, v in lists.items() if v}
            if not frame[key]:
                del frame[key]
    data["version"] = f"{base.version}-lemmas{'+forms' if forms else ''}"
    with warnings.catch_warnings():  # forms that are also entries of other frames
        warnings.simplefilter("ignore")
        return Codebook.from_dict(data)


def lemma_entries(codebook: Codebook, language: str = "ru") -> list[str]:
    return sorted(
        {
            p[len(LEMMA_PREFIX) :]
            for fr in codebook.frames.values()
            for m in (fr.terms, fr.ambiguous, fr.exclude, fr.context)
            for p in m.get(language, ())
            if p.startswith(LEMMA_PREFIX)
        }
    )


def make_corpus(n_docs: int, codebook: Codebook, seed: int = 0) -> pd.DataFrame:
    """Russian-like documents: forms of :data:`WORDS`, the codebook's ru entries and forms of
    its lemmas (seeded)."""
    morph = _morph("ru")
    forms = sorted({f.word for w in WORDS for f in morph.parse(w)[0].lexeme})
    entries = [
        p.replace("*", "")
        for fr in codebook.frames.values()
        for m in (fr.terms, fr.phrases, fr.ambiguous)
        for p in m.get("ru", ())
        if not p.startswith(LEMMA_PREFIX) and "~" not in p
    ]
    lemma_words = [f for lm in lemma_entries(codebook) for f in explicit_forms("ru", lm)]
    rng = random.Random(seed)
    texts = []
    for _ in range(n_docs):
        words: list[str] = []
        while len(words) < 400:
            r = rng.random()
            if r < 0.03:
                words.extend(rng.choice(entries).split())
            elif r < 0.04:
                words.append(rng.choice(lemma_words))
            else:
                words.append(rng.choice(forms))
            if rng.random() < 0.06:
                words[-1] += "."
        texts.append("\n\n".join(" ".join(words[i : i + 100]) for i in range(0, 400, 100)))
    return pd.DataFrame(
        {"doc_id": [f"r{i:06d}" for i in range(n_docs)], "text": texts, "language": "ru"}
    )


def _spans(coded) -> set[tuple]:
    h = coded.hits
    return set(zip(h["doc_id"], h["frame"], h["start"], h["end"], strict=True))


def interleaved(corpus: pd.DataFrame, books: dict[str, Codebook], reps: int, cold: bool):
    """Wall-clock and CPU seconds per run of each codebook, runs interleaved A, B, C, C, B, A,
    A, B, C, ... (the order flips each round so that no codebook always runs after another).

    CPU time (``time.process_time``) counts only this process's work, so it is much less
    disturbed by the other processes of a shared machine than wall-clock time."""
    times = {name: {"wall": [], "cpu": []} for name in books}
    for rep in range(reps):
        order = list(books.items())
        for name, book in order if rep % 2 == 0 else order[::-1]:  # no codebook always first
            if cold:
                clear_caches()
            gc.collect()  # no run pays for the garbage of the one before
            wall, cpu = time.perf_counter(), time.process_time()
            code_frames(corpus, book, progress=False, cache_dir=False)
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
    return times


def report(label: str, times: dict[str, dict[str, list[float]]]) -> dict[str, float]:
    """Print min, median and the runs of each codebook; return the ratios of the minima."""
    ratios = {}
    for clock in ("wall", "cpu"):
        for name, by_clock in times.items():
            t = by_clock[clock]
            runs = " ".join(f"{x:.2f}" for x in t)
            print(
                f"  {label} {clock:4s} {name:20s} min {min(t):6.3f} s  median "
                f"{statistics.median(t):6.3f} s  (runs: {runs})"
            )
        (_, a), (_, b), (_, c) = ((n, min(t[clock])) for n, t in times.items())
        for pair, ratio in (("A/B", a / b), ("A/C", a / c)):
            ratios[f"{pair} {label} {clock}"] = ratio
            verdict = "met" if ratio <= 1.10 else "NOT met"
            print(
                f"  {label} {clock:4s} ratio of minima {pair} = {ratio:.3f}  (<= 1.10x: {verdict})"
            )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--docs", type=int, help="documents: generated (default 1000), or the corpus's first"
    )
    parser.add_argument("--corpus", help="a Parquet/CSV Corpus with Russian (ru) documents")
    parser.add_argument("--reps", type=int, default=5, help="timed runs of each codebook")
    parser.add_argument("--more-lemmas", action="store_true", help="8 more lemma: entries")
    args = parser.parse_args()
    if args.reps < 5:
        parser.error("--reps must be at least 5 (the minimum of few runs is not robust)")
    shipped = load_codebook("peace_talks")
    lemmas = with_more_lemmas(shipped) if args.more_lemmas else shipped
    explicit = without_lemmas(lemmas)
    removed = without_lemmas(lemmas, forms=False)
    if args.corpus:
        from framelab.io import load_corpus

        corpus = load_corpus(args.corpus)
        corpus = corpus[corpus["language"] == "ru"]
        corpus = corpus.head(args.docs) if args.docs else corpus
        source = args.corpus
    else:
        corpus = make_corpus(args.docs or 1_000, lemmas)
        source = "generated (seed 0)"
    corpus = corpus.reset_index(drop=True)
    wanted = lemma_entries(lemmas)
    words = {
        w.replace("-", "")
        for t in corpus["text"]
        for w in re.findall(r"[\w'’-]+", t.lower().replace("’", "'"))
    }
    n_tok = int(corpus["text"].str.split().str.len().sum())
    print(f"corpus: {source}: {len(corpus)} ru documents, {n_tok} tokens, {len(words)} words")
    print(
        f"A = {lemmas.name}@{lemmas.version}: {len(wanted)} ru lemma: entries ({', '.join(wanted)})"
    )
    print(f"B = {explicit.name}@{explicit.version}: the same entries as explicit form lists")
    print(f"C = {removed.name}@{removed.version}: the lemma: entries removed")

    import logging

    logging.getLogger("framelab").setLevel(logging.ERROR)  # the same language notes every run
    clear_caches()
    start = time.perf_counter()
    lemmatizer("ru", wanted)  # loads the dictionary (once per session)
    print(f"dictionary load + form sets (once per session): {time.perf_counter() - start:.3f} s")
    lookup_cpu = []
    for _ in range(5):  # the lemma work alone, cold: every word of the corpus looked up once
        clear_caches()
        start = time.process_time()
        lookup = lemmatizer("ru", wanted)
        matched = sum(1 for w in words if lookup(w))
        lookup_cpu.append(time.process_time() - start)
    print(
        f"lemma lookups alone, cold: {len(words)} words ({matched} matched), CPU min "
        f"{min(lookup_cpu):.3f} s, median {statistics.median(lookup_cpu):.3f} s"
    )

    books = {"A lemma: entries": lemmas, "B explicit forms": explicit, "C no lemmas": removed}
    hits = {name: _spans(code_frames(corpus, b, progress=False, cache_dir=False))
            for name, b in books.items()}  # fmt: skip
    (_, ha), (_, hb), (_, hc) = hits.items()
    print(f"hits: A {len(ha)}, B {len(hb)} ({len(ha & hb)} also in A), C {len(hc)}")
    print(f"interleaved runs, {args.reps} of each (A, B, C, C, B, A, A, B, C, ...):")
    cold = interleaved(corpus, books, args.reps, cold=True)
    ratios = report("cold", cold)
    ratios |= report("warm", interleaved(corpus, books, args.reps, cold=False))
    print("ratios of minima (target <= 1.10x):")
    for key, ratio in ratios.items():
        print(f"  {key:16s} {ratio:.3f}")
    baseline = min(cold["C no lemmas"]["cpu"])
    print(
        f"lemma lookups alone (cold, CPU min) = {min(lookup_cpu) / baseline:.1%} of coding "
        f"without lemma: entries (cold CPU min {baseline:.3f} s)"
    )


if __name__ == "__main__":
    main()
