"""A whole intake over a healthy inbox, then over the same inbox with the hostile corpus beside it.

    nice .venv/bin/python benchmarks/hostile.py [--profile small] [--seed 16]

Each run is the real `banzu intake` in a fresh BANZU_HOME, as a clerk runs it by hand: without
PREFECT_API_URL, so Prefect's temporary API server runs as its child and is counted. Reported: wall
time of each run, their ratio (target < 2), the exit codes, how many corpus kinds got their expected
finding, and memory (benchmarks/proctree.py): `peak_mb` is the peak over time of the summed PSS of
the whole process tree (the intake, the temporary server, the reader child, LibreOffice; target
< 2048), so pages shared between processes count once; beside it the summed RSS (which counts shared
pages once per process) and USS, the same peak without the temporary server (the nightly service
uses a persistent server outside the run), each role's own peak and the file being read at the peak.
`--timeline DIR` writes each run's memory per role over time as CSV.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.proctree import MB, TreePeaks, watch, write_timeline  # noqa: E402
from pipeline.samples import generate_inbox  # noqa: E402
from pipeline.samples.hostile import KINDS, write_hostile  # noqa: E402
from pipeline.samples.hostile_check import check_run  # noqa: E402

BIN = Path(sys.executable).parent


def names_by_sha(inbox: Path) -> dict[str, str]:
    """Inbox path of each regular file by its sha256 (the archive names files by their hash)."""
    names: dict[str, str] = {}
    for path in inbox.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                with path.open("rb") as fh:
                    names[hashlib.file_digest(fh, "sha256").hexdigest()] = str(path.relative_to(inbox))
        except OSError:
            continue
    return names


def _name_documents(peaks: TreePeaks, inbox: Path) -> None:
    names = names_by_sha(inbox)
    peaks.reading_at_peak = [names.get(Path(f).name.split(".")[0], f) for f in peaks.reading_at_peak]
    for sample in peaks.timeline:
        sample.reading = [names.get(Path(f).name.split(".")[0], f) for f in sample.reading]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_intake(inbox: Path, out: Path, home: Path) -> tuple[int, float, float, TreePeaks]:
    """(exit code, wall seconds, CPU seconds, memory peaks of its process tree) of one `banzu intake`.

    CPU seconds are the user + system time of the intake and every child it waited for (the reader,
    the temporary server, LibreOffice): on a shared machine they move far less with the load than
    the wall time does (the same scanned file took 47 s in one run and 93 s in the next)."""
    env = {**os.environ, "BANZU_HOME": str(home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("BANZU_DATABASE_URL", None)
    started, cpu = time.perf_counter(), _children_cpu()
    popen = subprocess.Popen([str(BIN / "banzu"), "intake", str(inbox), "--year", "2024", "--out", str(out),
                              "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = watch(popen)
    _name_documents(peaks, inbox)
    return popen.returncode, time.perf_counter() - started, _children_cpu() - cpu, peaks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="small")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--timeline", type=Path, help="write each run's memory per process over time (CSV) here")
    parser.add_argument("--hostile-only", action="store_true", help="skip the healthy run (while iterating)")
    parser.add_argument("--kinds-table", type=Path, help="write each kind's finding (code, message) as Markdown here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="banzu-hostile-") as tmp:
        tmp = Path(tmp)
        healthy, hostile = tmp / "healthy" / "inbox", tmp / "hostile" / "inbox"
        generate_inbox(healthy, year=2024, seed=args.seed, profile=args.profile)
        generate_inbox(hostile, year=2024, seed=args.seed, profile=args.profile)
        write_hostile(hostile)
        code_h, secs_h, cpu_h, peak_h = (run_intake(healthy, tmp / "out-healthy", tmp / "home-healthy")
                                         if not args.hostile_only else (0, 0.0, 0.0, TreePeaks()))
        code_x, secs_x, cpu_x, peak_x = run_intake(hostile, tmp / "out-hostile", tmp / "home-hostile")
        wrong = check_run(KINDS, tmp / "out-hostile") if code_x == 0 else ["run failed"]
        result = {
            "profile": args.profile,
            "kinds": len(KINDS),
            "kinds_as_expected": len(KINDS) - len(wrong),
            "wrong": wrong,
            "healthy": {"exit": code_h, "seconds": round(secs_h, 1), "cpu_seconds": round(cpu_h, 1), "peak_mb": round(peak_h.peak["pss"] / MB),
                        "memory": peak_h.as_mb()},
            "hostile": {"exit": code_x, "seconds": round(secs_x, 1), "cpu_seconds": round(cpu_x, 1), "peak_mb": round(peak_x.peak["pss"] / MB),
                        "memory": peak_x.as_mb()},
            "time_ratio": round(secs_x / secs_h, 2) if secs_h else None,
            "cpu_ratio": round(cpu_x / cpu_h, 2) if cpu_h else None,
            "targets": {"time_ratio": "< 2", "peak_mb": "< 2048 (peak of the tree's summed PSS)"},
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        if args.timeline:
            args.timeline.mkdir(parents=True, exist_ok=True)
            write_timeline(peak_h, args.timeline / "healthy.csv")
            write_timeline(peak_x, args.timeline / "hostile.csv")
        if args.kinds_table and code_x == 0:
            args.kinds_table.write_text(kinds_table(tmp / "out-hostile"), encoding="utf-8")


def kinds_table(out: Path) -> str:
    """One Markdown row per kind: what it is, the code found and the Chinese message the clerk reads."""
    from pipeline.samples.hostile_check import problems_by_path

    found = problems_by_path(json.loads((out / "completeness.json").read_text(encoding="utf-8")))
    rows = ["| kind | what | code | message |", "|---|---|---|---|"]
    for k in KINDS:
        problems = found.get(k.path, [])
        hit = next((p for p in problems if p["code"] == k.code), None) if k.code else None
        code = k.code or "—（正常读取）"
        message = hit["message"] if hit else "；".join(
            p["message"] for p in problems if p["code"] not in ("late_submission",)) or "（无问题）"
        rows.append(f"| {k.key} | {k.what} | {code} | {message.replace('|', '｜')} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
