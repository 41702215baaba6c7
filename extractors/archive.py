"""Unpack team archives (ZIP, RAR, 7z) safely, with one routine and one set of limits for all kinds.

Each kind only lists its entries (name, declared size, type) and streams their bytes; `safe_extract`
decides what is written. Members are written under short numbered names (`0001.pdf`), never under
the sender's path, so a member called `资料` beside `资料/报名表.pdf`, a name longer than the file
system allows, or the same name twice cannot fail or overwrite anything; the member's real path
inside the archive is kept as its name. Bytes are counted while they stream, whatever headers claim.
"""

from __future__ import annotations

import os
import posixpath
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.codes import Code
from core.model import Problem

from . import problems as msg

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 1024**3  # 1 GiB unpacked per archive: a team package is a form, a PDF and a PPT
MAX_MEMBER_BYTES = 512 * 1024**2
MAX_RATIO = 100  # unpacked / packed; real office files and PDFs stay far below
RATIO_MIN_BYTES = 32 * 1024**2  # below this, a high ratio (text, blank pages) is harmless
UTF8_FLAG = 0x800
CHUNK = 1024 * 1024
SPECIAL_MODES = (stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK)
ARCHIVE_KINDS = ("zip", "rar", "7z")
KIND_NAMES = {"zip": "ZIP", "rar": "RAR", "7z": "7z"}


@dataclass(frozen=True)
class Member:
    """One unpacked file: its path inside the archive (for people) and where its bytes are now."""

    name: str
    path: Path


@dataclass
class Entry:
    """What an archive says about one member, and how to stream its bytes (valid during iteration)."""

    name: str
    size: int  # declared unpacked size (may lie)
    packed: int  # declared packed size (0 when unknown)
    is_dir: bool = False
    is_link: bool = False
    is_special: bool = False  # device, FIFO, socket, hard link
    encrypted: bool = False
    chunks: Callable[[], Iterator[bytes]] | None = None


class MemberTooBig(Exception):
    """A member's bytes passed the member limit while they were unpacked."""


class ArchiveDamaged(Exception):
    """The archive itself cannot be listed or read."""


class ArchiveEncrypted(Exception):
    """The archive's listing itself is encrypted (RAR -hp, 7z with encrypted headers)."""


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged, else strict UTF-8, else GBK (CP936)."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return decode_name_bytes(raw)


def decode_name_bytes(raw: bytes) -> str:
    """Name bytes of unknown encoding: UTF-8, else GB18030 (Chinese Windows), else UTF-8 with �."""
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def archive_kind(path: Path) -> str | None:
    """zip, rar or 7z from the file's first bytes; None for anything else."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    return None


# ------------------------------------------------------------------ listing each kind


def _zip_entries(path: Path) -> Iterator[Entry]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError) as exc:
        raise ArchiveDamaged from exc
    with zf:
        for info in zf.infolist():
            mode = info.external_attr >> 16 if info.create_system == 3 else 0
            yield Entry(
                name=decode_member_name(info),
                size=info.file_size,
                packed=info.compress_size,
                is_dir=info.is_dir(),
                is_link=stat.S_ISLNK(mode),
                is_special=stat.S_IFMT(mode) in SPECIAL_MODES,
                encrypted=bool(info.flag_bits & 0x1),
                chunks=lambda info=info: _stream(zf.open(info)),
            )


def _stream(handle) -> Iterator[bytes]:  # noqa: ANN001 - any binary file object
    with handle as src:
        while chunk := src.read(CHUNK):
            yield chunk


def _rar_entries(path: Path) -> Iterator[Entry]:
    """rarfile parses the headers itself and streams compressed members through Debian's `unar`."""
    import rarfile

    rarfile.tool_setup(unrar=True, unar=True, bsdtar=False, sevenzip=False, sevenzip2=False)
    try:
        rf = rarfile.RarFile(str(path))
    except rarfile.PasswordRequired as exc:
        raise ArchiveEncrypted from exc
    except (rarfile.Error, OSError, ValueError, EOFError) as exc:
        raise ArchiveDamaged from exc
    with rf:
        if rf.needs_password() and not rf.infolist():
            raise ArchiveEncrypted
        for info in rf.infolist():
            yield Entry(
                name=info.filename,
                size=info.file_size or 0,
                packed=info.compress_size or 0,
                is_dir=info.is_dir(),
                is_link=info.is_symlink(),
                is_special=not (info.is_file() or info.is_dir() or info.is_symlink()),
                encrypted=info.needs_password(),
                chunks=lambda info=info: _stream(rf.open(info)),
            )


