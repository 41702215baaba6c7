"""BANZU_DATABASE_URL pointing at a real PostgreSQL server: the same store works there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.model import Document, InboxFile, Page
from core.settings import Settings
from pipeline.store import Store
from tests.pg import PostgresCluster


@pytest.fixture(scope="module")
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    return postgres_cluster.new_database("banzu_store")


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
