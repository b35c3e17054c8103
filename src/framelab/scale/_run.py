"""Running partition tasks one by one or on a Dask cluster, each partition isolated from the others.

A failing partition never stops the others: on a distributed cluster every partition is its own
future (a failed future is recorded, the rest keep running); without a cluster the partitions are
computed one after another in this process, each inside its own ``try``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["current_client", "local_client"]

logger = logging.getLogger(__name__)


def current_client(client: Any = None) -> Any:
    """``client`` if given, else the active ``distributed`` client, else None."""
    if client is not None:
        return client
    try:
        from distributed import default_client
    except ImportError:  # pragma: no cover - distributed is a dependency
        return None
    try:
        return default_client()
    except ValueError:
        return None


@contextlib.contextmanager
def local_client(
    workers: int | None = None,
    *,
    threads_per_worker: int = 1,
    memory_limit: str | int = "auto",
    host: str = "127.0.0.1",
) -> Iterator[Any]:
    """A ``distributed`` client on a LocalCluster of worker *processes* on this machine.

    Coding is pure Python, so one thread per worker process is the efficient layout (threads
    in one process would share the interpreter lock). The scheduler, the workers and the
    scheduler's health-check HTTP endpoint listen on ``host`` (the loopback interface by
    default), on free ports, and no dashboard is started, so nothing is reachable from the
    network and nothing clashes with another cluster on the same machine.

    Parameters
    ----------
    workers : int, optional
        Worker processes; default: the number of CPU cores.
    threads_per_worker : int, default 1
    memory_limit : str or int, default "auto"
        Per worker (``"4GB"``); ``"auto"`` splits the machine's memory evenly.
    host : str, default "127.0.0.1"
        Interface to listen on.

    Yields
    ------
    distributed.Client
        Closed, with its cluster, when the ``with`` block ends.

    Notes
    -----
    Worker processes are *spawned*: a script that starts a cluster must guard its top level
    with ``if __name__ == "__main__":`` (notebooks and the ``framelab`` command need nothing).

    Examples
    --------
    One worker process, reachable on the loopback interface only (starting it takes a few
    seconds):

    >>> with local_client(1) as client:
    ...     answer = client.submit(sum, [1, 2]).result()
    ...     workers = len(client.scheduler_info()["workers"])
    ...     loopback = client.scheduler.address.startswith("tcp://127.0.0.1:")
    >>> answer, workers, loopback
    (3, 1, True)
    >>> with local_client(0):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: local_client(): workers must be a whole number >= 1, got 0.
    """
    from distributed import Client, LocalCluster

    n = workers if workers is not None else (os.cpu_count() or 1)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"local_client(): workers must be a whole number >= 1, got {workers!r}.")
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=threads_per_worker,
        processes=True,
        memory_limit=memory_limit,
        host=host,
        dashboard_address=None,
        # the scheduler's small HTTP server (health checks; no dashboard without
        # dashboard_address) listens on this interface, on a free port instead of 8787
        scheduler_kwargs={"dashboard_address": f"{host}:0"},
    )
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def run_partitions(
    tasks: Sequence[Any],
    labels: Sequence[int],
    on_error: Callable[[int, BaseException], dict],
    *,
    client: Any = None,
    progress: bool = False,
    desc: str = "partitions",
) -> list[dict]:
    """Compute ``tasks`` (Dask delayed objects returning a one-row DataFrame each).

    Returns one record (dict) per task, in completion order; a task that raised is turned into a
    record by ``on_error(label, exception)``.
    """
    from tqdm.auto import tqdm

    records: list[dict] = []
    bar = tqdm(total=len(tasks), desc=desc, unit="part", disable=not progress)
    try:
        if client is not None:
            from distributed import as_completed

            futures = client.compute(list(tasks))
            label_of = {f.key: label for f, label in zip(futures, labels, strict=True)}
            try:
                for future in as_completed(futures, loop=client.loop):
                    label = label_of[future.key]
                    if future.status == "error":
                        records.append(on_error(label, future.exception()))
                    else:
                        records.extend(future.result().to_dict("records"))
                    bar.update(1)
            finally:
                pending = [f for f in futures if not f.done()]
                if pending:  # interrupted: stop what has not run yet
                    client.cancel(pending)
        else:
            for task, label in zip(tasks, labels, strict=True):
                try:
                    records.extend(task.compute(scheduler="sync").to_dict("records"))
                except Exception as exc:
                    records.append(on_error(label, exc))
                bar.update(1)
    finally:
        bar.close()
    return records