def _7z_entries(path: Path) -> Iterator[Entry]:
    """py7zr lists the archive; the bytes of each member stream through a bounded writer."""
    import py7zr

    try:
        szf = py7zr.SevenZipFile(path)
    except py7zr.PasswordRequired as exc:
        raise ArchiveEncrypted from exc
    except (py7zr.Bad7zFile, OSError, ValueError, EOFError, KeyError, IndexError) as exc:
        raise ArchiveDamaged from exc
    with szf:
        encrypted = szf.needs_password()
        infos = szf.list()
    for info in infos:
        yield Entry(
            name=info.filename,
            size=info.uncompressed or 0,
            packed=info.compressed or 0,
            is_dir=info.is_directory,
            is_link=info.is_symlink,
            encrypted=encrypted,
            chunks=lambda name=info.filename: _7z_member(path, name),
        )


def _7z_member(path: Path, name: str) -> Iterator[bytes]:
    """One member's bytes: py7zr has no pull-streaming API, so it writes into a bounded temp file."""
    import tempfile

    import py7zr
    from py7zr.io import Py7zIO, WriterFactory

    class Bounded(Py7zIO):
        def __init__(self, fh) -> None:  # noqa: ANN001
            self.fh, self.count = fh, 0

        def write(self, s: bytes | bytearray) -> int:
            self.count += len(s)
            if self.count > MAX_MEMBER_BYTES:
                raise MemberTooBig
            return self.fh.write(s)

        def read(self, size: int | None = None) -> bytes:
            return self.fh.read(size)

        def seek(self, offset: int, whence: int = 0) -> int:
            return self.fh.seek(offset, whence)

        def flush(self) -> None:
            self.fh.flush()

        def size(self) -> int:
            return self.count

    with tempfile.TemporaryFile() as fh:

        class Factory(WriterFactory):
            def create(self, filename: str) -> Py7zIO:
                return Bounded(fh) if filename == name else Bounded(open(os.devnull, "wb"))  # noqa: SIM115

        with py7zr.SevenZipFile(path) as szf:
            szf.extract(targets=[name], factory=Factory())
        fh.seek(0)
        while chunk := fh.read(CHUNK):
            yield chunk


def _libarchive_entries(path: Path) -> Iterator[Entry]:
    """libarchive (bsdtar's library) reads RAR and 7z too: the fallback when the first reader fails."""
    import libarchive

    try:
        with libarchive.file_reader(str(path)) as reader:
            for entry in reader:
                name = entry.pathname
                if isinstance(name, bytes):
                    name = decode_name_bytes(name)
                yield Entry(
                    name=name or "",
                    size=entry.size or 0,
                    packed=0,
                    is_dir=entry.isdir,
                    is_link=entry.issym or entry.islnk,
                    is_special=entry.isblk or entry.ischr or entry.isfifo or entry.issock,
                    chunks=entry.get_blocks,
                )
    except libarchive.ArchiveError as exc:
        text = str(exc).lower()
        if "passphrase" in text or "encrypt" in text or "password" in text:
            raise ArchiveEncrypted from exc
        raise ArchiveDamaged from exc


READERS: dict[str, tuple[Callable[[Path], Iterator[Entry]], ...]] = {
    "zip": (_zip_entries,),
    "rar": (_rar_entries, _libarchive_entries),
    "7z": (_7z_entries, _libarchive_entries),
}


# ------------------------------------------------------------------ one safe routine for all kinds


