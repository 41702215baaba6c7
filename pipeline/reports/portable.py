"""Reports that travel: one self-contained folder (and a zip of it) that still works when mailed.

The run's reports link the originals where the archive keeps them, by hash and outside OUT; copied
elsewhere those links break. Here the originals a report links are copied into the folder under
names people recognise (`原件/江苏省建筑行业协会/推荐材料.pdf`, `原件/A0137-钢筋班组/成果报告.pdf`), the
reports are written again inside it, so every link is relative and inside, and the folder is zipped.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from core.model import CompletenessReport, FileResult, FlagsReport, StatisticsReport
from pipeline.reports.common import atomic_write_text, file_owners
from pipeline.reports.names import NameAllocator, safe_component

log = logging.getLogger(__name__)

ORIGINALS = "原件"
OTHER_FILES = "其他文件"
MANIFEST = ".originals.json"
UNIT_DOCUMENT = "推荐材料"
TEAM_DOCUMENTS = {"registration_form": "报名表", "report_pdf": "成果报告", "report_ppt": "成果报告"}
# Extensions kept as they are; anything else (.html, .svg, .js, …) gets `.bin`, so an original opened
# from the folder is never run by the browser as a page next to the reports.
SAFE_SUFFIXES = {
    ".pdf", ".ppt", ".pptx", ".pps", ".ppsx", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".dps", ".et", ".ofd",
    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".heic", ".heif",
    ".zip", ".rar", ".7z", ".txt",
}
FORMAT_SUFFIXES = {"pdf": ".pdf", "pptx": ".pptx", "ppt": ".ppt", "docx": ".docx", "doc": ".doc", "zip": ".zip"}
STORED = {".pdf", ".png", ".jpg", ".jpeg", ".pptx", ".docx", ".xlsx", ".zip", ".rar", ".7z", ".heic", ".heif", ".webp"}


@dataclass(frozen=True)
class PortableReports:
    folder: Path
    zip: Path
    originals: int  # originals copied into the folder


def portable_name(year: int) -> str:
    return f"{year}年初选报告包"


def _suffix(path: str, fmt: str | None) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in SAFE_SUFFIXES:
        return suffix
    return FORMAT_SUFFIXES.get(fmt or "", ".bin")


def plan_originals(completeness: CompletenessReport, flags: FlagsReport) -> dict[str, str]:
    """Archived original (absolute path) -> its folder-relative POSIX name under 原件/.

    Unit files are named after the unit, team documents after the team id and the document; the
    earlier years' reports a flag compares against after the year and team; the rest keep their
    own file name under 其他文件. The same bytes linked twice are copied once.
    """
    by_path: dict[str, FileResult] = {f.path: f for f in completeness.files if f.archive_path}
    folders: dict[tuple[str, str], NameAllocator] = {}
    folder_names = NameAllocator()
    folder_of: dict[tuple[str, str], str] = {}  # (kind, owner) -> allocated folder name
    plan: dict[str, str] = {}

    def place(owner: tuple[str, str], stem: str, archive: str | None, source_name: str, fmt: str | None) -> None:
        if not archive or archive in plan:
            return
        if owner not in folder_of:
            folder_of[owner] = folder_names.claim(owner[1])
            folders[owner] = NameAllocator()
        name = folders[owner].claim(stem, _suffix(source_name, fmt))
        plan[archive] = f"{ORIGINALS}/{folder_of[owner]}/{name}"

    for u in completeness.units:
        f = by_path.get(u.source_file or "")
        if f is not None:
            place(("unit", u.unit), UNIT_DOCUMENT, f.archive_path, f.path, f.format)
    for t in completeness.teams:
        for key, path in t.files.items():
            f = by_path.get(path or "")
            if f is not None:
                stem = TEAM_DOCUMENTS.get(key, PurePosixPath(f.path).stem)
                place(("team", t.team_id), stem, f.archive_path, f.path, f.format)
    sources = {t.source.rstrip("/") for t in completeness.teams if t.source}
    owners = file_owners(completeness)
    for f in completeness.files:  # the rest of a team's package: its own names, in the team's folder
        owner = owners.get(f.path)
        if owner is not None and owner[0] == "team":
            stem = "申报压缩包" if f.path in sources else PurePosixPath(f.path).stem
            place(owner, stem, f.archive_path, f.path, f.format)
    for flag in flags.flags:
        for side in (flag.a, flag.b):
            if side.file not in by_path and side.archive_path:
                place(("earlier", f"{side.year}年-{side.team_id}"), "成果报告", side.archive_path, side.file, None)
    for f in completeness.files:
        place(("other", OTHER_FILES), PurePosixPath(f.path).stem, f.archive_path, f.path, f.format)
    return plan


def _copy_originals(folder: Path, plan: dict[str, str]) -> int:
    """Copy what changed since the last run (the manifest remembers source per name); drop the rest."""
    manifest_path = folder / MANIFEST
    try:
        before = json.loads(manifest_path.read_text("utf-8"))
    except (OSError, ValueError):
        before = {}
    wanted = {rel: src for src, rel in plan.items()}
    root = folder / ORIGINALS
    copied: dict[str, str] = {}
    for rel, src in wanted.items():
        dest = folder / rel
        if not Path(src).is_file():
            continue
        if before.get(rel) != src or not dest.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
        copied[rel] = src
    if root.is_dir():
        for old in sorted(root.rglob("*"), reverse=True):
            rel = old.relative_to(folder).as_posix()
            if old.is_file() and rel not in copied:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    manifest_path.write_text(json.dumps(copied, ensure_ascii=False, indent=1), "utf-8")
    return len(copied)


def _relocated(
    completeness: CompletenessReport, flags: FlagsReport, where: Callable[[str], str | None]
) -> tuple[CompletenessReport, FlagsReport]:
    """Copies whose archive paths point where `where` says (None: the original is not in the folder).

    Shallow copies: only the file entries and flag sides change; evidence and findings are shared."""

    def moved(path: str | None) -> str | None:
        return where(path) if path else None

    files = [f.model_copy(update={"archive_path": moved(f.archive_path)}) for f in completeness.files]
    sides = [
        f.model_copy(update={"a": f.a.model_copy(update={"archive_path": moved(f.a.archive_path)}),
                             "b": f.b.model_copy(update={"archive_path": moved(f.b.archive_path)})})
        for f in flags.flags
    ]
    return completeness.model_copy(update={"files": files}), flags.model_copy(update={"flags": sides})


def broken_links(folder: Path) -> tuple[list[str], int]:
    """(links of the folder's HTML files that do not resolve to a file inside it, links checked)."""
    root = folder.resolve()
    broken: list[str] = []
    checked = 0
    for page in sorted(root.rglob("*.html")):
        collector = _LinkCollector()
        collector.feed(page.read_text("utf-8", errors="replace"))
        for link in collector.links:
            parts = urlsplit(link)
            if not (parts.scheme or parts.netloc or parts.path):
                continue  # a place in the same page
            checked += 1
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.scheme or parts.netloc or not target.is_relative_to(root) or not target.is_file():
                broken.append(f"{page.relative_to(root).as_posix()}: {link}")
    return broken, checked


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def _zip(folder: Path, target: Path) -> Path:
    """Zip the folder (one top directory of its name) via a temp file, so a reader never sees half a zip."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder)
                if not path.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                kind = zipfile.ZIP_STORED if path.suffix.lower() in STORED else zipfile.ZIP_DEFLATED
                zf.write(path, f"{folder.name}/{rel.as_posix()}", compress_type=kind)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_portable(
    out_dir: Path,
    completeness: CompletenessReport,
    flags: FlagsReport,
    statistics: StatisticsReport,
    write: Callable[[Path, CompletenessReport, FlagsReport, StatisticsReport], object],
) -> PortableReports:
    """Write the travelling folder and zip beside the run's reports in `out_dir`.

    `write` writes the pages, the workbook and the pictures into a folder (the run's own writer);
    the page pictures already rendered for the run are reused, not rendered again. The JSON is
    written here, naming originals relative to the folder.
    """
    name = portable_name(completeness.year)
    folder = Path(out_dir) / name
    folder.mkdir(parents=True, exist_ok=True)
    plan = plan_originals(completeness, flags)
    count = _copy_originals(folder, plan)
    run_thumbs, thumbs = Path(out_dir) / "thumbs", folder / "thumbs"
    thumbs.mkdir(exist_ok=True)
    if run_thumbs.is_dir():
        for png in run_thumbs.glob("*.png"):
            if not (thumbs / png.name).exists():
                shutil.copyfile(png, thumbs / png.name)
    present = {src: rel for src, rel in plan.items() if (folder / rel).is_file()}
    inside, inside_flags = _relocated(
        completeness, flags, lambda p: str(folder / present[p]) if p in present else None
    )
    write(folder, inside, inside_flags, statistics)  # the pages, the workbook, the pictures
    # the JSON inside names originals relative to the folder, not where it was first written
    rel_c, rel_f = _relocated(completeness, flags, lambda p: present.get(p))
    atomic_write_text(folder / "completeness.json", _json(rel_c.contract()))
    atomic_write_text(folder / "flags.json", _json(rel_f.contract()))
    atomic_write_text(folder / "statistics.json", _json(statistics.model_dump(mode="json")))
    zipped = _zip(folder, Path(out_dir) / f"{name}.zip")
    return PortableReports(folder=folder, zip=zipped, originals=count)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


__all__ = ["PortableReports", "broken_links", "plan_originals", "portable_name", "safe_component", "write_portable"]
