"""Team zips: GBK names from Chinese Windows, path traversal, symlinks, bombs, damage."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from extractors.archive import safe_extract_zip


class RawNameInfo(zipfile.ZipInfo):
    """A member whose name bytes are written as given, without the UTF-8 flag (like old archivers)."""

    def __init__(self, raw: bytes) -> None:
        super().__init__(raw.decode("cp437"))
        self.raw = raw

    def _encodeFilenameFlags(self):  # noqa: N802 - CPython's hook
        return self.raw, self.flag_bits & ~0x800


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
    written, problems = safe_extract_zip(src, tmp_path / "out")
    assert problems == []
    assert sorted(written) == ["A0137-钢筋班组/成果/成果报告.pptx", "A0137-钢筋班组/报名表.pdf"]
    assert (tmp_path / "out" / "A0137-钢筋班组" / "成果" / "成果报告.pptx").read_bytes() == b"x"


def test_utf8_names_with_and_without_flag(tmp_path):
    src = tmp_path / "u.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("成果报告.pdf", b"a")  # Python sets the UTF-8 flag
        info = RawNameInfo("报名表.jpg".encode())  # UTF-8 bytes, no flag (macOS, 7-Zip)
        zf.writestr(info, b"b")
    written, problems = safe_extract_zip(src, tmp_path / "out")
    assert problems == [] and sorted(written) == ["成果报告.pdf", "报名表.jpg"]


def test_path_traversal_and_absolute_members_refused(tmp_path):
    src = tmp_path / "evil.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("../../escape.txt", b"no")
        zf.writestr("/etc/evil.txt", b"no")
        zf.writestr("ok/../../up.txt", b"no")
        zf.writestr("good/报名表.pdf", b"yes")
    dest = tmp_path / "deep" / "out"
    written, problems = safe_extract_zip(src, dest)
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
    written, problems = safe_extract_zip(src, tmp_path / "out")
    assert written == [] and "符号链接" in problems[0].message


def test_zip_bomb_ratio_refused(tmp_path):
    src = tmp_path / "bomb.zip"
    with zipfile.ZipFile(src, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (40 * 1024 * 1024))
        zf.writestr("fine.txt", b"hello")
    written, problems = safe_extract_zip(src, tmp_path / "out")
    assert written == ["fine.txt"]
    assert "压缩炸弹" in problems[0].message and not (tmp_path / "out" / "zeros.bin").exists()


def test_too_many_members(tmp_path, monkeypatch):
    import extractors.archive as archive

    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    src = tmp_path / "many.zip"
    with zipfile.ZipFile(src, "w") as zf:
        for i in range(6):
            zf.writestr(f"{i}.txt", b"x")
    written, problems = safe_extract_zip(src, tmp_path / "out")
    assert written == [] and "文件数" in problems[0].message


def test_corrupt_and_truncated_zip(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    written, problems = safe_extract_zip(tmp_path / "bad.zip", tmp_path / "out")
    assert written == [] and problems[0].code == "unreadable_file" and "损坏" in problems[0].message
    good = _gbk_zip(tmp_path / "g.zip", {"报名表.pdf": b"%PDF" * 1000})
    data = good.read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    written, problems = safe_extract_zip(tmp_path / "cut.zip", tmp_path / "out2")
    assert written == [] and problems and problems[0].code == "unreadable_file"
