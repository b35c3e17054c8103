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
# # 01 · The corpus: size, outlets, timeline, lengths, duplicates
#
# **Why.** Before any frame is counted, know what is in the corpus: who published how much and
# when, how long the reports are, and whether syndicated copies would count the same story twice.
#
# **Data.** The corpus named in the study config (`study.yml` by default).

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import plots, provenance, study
from framelab.cli import corpus_summary

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
summary = corpus_summary(corpus)
study.narrative("intro", cfg, corpus)

# %%
summary["overview"]

# %% [markdown]
# ## Outlets and groups
# Comparisons between groups are only as good as the outlets behind them: a group made of one
# outlet compares that outlet, not a country's press.

# %%
summary["outlets"]

# %%
by = [study.group(cfg)] + [c for c in ["language"] if c in corpus.columns]
corpus.groupby(by, dropna=False).size().rename("documents").reset_index()

# %% [markdown]
# ## Timeline
# Reports per calendar month. Uneven coverage over time matters for any over-time comparison
# (notebook 03).

# %%
months = summary["months"]
ax = months.plot.bar(x="month", y="documents", legend=False, color="#0072B2", figsize=(7, 3))
_ = ax.set(title=f"Reports per month (n = {len(corpus):,})", xlabel="month", ylabel="reports")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "01-months", table=months)

# %% [markdown]
# **Figure 1.** Number of reports per calendar month in the corpus (n, the number of reports,
# in the title).

# %% [markdown]
# ## Report lengths

# %%
words = corpus["text"].str.split().str.len()
words.groupby(corpus[study.group(cfg)]).describe()[["count", "mean", "min", "50%", "max"]].round(1)

# %% [markdown]
# ## Near-duplicates (syndicated wire copy)
# MinHash over five-word shingles finds reports that are lightly edited copies of one another.
# Whether to keep them is a research decision (`corpus.drop_near_duplicates` in `study.yml`).

# %%
clusters = fl.find_near_duplicates(corpus, threshold=cfg.corpus.near_duplicate_threshold)
clusters.groupby("cluster").agg(reports=("doc_id", "size"), outlets=("outlet", "nunique"),
                                first=("date", "min"), min_similarity=("similarity", "min"))

# %%
study.narrative("near-duplicates", cfg, corpus, clusters=clusters)

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg)
