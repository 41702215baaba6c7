"""Failure injection (as OCRmyPDF does): a run SIGKILLed at three moments, then run again, reports
exactly what an uninterrupted run reports; a store damaged between runs; two intakes at once."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import intake_process, report, run

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
    except sqlite3.Error:
        return 0


MOMENTS: dict[str, Callable[[Path, Path], bool]] = {
    # originals are being archived (before any file is read)
    "registration": lambda home, out: any((home / "archive").rglob("*.*")),
    # some files are read and cached, others not yet
    "extraction": lambda home, out: _count(home / "banzu.sqlite3", "extractions") >= 1,
    # the first report file is being written
    "reports": lambda home, out: any(out.iterdir()),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigkill_then_rerun_gives_the_reports_of_an_uninterrupted_run(
        moment, healthy_inbox, healthy_run, prefect_api, tmp_path):
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    proc = intake_process(healthy_inbox, out, home, prefect_api)
    deadline = time.monotonic() + 600
    while proc.poll() is None and not MOMENTS[moment](home, out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, f"the run ended before the {moment} moment: {proc.stderr.read()[-2000:]}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    again = run(healthy_inbox, out, home, prefect_api)
    assert again.returncode == 0, again.stderr[-3000:]
    for name in ("completeness.json", "statistics.json", "flags.json"):
        assert report(out, name) == report(healthy_run, name), name
    with sqlite3.connect(home / "banzu.sqlite3") as conn:
        statuses = [s for (s,) in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "completed"]


def test_store_damaged_between_runs_stops_with_a_chinese_message(healthy_inbox, healthy_home, prefect_api, tmp_path):
    import shutil

    home = tmp_path / "home"  # a copy of the home an earlier run left
    shutil.copytree(healthy_home, home, ignore=shutil.ignore_patterns("out", "run.lock"))
    db = home / "banzu.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    result = run(healthy_inbox, tmp_path / "out2", home, prefect_api)
    assert result.returncode == 3 and "已损坏" in result.stderr and "Traceback" not in result.stderr


def test_two_intakes_at_once_on_one_home(healthy_inbox, prefect_api, tmp_path):
    home = tmp_path / "home"
    procs = [intake_process(healthy_inbox, tmp_path / f"out{i}", home, prefect_api, BANZU_RUN_LOCK_WAIT="0")
             for i in range(2)]
    results = [(p.wait(timeout=900), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 3]), results  # the second either came after the first or was refused
    if codes == [0, 3]:
        assert any("另一次受理" in err for code, err in results if code == 3)
    with sqlite3.connect(home / "banzu.sqlite3") as conn:
        extracted = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM extractions").fetchone()
    assert extracted[0] == extracted[1]  # nothing was read twice


def test_sigterm_stops_a_run_cleanly(healthy_inbox, prefect_api, tmp_path):
    import psutil

    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    proc = intake_process(healthy_inbox, out, home, prefect_api)
    deadline = time.monotonic() + 600
    while proc.poll() is None and not MOMENTS["extraction"](home, out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)  # stops promptly, not after the rest of the inbox
    assert proc.returncode == 130 and "已被终止" in stderr, stderr[-2000:]
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive  # no reader or OCR process left behind
    with sqlite3.connect(home / "banzu.sqlite3") as conn:
        assert [s for (s,) in conn.execute("SELECT status FROM runs")] == ["interrupted"]
