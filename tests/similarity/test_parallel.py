"""Work spread over forked workers gives what the serial loop gives, in order, and falls back to the serial
loop where no child process may start (a daemonic Dask worker)."""

from __future__ import annotations

import multiprocessing as mp
import random

import numpy as np
import pytest

from checks.similarity import find_flags, index, parallel, scoring
from checks.similarity.index import corpus_index
from checks.similarity.scoring import candidates
from core.model import Flag
from pipeline.samples.plagiarism import Corpus
from pipeline.samples.report_text import make_report


def test_fork_map_matches_the_serial_loop_in_order() -> None:
    table = {k: np.arange(k) for k in range(50)}  # closed over, never pickled: workers inherit it
    got = parallel.fork_map(lambda k: (k, int(table[k].sum()), {"pid": 0}), 50, workers=2, min_jobs=0)
    assert got == [(k, k * (k - 1) // 2, {"pid": 0}) for k in range(50)]


def test_workers_die_when_terminated_whatever_handler_the_caller_installed() -> None:
    """The service stops gracefully on SIGTERM; inherited by a worker, that handler can raise while the
    worker holds the pool's queue lock and its sibling then waits on it for ever (seen as a hung test run)."""
    import signal

    before = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        got = parallel.fork_map(lambda _k: (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)),
                                20, workers=2, min_jobs=0)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert set(got) == {(signal.SIG_DFL, signal.SIG_IGN)}


def test_fork_map_uses_worker_processes() -> None:
    import os

    pids = set(parallel.fork_map(lambda _k: os.getpid(), 40, workers=2, min_jobs=0))
    assert os.getpid() not in pids and len(pids) >= 1


def test_fork_map_raises_what_a_job_raises() -> None:
    def job(k: int) -> int:
        if k == 7:
            raise ValueError("job 7")
        return k

    with pytest.raises(ValueError, match="job 7"):
        parallel.fork_map(job, 20, workers=2, min_jobs=0)


def test_small_work_stays_serial() -> None:
    import os

    assert set(parallel.fork_map(lambda _k: os.getpid(), 5, workers=2)) == {os.getpid()}


def _in_daemon(out: mp.Queue) -> None:
    import os

    out.put((parallel.worker_count(), set(parallel.fork_map(lambda _k: os.getpid(), 300)) == {os.getpid()}))


def test_daemonic_process_works_serially() -> None:
    out: mp.Queue = mp.get_context("fork").Queue()
    p = mp.get_context("fork").Process(target=_in_daemon, args=(out,), daemon=True)
    p.start()
    count, serial = out.get(timeout=60)
    p.join(timeout=60)
    assert count == 0 and serial


def test_index_hashed_in_workers_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    pages = [make_report(rng, team="钢筋班组", company=f"公司{i}", year=2024) for i in range(24)]
    pages[3], pages[7] = [""], ["，。、 \n", "𠀀𠀁𠀂𠀃𠀄𠀅 钢筋班组"]  # nothing to hash; astral characters
    labels = [f"2024|T{i // 2}" for i in range(24)]
    serial = corpus_index(pages, labels, None)
    for text, (seed, passage) in zip(pages, serial[0], strict=True):  # each text its own n-grams, packed
        want = index.report_ngrams(text)
        assert np.array_equal(seed, want[0]) and np.array_equal(passage, want[1])
    monkeypatch.setattr(index, "_PACK", 5)
    monkeypatch.setattr(index, "_PARALLEL_TEXTS", 10)
    monkeypatch.setattr(parallel, "worker_count", lambda limit=None: 2)
    forked = corpus_index(pages, labels, None)
    for (a1, b1), (a2, b2) in zip(serial[0], forked[0], strict=True):
        assert np.array_equal(a1, a2) and np.array_equal(b1, b2)
    for t1, t2 in zip(serial[1:], forked[1:], strict=True):
        assert np.array_equal(t1.hashes, t2.hashes) and np.array_equal(t1.counts, t2.counts)


def test_all_pairs_scored_in_workers_equal_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full rebuild's scoring cut into runs of blocks, each run's best candidates gathered apart and
    merged, finds what one pass over the blocks finds: the same candidates, cosines and runners-up."""
    rng = random.Random(8)
    pages = [make_report(rng, team="钢筋班组", company=f"公司{i}", year=2024) for i in range(40)]
    pages += [p[:4] + pages[k][4:] for k, p in enumerate(pages[:6])]  # some copies, so that some pairs stand out
    labels = [f"2024|T{i}" for i in range(len(pages))]
    both, df, _ = corpus_index(pages, labels, None)
    grams, queries = [g for g, _ in both], list(range(len(pages)))

    def run() -> tuple[list[tuple[int, int, float]], dict[int, float]]:
        runner_up: dict[int, float] = {}
        found = candidates(grams, list(range(len(pages))), queries, df, cand_df=3, top_k=5, min_score=0.05,
                           runner_up=runner_up)
        return found, runner_up

    monkeypatch.setattr(parallel, "worker_count", lambda limit=None: 0)
    serial = run()
    monkeypatch.setattr(parallel, "worker_count", lambda limit=None: 2)
    monkeypatch.setattr(scoring, "_BLOCK_CELLS", 40)  # a block of one or two rows: dozens of blocks, 16 runs
    forked = run()
    assert serial[0] and forked == serial


def test_flags_found_in_workers_equal_serial(corpus: Corpus, flags: list[Flag], monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    monkeypatch.setattr(parallel, "worker_count", lambda limit=None: 2)
    forked = find_flags(corpus.reports(), corpus.year)
    assert flags and [f.model_dump() for f in forked] == [f.model_dump() for f in flags]
