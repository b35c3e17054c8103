"""The same stage functions over Dask partitions: a laptop LocalCluster or a real Dask cluster.

Nothing here is a second implementation: every partition is read by
:func:`framelab.load_corpus`, coded by :func:`framelab.code_frames` and compared by
:mod:`framelab.compare`; Dask only decides where and when each partition runs.

========================= ==============================================================
function                  what it does
========================= ==============================================================
:func:`read_corpus_dask`  Parquet/CSV/JSONL files -> lazy Corpus, one file per partition
:func:`code_frames_dask`  code every partition, write FrameCodes/Hits/units as Parquet,
                          resume finished partitions, isolate failing ones
:func:`read_coded`        a written table as a lazy Dask DataFrame
:func:`load_coded`        a written table in memory, in ``code_frames`` row order
:func:`write_coded`       an in-memory ``code_frames`` result in the same layout
                          (these three live in :mod:`framelab.coding_io`)
:func:`prevalence_dask`   :func:`framelab.compare.prevalence` on the written codes
:func:`over_time_dask`    :func:`framelab.compare.over_time` on the written codes
:func:`assign_topics_dask` topics for every unit with a model fitted on a sample
:func:`local_client`      a loopback-only LocalCluster of worker processes
========================= ==============================================================

Running on a cluster: start a scheduler and workers that can import framelab and see the
input and output folders (a shared file system), then ``Client("tcp://host:8786")`` - or
``framelab code --config study.yml --dask --scheduler tcp://host:8786``. See docs/scale.md.

Dask is imported inside the functions, so ``import framelab.scale`` stays light.
"""

from framelab.coding_io import (
    STATUS_COLUMNS,
    CodedDask,
    PartitionError,
    load_coded,
    read_coded,
    write_coded,
)
from framelab.scale._code import code_frames_dask
from framelab.scale._compare import over_time_dask, prevalence_dask, unit_table
from framelab.scale._read import read_corpus_dask
from framelab.scale._run import local_client
from framelab.scale._topics import ASSIGNMENT_COLUMNS, assign_topics_dask

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "STATUS_COLUMNS",
    "CodedDask",
    "PartitionError",
    "assign_topics_dask",
    "code_frames_dask",
    "load_coded",
    "local_client",
    "over_time_dask",
    "prevalence_dask",
    "read_coded",
    "read_corpus_dask",
    "unit_table",
    "write_coded",
]
