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
# # 02 · Coding frames: the codebook, hits, explanations, concordances, coverage
#
# **Why.** A dictionary count is only as good as the words behind it. This notebook codes the
# corpus with the study's codebook and shows *why* each unit was coded, so that you can judge
# and improve the codebook before comparing anything.
#
# **Method.** Token-trie matching of terms, `*` globs and phrases (hyphen/space variants match),
# per-language term lists and `lemma:` entries, phrases with gaps, exclusions that veto nearby
# hits, ambiguous words that need a context cue in their paragraph, a scope rule (the subject must
# be mentioned), and negation flags (`docs/codebook_format.md`). The shipped codebooks' precision
# was audited on real news; the hit audit sheet lets you check it on your own corpus.

# %% tags=["parameters"]
CONFIG = "../study.yml"

# %%
import framelab as fl
from framelab import provenance, study, validate
from framelab.codebook import without_context, without_scope

cfg = fl.load_config(CONFIG)
corpus = cfg.load_corpus()
codebook = cfg.load_codebook()
codebook.summary()

# %% [markdown]
# ## The frames
# Each frame has a description a human coder could follow; the dictionary only approximates it.
# The codebook's first frame:

# %%
codebook.frames[codebook.frame_ids[0]].description

# %% [markdown]
# ## Code the corpus

# %%
coded = fl.code_frames(corpus, codebook, level=cfg.coding.level)
coded.codes.head(9)

# %% [markdown]
# ## Languages coded
# Each report is coded with the term lists of its language: the `language` column, normalised
# (`RU`, `ru-RU`, `rus`, `Russian` -> `ru`), or detected offline when missing. A report in a
# language the codebook has no lists for gets no hits, so check the counts:

# %%
coded.languages.value_counts(dropna=False).rename("reports")

# %% [markdown]
# Three entry types matter for Russian, Ukrainian and scraped text (`docs/codebook_format.md`):
# a `lemma:` entry (`lemma:уступить`) matches every inflected form of that dictionary word and
# nothing else (pymorphy3, offline); a phrase with a gap `~k` (`вступ* ~2 НАТО`) lets up to k
# words stand between its words, within a sentence; and in a text without paragraph breaks (most
# scraped articles) an ambiguous word needs its context cue within 40 tokens instead of in the
# same paragraph (a warning counts such reports).

# %% [markdown]
# The same codes as one row per unit and one column per frame:

# %%
coded.to_wide().head()

# %% [markdown]
# ## Explain one report
# Hits are highlighted and labelled by frame; dashed underlines are negated hits
# ("ruled out any ceasefire"), which the codebook's negation policy counts or not.

# %%
doc = coded.hits["doc_id"].value_counts().index[0]
coded.explain(doc)

# %% [markdown]
# ## Keyword in context
# How is the language of the most prevalent frame (`compare.frames` sets it) used? Reading a
# dozen lines of context is the fastest way to find a term that fires in the wrong sense.

# %%
frame = study.frames(cfg, coded.codes, n=1)[0]
fl.kwic(coded, frame=frame, window=6, max_rows=12)

# %% [markdown]
# ## Codebook coverage
# Which entries fire, how often, how often negated — and which never fire (candidates for
# removal, or signs that the corpus uses other words).

# %%
coverage = coded.coverage()
coverage.head(15)

# %%
never = coverage[coverage["hits"] == 0]
never.groupby(["frame", "language"]).size().rename("entries that never fired").reset_index()

# %% [markdown]
# ## Ambiguous words and their context
# In the bundled codebook, words such as "talks", "military aid" or "deadlock" also serve other stories (wage talks, a
# routine delivery report, a deadlocked parliament). The codebook lists them as `ambiguous`: they
# count only when one of the frame's `context` cues is in the same paragraph. Units coded with
# the rule and with the ambiguous words counted anywhere:

# %% [markdown]
# Comparing codebooks is the everyday loop of codebook work: edit an entry, recode, read the
# hits in context. `coded.recode(edited)` keeps the tokenised corpus of the first coding and
# matches again only the frames the edit changed, so it takes a fraction of the time; the result
# is identical to coding from scratch. After editing your codebook file, run
# `coded.recode(cfg.load_codebook())`. Here the edit is the copy without the context rule:

# %%
anywhere = coded.recode(without_context(codebook)).codes
with_rule = coded.codes.groupby("frame", sort=False)["present"].sum()
without_rule = anywhere.groupby("frame", sort=False)["present"].sum()
with_rule.to_frame("with context rule").assign(**{"ambiguous words anywhere": without_rule})

# %% [markdown]
# The difference is what the rule removes; notebook 06 shows whether removing it agrees with
# human coders; reading the removed hits in context (`fl.kwic`) shows what they were.

# %% [markdown]
# ## The scope rule
# A codebook can name its subject (`scope:` cues, e.g. the countries and capitals of the
# conflict): a hit of a scoped frame then counts only in a report that mentions the subject, so
# another country's EU bid is not this one's. Hits without it are kept with `out_of_scope` and
# not counted. Units coded with and without the rule (`framelab.codebook.without_scope`):

# %%
unscoped = coded.recode(without_scope(codebook)).codes
out_of_scope = coded.hits.groupby("frame", sort=False)["out_of_scope"].sum()
scope_table = with_rule.to_frame("with scope rule").assign(
    **{"without scope rule": unscoped.groupby("frame", sort=False)["present"].sum()})
scope_table.assign(**{"hits out of scope": out_of_scope}).fillna(0).astype(int)

# %% [markdown]
# ## Audited precision on real news
# Each shipped frame records how many of its hits were read in real news coverage and how many
# were right (precision with a 95% Wilson interval; the `audit` block of the codebook). Frames
# below 0.7 are flagged: use them with a validation sample (notebook 06). A codebook of your own
# has no audit until you read its hits (next section).

# %%
audited = study.audited_precision(codebook)
audited.round(3) if audited is not None else print("No frame of this codebook has an audit yet.")

# %% [markdown]
# ## Audit the hits yourself
# A random sample of each frame's hits per group (`compare.group`), each shown in context, is
# written as a sheet (CSV + Excel) to `data/processed/audit/hits` next to the config. Mark each
# row's `correct` yes or no, save, and read it back with `validate.read_audit(path)`: precision
# per frame and group with Wilson intervals, the estimated number of false hits in the corpus,
# and the entries that produced them. First rows of the sheet:

# %%
group = study.group(cfg)
sheet = validate.audit_sheet(coded, n_per_frame=30, by=group, seed=cfg.seed,
                             out=study.audit_path(cfg))
sheet.groupby(["frame", "group"], sort=False).size().unstack(fill_value=0)

# %% [markdown]
# ## Negation
# Share of hits flagged as negated, per frame.

# %%
coded.hits.groupby("frame")["negated"].mean().round(3).rename("share negated")

# %% [markdown]
# ## Provenance

# %%
provenance.study(cfg, codebook=codebook)
