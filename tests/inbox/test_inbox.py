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


def test_damaged_rar_package_is_reported_not_lost(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _write(inbox / "班组申报" / "A3-防水班组.rar", b"Rar!\x1a\x07\x00 payload")
    found, sources = discover(inbox)
    (team,) = found.teams
    assert team.team_id == "A3-防水班组"
    (container,) = team.archives
    container.archive_path = str(sources[container.path])
    unpacked, _ = unpack_team_archives(found, tmp_path / "work")
    (container,) = unpacked.teams[0].archives
    assert [p.code for p in container.problems] == ["unreadable_file"]
    assert "RAR" in container.problems[0].message and "损坏" in container.problems[0].message


def test_names_that_are_not_utf8_are_decoded_and_registered(tmp_path: Path) -> None:
    """What `unzip` leaves of a Chinese Windows zip: GBK bytes as a name (once a UnicodeEncodeError)."""
    from core.settings import Settings
    from pipeline.store import Store

    inbox = tmp_path / "inbox"
    team = inbox / "班组申报" / "A5-模板班组"
    team.mkdir(parents=True)
    raw = os.fsencode(team) + b"/" + "成果报告.pdf".encode("gbk")
    with open(raw, "wb") as fh:
        fh.write(b"%PDF-1.4 gbk named")
    _write(inbox / "推荐材料" / "x.pdf", b"%PDF-1.4 unit")
    (inbox / "推荐材料" / os.fsdecode("山东".encode("gbk") + b"\xff.pdf")).write_bytes(b"%PDF-1.4 undecodable")
    found, sources = discover(inbox)
    paths = sorted(f.path for f in found.all_files())
    assert "班组申报/A5-模板班组/成果报告.pdf" in paths
    assert all(p.encode("utf-8") for p in paths)  # no surrogate escapes left
    store = Store(Settings(home=tmp_path / "home"))
    run = store.start_run(2024, str(inbox), str(tmp_path / "out"))
    assert store.register(found.all_files(), sources, 2024, run) == 3


def test_links_and_special_files_are_findings_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside / "A9-外部班组" / "报名表.pdf", b"%PDF-1.4 secret")
    inbox = tmp_path / "inbox"
    _write(inbox / "推荐材料" / "a.pdf", b"%PDF-1.4 unit")
    (inbox / "班组申报").symlink_to(outside, target_is_directory=True)
    (inbox / "推荐材料" / "b.pdf").symlink_to(outside / "A9-外部班组" / "报名表.pdf")
    os.mkfifo(inbox / "推荐材料" / "pipe.pdf")
    found, sources = discover(inbox)
    assert found.teams == [] and [f.path for f in found.units] == ["推荐材料/a.pdf"]
    assert all(outside not in p.parents for p in sources.values())
    special = {f.path: f.problems[0] for f in found.other}
    assert set(special) == {"班组申报", "推荐材料/b.pdf", "推荐材料/pipe.pdf"}
    assert {p.code for p in special.values()} == {"special_file"}
    assert "符号链接" in special["班组申报"].message and "管道" in special["推荐材料/pipe.pdf"].message


def test_zip_with_a_file_and_folder_of_one_name_and_a_long_member(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "班组申报").mkdir(parents=True)
    long_name = "成果" * 150 + ".pdf"
    with zipfile.ZipFile(inbox / "班组申报" / "A6-钢筋班组.zip", "w") as zf:
        zf.writestr("资料", b"x")
        zf.writestr("资料/报名表.pdf", b"%PDF-1.4 form")
        zf.writestr(long_name, b"%PDF-1.4 long")
    found, sources = discover(inbox)
    for f in found.all_files():
        f.archive_path = str(sources[f.path])
    unpacked, members = unpack_team_archives(found, tmp_path / "work")
    names = sorted(f.path.split(".zip/", 1)[1] for f in unpacked.teams[0].files)
    assert names == sorted(["资料", "资料/报名表.pdf", long_name])
    assert all(p.is_file() for p in members.values())
