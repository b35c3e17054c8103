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
# # 03 · Comparing frames across perspectives and over time, with uncertainty
#
# **Why.** Counts are not findings. A defensible comparison gives every estimate an interval,
# corrects for the many comparisons made, and separates group differences from differences in
# report length or timing.
#
# **Methods.** Percentile bootstrap over documents (seeded); permutation p-values with Holm
# correction across pairs and frames; logistic regression of frame presence with average
# predicted shares by group (the analogue of `stm`'s `estimateEffect`); weekly prevalence with an
# event marker; a before/after comparison around the event.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import plots, provenance

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
codes = fl.code_frames(corpus, codebook, level="document").codes
boot = dict(n_boot=cfg.compare.n_boot, seed=cfg.seed, cluster=cfg.compare.cluster)

# %% [markdown]
# ## Prevalence by perspective
# Share of reports carrying each frame (document level).

# %%
shares = fl.prevalence(codes, cfg.compare.group, **boot)
shares.round(3).head(12)

# %%
ax = plots.plot_prevalence(shares, title="Frame prevalence by perspective (95% bootstrap CI)")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-prevalence", table=shares)

# %% [markdown]
# **Figure 1.** Share of reports in which the dictionary finds each frame, by perspective group,
# with 95% percentile bootstrap intervals (documents resampled within groups,
# n_boot and seed from `study.yml`).

# %% [markdown]
# ## Which differences hold up?
# All pairs of groups and all frames, with Holm-corrected permutation p-values.

# %%
pairs = fl.pairwise(codes, cfg.compare.group, correction=cfg.compare.correction, **boot)
cols = ["frame", "group_a", "group_b", "estimate", "ci_low", "ci_high", "p_adjusted"]
pairs.loc[pairs["p_adjusted"] < 0.05, cols].round(3).sort_values("estimate").head(15)

# %% [markdown]
# ## Regression: is the concessions gap more than a length effect?
# Logistic regression of the presence of the concessions frame on perspective (reference: US
# outlets) and log report length; then the average predicted share per perspective.

# %%
coefs = fl.regress(codes, "concessions", "~ C(perspective, Treatment('us')) + log_tokens")
coefs[["term", "estimate", "ci_low", "ci_high", "p_value"]].round(3)

# %%
ax = plots.plot_coefficients(coefs, exp=True, title="Concessions frame: odds ratios vs US outlets")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-coefficients", table=coefs)

# %% [markdown]
# **Figure 2.** Odds ratios (with 95% CIs) of the concessions frame being present, by
# perspective relative to US outlets, adjusting for log report length.

# %%
fl.marginal_effects(codes, "concessions", "~ C(perspective) + log_tokens", by="perspective").round(3)

# %% [markdown]
# ## Over time, and the event
# Weekly share of reports carrying the civil–military frame, with the study's event marked.

# %%
weekly = fl.over_time(codes, cfg.time.column, freq=cfg.time.freq, smooth=3,
                      frames=["civil_military", "stalemate"], n_boot=cfg.compare.n_boot,
                      seed=cfg.seed)
events = [(e.date, e.label) for e in cfg.time.events]
ax = plots.plot_over_time(weekly, events=events, title="Civil-military and stalemate frames, weekly")
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "03-over-time", table=weekly)

# %% [markdown]
# **Figure 3.** Weekly share of reports with each frame (3-week centred pooling) with 95%
# bootstrap bands; the vertical line marks the study's event.

# %%
event = cfg.time.events[0]
fl.before_after(codes, str(event.date), window=cfg.time.window_days,
                frames=["civil_military", "stalemate"], **boot).round(3)[cols[:6] + ["p_value"]]

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
