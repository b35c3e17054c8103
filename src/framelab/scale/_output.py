"""The output of :func:`code_frames_dask`: its layout, the result object and the readers.

They live in :mod:`framelab.coding_io`, next to coding (an in-memory ``code_frames`` result is
written in the same layout without the Dask runner); this module keeps the old import path.
"""

from framelab.coding_io import (  # noqa: F401  (private names kept for old imports)
    _FINISHED,
    STATUS_COLUMNS,
    TABLES,
    CodedDask,
    ParquetPart,
    PartitionError,
    _finished_files,
    _manifest_records,
    _part,
    load_coded,
    read_coded,
)

__all__ = ["STATUS_COLUMNS", "CodedDask", "PartitionError", "load_coded", "read_coded"]