def _safe_relative(name: str) -> str | None:
    """A normalised relative POSIX path, or None when the name escapes the destination."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/"))
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        return None
    rel = posixpath.join(*parts)
    if rel.startswith("__MACOSX/") or parts[-1] in (".DS_Store", "Thumbs.db"):
        return ""  # junk of the archiver, skipped silently
    return rel


def _unsafe(message: str, archive: Path) -> Problem:
    return Problem(code=Code.UNSAFE_ARCHIVE_MEMBER, message=message, file=archive.name)


def _disk_name(index: int, rel: str) -> str:
    """A short on-disk name that keeps the member's extension (readers and people use it)."""
    suffix = PurePosixPath(rel).suffix.lower()
    suffix = suffix if 1 < len(suffix) <= 8 and suffix[1:].isalnum() else ""
    return f"{index:04d}{suffix}"


def _unique(rel: str, taken: set[str]) -> str:
    """The same path twice in one archive: the later one gets （2）, （3）… before its extension."""
    if rel not in taken:
        return rel
    p = PurePosixPath(rel)
    n = 2
    while (candidate := str(p.with_name(f"{p.stem}（{n}）{p.suffix}"))) in taken:
        n += 1
    return candidate


class _Budget:
    """Bytes still allowed for this archive; shared by all members."""

    def __init__(self, total: int) -> None:
        self.left = total


def _write_member(entry: Entry, target: Path, budget: _Budget) -> str | None:
    """Stream one member to disk; stop at the member or archive limit whatever the header claims.

    Returns None, "too_big" (this member), "over_total" (the archive's budget is spent) or "corrupt".
    """
    copied = 0
    try:
        with target.open("wb") as out:
            for chunk in entry.chunks():  # type: ignore[misc]
                copied += len(chunk)
                if copied > MAX_MEMBER_BYTES:
                    return "too_big"
                if copied > budget.left:
                    budget.left = 0
                    return "over_total"
                out.write(chunk)
    except MemberTooBig:
        return "too_big"
    except Exception:  # noqa: BLE001 - zipfile, zlib, rarfile, py7zr, libarchive each raise their own
        return "corrupt"
    budget.left -= copied
    return None


def _list(path: Path, kind: str) -> tuple[list[Entry] | None, Callable[[Path], Iterator[Entry]] | None, str]:
    """Entries of the archive from the first reader that can list it; else the reason it cannot.

    The listing pass reads headers only; the bytes are streamed in a second pass by the same reader.
    """
    reason = "damaged"
    for reader in READERS[kind]:
        try:
            return list(reader(path)), reader, ""
        except ArchiveEncrypted:
            reason = "encrypted"
        except Exception:  # noqa: BLE001 - a reader's failure (ArchiveDamaged or its library's) tries the next
            continue
    return None, None, reason


def _declared_limits(entries: list[Entry], archive_size: int, path: Path) -> Problem | None:
    """Refuse the whole archive up front when its own headers already say it is a bomb."""
    if len(entries) > MAX_MEMBERS:
        return _unsafe(f"压缩包内文件数（{len(entries)}）超过上限 {MAX_MEMBERS}，疑似异常压缩包，未解压。", path)
    declared = sum(e.size for e in entries if not e.is_dir)
    if declared > MAX_TOTAL_BYTES:
        return _unsafe(
            f"压缩包解压后总大小约 {declared / 1024**2:.0f} MB，超过上限 {MAX_TOTAL_BYTES // 1024**2} MB，"
            "疑似压缩炸弹，未解压。请将材料分别上传或压缩后重新提交。", path)
    if declared >= RATIO_MIN_BYTES and declared > MAX_RATIO * max(archive_size, 1):
        return _unsafe(
            f"压缩包仅 {archive_size / 1024**2:.1f} MB，解压后却有 {declared / 1024**2:.0f} MB"
            f"（压缩比超过 {MAX_RATIO} 倍），疑似压缩炸弹，未解压。", path)
    return None


