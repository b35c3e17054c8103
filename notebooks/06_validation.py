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
# the errors, choose presence rules on the gold, and compare with a supervised coder trained on the
# same human labels (and see which units to hand-code next).
#
# **Data.** Human ("gold") codes named by `validation.gold` in the study config. Without them
# (`validation.gold: null`) the notebook draws the blind coding sheet to code next and stops
# there: every section below that needs gold codes says so instead of showing numbers.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import pandas as pd

import framelab as fl
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
# Precision, recall and F1 per frame, each with its 95% bootstrap interval (`_low`, `_high`),
# plus macro and micro averages.
# This and the following sections need gold codes.

# %%
if gold is not None:
    acc = validate.accuracy(coded.codes, gold, n_boot=cfg.validation.n_boot, seed=cfg.seed)
    shown = ["frame", "support", "precision", "precision_low", "precision_high", "recall",
             "recall_low", "recall_high", "f1", "f1_low", "f1_high"]
    display(acc[shown].round(3))
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
# ## Presence rules chosen on gold
# A unit can be coded present from one hit, or only from two or more (`min_count`; for documents
# also `min_units`, the paragraphs with a hit). `validate.tune_presence` picks the rule per frame
# by cross-validated F1: each held-out fold is coded by a rule chosen without it, so `f1` is not
# inflated by the choice; `f1_default` is the one-hit rule on the same units. Set a chosen rule
# with `coding.presence` in the config (or `presence:` in the codebook).

# %%
if gold is not None:
    rules = validate.tune_presence(coded, gold, cv=5, seed=cfg.seed, n_boot=cfg.validation.n_boot)
    cols = ["frame", "min_count", "min_units", "f1", "f1_low", "f1_high", "f1_default"]
    display(rules[cols + ["fold_rules"]].round(3))
else:
    print("No gold codes: no presence rules to tune.")

# %% [markdown]
# ## A supervised coder
# `fl.SupervisedCoder` learns each frame from the gold units (TF-IDF of words + logistic
# regression, class-weighted), calibrates its probabilities and picks each frame's threshold by
# cross-validation inside the training folds. Its nested cross-validated accuracy (5 folds; no
# threshold tuned on the units it is scored on) is set beside the dictionary's. Folds keep
# identical texts together (`group_by="text"`): syndicated copy, and the sample's reused
# paragraphs, would otherwise test the model on text it was trained on. `study.supervised_coder`
# uses word n-grams only (character n-grams take minutes), and `study.supervised_report` keeps
# the evaluation tables (this one, the learning curve and the suspect labels below) under
# `data/processed/cache/`, keyed by the texts, gold, settings and package versions: a rerun
# reads them back instead of refitting.

# %%
if gold is not None:
    coder, sup = study.supervised_coder(cfg), study.supervised_report(cfg, corpus, gold)
    both_acc = pd.concat([acc, sup["cv"]])
    display(both_acc.pivot(index="frame", columns="codebook", values="f1").round(3))
else:
    print("No gold codes: no supervised coder.")

# %%
if gold is not None:
    title = "F1 per frame: dictionary vs supervised coder"
    ax = plots_validation.plot_accuracy(both_acc, title=title)
    _ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-accuracy", table=both_acc)
else:
    print("No accuracy figure: no gold codes.")

# %% [markdown]
# **Figure 2.** F1 per frame with 95% bootstrap intervals at `validation.level`: the study's
# dictionary and the nested cross-validated supervised coder. Drawn only with gold codes.

# %% [markdown]
# ## Learning curve: would more gold help the supervised coder?
# Cross-validated micro-F1 when the coder is trained on a quarter, half and all of each fold's
# training units (`study.learning_sizes`). A curve still rising at the right says more
# hand-coding would pay; a flat one says the features, not the labels, are the limit.

# %%
if gold is not None:
    curve = sup["curve"]
    display(curve[curve["frame"] == "micro"].round(3))
else:
    print("No gold codes: no learning curve.")

# %%
if gold is not None:
    title = "Supervised coder: micro-F1 by gold units trained on"
    ax = plots_validation.plot_learning_curve(curve, title=title)
    _ = plots.save_figure(ax, cfg.output_dir() / "figures" / "06-learning-curve", table=curve)
else:
    print("No learning-curve figure: no gold codes.")

# %% [markdown]
# **Figure 3.** Cross-validated micro-F1 of the supervised coder with its 95% bootstrap CI, by
# the number of gold units it was trained on in each of 5 folds. Drawn only with gold codes.

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
# **Figure 4.** Median width of the 95% bootstrap interval of micro-F1 against the number of
# units hand-coded (10 random subsamples per size). Drawn only with gold codes.

# %% [markdown]
# The corrected prevalences of notebook 03 rest on a random gold sample at `compare.level`. How
# many more gold units would each group need for (PPI++) intervals half as wide, or three
# quarters as wide, for every frame (`study.gold_plan`, from `fl.compare.gold_needed`: a
# planning figure, with the gold's moments held at today's values)? Missing where even hand-coding
# every unit of the group would not get there: the machine codes' own sampling error sets a floor
# to the interval, which matters in small groups (`out of reach` counts those frames).

# %%
cgold = study.comparison_gold(cfg, corpus)
display(study.correction_note(cfg, cgold))
if cgold is not None:
    doc_codes = study.restrict(cfg, study.comparison_codes(cfg, corpus))
    display(study.gold_plan(cfg, doc_codes, cgold, shrinks=(0.5, 0.75)))

# %% [markdown]
# ## What to code next
# `validate.next_to_code` draws the next coding sheet for the supervised coder, fitted on all
# gold units: 30% of the units at random (marked `drawn_at_random`, with their
# `inclusion_prob`, so that the new gold still serves corrected estimates), the rest where the
# coder is least sure, in turn per frame. Written blind (CSV + Excel) to
# `data/processed/coding/next` next to the config; units already coded are left out.

# %%
if gold is not None:
    coder = coder.fit(corpus, gold)
    nxt = study.next_sheet(cfg, corpus, coder, gold, n=50)
    design = ["unit_id", "strategy", "target_frame", "drawn_at_random", "inclusion_prob"]
    display(nxt[design].head(10))
else:
    print("No gold codes: code the sheet drawn at the top of this notebook first.")

# %% [markdown]
# Gold labels that the cross-validated supervised coder contradicts most confidently: worth a
# second look by a coder (nothing is relabelled).

# %%
if gold is not None:
    display(sup["suspect"].head(10).round(3))
else:
    print("No gold codes: no labels to check.")

# %% [markdown]
# ## Your own validation sample
# `study.draw_sheet(cfg, corpus, codebook, n=200)` writes a blind CSV + Excel sheet to
# `data/processed/coding/sheet` next to the config (frame descriptions on a second tab,
# dictionary output hidden; `validate.coding_sheet` gives every option, including a stratified
# draw whose `inclusion_prob` the corrected estimates use). Save the filled sheet, point
# `validation.gold` at it and rerun this notebook; `validate.read_codings([...])` reads
# several coders' sheets for agreement.

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
