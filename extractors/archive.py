"""Unpack team zips safely: Chinese-Windows (GBK) names, no path traversal, no zip bombs."""

from __future__ import annotations

import posixpath
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from core.codes import Code
from core.model import Problem

from . import problems as msg

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024**3  # 2 GiB uncompressed
MAX_MEMBER_BYTES = 1024**3
MAX_RATIO = 200  # uncompressed / compressed; real office files stay far below
RATIO_MIN_BYTES = 10 * 1024**2  # tiny members may compress very well without being bombs
UTF8_FLAG = 0x800
CHUNK = 1024 * 1024


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged, else strict UTF-8, else GBK (CP936)."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_relative(name: str) -> str | None:
    """A normalised relative POSIX path, or None when the name escapes the destination."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        return None
    rel = posixpath.join(*parts)
    if rel.startswith("__MACOSX/") or parts[-1] in (".DS_Store", "Thumbs.db"):
        return ""  # junk of the archiver, skipped silently
    return rel


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _problem(message: str, zip_path: Path) -> Problem:
    return Problem(code=Code.UNSAFE_ARCHIVE_MEMBER, message=message, file=zip_path.name)


def safe_extract_zip(zip_path: Path, dest: Path) -> tuple[list[str], list[Problem]]:
    """Extract `zip_path` into `dest`; return the relative POSIX paths written and the problems found.

    Members that would escape `dest`, symlinks, and anything past the size/count/ratio limits are not
    written; each becomes a Problem. A damaged or encrypted archive becomes an `unreadable_file` problem.
    """
    zip_path, dest = Path(zip_path), Path(dest)
    written: list[str] = []
    found: list[Problem] = []
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return [], [msg.unreadable(msg.CORRUPT, zip_path.name)]
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            return [], [
                _problem(f"压缩包内文件数（{len(infos)}）超过上限 {MAX_MEMBERS}，疑似异常压缩包，未解压。", zip_path)
            ]
        declared = sum(i.file_size for i in infos)
        if declared > MAX_TOTAL_BYTES:
            return [], [_problem("压缩包解压后总大小超过上限（2 GB），疑似压缩炸弹，未解压。", zip_path)]
        dest.mkdir(parents=True, exist_ok=True)
        budget = MAX_TOTAL_BYTES
        for info in infos:
            name = decode_member_name(info)
            rel = _safe_relative(name)
            if rel == "":
                continue
            if rel is None:
                found.append(_problem(f"压缩包内文件“{name}”的路径指向解压目录之外，已拒绝解压。", zip_path))
                continue
            if _is_symlink(info):
                found.append(_problem(f"压缩包内“{name}”是符号链接，已拒绝解压。", zip_path))
                continue
            target = dest.joinpath(*rel.split("/"))
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if info.flag_bits & 0x1:
                found.append(msg.unreadable(f"压缩包内文件“{name}”已加密，无法解压，请提交未加密的压缩包。", zip_path.name))
                continue
            if info.file_size >= RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                found.append(_problem(f"压缩包内文件“{name}”压缩比异常（疑似压缩炸弹），已拒绝解压。", zip_path))
                continue
            error = _copy_member(zf, info, target, min(budget, MAX_MEMBER_BYTES))
            if error is not None:
                target.unlink(missing_ok=True)
                found.append(_member_error(error, name, zip_path))
                continue
            budget -= target.stat().st_size
            written.append(rel)
    return written, found


def _member_error(error: str, name: str, zip_path: Path) -> Problem:
    if error == "too_big":
        return _problem(f"压缩包内文件“{name}”解压后超过大小上限，疑似压缩炸弹，已停止解压。", zip_path)
    return msg.unreadable(f"压缩包内文件“{name}”已损坏，无法解压，请重新打包提交。", zip_path.name)


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> str | None:
    """Stream one member to disk, stopping at `limit` bytes whatever the header claims."""
    target.parent.mkdir(parents=True, exist_ok=True)
    copied = 0
    try:
        with zf.open(info) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                copied += len(chunk)
                if copied > limit:
                    return "too_big"
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError, NotImplementedError):
        return "corrupt"
    return None
