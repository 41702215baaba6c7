"""Plagiarism at scale: the nightly intake's similarity step on 10,000 teams of two files each (a full
rebuild, then 100 new teams against the archive with the state warm), beside the naive TF-IDF baseline;
wall and CPU time, the load average meanwhile and each phase's own peak memory.

    .venv/bin/python benchmarks/plagiarism.py --scale [--quick] [--n N] [--new M]
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks.similarity import find_flags  # noqa: E402
from core.model import ReportText  # noqa: E402
from pipeline.samples.report_text import make_report, make_slides  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and its children: on a shared machine wall time says little alone."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc (Linux: VmHWM the peak since `_reset_peak`, VmRSS now)."""
    try:
        line = next(ln for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith(field + ":"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return None


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _pss_mb(pid: int) -> float:
    """Proportional set size of a process: its private pages plus its share of pages it shares (forked
    workers share the parent's memory copy-on-write; adding up their RSS would count it twice)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return sum(int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Pss:")) / 1024
    except (OSError, ValueError):
        return 0.0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


class _MemorySampler(threading.Thread):
    """The largest memory this process and its worker processes held together (PSS summed), sampled
    four times a second while it has workers: the figure that has to fit the machine when the check
    forks them. Without workers the process's own peak (VmHWM, exact) is the figure, and nothing is
    sampled: reading PSS walks the page tables, and its CPU would be counted as the check's."""

    def __init__(self, every: float = 0.25):
        super().__init__(daemon=True)
        self.every, self.peak, self.workers_seen = every, 0.0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            kids = _children(me)
            if kids:
                self.workers_seen = max(self.workers_seen, len(kids))
                self.peak = max(self.peak, _pss_mb(me) + sum(_pss_mb(k) for k in kids))
            self._stop_event.wait(self.every)

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak


class _Timed:
    """Wall and CPU seconds of a block (worker processes' CPU included), the load average the machine had
    meanwhile, and the block's own peak memory: this process's (the peak since the block began, where
    Linux can reset it) and, sampled, this process's with its workers' together."""

    def __enter__(self) -> _Timed:
        _reset_peak()
        self.before = _status_mb("VmRSS") or 0.0  # what the process held already (texts, earlier phases)
        self.sampler = _MemorySampler()
        self.sampler.start()
        self.wall, self.cpu, self.load = time.perf_counter(), _cpu(), os.getloadavg()[0]
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu
        self.load = max(self.load, os.getloadavg()[0])
        self.peak = _status_mb("VmHWM") or _rss_mb()
        self.total = max(self.sampler.stop(), self.peak)

    def __str__(self) -> str:
        workers = f", {self.sampler.workers_seen} workers" if self.sampler.workers_seen else ""
        return (f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU (load average up to {self.load:.1f}), "
                f"peak RSS {self.peak:.0f} MB ({self.before:.0f} MB held at its start), with its worker "
                f"processes peak {self.total:.0f} MB{workers} (PSS summed, sampled)")


def _team_files(r: ReportText) -> list[ReportText]:
    """A team's two files: the report (PDF) and its slides (PPT), as teams hand them in."""
    slides = r.model_copy(update={"file": r.file.replace(".pdf", ".pptx"), "sha256": r.sha256 + "-ppt",
                                  "kind": "report_ppt", "pages": make_slides(list(r.pages))})
    return [r, slides]


def scale(n: int, new: int, baseline_n: int = 2000) -> None:
    """The nightly intake's plagiarism step at scale: `find_flags` as the intake calls it (candidates,
    alignment, paraphrase pass, evidence), on `n` teams of two files each."""
    rng = random.Random(7)
    t = time.perf_counter()
    year = 2024
    reports = []
    for i in range(n):
        team = f"{rng.choice(['钢筋', '混凝土', '测量', '防水', '幕墙', '机电安装', '隧道', '桥梁', '钢结构', '装饰', '模板'])}班组"
        pages = make_report(rng, team=team, company=f"公司{i}", year=year - 1)
        reports += _team_files(ReportText(year=year - 1, team_id=f"S{i:05d}", team=team, company=f"公司{i}",
                                          file=f"S{i:05d}/成果报告.pdf", sha256=f"s{i}", pages=pages))
    pdf_chars = sum(len(p) for r in reports[::2] for p in r.pages) / n
    ppt_chars = sum(len(p) for r in reports[1::2] for p in r.pages) / n
    print(f"generated {n} teams x 2 files ({len(reports)} texts; report {pdf_chars:.0f} characters, slides "
          f"{ppt_chars:.0f} on average) in {time.perf_counter() - t:.1f} s (RSS so far {_rss_mb():.0f} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "similarity"
        full = [r.model_copy(update={"year": year}) for r in reports]
        with _Timed() as took:
            flags = find_flags(full, year, state_dir=state)
        print(f"full rebuild, no state: {n} teams all against all: {took}, {len(flags)} flags")
        # the archive: the same reports as last year's, state warm; then `new` teams of this year
        find_flags(reports + [reports[0].model_copy(update={"year": year, "team_id": "warm"})], year, state_dir=state)
        fresh = []
        for i in range(new):
            pages = make_report(rng, team="钢筋班组", company=f"新公司{i}", year=year)
            if i % 10 == 0:  # some copy an archived report
                pages = pages[:3] + reports[2 * rng.randrange(n)].pages[3:]
            fresh += _team_files(ReportText(year=year, team_id=f"N{i:04d}", team="钢筋班组", company=f"新公司{i}",
                                            file=f"N{i:04d}/成果报告.pdf", sha256=f"n{i}", pages=pages))
        with _Timed() as took:
            flags = find_flags(reports + fresh, year, state_dir=state)
        print(f"nightly: {new} new teams against {n} archived, state warm: {took}, {len(flags)} flags "
              f"(expected >= {len(range(0, new, 10))})")
    m = min(n, baseline_n)  # the naive method is quadratic: measured on the first m teams' reports
    with _Timed() as base:
        pairs = scale_baseline(["\n".join(r.pages) for r in reports[: 2 * m : 2]], threshold=0.5)
    with _Timed() as ours:
        find_flags([r.model_copy(update={"year": year}) for r in reports[: 2 * m]], year)
    print(f"naive TF-IDF baseline (char 1-3-grams, all pairs in blocks, cosine >= 0.5) on the first {m} teams' "
          f"reports alone: {base} ({pairs} pairs over the threshold); banzu on the same {m} teams, both files, "
          f"no state: {ours}")


def scale_baseline(docs: list[str], threshold: float, block: int = 500) -> int:
    """The naive method at scale: TF-IDF over character 1-3-grams, every pair's cosine in row blocks."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32).fit_transform(docs)
    xt = x.T.tocsc()
    found = 0
    for start in range(0, x.shape[0], block):
        sim = (x[start : start + block] @ xt).toarray()
        found += int((np.triu(sim >= threshold, k=start + 1)).sum())
    return found
