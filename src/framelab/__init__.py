"""framelab: a Jupyter research-notebook kit for media-framing analysis.

>>> import framelab as fl
>>> fl.__version__
'0.1.0'
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

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
from framelab.text import SentenceSplitter, collocations, tokenize

try:
    __version__ = _version("framelab")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.1.0"

__all__ = [
    "CORPUS_COLUMNS",
    "Codebook",
    "before_after",
    "code_frames",
    "cooccurrence",
    "difference",
    "distinguishing_terms",
    "explain",
    "keyness",
    "kwic",
    "load_codebook",
    "load_config",
    "marginal_effects",
    "over_time",
    "pairwise",
    "prevalence",
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
