"""Discovery of an inbox: which files are units' bundles, which form team packages, which are strays.

The inbox is only read, never modified. Discovery hashes files and sorts them into roles; ingest
(pipeline.ingest) archives them and only then unpacks team zips from the archived copies. Every step
returns a new Inbox and leaves the one it was given alone.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.codes import Code
from core.model import Inbox, InboxFile, Problem, TeamPackage
from extractors.archive import archive_kind, decode_name_bytes, safe_extract
from extractors.sniff import sniff_format
from pipeline.store.archive import sha256_of

UNIT_DIRS = ("推荐材料", "recommendations")
TEAM_DIRS = ("班组申报", "teams")
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}
ARCHIVE_FORMATS = {"zip"}  # what extractors.sniff calls a container the inbox unpacks
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z"}
UNSUPPORTED_ARCHIVES = {".tar": "tar", ".gz": "gzip", ".tgz": "gzip", ".bz2": "bzip2", ".xz": "xz"}

Sources = dict[str, Path]  # inbox path -> where its bytes can be read now


def nfc(text: str) -> str:
    """A name as people read it: composed (macOS writes NFD), and valid Unicode.

    A name that is not UTF-8 on disk (what `unzip` leaves of a Chinese Windows zip) reaches Python
    with surrogate escapes, which no database or report can store: its bytes are decoded as GB18030.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # decode part by part: the folders above may be fine UTF-8
        text = "/".join(_valid_unicode(part) for part in text.split("/"))
    return unicodedata.normalize("NFC", text)


def _valid_unicode(part: str) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:
        return decode_name_bytes(os.fsencode(part))


def is_junk(path: Path) -> bool:
    return any(
        part.lower() in JUNK_NAMES or part.startswith("~$") or part.startswith("._") for part in path.parts
    )


def is_archive(path: Path, name: str | None = None) -> bool:
    """A zip to unpack: the bytes say so (extractors.sniff, as for every file), or they say nothing
    (damaged, unknown) while the name says .zip, so that the archive reader explains what is wrong.
    An Office file (a zip inside) is a document, whatever its name."""
    fmt = sniff_format(path)
    suffix = Path(name or path.name).suffix.lower()
    if fmt == "unknown" and archive_kind(path) in ("rar", "7z"):
        return True  # RAR and 7z team archives are unpacked like zips (extractors.archive)
    return fmt in ARCHIVE_FORMATS or (fmt in ("unknown", "empty") and suffix in ARCHIVE_SUFFIXES)


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _inbox_file(
    path: Path, rel: str, role: str, group: str | None, received: datetime | None = None
) -> InboxFile:
    sha, size = sha256_of(path)
    return InboxFile(
        path=rel, sha256=sha, size=size, role=role, group=group, received_at=received or _mtime(path)
    )


SPECIAL_KINDS = {stat.S_IFLNK: "符号链接", stat.S_IFIFO: "命名管道（FIFO）", stat.S_IFSOCK: "套接字",
                 stat.S_IFBLK: "块设备", stat.S_IFCHR: "字符设备"}


def special_kind(path: Path) -> str | None:
    """What a path is when it is not a plain file or folder (never following links); None otherwise."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    return SPECIAL_KINDS.get(stat.S_IFMT(mode))


def _files_under(folder: Path) -> list[Path]:
    """Plain files below `folder`, without following links (nothing outside the inbox is read)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]
        for name in filenames:
            p = base / name
            if special_kind(p) is None and not is_junk(p.relative_to(folder)):
                found.append(p)
    return sorted(found)


