# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · Language: how do groups of outlets talk *about* a frame?
#
# **Why.** Two outlets can both discuss the same frame and fill it with opposite words. Comparing
# the words used *within* the sentences coded with a frame shows how.
#
# **Methods.** Log-odds ratios with an informative Dirichlet prior and z-scores (Monroe, Colaresi &
# Quinn 2008, "Fightin' Words"); keyness with chi² and G² as in quanteda's `textstat_keyness`;
# collocations (PMI and likelihood ratio); VADER tone per sentence.

# %% tags=["parameters"]
CONFIG = "../study.yml"
FRAME = None  # a frame id; None: the first of compare.frames, else the most prevalent

# %%
import framelab as fl
from framelab import plots, provenance, study
from framelab.compare import mean_by, text_units
from framelab.text import collocations

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
texts = study.restrict(cfg, study.main_language(corpus))  # one language for word counts
codebook = cfg.load_codebook()
coded = fl.code_frames(texts, codebook, level="sentence")

# %%
frame = FRAME or study.frames(cfg, coded.codes, n=1)[0]
group, (a, b) = study.group(cfg), study.pairs(cfg, texts)[0]
print(f"frame: {frame}; groups compared ({study.label(group)}): {a} vs {b}")

# %% [markdown]
# ## Distinguishing words within the frame, for the first pair of groups
# Only reports in the corpus's most frequent language, only sentences coded with the frame; the
# pair is the first of `compare.pairs`, else the reference group against the next largest.

# %%
terms = fl.distinguishing_terms(texts, group, a, b,
                                within_frame=frame, codes=coded.codes, units=coded.units)
terms.sort_values("z", ascending=False).head(10).round(3)

# %%
n = texts[group].value_counts()
title = f"Words distinguishing {a} (n={n[a]}) from {b} (n={n[b]}) within '{frame}'"
ax = plots.plot_fightin_words(terms, title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "04-fightin-words", table=terms)

# %% [markdown]
# **Figure 1.** Log-odds ratio (informative Dirichlet prior, pooled background) of each word in
# sentences coded with the frame, between the two groups named in the title (n: their reports
# in the language analysed), against the word's frequency; labelled words have |z| > 1.96.

# %% [markdown]
# ## Keyness of the first group of the pair against the rest (whole reports)

# %%
key = fl.keyness(texts, group, a)
key.head(10).round(2)

# %% [markdown]
# ## Collocations

# %%
collocations(texts["text"], n=2, min_freq=5, top=15)

# %% [markdown]
# ## Tone of the frame by group
# VADER compound tone (−1 to 1) of the sentences carrying the frame, by group. The lexicon
# ships with the `vaderSentiment` package (English only); nothing is downloaded.

# %%
sentences = text_units(texts, "sentence")
tones = fl.tone(sentences)
in_frame = coded.codes[coded.codes["frame"] == frame]
mean_by(tones, "tone", by=group, codes=in_frame, **cfg.compare_options()).round(3)

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
