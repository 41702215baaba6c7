"""The store: migrations, archive of originals, extraction cache, team reports, stable flags."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import inspect

from core.model import Document, Flag, FlagSide, InboxFile, Page
from core.settings import Settings
from pipeline.store import Store, review

OFFICER = review.Actor("纪检甲", "discipline", "cli")


def _file(tmp: Path, name: str, data: bytes) -> tuple[InboxFile, Path]:
    p = tmp / name
    p.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    return InboxFile(path=f"推荐材料/{name}", sha256=sha, size=len(data), role="unit", group=p.stem), p


def test_schema_is_migrated_and_idempotent(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    Store(settings)
    store = Store(settings)  # a second start must find the schema at head
    tables = set(inspect(store.engine).get_table_names())
    assert {"files", "sightings", "extractions", "runs", "team_reports", "flags", "alembic_version"} <= tables


def test_register_archives_bytes_before_anything_and_keeps_first_seen(tmp_path: Path) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    f, src = _file(tmp_path, "江苏省建筑行业协会.pdf", b"%PDF-1.7 fake bundle bytes")
    run = store.start_run(2024, str(tmp_path), str(tmp_path / "out"))
    before = f.model_copy()
    registered = store.register_files([f], {f.path: src}, 2024, run)
    assert registered.new == 1 and f == before  # the given record is left alone
    (f,) = registered.files
    archived = Path(f.archive_path)
    assert archived.read_bytes() == src.read_bytes()
    assert archived.name.startswith(f.sha256) and archived.suffix == ".pdf"
    first = f.first_seen
    src.unlink()  # the inbox may lose the file: the archive keeps it
    again = store.register_files([before], {f.path: src}, 2024, run)
    assert again.new == 0 and store.register([before], {f.path: src}, 2024, run) == 0
    (f2,) = again.files
    assert f2.first_seen == first
    assert Path(f2.archive_path).exists()


def test_extraction_cache_is_keyed_by_sha_and_version(tmp_path: Path) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    f, src = _file(tmp_path, "a.pdf", b"%PDF-1.7 a")
    store.register([f], {f.path: src}, 2024, store.start_run(2024, "x", "y"))
    doc = Document(
        path=f.path, format="pdf", extractor_version="v1", pages=[Page(page=1, source="ocr", text="关于推荐")]
    )
    store.save_document(f.sha256, doc, 1.5)
    assert store.cached_document(f.sha256, "v1") == doc
    assert store.cached_document(f.sha256, "v2") is None
    assert store.latest_document(f.sha256) == doc


def test_flag_ids_keep_decisions_across_runs(tmp_path: Path) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    flag = Flag(
        a=FlagSide(year=2024, team_id="A1", file="a.pdf"),
        b=FlagSide(year=2023, team_id="B1", file="b.pdf"),
        kind="cross_team",
        similarity=0.8,
        copy_ratio_a=0.5,
        copy_ratio_b=0.4,
        flag_id="f-123",
    )
    store.save_flags(2024, [flag])
    assert review.decide_flag(store, 2024, "f-123", "confirmed", "逐段核对属实", OFFICER)
    store.save_flags(2024, [flag.model_copy(update={"similarity": 0.82})])
    (row,) = store.flag_records(2024)
    assert (row.decision, row.similarity, row.active) == ("confirmed", 0.82, True)
    store.save_flags(2024, [])
    assert store.flag_records(2024) == []
    assert store.flag_records(2024, active_only=False)[0].decision == "confirmed"
    assert review.decide_flag(store, 2024, "nope", "dismissed", "无此标记", OFFICER) is None
