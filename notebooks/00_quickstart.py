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
# # 00 · Quickstart: how do groups of outlets frame the news, in ten minutes
#
# **Question.** Which frames of the study's codebook does each group of outlets emphasise? (With
# the bundled codebook: how the question of peace talks over the war in Ukraine is framed —
# ceasefire, concessions, security guarantees, support fatigue, stalemate, escalation, EU
# accession.)
#
# **Data.** The corpus named in the study config (`study.yml` by default); the cell after the
# config describes it.
#
# **What you get.** The whole pipeline in five steps: load → code → compare → inspect → cite.
# Every knob lives in the study config; this notebook only reads it.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %% [markdown]
# ## 1. Read the study config and load the corpus
# One config file drives everything, so a rerun months later gives the same numbers.

# %%
import framelab as fl
from framelab import plots, provenance, study

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
study.narrative("intro", cfg, corpus)

# %%
corpus.drop(columns="source_file", errors="ignore").head()

# %% [markdown]
# ## 2. Code the frames
# The codebook is a YAML file of terms, phrases and exclusions per frame. Coding at paragraph
# level gives one row per paragraph and frame (the *FrameCodes* table).

# %%
codebook = cfg.load_codebook()
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
coded

# %% [markdown]
# ## 3. Compare: which group emphasises which frame?
# Share of reports carrying each frame in each group of the config's `compare.group` column.
# Here only the point estimates; notebook 03 adds bootstrap intervals and tests.

# %%
doc_codes = fl.code_frames(corpus, codebook, level=study.level(cfg)).codes
shares = fl.prevalence(doc_codes, study.group(cfg), **cfg.compare_options())
shares.pivot(index="frame", columns=study.group(cfg), values="estimate").round(2)

# %%
title = f"Share of reports carrying each frame, by {study.label(study.group(cfg))}"
ax = plots.plot_heatmap(study.with_n(shares, cfg, corpus), title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "00-frame-heatmap", table=shares)

# %% [markdown]
# **Figure 1.** Share of the corpus's reports (document level; n per group in the row
# labels) in which the study's dictionary finds each frame, by the config's group column. Point
# estimates only; see notebook 03 for intervals and tests.

# %% [markdown]
# ## 4. Inspect: why was a report coded this way?
# Always read the hits before trusting the counts. Negated hits are underlined with dashes.

# %%
coded.explain(corpus["doc_id"].iloc[3])

# %% [markdown]
# ## 5. Provenance
# Versions, config and data hashes, seed — everything needed to cite and rerun this notebook.

# %%
provenance.study(cfg, codebook=codebook)
