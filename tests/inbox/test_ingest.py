"""Ingest as one step: every file archived and registered (zip members too), nothing it was given changed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pptx import Presentation

from core.settings import Settings
from pipeline.ingest import ingest
from pipeline.store import Store


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _pptx() -> bytes:
    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_ingest_returns_a_registered_inbox_and_archives_members(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "推荐材料" / "中国安装协会.pdf", b"%PDF-1.4 unit")
    _write(inbox / "班组申报" / "A1-钢筋班组.zip", _zip({"报名表.pdf": b"%PDF-1.4 form", "成果报告.pdf": b"%PDF-1.4 r"}))
    # the bytes decide, not the name: a zip called .dat is unpacked, a pptx called .zip is a document
    _write(inbox / "班组申报" / "A2-测量班组" / "材料包.dat", _zip({"报名表.pdf": b"%PDF-1.4 form2"}))
    _write(inbox / "班组申报" / "A2-测量班组" / "成果报告.zip", _pptx())
    store = Store(Settings(home=tmp_path / "home"))
    run = store.start_run(2024, str(inbox), str(tmp_path / "out"))

    got = ingest(inbox, store, 2024, run, tmp_path / "work")
    files = {f.path: f for f in got.inbox.all_files()}
    assert got.files_seen == got.files_new == len(files) == 7
    assert all(f.archive_path and Path(f.archive_path).is_file() and f.first_seen for f in files.values())
    a2 = {t.team_id: t for t in got.inbox.teams}["A2-测量班组"]
    assert [f.path for f in a2.archives] == ["班组申报/A2-测量班组/材料包.dat"]
    assert sorted(f.path for f in a2.files) == ["班组申报/A2-测量班组/成果报告.zip",
                                                "班组申报/A2-测量班组/材料包.dat/报名表.pdf"]

    again = ingest(inbox, store, 2024, run, tmp_path / "work")
    assert again.files_new == 0
    assert {f.path: f.first_seen for f in again.inbox.all_files()} == {p: f.first_seen for p, f in files.items()}
