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
# # 04 · Language: how do perspectives talk *about* a frame?
#
# **Why.** Two outlets can both discuss concessions and frame them in opposite ways. Comparing the
# words used *within* the sentences coded with a frame shows how.
#
# **Methods.** Log-odds ratios with an informative Dirichlet prior and z-scores (Monroe, Colaresi &
# Quinn 2008, "Fightin' Words"); keyness with chi² and G² as in quanteda's `textstat_keyness`;
# collocations (PMI and likelihood ratio); VADER tone per sentence.

# %% tags=["parameters"]
CONFIG = "../study.yml"
FRAME = "concessions"

# %%
import framelab as fl
from framelab import plots, provenance
from framelab.compare import mean_by, text_units
from framelab.text import collocations

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
english = corpus[corpus["language"] == "en"]
codebook = cfg.load_codebook()
coded = fl.code_frames(english, codebook, level="sentence")

# %% [markdown]
# ## Distinguishing words within the frame, Russian state-aligned vs Ukrainian outlets
# Only English-language reports, only sentences coded with the frame.

# %%
terms = fl.distinguishing_terms(english, "perspective", "russia_state", "ukraine",
                                within_frame=FRAME, codes=coded.codes, units=coded.units)
terms.sort_values("z", ascending=False).head(10).round(3)

# %%
ax = plots.plot_fightin_words(terms, title=f"Words distinguishing perspectives within '{FRAME}'")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "04-fightin-words", table=terms)

# %% [markdown]
# **Figure 1.** Log-odds ratio (informative Dirichlet prior, pooled background) of each word in
# sentences coded with the frame, Russian state-aligned vs Ukrainian outlets, against the word's
# frequency; labelled words have |z| > 1.96.

# %% [markdown]
# ## Keyness of each perspective against the rest (whole reports)

# %%
key = fl.keyness(english, "perspective", "russia_state")
key.head(10).round(2)

# %% [markdown]
# ## Collocations

# %%
collocations(english["text"], n=2, min_freq=5, top=15)

# %% [markdown]
# ## Tone by frame and perspective
# VADER compound tone (−1 to 1) of the sentences carrying each frame. The lexicon ships with the
# `vaderSentiment` package; nothing is downloaded.

# %%
sentences = text_units(english, "sentence")
tones = fl.tone(sentences)
fatigue = coded.codes[coded.codes["frame"] == "support_fatigue"]
mean_by(tones, "tone", by="perspective", codes=fatigue, n_boot=cfg.compare.n_boot,
        seed=cfg.seed).round(3)

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
