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
# # 05 · Topics: what else does the coverage talk about?
#
# **Why.** A dictionary finds the frames you already expect; a topic model shows what else the
# reports discuss, and whether those topics line up with the frames.
#
# **Method.** BERTopic with an offline embedding (TF-IDF → truncated SVD; nothing is
# downloaded), seeded throughout and fitted on documents sorted by id, so the same config gives
# the same topics. Topic shares per group and per period are computed with explicit
# denominators; topics are aligned with the codebook's frames; stability is measured across
# seeds. Settings: the `topics` section of the study config. Embeddings and fits are cached under
# `data/processed/cache/` (keyed by the corpus, settings, seed and package versions), so a rerun
# reads the fitted topics back instead of refitting.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import plots, plots_topics, provenance, study, topics

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
fit = topics.fit_topics(corpus, cfg.topic_settings(), progress=False)
fit.info[["topic", "size", "label"]]

# %%
ax = plots_topics.plot_topic_sizes(fit.info, title="Topic sizes")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "05-topic-sizes", table=fit.info)

# %% [markdown]
# **Figure 1.** Number of reports assigned to each topic (topic −1: outliers, if any).

# %% [markdown]
# ## Topics by group
# Share of each group's reports in each topic (the denominator is the group's reports).

# %%
group = study.group(cfg)
per_group = topics.topics_per_group(fit, study.restrict(cfg, corpus), by=group)
title = f"Topic shares by {study.label(group)}"
ax = plots_topics.plot_topics_per_group(study.with_n(per_group, cfg, corpus), title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "05-topics-per-group", table=per_group)

# %% [markdown]
# **Figure 2.** Share of each group's reports (n per group in the labels) assigned to each topic.

# %% [markdown]
# ## Topics over time
# Per week or month, as `time.freq` says.

# %%
per_period = topics.topics_over_time(fit, corpus, freq=cfg.time.freq)
title = f"Topic shares, {study.freq_word(cfg)}"
ax = plots_topics.plot_topics_over_time(per_period, title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "05-topics-over-time", table=per_period)

# %% [markdown]
# **Figure 3.** Share of each period's reports (period: `time.freq`) assigned to each topic.

# %% [markdown]
# ## Which topics carry which frames?
# Two views: how similar a topic's top words are to a frame's lexicon, and the share of the
# topic's reports that the dictionary codes with the frame.

# %%
doc_codes = fl.code_frames(corpus, codebook, level="document").codes
alignment = topics.align_topics_frames(fit, codebook, doc_codes)
ax = plots_topics.plot_topic_frame_alignment(alignment, title="Topics x frames: share coded")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "05-alignment", table=alignment)

# %% [markdown]
# **Figure 4.** For each topic (rows) and frame (columns), the share of the topic's reports
# coded with the frame by the study's dictionary.

# %% [markdown]
# ## Topics as codes: the comparison machinery works on them unchanged

# %%
tcodes = topics.topic_codes(fit, corpus)
fl.prevalence(tcodes, cfg.compare.group, n_boot=cfg.compare.n_boot, seed=cfg.seed).round(3).head(8)

# %% [markdown]
# ## Are the topics stable across seeds?
# Fits with three seeds; adjusted Rand index and NMI between assignments, and, per topic, the
# overlap of its top words with its best match in the other fits.

# %%
stability = topics.topic_stability(corpus, cfg.topic_settings(), seeds=3, progress=False)
stability.pairs.round(3)

# %%
ax = plots_topics.plot_topic_stability(stability.topics, title="Topic stability across seeds")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "05-stability", table=stability.topics)

# %% [markdown]
# **Figure 5.** For each topic of the first fit, the mean overlap (Jaccard) of its units (first
# bar) and of its top words (second bar) with its matched topic in the other fits (Hungarian
# matching); topics marked "(unstable)" fall short of a stable topic's overlap (dashed line).

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
