"""framelab: a Jupyter research-notebook kit for media-framing analysis.

>>> import framelab as fl
>>> fl.__version__
'0.1.0'
"""

from framelab._presence import PresenceRule, apply_presence
from framelab._version import __version__
from framelab.codebook import Codebook, load_codebook
from framelab.coding import code_frames, explain, kwic
from framelab.compare import (
    before_after,
    cooccurrence,
    difference,
    distinguishing_terms,
    keyness,
    marginal_effects,
    over_time,
    pairwise,
    prevalence,
    regress,
    tone,
)
from framelab.config import load_config
from framelab.corpus import (
    CORPUS_COLUMNS,
    drop_near_duplicates,
    find_near_duplicates,
    validate_corpus,
)
from framelab.datasets import load_sample, load_sample_gold
from framelab.io import load_corpus
from framelab.learn import SupervisedCoder, learning_curve
from framelab.prepare import clean_text, filter_corpus, join_text, prepare_corpus, recode
from framelab.text import SentenceSplitter, collocations, tokenize

__all__ = [
    "CORPUS_COLUMNS",
    "Codebook",
    "PresenceRule",
    "apply_presence",
    "before_after",
    "clean_text",
    "code_frames",
    "cooccurrence",
    "difference",
    "distinguishing_terms",
    "explain",
    "filter_corpus",
    "join_text",
    "keyness",
    "kwic",
    "load_codebook",
    "load_config",
    "marginal_effects",
    "over_time",
    "pairwise",
    "prepare_corpus",
    "prevalence",
    "recode",
    "regress",
    "tone",
    "SentenceSplitter",
    "SupervisedCoder",
    "__version__",
    "collocations",
    "drop_near_duplicates",
    "find_near_duplicates",
    "learning_curve",
    "load_corpus",
    "load_sample",
    "load_sample_gold",
    "tokenize",
    "validate_corpus",
]
