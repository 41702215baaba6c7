"""BANZU_DATABASE_URL pointing at a real PostgreSQL server: the same store works there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.model import Document, InboxFile, Page
from core.settings import Settings
from pipeline.store import Store
from tests.conftest import PostgresCluster


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
