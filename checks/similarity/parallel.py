"""Both cores for the similarity check's independent jobs (candidate pairs aligned, reports hashed).

Workers are forked, so they inherit everything the caller holds (reports, frequency tables, prepared
sides) without pickling it; only job numbers go out and results come back. Memory stays shared
copy-on-write. Where a child process is not allowed or not possible (a daemonic Dask worker, a platform
without fork, one core) or the work is too small to pay for a fork, the jobs run here, one after the
other: the results are the same either way, in the same order.
"""

from __future__ import annotations

import gc
import logging
import mmap
import multiprocessing as mp
import os
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)
R = TypeVar("R")

MIN_JOBS = 200  # fewer jobs than this run here: a fork and its pickling cost more than they save
_job: Callable[[int], object] | None = None  # the job the forked workers run (inherited, never pickled)
_forking = threading.Lock()


def worker_count(limit: int | None = None) -> int:
    """Processes worth forking: the cores this process may use (at most `limit`), or 0 when no child
    process may be started (daemonic processes cannot have children; no fork on this platform)."""
    if mp.current_process().daemon or "fork" not in mp.get_all_start_methods():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    cores = min(cores, limit) if limit else cores
    return cores if cores >= 2 else 0


def _worker_signals() -> None:
    """A worker ends when the pool terminates it, whatever handler the caller installed: a graceful stop
    on SIGTERM (the nightly service's) run inside a worker can raise while the worker holds the pool's
    task-queue lock and leave its sibling waiting on that lock forever. Ctrl-C is the caller's to act on."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(span: tuple[int, int]) -> list[object]:
    assert _job is not None
    return [_job(k) for k in range(*span)]


def chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """[start, stop) spans covering range(n): `parts` per worker-ish, consecutive jobs together (a query's
    candidates share its prepared side), small enough that a slow span does not leave a core idle."""
    size = max(1, -(-n // max(parts, 1)))
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def fork_map(job: Callable[[int], R], n: int, *, workers: int | None = None, min_jobs: int | None = None,
             spans_per_worker: int = 8) -> list[R]:
    """[job(0), ..., job(n - 1)], in forked workers when that pays. `job` may close over anything; load
    lazily loaded state it needs (a tokenizer) before calling, or every worker loads it again."""
    global _job
    procs = worker_count() if workers is None else workers
    if procs < 2 or n < (MIN_JOBS if min_jobs is None else min_jobs):
        return [job(k) for k in range(n)]
    spans = chunks(n, procs * spans_per_worker)
    with _forking:  # one job at a time is handed to forked workers (threads of one process share `_job`)
        _job = job
        # the objects alive now out of the collector's sight: a collection in a worker would otherwise
        # touch every one of them and copy the whole inherited heap, page by page
        gc.freeze()
        try:
            with mp.get_context("fork").Pool(procs, initializer=_worker_signals) as pool:
                parts = pool.map(_run, spans, chunksize=1)
        except OSError as exc:  # no processes to be had (limits): the same work, here
            log.warning("similarity: no worker processes (%s); working serially", exc)
            return [job(k) for k in range(n)]
        finally:
            gc.unfreeze()
            _job = None
    return [r for part in parts for r in part]  # type: ignore[misc]


def shared_array(n: int, dtype: type = np.uint32) -> np.ndarray:
    """A zeroed array in anonymous shared memory: what forked workers write into it, the caller sees.
    Large results come back this way, not pickled through a pipe (hundreds of MB at 10,000 reports
    took longer to send than to compute). Pages never written take no memory."""
    size = max(1, n) * np.dtype(dtype).itemsize
    return np.frombuffer(mmap.mmap(-1, size), dtype=dtype, count=n)
