"""RAR and 7z team archives go through the same safe routine as zips, with each reader's fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import extractors.archive as archive
from extractors.archive import safe_extract
from pipeline.samples.rar import write_rar

MEMBERS = {"A1-钢筋班组/报名表.pdf": b"%PDF-1.4 form", "A1-钢筋班组/成果报告.pdf": b"%PDF-1.4 report" * 100}


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{tool} is missing (scripts/system-deps.sh)")
    return path


def _seven_zip(tmp_path: Path, *flags: str) -> Path:
    """A real .7z made by Debian's 7-Zip (`7zz`) from a folder of files."""
    tool = _need("7zz")
    src = tmp_path / "src"
    for name, data in MEMBERS.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    out = tmp_path / "A1-钢筋班组.7z"
    subprocess.run([tool, "a", "-bd", "-y", *flags, str(out), "A1-钢筋班组"], cwd=src, check=True,
                   capture_output=True)
    return out


def _read(members) -> dict[str, bytes]:
    return {m.name: m.path.read_bytes() for m in members}


@pytest.mark.parametrize("readers", ["primary", "libarchive"])
def test_7z_is_read(tmp_path, monkeypatch, readers):
    if readers == "libarchive":
        monkeypatch.setitem(archive.READERS, "7z", (archive._libarchive_entries,))
    members, problems = safe_extract(_seven_zip(tmp_path), tmp_path / "out")
    assert problems == [] and _read(members) == MEMBERS


@pytest.mark.parametrize("readers", ["primary", "libarchive"])
def test_rar_is_read(tmp_path, monkeypatch, readers):
    if readers == "libarchive":
        monkeypatch.setitem(archive.READERS, "rar", (archive._libarchive_entries,))
    src = write_rar(tmp_path / "A1.rar", MEMBERS, folders=("A1-钢筋班组",))
    members, problems = safe_extract(src, tmp_path / "out")
    assert problems == [] and _read(members) == MEMBERS


def test_rar_falls_back_when_the_first_reader_fails(tmp_path, monkeypatch):
    def broken(path):
        raise archive.ArchiveDamaged

    monkeypatch.setitem(archive.READERS, "rar", (broken, archive._libarchive_entries))
    members, problems = safe_extract(write_rar(tmp_path / "A1.rar", MEMBERS), tmp_path / "out")
    assert problems == [] and _read(members) == MEMBERS


def test_rar_traversal_and_same_limits(tmp_path, monkeypatch):
    src = write_rar(tmp_path / "evil.rar", {"../../escape.pdf": b"no", "ok.pdf": b"%PDF yes"})
    members, problems = safe_extract(src, tmp_path / "deep" / "out")
    assert _read(members) == {"ok.pdf": b"%PDF yes"} and "解压目录之外" in problems[0].message
    monkeypatch.setattr(archive, "MAX_MEMBERS", 1)
    members, problems = safe_extract(src, tmp_path / "out2")
    assert members == [] and "文件数" in problems[0].message


def test_encrypted_7z_says_it_has_a_password(tmp_path):
    src = _seven_zip(tmp_path, "-psecret", "-mhe=on")
    members, problems = safe_extract(src, tmp_path / "out")
    assert members == [] and problems[0].code == "unreadable_file" and "密码" in problems[0].message


def test_truncated_7z_is_damaged(tmp_path):
    data = _seven_zip(tmp_path).read_bytes()
    cut = tmp_path / "cut.7z"
    cut.write_bytes(data[: len(data) // 2])
    members, problems = safe_extract(cut, tmp_path / "out")
    assert members == [] and problems[0].code == "unreadable_file" and "损坏" in problems[0].message


def test_a_stored_rar_of_pdfs_is_an_archive_not_a_pdf(tmp_path):
    """Its first kilobyte holds "%PDF-" (the first member's start): the archive magic decides first."""
    from extractors.sniff import sniff_format
    from pipeline.inbox import is_archive

    src = write_rar(tmp_path / "A1.rar", MEMBERS)
    assert b"%PDF-" in src.read_bytes()[:1024]
    assert sniff_format(src) != "pdf" and is_archive(src)
