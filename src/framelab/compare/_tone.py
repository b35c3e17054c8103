"""Deprecated location of :func:`tone`: it lives in the text layer, :mod:`framelab._tone`.

``from framelab.compare import tone`` (and ``framelab.tone``) keep working; importing from
``framelab.compare._tone`` does too, but is deprecated.
"""

from framelab._tone import TONE_COLUMNS, tone, vader_nltk_root

__all__ = ["TONE_COLUMNS", "tone", "vader_nltk_root"]
