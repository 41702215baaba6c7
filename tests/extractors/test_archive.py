"""Team zips: GBK names from Chinese Windows, path traversal, symlinks, bombs, damage."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from extractors.archive import safe_extract


class RawNameInfo(zipfile.ZipInfo):
    """A member whose name bytes are written as given, without the UTF-8 flag (like old archivers)."""

    def __init__(self, raw: bytes) -> None:
        super().__init__(raw.decode("cp437"))
        self.raw = raw

    def _encodeFilenameFlags(self):  # noqa: N802 - CPython's hook
        return self.raw, self.flag_bits & ~0x800


def _extract(src: Path, dest: Path) -> tuple[list[str], list]:
    """Names of the members written (and the problems), checking each member's bytes are in `dest`."""
    members, problems = safe_extract(src, dest)
    assert all(m.path.parent == dest and m.path.is_file() for m in members)
    return [m.name for m in members], problems


def _gbk_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip as Chinese Windows writes it: GBK names, no UTF-8 flag."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(RawNameInfo(name.encode("gbk")), data)
    return path


def test_gbk_names_and_nested_folders(tmp_path):
    src = _gbk_zip(tmp_path / "A0137-钢筋班组.zip", {"A0137-钢筋班组/报名表.pdf": b"%PDF-1.4", "A0137-钢筋班组/成果/成果报告.pptx": b"x"})
    raw = zipfile.ZipFile(src).namelist()
    assert "报名表" not in raw[0]  # really stored in GBK, read as cp437 by default
    written, problems = _extract(src, tmp_path / "out")
    assert problems == []
    assert sorted(written) == ["A0137-钢筋班组/成果/成果报告.pptx", "A0137-钢筋班组/报名表.pdf"]
    members, _ = safe_extract(src, tmp_path / "again")
    assert {m.name: m.path.read_bytes() for m in members}["A0137-钢筋班组/成果/成果报告.pptx"] == b"x"


def test_utf8_names_with_and_without_flag(tmp_path):
    src = tmp_path / "u.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("成果报告.pdf", b"a")  # Python sets the UTF-8 flag
        info = RawNameInfo("报名表.jpg".encode())  # UTF-8 bytes, no flag (macOS, 7-Zip)
        zf.writestr(info, b"b")
    written, problems = _extract(src, tmp_path / "out")
    assert problems == [] and sorted(written) == ["成果报告.pdf", "报名表.jpg"]


def test_path_traversal_and_absolute_members_refused(tmp_path):
    src = tmp_path / "evil.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("../../escape.txt", b"no")
        zf.writestr("/etc/evil.txt", b"no")
        zf.writestr("ok/../../up.txt", b"no")
        zf.writestr("good/报名表.pdf", b"yes")
    dest = tmp_path / "deep" / "out"
    written, problems = _extract(src, dest)
    assert written == ["good/报名表.pdf"]
    assert len(problems) == 3 and all("解压目录之外" in p.message for p in problems)
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "deep" / "up.txt").exists()


def test_symlink_member_refused(tmp_path):
    src = tmp_path / "link.zip"
    with zipfile.ZipFile(src, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    written, problems = _extract(src, tmp_path / "out")
    assert written == [] and "链接" in problems[0].message


def test_zip_bomb_ratio_refused(tmp_path):
    src = tmp_path / "bomb.zip"
    with zipfile.ZipFile(src, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (40 * 1024 * 1024))
        zf.writestr("fine.txt", b"hello")
    written, problems = _extract(src, tmp_path / "out")
    assert written == [] and len(problems) == 1  # the package is refused as a whole, not member by member
    assert "压缩炸弹" in problems[0].message and not any((tmp_path / "out").glob("*"))


def test_too_many_members(tmp_path, monkeypatch):
    import extractors.archive as archive

    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    src = tmp_path / "many.zip"
    with zipfile.ZipFile(src, "w") as zf:
        for i in range(6):
            zf.writestr(f"{i}.txt", b"x")
    written, problems = _extract(src, tmp_path / "out")
    assert written == [] and "文件数" in problems[0].message


def test_corrupt_and_truncated_zip(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    written, problems = _extract(tmp_path / "bad.zip", tmp_path / "out")
    assert written == [] and problems[0].code == "unreadable_file" and "损坏" in problems[0].message
    good = _gbk_zip(tmp_path / "g.zip", {"报名表.pdf": b"%PDF" * 1000})
    data = good.read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    written, problems = _extract(tmp_path / "cut.zip", tmp_path / "out2")
    assert written == [] and problems and problems[0].code == "unreadable_file"


def test_file_and_folder_of_the_same_name(tmp_path):
    """A member `资料` beside `资料/报名表.pdf` once ended the run (FileExistsError in mkdir)."""
    src = tmp_path / "clash.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("资料", b"a file named like the folder")
        zf.writestr("资料/报名表.pdf", b"%PDF-1.4 form")
    written, problems = _extract(src, tmp_path / "out")
    assert sorted(written) == ["资料", "资料/报名表.pdf"] and problems == []


def test_member_path_longer_than_the_file_system_allows(tmp_path):
    """A 300-character member name once ended the run (OSError 36, file name too long)."""
    long_name = "很长的文件夹名" * 40 + "/" + "成果报告" * 30 + ".pdf"
    src = tmp_path / "long.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr(long_name, b"%PDF-1.4 report")
    members, problems = safe_extract(src, tmp_path / "out")
    assert problems == [] and members[0].name == long_name
    assert members[0].path.read_bytes() == b"%PDF-1.4 report" and members[0].path.suffix == ".pdf"


def test_two_different_files_of_the_same_name_are_both_kept(tmp_path):
    src = tmp_path / "twice.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("报名表.pdf", b"first")
        zf.writestr("报名表.pdf", b"second")
    members, problems = safe_extract(src, tmp_path / "out")
    assert {m.name: m.path.read_bytes() for m in members} == {"报名表.pdf": b"first", "报名表（2）.pdf": b"second"}
    assert [p.code for p in problems] == ["archive_name_clash"] and "同名" in problems[0].message


def test_many_small_bombs_refused_as_one_package(tmp_path):
    """190 members of 10 MB zeros in a 2 MB zip: refused up front by the package's own ratio."""
    src = tmp_path / "bombs.zip"
    zeros = b"\0" * (10 * 1024 * 1024)
    with zipfile.ZipFile(src, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i in range(12):
            zf.writestr(f"{i:03d}.pdf", zeros)
    written, problems = _extract(src, tmp_path / "out")
    assert written == [] and len(problems) == 1 and "压缩炸弹" in problems[0].message
    assert not any((tmp_path / "out").glob("*"))


def test_lying_sizes_are_caught_while_streaming(tmp_path, monkeypatch):
    import extractors.archive as archive

    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 3000)
    monkeypatch.setattr(archive, "_declared_limits", lambda *a: None)  # headers that lie about sizes
    src = tmp_path / "lies.zip"
    with zipfile.ZipFile(src, "w") as zf:
        for i in range(3):
            zf.writestr(f"{i}.bin", bytes(range(256)) * 8)  # 2 KB each, 6 KB in all
    written, problems = _extract(src, tmp_path / "out")
    assert written == ["0.bin"] and any("总大小" in p.message for p in problems)