def _specials_under(root: Path) -> list[Path]:
    """Links, FIFOs, sockets and devices anywhere in the inbox (links are listed, never followed)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        found += [base / n for n in [*dirnames, *filenames] if special_kind(base / n) is not None]
    return sorted(found)


def _special_file(p: Path, rel: str) -> InboxFile:
    """A finding for a link or special file: it is named, never opened, archived or read."""
    kind = special_kind(p) or "特殊文件"
    what = "指向收件箱之外或其他位置，" if kind == "符号链接" else ""
    return InboxFile(
        path=rel, sha256="", size=0, role="unrecognized", received_at=datetime.now(UTC),
        problems=[Problem(code=Code.SPECIAL_FILE, file=rel, message=(
            f"“{rel}”是{kind}，不是普通文件，{what}系统不会读取或归档它。"
            "如果这是申报材料，请把文件本身（而不是链接）放入收件箱或重新提交。"))],
    )


def _role_dir(root: Path, names: tuple[str, ...]) -> list[Path]:
    wanted = {nfc(n).lower() for n in names}
    return sorted(
        p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and nfc(p.name).strip().lower() in wanted
    )


def _unsupported_archive_problem(path: Path, inbox_path: str) -> Problem | None:
    kind = UNSUPPORTED_ARCHIVES.get(path.suffix.lower())
    if kind is None:
        return None
    return Problem(
        code=Code.UNREADABLE_FILE,
        message=f"压缩包为 {kind} 格式，系统只能解压 ZIP、RAR 和 7z 格式，请将材料改为 ZIP 压缩包或直接上传文件夹后重新提交。",
        file=inbox_path,
    )


def discover(root: Path) -> tuple[Inbox, Sources]:
    """Sort the inbox into unit files, team packages and strays; hash everything; unpack nothing."""
    root = root.resolve()
    inbox = Inbox(root=str(root))
    sources: Sources = {}
    claimed: set[Path] = set()

    def rel(p: Path) -> str:
        return nfc(p.relative_to(root).as_posix())

    for unit_dir in _role_dir(root, UNIT_DIRS):
        for p in _files_under(unit_dir):
            claimed.add(p)
            is_bundle = p.suffix.lower() in (".pdf", ".ofd") or sniff_format(p) in ("pdf", "ofd")  # OFD: 版式, like PDF
            f = _inbox_file(
                p, rel(p), "unit" if is_bundle else "unrecognized", nfc(p.stem).strip() if is_bundle else None
            )
            (inbox.units if is_bundle else inbox.other).append(f)
            sources[f.path] = p

    for team_dir in _role_dir(root, TEAM_DIRS):
        for entry in sorted(team_dir.iterdir()):
            if is_junk(Path(entry.name)) or entry.is_symlink():
                continue
            if entry.is_dir():
                team_id = nfc(entry.name).strip()
                package = TeamPackage(team_id=team_id, source=rel(entry))
                for p in _files_under(entry):
                    claimed.add(p)
                    f = _inbox_file(p, rel(p), "team", team_id)
                    package.files.append(f)
                    sources[f.path] = p
                inbox.teams.append(package)
                claimed.add(entry)
            elif entry.is_file() and (is_archive(entry) or entry.suffix.lower() in UNSUPPORTED_ARCHIVES):
                team_id = nfc(entry.stem if entry.suffix else entry.name).strip()
                container = _inbox_file(entry, rel(entry), "team", team_id)
                if problem := _unsupported_archive_problem(entry, container.path):
                    container.problems.append(problem)
                package = TeamPackage(team_id=team_id, source=container.path, archives=[container])
                sources[container.path] = entry
                inbox.teams.append(package)
                claimed.add(entry)

    for p in _files_under(root):
        if p not in claimed and not any(parent in claimed for parent in p.parents):
            f = _inbox_file(p, rel(p), "unrecognized", None)
            inbox.other.append(f)
            sources[f.path] = p
    inbox.other += [_special_file(p, rel(p)) for p in _specials_under(root)]  # no source: never archived
    mark_team_id_variants(inbox)
    return mark_duplicates(inbox), sources


def unpack_team_archives(inbox: Inbox, work_dir: Path) -> tuple[Inbox, Sources]:
    """Unpack each team zip (from its archived copy, `archive_path`) into work_dir: a new Inbox whose
    packages hold the members, and where each member's bytes are now.

    Zips found inside a team folder are unpacked one level deep the same way; an archive found inside
    an unpacked archive is not unpacked again (it stays a member, reported as an archive). `inbox` is
    left as it was.
    """
    sources: Sources = {}
    teams: list[TeamPackage] = []
    for package in inbox.teams:
        nested = [f for f in package.files if f.archive_path and is_archive(Path(f.archive_path), f.path)]
        files = [f for f in package.files if f not in nested]
        archives: list[InboxFile] = []
        for container in [*package.archives, *nested]:
            if container.problems or container.duplicate_of or not container.archive_path:
                archives.append(container)
                continue
            dest = work_dir / "unpacked" / container.sha256
            members, problems = safe_extract(Path(container.archive_path), dest)
            archives.append(container.model_copy(update={"problems": [
                *container.problems, *(p.model_copy(update={"file": container.path}) for p in problems)]}))
            for member in members:
                member_path = member.path
                if is_junk(Path(member.name)):
                    continue
                f = _inbox_file(
                    member_path,
                    f"{container.path}/{nfc(member.name)}",
                    "team",
                    package.team_id,
                    container.received_at,
                )
                files.append(f)
                sources[f.path] = member_path
        teams.append(package.model_copy(update={"files": files, "archives": archives}))
    return mark_duplicates(inbox.model_copy(update={"teams": teams})), sources


def mark_team_id_variants(inbox: Inbox) -> None:
    """Team ids equal but for full-width/half-width characters (`Z38-` / `Ｚ３８－`): probably one team
    sent twice from different input methods; each later package's files get a warning naming the first.
    (Called by `discover` on the Inbox it is building.)"""
    first: dict[str, str] = {}
    for package in inbox.teams:
        key = unicodedata.normalize("NFKC", package.team_id).casefold()
        if key not in first:
            first[key] = package.team_id
            continue
        text = (f"班组编号“{package.team_id}”与“{first[key]}”只是全角/半角写法不同，可能是同一个班组提交了两次，"
                "请核对后合并为一个班组（以正确的编号为准）。")
        for f in [*package.files, *package.archives]:
            f.problems.append(Problem(code=Code.TEAM_ID_VARIANT, file=f.path, message=text))


def map_files(inbox: Inbox, change: Callable[[InboxFile], InboxFile]) -> Inbox:
    """A new Inbox with `change` applied to every file (the given one is left alone)."""
    return inbox.model_copy(update={
        "units": [change(f) for f in inbox.units],
        "teams": [t.model_copy(update={"files": [change(f) for f in t.files],
                                       "archives": [change(f) for f in t.archives]}) for t in inbox.teams],
        "other": [change(f) for f in inbox.other],
    })


def mark_duplicates(inbox: Inbox) -> Inbox:
    """The same bytes twice in one inbox: every later copy points at the first (earliest received)."""
    first: dict[str, str] = {}
    duplicate_of: dict[str, str | None] = {}
    earliest = datetime.min.replace(tzinfo=UTC)
    for f in sorted(inbox.all_files(), key=lambda f: (f.received_at or earliest, len(f.path), f.path)):
        if f.size == 0:
            duplicate_of[f.path] = f.duplicate_of
            continue  # empty files are unreadable, not duplicates of each other
        if f.sha256 in first and first[f.sha256] != f.path:
            duplicate_of[f.path] = first[f.sha256]
        else:
            first.setdefault(f.sha256, f.path)
            duplicate_of[f.path] = None
    return map_files(inbox, lambda f: f.model_copy(update={"duplicate_of": duplicate_of[f.path]}))
