"""BANZU_DATABASE_URL pointing at a real PostgreSQL server: the same store works there."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.model import Document, InboxFile, Page
from core.settings import Settings
from pipeline.store import Store


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL cluster listening on a Unix socket only (no network)."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="banzu-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if run_as:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            *run_as,
            str(bindir / "postgres"),
            "-D",
            str(data),
            "-k",
            str(sock),
            "-c",
            "listen_addresses=",
            "-p",
            "54329",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if (sock / ".s.PGSQL.54329").exists():
                break
            time.sleep(0.1)
        subprocess.run(
            [*run_as, str(bindir / "createdb"), "-h", str(sock), "-p", "54329", "-U", "postgres", "banzu"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@/banzu?host={sock}&port=54329"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


def test_store_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    store = Store(Settings(home=tmp_path / "home", database_url=postgres_url))
    Store(Settings(home=tmp_path / "home", database_url=postgres_url))  # migrations are idempotent
    data = "关于推荐2024年工程建设质量信得过班组的函".encode()
    src = tmp_path / "中国安装协会.pdf"
    src.write_bytes(data)
    f = InboxFile(
        path="推荐材料/中国安装协会.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data), role="unit"
    )
    run = store.start_run(2024, str(tmp_path), str(tmp_path))
    assert store.register([f], {f.path: src}, 2024, run) == 1
    doc = Document(
        path=f.path, format="pdf", extractor_version="v1", pages=[Page(page=1, source="ocr", text="推荐函")]
    )
    store.save_document(f.sha256, doc, 0.1)
    assert store.cached_document(f.sha256, "v1") == doc
    store.replace_team_reports(
        2024,
        [
            dict(
                team_id="A1",
                team="钢筋班组",
                company="中建",
                kind="report_pdf",
                inbox_path="班组申报/A1/成果报告.pdf",
                sha256=f.sha256,
            )
        ],
    )
    assert [r.team for r in store.team_reports(2024)] == ["钢筋班组"]
    store.finish_run(run, "completed", {"files": 1})


def test_review_trail_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """Decisions and the audit trail work there too, and the database refuses edits of the trail."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from core.model import Flag, FlagSide
    from pipeline.store import review

    store = Store(Settings(home=tmp_path / "home", database_url=postgres_url))
    officer = review.Actor("赵纪", "discipline", "cli")
    flag = Flag(
        a=FlagSide(year=2024, team_id="A1", file="a.pdf"),
        b=FlagSide(year=2024, team_id="A2", file="b.pdf"),
        kind="cross_team",
        similarity=0.9,
        copy_ratio_a=0.6,
        copy_ratio_b=0.5,
        flag_id="pg-1",
    )
    store.save_flags(2024, [flag])
    review.decide_flag(store, 2024, "pg-1", "confirmed", "两队报告雷同", officer)
    review.decide_team(store, 2024, "A3", "failed", "缺少成果报告", review.Actor("王审", "reviewer"))
    assert review.disqualified_teams(store, 2024) == {"A1": ["pg-1"], "A2": ["pg-1"]}
    assert [e.action for e in review.audit_entries(store, "team", "A2")] == ["decide_flag"]
    for sql in ("UPDATE audit_entries SET actor = 'x'", "DELETE FROM audit_subjects", "TRUNCATE audit_entries CASCADE"):
        with pytest.raises(DBAPIError, match="只能追加"), store.engine.begin() as conn:
            conn.execute(text(sql))
    assert len(review.audit_entries(store)) == 2
