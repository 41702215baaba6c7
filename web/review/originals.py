"""Archived originals as people may see them: page images (PyMuPDF, cached) and safe downloads.

Callers resolve the SHA-256 from the object's own file list; nothing here takes a path from a request.
A file is shown inline only when it is a PDF or a common image; anything else is an attachment of
type application/octet-stream, so a sender's HTML or script is never rendered by the browser.
Presentations (.pptx, .ppt, .odp) get slide pictures too: LibreOffice turns them into a PDF once, within
a time limit, kept under BANZU_HOME/cache/slides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pymupdf

from extractors.legacy import convert, soffice_path
from extractors.pdfstructure import detach_structure
from extractors.sniff import sniff_format
from pipeline.reports.thumbs import render_region
from pipeline.store import Store

INLINE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
PAGE_WIDTH_PX = 1000
MAX_PAGES = 2000
_render_lock = threading.Semaphore(2)  # rendering is CPU-bound: at most two at a time
SLIDE_FORMATS = {"pptx", "ppt", "odf"}  # what LibreOffice can lay out as slides ("odf": .odp and kin)
SLIDES_TIMEOUT_S = 120.0  # real Kingsoft files can hang LibreOffice
_slides_lock = threading.Lock()  # one conversion at a time: the pages of one deck are asked for at once


def archived(store: Store, sha256: str) -> Path | None:
    path = store.archive_path_of(sha256)
    return path if path is not None and path.is_file() else None


def content_type(path: Path) -> str | None:
    """The inline type the bytes really are (PDF or a common image), else None."""
    with path.open("rb") as f:
        head = f.read(1024)
    return next((t for magic, t in INLINE_TYPES.items() if head.startswith(magic)), None)


def download_name(inbox_path: str) -> str:
    return PurePosixPath(inbox_path).name or "file"


def slides_pdf(store: Store, sha256: str, source: Path) -> Path | None:
    """An archived presentation as a PDF of its slides, made once by LibreOffice; None when it is not a
    presentation, LibreOffice is missing, or the conversion fails or overruns (remembered, not retried)."""
    cache = store.home / "cache" / "slides" / sha256[:2] / f"{sha256}.pdf"
    failed = cache.with_suffix(".failed")
    fmt = sniff_format(source)
    if fmt not in SLIDE_FORMATS or soffice_path() is None:
        return None
    with _slides_lock:
        if cache.exists() or failed.exists():
            return cache if cache.exists() else None
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="banzu-slides-") as tmp:
            try:
                made = convert(source, fmt, Path(tmp), SLIDES_TIMEOUT_S, target="pdf")
            except (subprocess.TimeoutExpired, OSError, RuntimeError) as exc:
                failed.write_text(str(exc) or type(exc).__name__, encoding="utf-8")
                return None
            shutil.move(made, cache.with_suffix(".tmp"))
            cache.with_suffix(".tmp").replace(cache)
    return cache


def _pictured(store: Store, sha256: str) -> Path | None:
    """What pages are drawn from: the archived PDF or image itself, or a presentation's slides PDF."""
    source = archived(store, sha256)
    if source is None:
        return None
    return source if content_type(source) is not None else slides_pdf(store, sha256, source)


def _drawn(store: Store, sha256: str, page: int, draw: Callable[[pymupdf.Document], bytes]) -> bytes | None:
    """`draw(doc)` on the pages of an original (PDF, image or a presentation's slides), one render at a time;
    None when it cannot be pictured or has no page `page`."""
    source = _pictured(store, sha256)
    if source is None:
        return None
    with _render_lock:
        try:
            with pymupdf.open(source) as doc:
                detach_structure(doc)  # an unsound structure tree can hang rendering
                return draw(doc) if page <= doc.page_count else None
        except Exception:  # noqa: BLE001 - a damaged original has no picture; the page says so
            return None


def _png_of(p: pymupdf.Page) -> bytes:
    zoom = min(2.0, PAGE_WIDTH_PX / max(p.rect.width, 1))
    return p.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")


def page_image(store: Store, sha256: str, page: int) -> bytes | None:
    """Page `page` (1-based) of an archived PDF, image or presentation as PNG; cached under
    BANZU_HOME/cache/pages."""
    if page < 1 or page > MAX_PAGES or archived(store, sha256) is None:
        return None
    cache = store.home / "cache" / "pages" / sha256[:2] / sha256 / f"{page}.png"
    if cache.exists():
        return cache.read_bytes()
    png = _drawn(store, sha256, page, lambda doc: _png_of(doc[page - 1]))
    if png is None:
        return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(cache)
    return png


def region_image(store: Store, sha256: str, page: int, region: tuple[float, float, float, float],
                 rotation: int = 0) -> bytes | None:
    """The place `region` (upright-page points) of page `page` of an archived original as PNG: the
    row a finding is about, drawn as the reports draw it (pipeline.reports.thumbs.render_region)."""
    if page < 1 or page > MAX_PAGES:
        return None
    return _drawn(store, sha256, page, lambda doc: render_region(doc, page - 1, rotation, region))


def renderable(store: Store, sha256: str | None) -> bool:
    """Whether pages of this original can be pictured (a presentation only when LibreOffice is here)."""
    source = archived(store, sha256) if sha256 else None
    if source is None:
        return False
    if content_type(source) is not None:
        return True
    return soffice_path() is not None and sniff_format(source) in SLIDE_FORMATS
