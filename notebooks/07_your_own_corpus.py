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
# # 07 · Your own corpus: a template
#
# **Use this notebook for your data.** Nothing here needs code changes: copy
# `notebooks/example/study_own.yml`, point it at your file and codebook, and set `CONFIG` below
# (or pass it from the command line: `papermill 07_your_own_corpus.ipynb out.ipynb -p CONFIG
# path/to/study.yml`).
#
# The example data in `notebooks/example/` are **synthetic** (see its README): a
# semicolon-separated CSV with its own column names, and a codebook that extends `peace_talks`
# with a humanitarian frame.

# %% tags=["parameters"]
CONFIG = "example/study_own.yml"

# %% [markdown]
# ## 1. Load your corpus through the config
# `corpus.columns` maps framelab's column names to yours (`text: body`, `date: published`...).
# If a column is missing, the error lists the columns found and suggests the closest.

# %%
import framelab as fl
from framelab import plots, provenance, validate

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
corpus[["doc_id", "date", "outlet", "country", "text"]].head()

# %% [markdown]
# Check what was loaded and what (if anything) was skipped:

# %%
corpus.attrs["framelab_load_report"], corpus.attrs["framelab_dropped"]

# %% [markdown]
# ## 2. Your codebook
# `extends: peace_talks` inherits the shipped frames; your file adds, removes or overrides.

# %%
codebook = cfg.load_codebook()
codebook.summary()

# %% [markdown]
# ## 3. Code and inspect
# Read the hits before anything else: every false hit you find here is a codebook fix.

# %%
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
last_frame = codebook.frame_ids[-1]  # in the example: the new "humanitarian" frame
coded.kwic(frame=last_frame, window=5, max_rows=10)

# %%
coded.explain(coded.hits["doc_id"].value_counts().index[0])

# %% [markdown]
# ## 4. Compare your groups

# %%
doc_codes = fl.code_frames(corpus, codebook, level="document").codes
shares = fl.prevalence(doc_codes, cfg.compare.group, n_boot=cfg.compare.n_boot, seed=cfg.seed)
shares[[cfg.compare.group, "frame", "estimate", "ci_low", "ci_high", "n"]].round(2).head(10)

# %%
frames = codebook.frame_ids[-3:]
ax = plots.plot_prevalence(shares, frames=list(frames), title=f"Frames by {cfg.compare.group}")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "07-prevalence", table=shares)

# %% [markdown]
# **Figure 1.** Share of reports carrying the codebook's last three frames, by the config's
# group column, with 95% bootstrap intervals (with the ten example reports the intervals are,
# rightly, very wide).

# %% [markdown]
# ## 5. Plan your validation
# Draw a blind coding sheet (CSV + Excel) for human coders; read it back with
# `validate.read_codings` and continue as in notebook 06.

# %%
sheet = validate.coding_sheet(corpus, codebook, n=8, level="paragraph", seed=cfg.seed,
                              out=cfg.resolve("../../data/processed/coding/own_sheet"))
sheet.drop(columns="text").head()

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
