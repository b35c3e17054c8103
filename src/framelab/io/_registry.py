"""The format registry behind :func:`framelab.load_corpus`.

Each format family registers a reader, the file extensions it claims and, where several formats
share an extension (``.html``, ``.txt``, ``.xml``), a ``sniff`` function that looks at the first
bytes of the file. Readers return a raw table (one row per document, any columns) plus a per-file
report; :func:`framelab.io.load_corpus` maps columns and validates it into the Corpus schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framelab.io._text import LoadError

__all__ = ["FormatSpec", "detect_format", "formats", "get_format", "register_format"]

#: A reader takes the path and keyword options and returns the raw table. It records per-file
#: outcomes in ``table.attrs["framelab_load_report"]`` (list of dicts: file, format, status,
#: rows, message).
Reader = Callable[..., pd.DataFrame]
Sniffer = Callable[[Path, bytes], bool]


@dataclass(frozen=True)
class FormatSpec:
    """A registered input format.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = FormatSpec("demo", lambda path, **kw: pd.read_csv(path), (".demo",))
    >>> spec.name, spec.extensions, spec.priority
    ('demo', ('.demo',), 100)
    """

    name: str
    reader: Reader
    extensions: tuple[str, ...]
    sniff: Sniffer | None = None
    description: str = ""
    #: formats with a sniffer are tried before generic ones; among them, lower runs first
    priority: int = 100


_FORMATS: dict[str, FormatSpec] = {}


def register_format(spec: FormatSpec) -> FormatSpec:
    """Add (or replace) a format in the registry.

    Examples
    --------
    >>> import pandas as pd
    >>> spec = register_format(FormatSpec("demo_tsv", lambda path, **kw: pd.read_csv(path, sep="\\t"),
    ...                                   (".demo",), description="tab separated (demo)"))
    >>> "demo_tsv" in formats()["format"].tolist()
    True
    >>> del _FORMATS["demo_tsv"]  # undo, for the other examples
    """
    _FORMATS[spec.name] = spec
    return spec


def formats() -> pd.DataFrame:
    """The registered formats as a table: ``format, extensions, description``.

    Examples
    --------
    >>> table = formats()
    >>> table.loc[table["format"] == "csv"].values.tolist()
    [['csv', '.csv', 'comma/semicolon separated']]
    """
    return pd.DataFrame(
        [
            {"format": s.name, "extensions": " ".join(s.extensions), "description": s.description}
            for s in sorted(_FORMATS.values(), key=lambda s: s.name)
        ]
    )


def get_format(name: str) -> FormatSpec:
    from framelab._errors import suggest

    try:
        return _FORMATS[name]
    except KeyError:
        raise ValueError(
            f"load_corpus(): unknown format={name!r}. Supported: "
            f"{', '.join(sorted(_FORMATS))}.{suggest(name, _FORMATS, 'format')}"
        ) from None


def _head(path: Path, n: int = 65536) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise LoadError(f"{path}: cannot read the file ({exc.strerror}).") from None


def detect_format(path: str | Path) -> str:
    """Guess the format of ``path`` from its extension and, where needed, its first bytes.

    Raises
    ------
    LoadError
        If no registered format claims the file; the message lists the supported extensions.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "news.csv").write_text("doc_id,text\\nd1,Talks resumed.\\n")
    >>> detect_format(folder / "news.csv"), detect_format(folder)
    ('csv', 'folder')
    """
    path = Path(path)
    if path.is_dir():
        return "folder"
    if not path.exists():
        raise FileNotFoundError(f"load_corpus(): {path} does not exist.")
    suffix = "".join(path.suffixes[-1:]).lower()
    candidates = [s for s in _FORMATS.values() if suffix in s.extensions]
    head = None
    sniffers = sorted(
        (s for s in _FORMATS.values() if s.sniff is not None), key=lambda s: s.priority
    )
    for spec in sniffers:
        if spec in candidates or not candidates:
            head = _head(path) if head is None else head
            if spec.sniff(path, head):
                return spec.name
    generic = [s for s in candidates if s.sniff is None]
    if generic:
        return generic[0].name
    exts = sorted({e for s in _FORMATS.values() for e in s.extensions})
    raise LoadError(
        f"load_corpus(): cannot tell the format of {path} (extension {suffix or '(none)'!r}). "
        f"Supported extensions: {', '.join(exts)}. Pass format=... to choose one of: "
        f"{', '.join(sorted(_FORMATS))}."
    )
