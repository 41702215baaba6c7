"""Keeping the store whole: one run at a time, a damaged database said plainly, backups, fixity checks.

- `run_lock`: an exclusive lock file per BANZU_HOME, so two intakes never extract and write at once.
- `check_database`: before anything migrates or writes, a SQLite file is checked (quick_check); a
  damaged or emptied database stops the run with a Chinese message saying how to get out, instead
  of an English traceback or a silent rebuild that would lose earlier years and review decisions.
- `backup` / `restore`: SQLite's online backup API (consistent while a run writes) plus the archive
  of originals; for PostgreSQL the pg_dump command to run.
- `verify_archive`: re-hashes every archived original (fixity, as digital-preservation systems do),
  and puts back missing or altered ones from the inbox when the same bytes are still there.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

LOCK_NAME = "run.lock"
STOP_REQUESTED = threading.Event()  # set by a SIGTERM/SIGINT handler: the run ends as "interrupted"


class StoreProblem(Exception):
    """The store cannot be used as it is; the message (Chinese) says why and what to do."""


class RunLocked(StoreProblem):
    """Another intake holds this BANZU_HOME."""


def acquire_run_lock(home: Path, wait: float = 0.0) -> int:
    """Take the run lock of `home` (waiting up to `wait` seconds for another run); returns its handle.

    The lock is an OS file lock (flock): a killed run releases it at once, nothing stale remains.
    """
    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                holder = _read(path)
                raise RunLocked(
                    f"另一次受理正在使用数据目录 {home}（{holder or '进程信息未知'}），本次未运行。"
                    "请等它结束后再运行；如确认没有其他受理在运行，请检查是否有残留的 banzu 进程。"
                ) from None
            time.sleep(0.5)
    os.ftruncate(fd, 0)
    os.write(fd, f"进程 {os.getpid()}，开始于 {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC".encode())
    return fd


def release_run_lock(fd: int) -> None:
    os.close(fd)  # closing releases the lock


@contextmanager
def run_lock(home: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the run lock of `home` for the block."""
    fd = acquire_run_lock(home, wait)
    try:
        yield
    finally:
        release_run_lock(fd)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def sqlite_path(db_url: str) -> Path | None:
    if not db_url.startswith("sqlite"):
        return None
    raw = db_url.split(":///", 1)[1] if ":///" in db_url else ""
    return Path(raw) if raw and raw != ":memory:" else None


def archive_has_files(home: Path) -> bool:
    archive = home / "archive"
    return archive.is_dir() and any(p.is_file() for p in archive.rglob("*"))


def check_database(db_url: str, home: Path) -> None:
    """Raise StoreProblem when the SQLite database is damaged or was emptied while the archive has data."""
    path = sqlite_path(db_url)
    if path is None or not path.exists():
        if path is not None and archive_has_files(home):
            raise StoreProblem(_lost(path, "不存在"))
        return
    if path.stat().st_size == 0:
        if archive_has_files(home):
            raise StoreProblem(_lost(path, "是空文件（0 字节）"))
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise StoreProblem(_damaged(path, str(error))) from None
    if not result or result[0] != "ok":
        raise StoreProblem(_damaged(path, str(result[0] if result else "")))


def _way_out(path: Path) -> str:
    return (f"恢复方法：用最近的备份恢复（banzu restore 备份文件），或把 {path.name} 移到别处后运行 "
            "banzu verify 查看归档原件；不要删除 archive/ 目录。")


def _damaged(path: Path, detail: str) -> str:
    return f"数据库文件 {path} 已损坏（{detail}），为免丢失历年材料和复核结论，本次未运行。" + _way_out(path)


def _lost(path: Path, what: str) -> str:
    return (f"数据库文件 {path} {what}，但归档目录中已有原件：历年语料、查重结论等记录可能已丢失。"
            "为免在空库上重新开始而丢失这些记录，本次未运行。" + _way_out(path)
            + "如确实要从空库重新开始，请先移走或删除 archive/ 目录。")


# ------------------------------------------------------------------ backup and restore


def backup(db_url: str, home: Path, dest: Path) -> list[str]:
    """Copy the database (online, consistent) and the archive of originals into `dest`.

    Returns what was done, as lines for people. PostgreSQL is not copied here: the line says which
    pg_dump to run.
    """
    dest.mkdir(parents=True, exist_ok=True)
    done = []
    path = sqlite_path(db_url)
    if path is None:
        url = urlparse(db_url.replace("+psycopg", "").replace("+psycopg2", ""))
        done.append(f"数据库是 PostgreSQL，请另行运行：pg_dump --format=custom --file={dest / 'banzu.pgdump'} "
                    f"--host={url.hostname or 'localhost'} --port={url.port or 5432} "
                    f"--username={url.username or 'banzu'} {url.path.lstrip('/') or 'banzu'}")
    else:
        check_database(db_url, home)
        target = dest / f"banzu-{datetime.now(UTC):%Y%m%d-%H%M%S}.sqlite3"
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        out = sqlite3.connect(target)
        try:
            src.backup(out)
        finally:
            out.close()
            src.close()
        done.append(f"数据库已备份到 {target}")
    copied = _copy_tree(home / "archive", dest / "archive")
    done.append(f"归档原件已备份到 {dest / 'archive'}（新复制 {copied} 个文件）")
    return done


def _copy_tree(src: Path, dest: Path) -> int:
    """Copy the files of `src` missing in `dest` (archive files never change: their name is their hash)."""
    copied = 0
    if not src.is_dir():
        return 0
    for p in src.rglob("*"):
        if p.is_file() and not p.name.startswith(".incoming-"):
            target = dest / p.relative_to(src)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(p, target)
                copied += 1
    return copied


def restore(db_url: str, home: Path, backup_file: Path) -> list[str]:
    """Put a backed-up SQLite database back (the current one is kept aside), and missing archive files."""
    path = sqlite_path(db_url)
    if path is None:
        raise StoreProblem("数据库是 PostgreSQL：请用 pg_restore 恢复 pg_dump 的备份。")
    try:
        check_database(f"sqlite:///{backup_file}", backup_file.parent)
        if backup_file.stat().st_size == 0:
            raise StoreProblem(f"备份文件 {backup_file} 是空文件，不能用于恢复。")
    except StoreProblem as error:
        raise StoreProblem(f"备份文件不可用：{error}") from None
    done = []
    with run_lock(home):
        if path.exists():
            aside = path.with_name(f"{path.name}.replaced-{datetime.now(UTC):%Y%m%d-%H%M%S}")
            os.replace(path, aside)
            done.append(f"原数据库已移到 {aside}")
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copy2(backup_file, path)
        done.append(f"已从 {backup_file} 恢复数据库")
        copied = _copy_tree(backup_file.parent / "archive", home / "archive")
        if copied:
            done.append(f"从备份补回归档原件 {copied} 个")
    return done


# ------------------------------------------------------------------ fixity


@dataclass
class VerifyResult:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # archive paths (relative to home)
    altered: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not (set(self.missing) | set(self.altered)) - set(self.restored)
