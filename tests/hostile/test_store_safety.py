"""The store stays whole: one run at a time, damage said in Chinese, backups, fixity, interrupted runs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.main import app
from core.model import InboxFile
from core.settings import Settings
from pipeline.store import Store
from pipeline.store.safety import RunLocked, StoreProblem, acquire_run_lock, release_run_lock, run_lock


def _registered(tmp_path: Path, home: Path, names=("甲协会.pdf", "乙协会.pdf")) -> tuple[Store, Path, list[InboxFile]]:
    """A store with two files registered from an inbox, as an intake leaves it."""
    inbox = tmp_path / "inbox"
    (inbox / "推荐材料").mkdir(parents=True)
    store = Store(Settings(home=home))
    run = store.start_run(2024, str(inbox), str(tmp_path / "out"))
    files, sources = [], {}
    for i, name in enumerate(names):
        data = f"%PDF-1.4 file {i}".encode()
        p = inbox / "推荐材料" / name
        p.write_bytes(data)
        f = InboxFile(path=f"推荐材料/{name}", sha256=hashlib.sha256(data).hexdigest(), size=len(data), role="unit")
        files.append(f)
        sources[f.path] = p
    store.register(files, sources, 2024, run)
    store.finish_run(run, "completed")
    return store, inbox, files


def test_second_run_on_one_home_is_refused_in_chinese(tmp_path):
    fd = acquire_run_lock(tmp_path)
    try:
        started = time.monotonic()
        with pytest.raises(RunLocked) as caught:
            acquire_run_lock(tmp_path, wait=1.0)
        assert time.monotonic() - started >= 1.0 and "另一次受理" in str(caught.value)
    finally:
        release_run_lock(fd)
    with run_lock(tmp_path):  # free again
        pass


def test_a_killed_run_leaves_no_stale_lock(tmp_path):
    code = ("import sys, time; from pipeline.store.safety import acquire_run_lock; "
            f"acquire_run_lock(__import__('pathlib').Path({str(tmp_path)!r})); print('held', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    with pytest.raises(RunLocked):
        acquire_run_lock(tmp_path)
    proc.kill()
    proc.wait()
    with run_lock(tmp_path, wait=5):
        pass


def test_half_truncated_database_says_so_in_chinese(tmp_path):
    home = tmp_path / "home"
    _registered(tmp_path, home)
    db = home / "banzu.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreProblem) as caught:
        Store(Settings(home=home))
    assert "已损坏" in str(caught.value) and "banzu restore" in str(caught.value)


def test_emptied_database_is_not_silently_rebuilt(tmp_path):
    home = tmp_path / "home"
    _registered(tmp_path, home)
    (home / "banzu.sqlite3").write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{home / 'banzu.sqlite3'}{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreProblem) as caught:
        Store(Settings(home=home))
    assert "0 字节" in str(caught.value) and "archive" in str(caught.value)
    Store(Settings(home=tmp_path / "fresh"))  # a new, empty home starts normally


def test_backup_and_restore(tmp_path, monkeypatch):
    home = tmp_path / "home"
    store, _, files = _registered(tmp_path, home)
    monkeypatch.setenv("BANZU_HOME", str(home))
    runner = CliRunner()
    result = runner.invoke(app, ["backup", str(tmp_path / "bak")])
    assert result.exit_code == 0, result.output
    (backup_file,) = (tmp_path / "bak").glob("banzu-*.sqlite3")
    assert len(list((tmp_path / "bak" / "archive").rglob("*.pdf"))) == 2
    store.engine.dispose()
    (home / "banzu.sqlite3").write_bytes(b"garbage" * 100)
    result = runner.invoke(app, ["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    restored = Store(Settings(home=home))
    assert restored.archive_path_of(files[0].sha256).read_bytes() == b"%PDF-1.4 file 0"


def test_verify_finds_and_repairs_altered_and_missing_originals(tmp_path, monkeypatch):
    home = tmp_path / "home"
    store, inbox, files = _registered(tmp_path, home)
    monkeypatch.setenv("BANZU_HOME", str(home))
    runner = CliRunner()
    assert runner.invoke(app, ["verify"]).exit_code == 0
    altered, missing = (store.archive_path_of(f.sha256) for f in files)
    altered.write_bytes(b"changed in place")
    missing.unlink()
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output  # both put back from the inbox, which still has them
    assert "被改动" in result.output and "缺失" in result.output and "已从收件箱补回" in result.output
    assert altered.read_bytes() == b"%PDF-1.4 file 0" and missing.read_bytes() == b"%PDF-1.4 file 1"
    altered.write_bytes(b"changed again")
    os.remove(inbox / "推荐材料" / "甲协会.pdf")
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 1 and "无法补回" in result.output


def test_runs_left_running_are_marked_interrupted(tmp_path):
    store = Store(Settings(home=tmp_path / "home"))
    store.start_run(2024, "inbox", "out")  # a run that was killed: never finished
    assert store.mark_interrupted_runs() == 1 and store.mark_interrupted_runs() == 0
