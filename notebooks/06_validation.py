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
# # 06 · Validation: does the dictionary agree with human coders?
#
# **Why.** "Validate, validate, validate" (Grimmer & Stewart 2013). Dictionary counts are a
# measurement; before reporting them, measure how well they match careful human coding, read
# the errors, and compare with a supervised baseline trained on the same human labels.
#
# **Data.** The sample's gold labels (paragraph and document level) and a **simulated** second
# coder for 150 paragraphs (see `data/sample/README.md`). On your own data, draw a blind coding
# sheet (last section), have it coded, and read it back.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
import pandas as pd

from framelab import plots, plots_validation, provenance, validate
from framelab.datasets import load_sample_gold

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
gold = load_sample_gold(cfg.validation.level)
coded = fl.code_frames(corpus, codebook, level=cfg.validation.level)

# %% [markdown]
# ## Inter-coder agreement
# Krippendorff's α (nominal) per frame with a bootstrap interval, percent agreement and Cohen's κ
# between the gold coder and the simulated second coder. Conventions: α ≥ .800 reliable,
# ≥ .667 for tentative conclusions (Krippendorff).

# %%
both = validate.as_codings(gold, "coder1")
second = validate.as_codings(load_sample_gold("paragraph", coder=2), "coder2")
reliability = validate.agreement(pd.concat([both, second]), n_boot=cfg.validation.n_boot,
                                 seed=cfg.seed)
reliability.round(3)

# %%
ax = plots_validation.plot_agreement(reliability, title="Agreement: gold vs simulated coder 2")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-agreement", table=reliability)

# %% [markdown]
# **Figure 1.** Krippendorff's α per frame (nominal) with 95% bootstrap intervals over the 150
# doubly coded paragraphs; dashed lines at .667 and .800.

# %% [markdown]
# ## Accuracy of the dictionary against gold
# Precision, recall and F1 per frame with bootstrap intervals, plus macro and micro averages.

# %%
acc = validate.accuracy(coded.codes, gold, n_boot=cfg.validation.n_boot, seed=cfg.seed)
acc[["frame", "support", "precision", "recall", "f1", "f1_low", "f1_high"]].round(3)

# %% [markdown]
# ## Reading the errors
# False positives and false negatives with the terms that fired. A false positive with a term
# like "negotiat*" in a report about wage talks says the term needs an exclusion, or should
# become an `ambiguous` entry that counts only next to a `context` cue (see the codebook format).

# %%
errs = validate.errors(coded.codes, gold, hits=coded.hits)
errs.groupby(["frame", "error"]).size().unstack(fill_value=0)

# %%
fp = errs[(errs["frame"] == "negotiations") & (errs["error"] == "false_positive")]
fp.head(5)

# %%
coded.explain(fp["doc_id"].iloc[0])

# %% [markdown]
# ## A supervised baseline
# TF-IDF + logistic regression per frame (class-weighted), cross-validated on the gold units
# with the study seed. Its F1 next to the dictionary's shows what the words alone could reach
# with training data. Folds keep identical paragraphs together (`group_by="text"`): the sample
# reuses paragraphs across reports (as syndicated copy does in real corpora), and splitting by
# report alone would test the model on paragraphs it was trained on. The cross-validated table is
# cached under `data/processed/cache/` (keyed by the units, gold labels, settings, seed and package
# versions), so a rerun reads it back instead of refitting.

# %%
units = validate.coding_units(corpus, cfg.validation.level)
baseline = validate.SupervisedBaseline(random_state=cfg.seed)
cv = baseline.cross_validate(units, gold, folds=5, n_boot=cfg.validation.n_boot, group_by="text",
                             cache_dir=cfg.cache_dir())
both_acc = pd.concat([acc, cv])
both_acc.pivot(index="frame", columns="codebook", values="f1").round(3)

# %%
ax = plots_validation.plot_accuracy(both_acc, title="F1 per frame: dictionary vs supervised baseline")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-accuracy", table=both_acc)

# %% [markdown]
# **Figure 2.** F1 per frame with 95% bootstrap intervals, paragraph level: the `peace_talks`
# dictionary and the cross-validated supervised baseline.

# %% [markdown]
# ## How many units should you hand-code?
# Width of the 95% interval of micro-F1 as a function of the number of coded units (bootstrap
# over subsamples). Use it to plan a coding budget: halving the width needs about four times the
# units.

# %%
widths = validate.ci_width_by_n(coded.codes, gold, sizes=[50, 100, 200, 400, 800], n_rep=10,
                                n_boot=200, seed=cfg.seed)
widths[widths["frame"] == "micro"].round(3)

# %%
ax = plots_validation.plot_ci_width(widths, frames=["micro"], title="CI width of micro-F1 vs units coded")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-ci-width", table=widths)

# %% [markdown]
# **Figure 3.** Median width of the 95% bootstrap interval of micro-F1 against the number of
# paragraphs hand-coded (10 random subsamples per size).
#
# ## Your own validation sample
# `validate.coding_sheet(corpus, codebook, n=200, level="paragraph", stratify_by="perspective",
# seed=cfg.seed, out="../data/processed/coding/sheet")` writes a blind CSV + Excel sheet (frame
# descriptions on a second tab, dictionary output hidden). Read the filled sheets back with
# `validate.read_codings([...])` and use the cells above with them in place of `gold`.

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
