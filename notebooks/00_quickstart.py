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
# # 00 · Quickstart: framing of the peace-talk question in ten minutes
#
# **Question.** How do news outlets from different perspectives frame the question of peace talks
# over the war in Ukraine — ceasefire, concessions, security guarantees, Western support fatigue,
# stalemate, escalation, EU accession?
#
# **Data.** The bundled **synthetic** sample corpus: 475 reports from ten *fictional* outlets in
# six perspective groups, September 2023 – March 2024, with known, planted differences
# (`data/sample/ANSWER_KEY.md`). Nothing in it is real reporting.
#
# **What you get.** The whole pipeline in five steps: load → code → compare → inspect → cite.
# Every knob lives in `study.yml`; this notebook only reads it.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %% [markdown]
# ## 1. Read the study config and load the corpus
# One config file drives everything, so a rerun months later gives the same numbers.

# %%
import framelab as fl
from framelab import plots, provenance

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
corpus[["doc_id", "date", "outlet", "perspective", "title"]].head()

# %% [markdown]
# ## 2. Code the frames
# The codebook is a YAML file of terms, phrases and exclusions per frame. Coding at paragraph
# level gives one row per paragraph and frame (the *FrameCodes* table).

# %%
codebook = cfg.load_codebook()
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
coded

# %% [markdown]
# ## 3. Compare: which perspective emphasises which frame?
# Share of reports carrying each frame, with 95% bootstrap intervals that resample outlets within
# each group (there are only one or two outlets per group, so the intervals are honest and wide).

# %%
doc_codes = fl.code_frames(corpus, codebook, level="document").codes
shares = fl.prevalence(doc_codes, cfg.compare.group, n_boot=cfg.compare.n_boot,
                       seed=cfg.seed, cluster=cfg.compare.cluster)
shares.pivot(index="frame", columns=cfg.compare.group, values="estimate").round(2)

# %%
ax = plots.plot_heatmap(shares, title="Share of reports carrying each frame, by perspective")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "00-frame-heatmap", table=shares)

# %% [markdown]
# **Figure 1.** Share of the 475 synthetic reports (document level) in which the `peace_talks`
# dictionary finds each frame, by the outlet's perspective group. Point estimates only; see
# notebook 03 for intervals and tests.

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
