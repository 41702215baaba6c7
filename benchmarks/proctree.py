"""Memory of a process tree over time, per role, counted honestly.

Summing RSS over a tree counts every shared page (Python's and onnxruntime's libraries, pages a spawned
child shares with nobody but the page cache) once per process that maps it, so it overstates what the
tree costs the machine. PSS (proportional set size, /proc/PID/smaps_rollup) charges each shared page
to its sharers in shares, so the PSS of a tree's processes adds up to what the tree really holds; USS
(private pages only) is the lower bound: what killing that process alone would give back.

Roles come from the tree's shape and command lines: the command itself (`main`), Prefect's temporary
API server (uvicorn), a reader child of the main process (`reader`, spawned by extractors/deadline.py),
OCR workers below a reader (`ocr-worker`), multiprocessing's resource tracker, LibreOffice, others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

MB = 2**20


def smaps_rollup(pid: int) -> dict[str, int]:
    """Rss, Pss, Private_* … of one process in bytes (empty when it is gone or not readable)."""
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return out
    for line in text.splitlines()[1:]:
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[-1] == "kB":
            out[key.strip()] = int(parts[0]) * 1024
    return out


def role(proc: psutil.Process, root: psutil.Process) -> str:
    try:
        cmd = " ".join(proc.cmdline())
        parent = proc.ppid()
    except psutil.Error:
        return "gone"
    if proc.pid == root.pid:
        return "main"
    if "uvicorn" in cmd or "prefect.server" in cmd:
        return "prefect-server"
    if "resource_tracker" in cmd:
        return "resource-tracker"
    if "soffice" in cmd:
        return "libreoffice"
    if "spawn_main" in cmd or "forkserver" in cmd:
        return "reader" if parent == root.pid else "ocr-worker"
    return "other"


@dataclass
class TreeSample:
    at: float
    by_role: dict[str, dict[str, int]]  # role -> {"rss", "pss", "uss", "n"} summed over its processes
    reading: list[str] = field(default_factory=list)  # documents the reader child has open

    def total(self, key: str) -> int:
        return sum(v[key] for v in self.by_role.values())


def sample_tree(root: psutil.Process) -> TreeSample:
    by_role: dict[str, dict[str, int]] = {}
    reading: list[str] = []
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        procs = []
    for p in procs:
        name = role(p, root)  # before its memory: a process that ends in between is then skipped
        m = smaps_rollup(p.pid)
        if not m or name == "gone":
            continue
        r = by_role.setdefault(name, {"rss": 0, "pss": 0, "uss": 0, "n": 0})
        r["rss"] += m.get("Rss", 0)
        r["pss"] += m.get("Pss", 0)
        r["uss"] += m.get("Private_Clean", 0) + m.get("Private_Dirty", 0)
        r["n"] += 1
        if name == "reader":
            reading += _open_documents(p)
    return TreeSample(time.monotonic(), by_role, reading)


def _open_documents(proc: psutil.Process) -> list[str]:
    """What a reader is reading: its open files that are not libraries, models or pipes."""
    try:
        files = proc.open_files()
    except psutil.Error:
        return []
    skip = ("/site-packages/", "/usr/lib", "/usr/share", "/proc/", "/dev/", "/lib/", "/.pyenv/", "/.cache/")
    return [f.path for f in files if not any(s in f.path for s in skip)]


@dataclass
class TreePeaks:
    """Peaks of one run: of the whole tree (each measure on its own) and of each role."""

    samples: int = 0
    peak: dict[str, int] = field(default_factory=lambda: {"rss": 0, "pss": 0, "uss": 0})
    peak_without: dict[str, int] = field(default_factory=lambda: {"rss": 0, "pss": 0, "uss": 0})
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    excluded: str = "prefect-server"
    reading_at_peak: list[str] = field(default_factory=list)  # what the reader had open at the PSS peak
    timeline: list[TreeSample] = field(default_factory=list)

    def add(self, s: TreeSample) -> None:
        self.samples += 1
        self.timeline.append(s)
        if s.total("pss") > self.peak["pss"]:
            self.reading_at_peak = [Path(f).name for f in s.reading]
        for key in ("rss", "pss", "uss"):
            total = s.total(key)
            self.peak[key] = max(self.peak[key], total)
            other = total - s.by_role.get(self.excluded, {}).get(key, 0)
            self.peak_without[key] = max(self.peak_without[key], other)
        for name, v in s.by_role.items():
            r = self.roles.setdefault(name, {"rss": 0, "pss": 0, "uss": 0, "n": 0})
            for key in ("rss", "pss", "uss", "n"):
                r[key] = max(r[key], v[key])

    def as_mb(self) -> dict:
        def mb(d: dict[str, int]) -> dict[str, int]:
            return {k: (v if k == "n" else round(v / MB)) for k, v in d.items()}

        return {
            "samples": self.samples,
            "tree_peak_mb": mb(self.peak),
            f"tree_peak_without_{self.excluded}_mb": mb(self.peak_without),
            "per_role_peak_mb": {k: mb(v) for k, v in sorted(self.roles.items())},
            "reader_was_reading_at_peak": self.reading_at_peak,
        }


def write_timeline(peaks: TreePeaks, path: Path) -> None:
    """One CSV row per sample: seconds since the start, then PSS in MB of each role and the total."""
    roles = sorted({r for s in peaks.timeline for r in s.by_role})
    start = peaks.timeline[0].at if peaks.timeline else 0.0
    rows = [",".join(["seconds", *(f"{r}_pss_mb" for r in roles), "total_pss_mb", "reading"])]
    for s in peaks.timeline:
        cells = [f"{s.at - start:.1f}", *(str(round(s.by_role.get(r, {}).get("pss", 0) / MB)) for r in roles),
                 str(round(s.total("pss") / MB)), ";".join(Path(f).name for f in s.reading)]
        rows.append(",".join(cells))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def watch(popen, interval: float = 0.25) -> TreePeaks:
    """Sample the tree of a running `subprocess.Popen` until it exits."""
    root = psutil.Process(popen.pid)
    peaks = TreePeaks()
    while popen.poll() is None:
        peaks.add(sample_tree(root))
        time.sleep(interval)
    return peaks