def safe_extract(archive: Path, dest: Path) -> tuple[list[Member], list[Problem]]:
    """Unpack a ZIP, RAR or 7z archive into `dest`; return the members written and the problems found.

    Members escaping `dest`, links, special files, encrypted members and anything past the count,
    size or ratio limits are not written; each becomes a Problem. A damaged or locked archive becomes
    an `unreadable_file` problem. Never raises for bad input.
    """
    archive, dest = Path(archive), Path(dest)
    kind = archive_kind(archive) or "zip"
    entries, reader, reason = _list(archive, kind)
    if entries is None or reader is None:
        text = (f"压缩包（{KIND_NAMES[kind]}）设有密码，无法解压，请提交未加密的压缩包。" if reason == "encrypted"
                else f"压缩包（{KIND_NAMES[kind]}）已损坏或不完整，无法解压，请重新打包提交。")
        return [], [msg.unreadable(text, archive.name)]
    if not entries:
        return [], [msg.unreadable(
            f"压缩包（{KIND_NAMES[kind]}）是空的或已损坏，没有解压出任何文件，请重新打包提交。", archive.name)]
    if problem := _declared_limits(entries, archive.stat().st_size, archive):
        return [], [problem]
    dest.mkdir(parents=True, exist_ok=True)
    streamed = reader(archive)
    written: list[Member] = []
    found: list[Problem] = []
    taken: set[str] = set()
    budget = _Budget(MAX_TOTAL_BYTES)
    try:
        for index, entry in enumerate(streamed, start=1):
            member, problem = _extract_one(entry, index, dest, archive, taken, budget)
            if member is not None:
                written.append(member)
            if problem is not None:
                found.append(problem)
            if budget.left <= 0:
                found.append(_unsafe("压缩包解压后总大小超过上限，疑似压缩炸弹，其余文件未解压。", archive))
                break
    except Exception:  # noqa: BLE001 - a member list that breaks midway: keep what was written
        found.append(msg.unreadable("压缩包后半部分已损坏，只解压出了部分文件，请重新打包提交。", archive.name))
    return written, found


def _extract_one(
    entry: Entry, index: int, dest: Path, archive: Path, taken: set[str], budget: _Budget
) -> tuple[Member | None, Problem | None]:
    name = entry.name
    rel = _safe_relative(name)
    if rel == "" or (entry.is_dir and rel is not None):
        return None, None
    if rel is None:
        return None, _unsafe(f"压缩包内文件“{name}”的路径指向解压目录之外，已拒绝解压。", archive)
    if entry.is_link:
        return None, _unsafe(f"压缩包内“{name}”是链接（指向其他文件），已拒绝解压。", archive)
    if entry.is_special:
        return None, _unsafe(f"压缩包内“{name}”是特殊文件（设备、管道等），不是文档，已拒绝解压。", archive)
    if entry.encrypted:
        return None, msg.unreadable(f"压缩包内文件“{name}”已加密，无法解压，请提交未加密的压缩包。", archive.name)
    if entry.size >= RATIO_MIN_BYTES and entry.packed and entry.size > MAX_RATIO * entry.packed:
        return None, _unsafe(f"压缩包内文件“{name}”压缩比异常（疑似压缩炸弹），已拒绝解压。", archive)
    target = dest / _disk_name(index, rel)
    error = _write_member(entry, target, budget)
    if error is not None:
        target.unlink(missing_ok=True)
        if error == "over_total":
            return None, None  # safe_extract reports the spent budget once
        if error == "too_big":
            return None, _unsafe(f"压缩包内文件“{name}”解压后超过大小上限，疑似压缩炸弹，已停止解压该文件。", archive)
        return None, msg.unreadable(f"压缩包内文件“{name}”已损坏，无法解压，请重新打包提交。", archive.name)
    unique = _unique(rel, taken)
    taken.add(unique)
    problem = None
    if unique != rel:
        problem = Problem(code=Code.ARCHIVE_NAME_CLASH, file=archive.name, message=(
            f"压缩包内有多个同名文件“{rel}”，后一个已按“{unique}”保留，请确认以哪一个为准。"))
    return Member(name=unique, path=target), problem

