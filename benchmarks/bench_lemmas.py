"""Benchmark: the extra time ``lemma:`` entries cost when coding a Russian corpus.

Run: ``python benchmarks/bench_lemmas.py [--docs 5000] [--corpus data/processed/dev/ruuk.parquet]``.

Codes the same Russian corpus with ``peace_talks`` stripped of its ``lemma:`` entries and with
the shipped codebook plus more ``lemma:`` entries (terms and exclusions, in several frames), best of three runs each
(the morphological dictionaries are loaded once before timing, as in a notebook session; each
run builds its own per-token lemma cache). Prints the ratio; target: at most 1.10.

Without ``--corpus`` the documents are generated (seeded, ~400 tokens, paragraphs of 100 words)
from every inflected form of ~90 common Russian news words (pymorphy3 lexemes, so the
vocabulary is as varied as real text: thousands of distinct forms) mixed with forms of the
codebook's entries.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

from framelab.codebook import Codebook, load_codebook
from framelab.coding import code_frames

WORDS = (
    "год время человек дело жизнь день рука работа слово место вопрос лицо глаз страна друг "
    "сторона дом случай голова ребенок сила конец вид система часть город отношение женщина "
    "деньги земля машина вода отец проблема час право нога решение дверь образ история власть "
    "закон война бог голос тысяча книга возможность результат ночь стол имя область статья "
    "число компания народ жена группа развитие процесс суд условие средство начало свет пора "
    "путь душа уровень форма связь минута улица вечер качество мысль дорога мать действие "
    "месяц государство язык любовь взгляд мама век школа цель общество президент министр "
    "заявить сообщить говорить сказать стать мочь хотеть знать новый большой российский"
).split()
LEMMA_TERMS = {
    "concessions": ["lemma:уступить", "lemma:уступать", "lemma:капитулировать"],
    "civil_military": ["lemma:генерал", "lemma:главком"],
    "negotiations": ["lemma:переговорщик", "lemma:посредничать"],
    "support_fatigue": ["lemma:усталость", "lemma:устать"],
}


def _ru(value) -> list[str]:
    return list(value.get("ru", [])) if isinstance(value, dict) else []


def without_lemmas(base: Codebook) -> Codebook:
    """A copy of ``base`` with every ``lemma:`` entry removed (the baseline)."""
    data = base.to_dict()
    for frame in data["frames"].values():
        for key in ("terms", "phrases", "ambiguous", "exclude", "context"):
            value = frame.get(key)
            if isinstance(value, dict):
                frame[key] = {
                    lg: [p for p in v if not p.startswith("lemma:")] for lg, v in value.items()
                }
                frame[key] = {lg: v for lg, v in frame[key].items() if v}
                if not frame[key]:
                    del frame[key]
    data["version"] = f"{base.version}-lemmas"
    return Codebook.from_dict(data)


def lemma_codebook(base: Codebook) -> Codebook:
    data = base.to_dict()
    for fid, lemmas in LEMMA_TERMS.items():
        frame = data["frames"][fid]
        terms = frame.get("terms") or {}
        if isinstance(terms, list):
            terms = {base.language: terms}
        taken = {p for key in ("terms", "phrases", "ambiguous") for p in _ru(frame.get(key))}
        terms["ru"] = [*terms.get("ru", []), *(lm for lm in lemmas if lm not in taken)]
        frame["terms"] = terms
        excl = frame.get("exclude") or {}
        if isinstance(excl, list):
            excl = {base.language: excl}
        excl["ru"] = [*excl.get("ru", []), "lemma:генеральный"]
        frame["exclude"] = excl
    data["version"] = f"{base.version}+lemmas"
    return Codebook.from_dict(data)


def make_corpus(n_docs: int, codebook: Codebook, seed: int = 0) -> pd.DataFrame:
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer(lang="ru")
    forms = sorted({f.word for w in WORDS for f in morph.parse(w)[0].lexeme})
    entries = [
        p.replace("*", "")
        for fr in codebook.frames.values()
        for m in (fr.terms, fr.phrases, fr.ambiguous)
        for p in m.get("ru", ())
    ]
    extra = ["уступит", "уступили", "уступать", "генерала", "генеральный", "усталость"]
    rng = random.Random(seed)
    texts = []
    for _ in range(n_docs):
        words: list[str] = []
        while len(words) < 400:
            r = rng.random()
            if r < 0.03:
                words.extend(rng.choice(entries).split())
            elif r < 0.04:
                words.append(rng.choice(extra))
            else:
                words.append(rng.choice(forms))
            if rng.random() < 0.06:
                words[-1] += "."
        texts.append("\n\n".join(" ".join(words[i : i + 100]) for i in range(0, 400, 100)))
    return pd.DataFrame(
        {"doc_id": [f"r{i:06d}" for i in range(n_docs)], "text": texts, "language": "ru"}
    )


def best_of(n: int, func) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5_000)
    parser.add_argument("--corpus", help="a Parquet/CSV Corpus with Russian documents")
    args = parser.parse_args()
    shipped = load_codebook("peace_talks")
    base = without_lemmas(shipped)
    lemmas = lemma_codebook(shipped)
    if args.corpus:
        from framelab.io import load_corpus

        corpus = load_corpus(args.corpus)
        corpus = corpus[corpus["language"] == "ru"].head(args.docs)
    else:
        corpus = make_corpus(args.docs, base)
    n_tok = int(corpus["text"].str.split().str.len().sum())
    code_frames(corpus.head(50), lemmas)  # load the dictionaries once (as in a session)
    plain = best_of(3, lambda: code_frames(corpus, base, progress=False))
    with_lemmas = best_of(3, lambda: code_frames(corpus, lemmas, progress=False))
    distinct = len({w.lower().strip(".") for t in corpus["text"] for w in t.split()})
    print(f"Russian corpus: {len(corpus)} documents, {n_tok} tokens, ~{distinct} distinct words")
    print(f"peace_talks without lemma: entries : {plain:7.2f} s")
    print(f"peace_talks + more lemma: entries  : {with_lemmas:7.2f} s")
    print(f"ratio                       : {with_lemmas / plain:7.3f}  (target <= 1.10)")
    # the lemma work alone (robust to a busy machine): one lookup per distinct token
    from framelab._engine import _key, _tokens
    from framelab.lemmas import lemmatizer

    wanted = {
        p[len("lemma:") :]
        for fr in lemmas.frames.values()
        for m in (fr.terms, fr.ambiguous, fr.exclude, fr.context)
        for p in m.get("ru", ())
        if p.startswith("lemma:")
    }
    keys = {_key(c.strip()) for t in corpus["text"] for c in _tokens(t)[0]}
    lookup = lemmatizer("ru", wanted)
    start = time.perf_counter()
    found = sum(1 for k in keys if lookup(k))
    cost = time.perf_counter() - start
    looked = sum(k[:3] in {w[:3] for w in wanted} for k in keys)
    print(
        f"lemma lookups: {looked} of {len(keys)} distinct tokens ({found} matched) in "
        f"{cost:.3f} s = {cost / plain:.1%} of the baseline coding time"
    )


if __name__ == "__main__":
    main()
