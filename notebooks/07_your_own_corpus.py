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
# **Use this notebook for your data.** Nothing here needs code changes:
#
# 1. Put your file(s) under `data/raw/` in the project folder (framelab only ever reads there).
# 2. Copy `study.yml` to the project folder under a new name, e.g. `my_study.yml` (next to
#    `study.yml`, so that its relative paths — `data/raw/...`, `data/processed/...`, the
#    `output.dir` — resolve inside the project), and edit the copy only: `corpus.path`,
#    `corpus.columns`, `compare.group`, `time.freq`, `time.events`, `validation.gold`.
# 3. Set `CONFIG = "../my_study.yml"` below (or run everything from the command line:
#    `framelab report --config my_study.yml`).
#
# The example config used below, `notebooks/example/study_own.yml`, reads made-up example data
# (see `notebooks/example/README.md`): a semicolon-separated CSV with its own column names, web
# boilerplate lines and a report from before the study period, and a codebook that extends
# `peace_talks` with a humanitarian frame.

# %% tags=["parameters"]
CONFIG = "example/study_own.yml"

# %% [markdown]
# ## 1. Load your corpus through the config, and check the config against it
# `corpus.columns` maps framelab's column names to yours (`text: body`, `date: published`...).
# If a column is missing, the error lists the columns found and suggests the closest. Then every
# column and group value the config names (`compare.group`, `compare.reference`, ...) is checked
# against the data, before any analysis.

# %%
import framelab as fl
from framelab import plots, provenance, study

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
print(study.check_data(cfg, corpus))
corpus.drop(columns="source_file", errors="ignore").head()

# %% [markdown]
# Check what was loaded and what (if anything) was skipped:

# %%
corpus.attrs.get("framelab_load_report"), corpus.attrs.get("framelab_dropped")

# %% [markdown]
# ## Preparing the corpus: keys of the `corpus` section
# `cfg.load_corpus()` applies these from the config alone, in this order: `options` (reader
# options such as `delimiter`) and `on_duplicate_ids` (`error`, `first` or `suffix`) when reading;
# then `recode` (a new column from a mapping of an existing one, e.g. outlet -> country), `filter`
# (`date: {from:, to:}`, `keep`/`drop` values of a column), `clean` (whole boilerplate lines: the
# `web` preset and your own regexes) and `drop_near_duplicates`. The example keeps its study
# period and removes web boilerplate; what each rule removed:

# %%
prepared = study.preparation(corpus)
prepared if prepared is not None else print("No corpus.filter or corpus.clean in the config.")

# %% [markdown]
# Dates: ISO dates are never reinterpreted; in a column of numeric dates such as `03/04/2023`
# the unambiguous values (a first number above 12) decide day-first or month-first. If every
# value is ambiguous, framelab reads them month-first and warns: say which with
# `corpus.options: {dayfirst: true}` (day-first, as most of Europe writes).
#
# Languages: each report is coded with its language's term lists. `corpus.columns.language`
# names your language column, or gives one code for every report (`language: ru`), or `detect`
# (as in the example: detected offline from each text). Labels such as `RU`, `ru-RU`, `rus` or
# `Russian` are normalised to `ru`; reports left without a label are detected when coding (a
# warning counts them). The labels as loaded:

# %%
corpus["language"].value_counts(dropna=False).rename("reports")

# %% [markdown]
# ## 2. Your codebook
# `extends: peace_talks` inherits the shipped frames; your file adds, removes or overrides.

# %%
codebook = cfg.load_codebook()
codebook.summary()

# %% [markdown]
# ## 3. Code and inspect
# Read the hits before anything else: every false hit you find here is a codebook fix. The
# concordance shows the first frame of `compare.frames` (in the example config: the new
# humanitarian frame), else the most prevalent frame.

# %%
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
coded.languages.value_counts(dropna=False).rename("reports coded in")

# %% [markdown]
# The languages the reports were coded in. A report in a language the codebook has no lists for
# gets no hits: check this before reading any share.

# %%
frame = study.frames(cfg, coded.codes, n=1)[0]  # the first of compare.frames, or most prevalent
coded.kwic(frame=frame, window=5, max_rows=10)

# %%
coded.explain(coded.hits["doc_id"].value_counts().index[0])

# %% [markdown]
# ## 4. Compare your groups

# %%
group = study.group(cfg)
doc_codes = fl.code_frames(corpus, codebook, level=study.level(cfg)).codes
shares = fl.prevalence(doc_codes, group, **cfg.compare_options())
shares[[group, "frame", "estimate", "ci_low", "ci_high", "n"]].round(2).head(10)

# %%
frames = study.frames(cfg, doc_codes)
title = f"Frames by {study.label(group)} ({len(corpus)} reports)"
ax = plots.plot_prevalence(study.with_n(shares, cfg, corpus), frames=frames, title=title)
_ = plots.save_figure(ax, cfg.output_dir() / "figures" / "07-prevalence", table=shares)

# %% [markdown]
# **Figure 1.** Share of reports carrying the most prevalent frames (or `compare.frames`), by the
# config's group column (n per group in the legend), with bootstrap intervals (with a handful of
# reports, as in the example, the intervals are rightly very wide).

# %% [markdown]
# ## 5. Plan your validation
# Draw a blind coding sheet (CSV + Excel) for human coders, written to
# `data/processed/coding/sheet` next to the config; have it coded, set `validation.gold` to the
# filled file and continue as in notebook 06.

# %%
sheet = study.draw_sheet(cfg, corpus, codebook, n=8)
sheet.drop(columns="text").head()

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
