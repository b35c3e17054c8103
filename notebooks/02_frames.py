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
# # 02 · Coding frames: the codebook, hits, explanations, concordances, coverage
#
# **Why.** A dictionary count is only as good as the words behind it. This notebook codes the
# corpus with the study's codebook and shows *why* each unit was coded, so that you can judge
# and improve the codebook before comparing anything.
#
# **Method.** Token-trie matching of terms, `*` globs and phrases (hyphen/space variants match),
# per-language term lists, exclusions that veto nearby hits, ambiguous words that need a
# context cue in their paragraph, and negation flags (`docs/codebook_format.md`).

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import provenance, study
from framelab.codebook import without_context

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
codebook.summary()

# %% [markdown]
# ## The frames
# Each frame has a description a human coder could follow; the dictionary only approximates it.
# The codebook's first frame:

# %%
codebook.frames[codebook.frame_ids[0]].description

# %% [markdown]
# ## Code the corpus

# %%
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
coded.codes.head(9)

# %% [markdown]
# The same codes as one row per unit and one column per frame:

# %%
coded.to_wide().head()

# %% [markdown]
# ## Explain one report
# Hits are highlighted and labelled by frame; dashed underlines are negated hits
# ("ruled out any ceasefire"), which the codebook's negation policy counts or not.

# %%
doc = coded.hits["doc_id"].value_counts().index[0]
coded.explain(doc)

# %% [markdown]
# ## Keyword in context
# How is the language of the most prevalent frame (`compare.frames` sets it) used? Reading a
# dozen lines of context is the fastest way to find a term that fires in the wrong sense.

# %%
frame = study.frames(cfg, coded.codes, n=1)[0]
fl.kwic(coded, frame=frame, window=6, max_rows=12)

# %% [markdown]
# ## Codebook coverage
# Which entries fire, how often, how often negated — and which never fire (candidates for
# removal, or signs that the corpus uses other words).

# %%
coverage = coded.coverage()
coverage.head(15)

# %%
never = coverage[coverage["hits"] == 0]
never.groupby(["frame", "language"]).size().rename("entries that never fired").reset_index()

# %% [markdown]
# ## Ambiguous words and their context
# In the bundled codebook, words such as "talks", "military aid" or "deadlock" also serve other stories (wage talks, a
# routine delivery report, a deadlocked parliament). The codebook lists them as `ambiguous`: they
# count only when one of the frame's `context` cues is in the same paragraph. Units coded with
# the rule and with the ambiguous words counted anywhere:

# %%
anywhere = fl.code_frames(corpus, without_context(codebook), level=cfg.coding.level).codes
with_rule = coded.codes.groupby("frame", sort=False)["present"].sum()
without_rule = anywhere.groupby("frame", sort=False)["present"].sum()
with_rule.to_frame("with context rule").assign(**{"ambiguous words anywhere": without_rule})

# %% [markdown]
# The difference is what the rule removes; notebook 06 shows whether removing it agrees with
# human coders; reading the removed hits in context (`fl.kwic`) shows what they were.

# %% [markdown]
# ## Negation
# Share of hits flagged as negated, per frame.

# %%
coded.hits.groupby("frame")["negated"].mean().round(3).rename("share negated")

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
