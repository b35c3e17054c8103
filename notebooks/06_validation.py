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
# **Data.** Human ("gold") codes named by `validation.gold` in the study config. Without them
# (`validation.gold: null`) the notebook draws the blind coding sheet to code next and stops
# there: every section below that needs gold codes says so instead of showing numbers.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
import pandas as pd

from framelab import plots, plots_validation, provenance, study, validate
from framelab.datasets import load_sample_gold

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
gold = study.load_gold(cfg)
coded = fl.code_frames(corpus, codebook, level=cfg.validation.level)

# %% [markdown]
# ## Gold codes, or the sheet to code next

# %%
if gold is None:
    sheet = study.draw_sheet(cfg, corpus, codebook, n=100)
    display(study.narrative("no-gold", cfg, corpus, sheet=sheet))
    display(sheet.drop(columns="text").head())
else:
    display(study.narrative("validation", cfg, corpus))

# %% [markdown]
# ## Inter-coder agreement
# Krippendorff's α (nominal) per frame with a bootstrap interval, percent agreement and Cohen's κ
# between two coders of the same units (on the bundled sample: the gold coder and its simulated
# second coder). Conventions: α ≥ .800 reliable, ≥ .667 for tentative conclusions (Krippendorff).

# %%
reliability = None
if study.is_sample(cfg):
    both = validate.as_codings(gold, "coder1")
    second = validate.as_codings(load_sample_gold("paragraph", coder=2), "coder2")
    reliability = validate.agreement(pd.concat([both, second]), n_boot=cfg.validation.n_boot,
                                     seed=cfg.seed)
    display(reliability.round(3))
else:
    print("Agreement needs two coders' sheets of the same units: read them with "
          "validate.read_codings and pass them to validate.agreement.")

# %%
if reliability is not None:
    ax = plots_validation.plot_agreement(reliability, title="Agreement between two coders")
    _ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-agreement", table=reliability)
else:
    print("No agreement figure: no second coder.")

# %% [markdown]
# **Figure 1.** Krippendorff's α per frame (nominal) with 95% bootstrap intervals over the doubly
# coded units (on the bundled sample: 150 paragraphs); dashed lines at .667 and .800. Drawn only
# when two coders' codes are available.

# %% [markdown]
# ## Accuracy of the dictionary against gold
# Precision, recall and F1 per frame with bootstrap intervals, plus macro and micro averages.
# This and the following sections need gold codes.

# %%
if gold is not None:
    acc = validate.accuracy(coded.codes, gold, n_boot=cfg.validation.n_boot, seed=cfg.seed)
    display(acc[["frame", "support", "precision", "recall", "f1", "f1_low", "f1_high"]].round(3))
else:
    print("No gold codes (validation.gold: null): no accuracy to show.")

# %% [markdown]
# ## Reading the errors
# False positives and false negatives with the terms that fired. A false positive with a term
# like "negotiat*" in a report about wage talks says the term needs an exclusion, or should
# become an `ambiguous` entry that counts only next to a `context` cue (see the codebook format).

# %%
errs = None if gold is None else validate.errors(coded.codes, gold, hits=coded.hits)
if errs is not None:
    display(errs.groupby(["frame", "error"]).size().unstack(fill_value=0))
else:
    print("No gold codes: no errors to read.")

# %% [markdown]
# The false positives of the frame with the most of them, and the first one explained:

# %%
if errs is not None and (errs["error"] == "false_positive").any():
    fp = errs[errs["error"] == "false_positive"]
    fp = fp[fp["frame"] == fp["frame"].value_counts().index[0]]
    display(fp.head(5))
    display(coded.explain(fp["doc_id"].iloc[0]))
else:
    print("No false positives to read.")

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
if gold is not None:
    units = validate.coding_units(corpus, cfg.validation.level)
    baseline = validate.SupervisedBaseline(random_state=cfg.seed)
    cv = baseline.cross_validate(units, gold, folds=5, n_boot=cfg.validation.n_boot,
                                 group_by="text", cache_dir=cfg.cache_dir())
    both_acc = pd.concat([acc, cv])
    display(both_acc.pivot(index="frame", columns="codebook", values="f1").round(3))
else:
    print("No gold codes: no supervised baseline.")

# %%
if gold is not None:
    title = "F1 per frame: dictionary vs supervised baseline"
    ax = plots_validation.plot_accuracy(both_acc, title=title)
    _ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-accuracy", table=both_acc)
else:
    print("No accuracy figure: no gold codes.")

# %% [markdown]
# **Figure 2.** F1 per frame with 95% bootstrap intervals at `validation.level`: the study's
# dictionary and the cross-validated supervised baseline. Drawn only with gold codes.

# %% [markdown]
# ## How many units should you hand-code?
# Width of the 95% interval of micro-F1 as a function of the number of coded units (bootstrap
# over subsamples). Use it to plan a coding budget: halving the width needs about four times the
# units.

# %%
if gold is not None:
    widths = validate.ci_width_by_n(coded.codes, gold, sizes=[50, 100, 200, 400, 800], n_rep=10,
                                    n_boot=200, seed=cfg.seed)
    display(widths[widths["frame"] == "micro"].round(3))
    title = "CI width of micro-F1 vs units coded"
    ax = plots_validation.plot_ci_width(widths, frames=["micro"], title=title)
    _ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-ci-width", table=widths)
else:
    print("No gold codes: see the coding sheet drawn at the top of this notebook.")

# %% [markdown]
# **Figure 3.** Median width of the 95% bootstrap interval of micro-F1 against the number of
# units hand-coded (10 random subsamples per size). Drawn only with gold codes.
#
# ## Your own validation sample
# `study.draw_sheet(cfg, corpus, codebook, n=200)` writes a blind CSV + Excel sheet to
# `data/processed/coding/sheet` next to the config (frame descriptions on a second tab,
# dictionary output hidden; `validate.coding_sheet` gives every option). Save the filled sheet,
# point `validation.gold` at it and rerun this notebook; `validate.read_codings([...])` reads
# several coders' sheets for agreement.

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
