"""Pictures of the pages problems point at, so a reviewer sees the page without opening the PDF.

Rendered with PyMuPDF from the archived original, turned upright by the rotation the extractor
found, as a small thumbnail plus a larger view the thumbnail links to. Names carry the file's
sha256, so an unchanged original is not rendered again on the next run.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from PIL import Image

from core.model import BBox, CompletenessReport, FileResult
from extractors.pdfstructure import detach_structure
from pipeline.reports.common import atomic_write_bytes

log = logging.getLogger(__name__)

THUMB_WIDTH = 220  # px
VIEW_WIDTH = 1100  # px
MAX_PAGES = 400  # a pathological run must not render thousands of pages
CROP_ZOOM = 2.0  # 144 dpi: a row of a form read at a glance
CROP_MARGIN = 6.0  # points around a place, so its neighbours show where it is


@dataclass(frozen=True)
class PagePicture:
    thumb: str  # OUT-relative POSIX path
    view: str
    width: int = THUMB_WIDTH  # of the thumbnail, so the page keeps its layout while pictures load
    height: int = 0
    crops: tuple[tuple[BBox, str], ...] = ()  # pictures of the places problems point at on the page


def problem_regions(completeness: CompletenessReport) -> dict[tuple[str, int], list[BBox]]:
    """(file, page) -> the places on it problems point at (`Problem.regions`), without repeats."""
    out: dict[tuple[str, int], list[BBox]] = {}
    problems = [(p, u.source_file) for u in completeness.units for p in u.problems]
    problems += [(p, None) for t in completeness.teams for p in t.problems]
    problems += [(p, f.path) for f in completeness.files for p in f.problems]
    for p, default in problems:
        file = p.file or default
        if p.page and file and p.regions:
            seen = out.setdefault((file, p.page), [])
            seen.extend(tuple(r) for r in p.regions if tuple(r) not in seen)  # type: ignore[misc]
    return out


def render_region(doc: pymupdf.Document, index: int, rotation: int, region: BBox, zoom: float = CROP_ZOOM) -> bytes:
    """The place `region` (upright-page points) of the page, upright, with a margin, as a PNG."""
    page = doc[index]
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(rotation % 360)
    pix = page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    x0, y0, x1, y1 = region
    m = CROP_MARGIN
    box = (max(0, int((x0 - m) * zoom)), max(0, int((y0 - m) * zoom)),
           min(pix.width, int((x1 + m) * zoom) + 1), min(pix.height, int((y1 + m) * zoom) + 1))
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        raise ValueError(f"region {region} is outside the page")
    buf = io.BytesIO()
    image.crop(box).quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buf, "PNG")
    return buf.getvalue()


def problem_pages(completeness: CompletenessReport) -> list[tuple[str, int]]:
    """(file, page) of every problem that names a page, in report order, without repeats."""
    seen: dict[tuple[str, int], None] = {}
    for u in completeness.units:
        for p in u.problems:
            if p.page:
                seen[(p.file or u.source_file, p.page)] = None
    for t in completeness.teams:
        for p in t.problems:
            if p.page and p.file:
                seen[(p.file, p.page)] = None
    for f in completeness.files:
        for p in f.problems:
            if p.page:
                seen[(p.file or f.path, p.page)] = None
    return list(seen)


def _render(doc: pymupdf.Document, index: int, rotation: int, width: int, colors: int = 64) -> bytes:
    """The page upright at `width` px (never enlarged more than 2x), as a palette PNG: scans and photos
    stay small enough to put hundreds in a report folder."""
    page = doc[index]
    rect = page.rect
    upright_width = rect.height if rotation % 180 else rect.width
    zoom = min(width / max(upright_width, 1.0), 2.0 if width > THUMB_WIDTH else 10.0)
    matrix = pymupdf.Matrix(zoom, zoom).prerotate(rotation % 360)
    pix = page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    buf = io.BytesIO()
    image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE).save(buf, "PNG")
    return buf.getvalue()


def render_problem_pages(
    completeness: CompletenessReport, out_dir: Path
) -> dict[tuple[str, int], PagePicture]:
    """Render each page a problem points at into OUT/thumbs/; pages that cannot be rendered are skipped."""
    by_path: dict[str, FileResult] = {f.path: f for f in completeness.files}
    pictures: dict[tuple[str, int], PagePicture] = {}
    thumbs = out_dir / "thumbs"
    wanted = problem_pages(completeness)[:MAX_PAGES]
    regions = problem_regions(completeness)
    open_docs: dict[str, pymupdf.Document | None] = {}
    try:
        for file, page in wanted:
            fr = by_path.get(file)
            if fr is None or not fr.archive_path:
                continue
            if fr.path not in open_docs:
                open_docs[fr.path] = _open(fr.archive_path)
            doc = open_docs[fr.path]
            if doc is None or not 1 <= page <= doc.page_count:
                continue
            rotation = fr.page_rotations[page - 1] if len(fr.page_rotations) >= page else 0
            key = fr.sha256 or hashlib.sha256(fr.archive_path.encode()).hexdigest()
            stem = f"{key[:40]}-p{page}-r{rotation % 360}"
            thumb, view = thumbs / f"{stem}.png", thumbs / f"{stem}-view.png"
            try:
                if not thumb.exists():
                    atomic_write_bytes(thumb, _render(doc, page - 1, rotation, THUMB_WIDTH))
                if not view.exists():
                    atomic_write_bytes(view, _render(doc, page - 1, rotation, VIEW_WIDTH, colors=256))
            except Exception as exc:  # a damaged page: the report goes on without its picture
                log.warning("cannot render %s page %s: %s", file, page, exc)
                continue
            try:
                with Image.open(thumb) as im:
                    width, height = im.size
            except Exception:  # unreadable picture: leave it out
                continue
            crops = []
            for region in regions.get((file, page), []):
                digest = hashlib.sha1(repr(tuple(round(v, 1) for v in region)).encode()).hexdigest()[:12]
                crop = thumbs / f"{stem}-at-{digest}.png"
                try:
                    if not crop.exists():
                        atomic_write_bytes(crop, render_region(doc, page - 1, rotation, region))
                except Exception as exc:  # noqa: BLE001 - the page picture still shows the place
                    log.warning("cannot render a place on %s page %s: %s", file, page, exc)
                    continue
                crops.append((region, f"thumbs/{crop.name}"))
            pictures[(file, page)] = PagePicture(f"thumbs/{thumb.name}", f"thumbs/{view.name}", width, height,
                                                 tuple(crops))
    finally:
        for doc in open_docs.values():
            if doc is not None:
                doc.close()
    _prune(thumbs, {Path(p).name for pic in pictures.values()
                    for p in (pic.thumb, pic.view, *(c for _, c in pic.crops))})
    return pictures


def _prune(thumbs: Path, keep: set[str]) -> None:
    """Drop pictures of earlier runs that no problem points at any more (the folder is ours alone)."""
    if not thumbs.is_dir():
        return
    for old in thumbs.glob("*.png"):
        if old.name not in keep:
            old.unlink(missing_ok=True)


def _open(path: str) -> pymupdf.Document | None:
    try:
        doc = pymupdf.open(path)
        detach_structure(doc)  # an unsound structure tree can hang rendering
    except Exception as exc:
        log.warning("cannot open %s for thumbnails: %s", path, exc)
        return None
    if doc.needs_pass or doc.page_count == 0:
        doc.close()
        return None
    return doc
