"""Inbox discovery: roles, team folders and zips, strays, duplicates; the inbox is never modified."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from pipeline.inbox import discover, map_files, unpack_team_archives
from pipeline.store.archive import sha256_of


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


class _GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _gbk_zip(path: Path, members: dict[str, bytes]) -> None:
    """A zip as Chinese Windows writes it: GBK names, no UTF-8 flag."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(_GbkInfo(name), data)


def _snapshot(root: Path) -> dict[str, tuple[float, str]]:
    return {str(p): (p.stat().st_mtime, sha256_of(p)[0]) for p in root.rglob("*") if p.is_file()}


def test_discover_sorts_roles_and_unpacks_gbk_zip(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "推荐材料" / "江苏省建筑行业协会推荐材料.pdf", b"%PDF-1.4 unit")
    _write(inbox / "推荐材料" / "说明.txt", "请查收".encode())
    _write(inbox / "班组申报" / "A0001-钢筋班组" / "报名表.pdf", b"%PDF-1.4 form")
    _write(inbox / "班组申报" / "A0001-钢筋班组" / ".DS_Store", b"junk")
    (inbox / "班组申报").mkdir(exist_ok=True)
    _gbk_zip(inbox / "班组申报" / "A0002-测量班组.zip", {"A0002/报名表.pdf": b"%PDF-1.4 f2", "A0002/成果报告.pdf": b"%PDF-1.4 r2"})
    _write(inbox / "readme.md", b"stray")
    os.utime(inbox / "推荐材料" / "江苏省建筑行业协会推荐材料.pdf", (1716800000, 1716800000))
    before = _snapshot(inbox)

    found, sources = discover(inbox)
    assert [u.group for u in found.units] == ["江苏省建筑行业协会推荐材料"]
    assert found.units[0].received_at.timestamp() == 1716800000
    assert sorted(f.path for f in found.other) == ["readme.md", "推荐材料/说明.txt"]
    teams = {t.team_id: t for t in found.teams}
    assert [f.path for f in teams["A0001-钢筋班组"].files] == ["班组申报/A0001-钢筋班组/报名表.pdf"]
    zipped = teams["A0002-测量班组"]
    assert zipped.files == [] and [a.path for a in zipped.archives] == ["班组申报/A0002-测量班组.zip"]

    # ingest archives before unpacking; here the inbox copy stands in for the archived one
    placed = map_files(found, lambda f: f.model_copy(update={"archive_path": str(sources[f.path])}))
    untouched = placed.model_copy(deep=True)
    unpacked, members = unpack_team_archives(placed, tmp_path / "work")
    assert placed == untouched  # a new inbox comes back; the given one is left alone
    zipped = {t.team_id: t for t in unpacked.teams}["A0002-测量班组"]
    assert sorted(f.path for f in zipped.files) == [
        "班组申报/A0002-测量班组.zip/A0002/成果报告.pdf",
        "班组申报/A0002-测量班组.zip/A0002/报名表.pdf",
    ]
    assert all(members[f.path].read_bytes().startswith(b"%PDF") for f in zipped.files)
    assert all(f.received_at == zipped.archives[0].received_at for f in zipped.files)
    assert _snapshot(inbox) == before  # nothing in the inbox was touched


def test_same_bytes_twice_is_a_duplicate_but_empty_files_are_not(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "推荐材料" / "中国安装协会.pdf", b"%PDF-1.4 same")
    _write(inbox / "推荐材料" / "中国安装协会(1).pdf", b"%PDF-1.4 same")
    _write(inbox / "班组申报" / "A1-班组" / "a.pdf", b"")
    _write(inbox / "班组申报" / "A1-班组" / "b.pdf", b"")
    found, _ = discover(inbox)
    dup = {f.path: f.duplicate_of for f in found.all_files()}
    assert dup["推荐材料/中国安装协会.pdf"] is None
    assert dup["推荐材料/中国安装协会(1).pdf"] == "推荐材料/中国安装协会.pdf"
    assert dup["班组申报/A1-班组/a.pdf"] is None and dup["班组申报/A1-班组/b.pdf"] is None


def test_rar_package_is_reported_not_lost(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "班组申报" / "A3-防水班组.rar", b"Rar!\x1a\x07\x00 payload")
    found, _ = discover(inbox)
    (team,) = found.teams
    assert team.team_id == "A3-防水班组"
    (container,) = team.archives
    assert [p.code for p in container.problems] == ["unreadable_file"]
    assert "ZIP" in container.problems[0].message
