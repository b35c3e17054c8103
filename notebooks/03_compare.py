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
# # 03 · Comparing frames across groups and over time, with uncertainty
#
# **Why.** Counts are not findings. A defensible comparison gives every estimate an interval,
# corrects for the many comparisons made, and separates group differences from differences in
# report length or timing.
#
# **Methods.** Percentile bootstrap (seeded; documents, or the `compare.cluster` column's values,
# resampled within groups); permutation p-values corrected across pairs and frames
# (`compare.correction`); logistic regression of frame presence with average predicted shares by
# group (the analogue of `stm`'s `estimateEffect`); prevalence per week or month (`time.freq`)
# with the study's events marked; a before/after comparison around the first event; shares
# corrected for coding error with a random gold sample (prediction-powered inference, PPI++).
#
# **Codes.** From the coder `coding.method` names: the dictionary (the study codebook at
# `compare.level`) or a saved supervised coder (`coding.model`); both give the same FrameCodes
# table, so everything below runs unchanged on either.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import plots, provenance, study

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
codes = study.restrict(cfg, study.comparison_codes(cfg, corpus))  # from coding.method
boot = cfg.compare_options()
group, ci = study.group(cfg), f"{cfg.compare.ci:.0%}"

# %% [markdown]
# ## Prevalence by group
# Share of units carrying each frame (the level is `compare.level`, documents by default).

# %%
shares = fl.prevalence(codes, group, **boot)
shares.round(3).head(12)

# %%
title = f"Frame prevalence by {study.label(group)} ({ci} bootstrap CI)"
ax = plots.plot_prevalence(study.with_n(shares, cfg, corpus), title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-prevalence", table=shares)

# %% [markdown]
# **Figure 1.** Share of reports in which the dictionary finds each frame, by the config's group
# column (n per group in the legend), with percentile bootstrap intervals (level `compare.ci`;
# resampling, n_boot and seed from the study config).

# %% [markdown]
# ## Corrected for coding error
# A dictionary (or a model) makes errors, and not at the same rate in every group, so a gap
# between groups can be the coder's. With gold codes of a random sample of units, prediction-
# powered inference (PPI++, Angelopoulos et al. 2023) combines the machine codes of all units
# with the gold sample into shares whose intervals account for the coder's measured error;
# `n_gold` is the number of gold units each estimate rests on.

# %%
gold = study.comparison_gold(cfg, corpus)
display(study.correction_note(cfg, gold))
if gold is not None:
    fixed = fl.prevalence(codes, group, gold=gold, correction="ppi++", ci=cfg.compare.ci,
                          seed=cfg.seed)
    side = shares.merge(fixed, on=[group, "frame"], suffixes=("_naive", ""))
    shown = [group, "frame", "estimate_naive", "estimate", "ci_low", "ci_high", "n_gold"]
    display(side[shown].round(3).head(12))
    print(fl.compare.correction_summary(shares, fixed))

# %% [markdown]
# ## Which differences hold up?
# All pairs of groups and all frames, with permutation p-values corrected for the number of
# comparisons (`compare.correction`); the differences with adjusted p < 0.05.

# %%
pairs = fl.pairwise(codes, group, correction=cfg.compare.correction, **boot)
cols = ["frame", "group_a", "group_b", "estimate", "ci_low", "ci_high", "p_adjusted"]
pairs.loc[pairs["p_adjusted"] < 0.05, cols].round(3).sort_values("estimate").head(15)

# %% [markdown]
# ## Regression: is a group gap more than a length effect?
# Logistic regression of the presence of the most prevalent frame (the first of
# `compare.frames`, if set) on the group (against the reference group: `compare.reference`, else
# the largest), log report length and `compare.covariates`; then the average predicted share per
# group.

# %%
frame, reference = study.frames(cfg, codes, n=1)[0], study.reference(cfg, corpus)
formula = study.formula(cfg, corpus)
coefs = fl.regress(codes, frame, formula, ci=cfg.compare.ci)
print(f"frame: {frame}; reference group: {reference}; model: present {formula}")
coefs[["term", "estimate", "ci_low", "ci_high", "p_value"]].round(3)

# %%
title = f"'{frame}' frame: odds ratios vs {study.label(group)} = {reference}"
ax = plots.plot_coefficients(coefs, exp=True, title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-coefficients", table=coefs)

# %% [markdown]
# **Figure 2.** Odds ratios (with CIs at the `compare.ci` level) of the frame named in the title
# being present, by group relative to the reference group, adjusting for log report length (and
# any `compare.covariates`).

# %% [markdown]
# Average predicted share of the frame per group from the same model. `converged` says whether
# the fit converged: `False` usually means a group where the frame never (or always) occurs,
# and that group's estimates and intervals should not be read.

# %%
fl.marginal_effects(codes, frame, formula, by=group, ci=cfg.compare.ci).round(3)

# %% [markdown]
# ## Over time, and the events
# Share of reports carrying the two most prevalent frames (or `time.frames`) per week or month
# (`time.freq`, named in the title), with the study's events (`time.events`) marked.

# %%
frames = study.time_frames(cfg, codes)
per_period = fl.over_time(codes, cfg.time.column, freq=cfg.time.freq, smooth=3, frames=frames,
                          **boot)
events = [(e.date, e.label) for e in cfg.time.events]
title = f"{', '.join(frames)}: {study.freq_word(cfg)} share of reports"
ax = plots.plot_over_time(per_period, events=events, title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-over-time", table=per_period)

# %% [markdown]
# **Figure 3.** Share of reports with each frame named in the title per period of `time.freq`
# (pooled over 3 neighbouring periods) with bootstrap bands at the `compare.ci` level; vertical
# lines mark the study's events, if any.

# %% [markdown]
# Before and after the first event (`time.window_days` on each side), if the config names one:

# %%
if cfg.time.events:
    event = cfg.time.events[0]
    display(fl.before_after(codes, str(event.date), window=cfg.time.window_days,
                            frames=frames, **boot).round(3)[cols[:6] + ["p_value"]])
else:
    print("No event in the config (time.events): no before/after comparison.")

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
