"""Archived originals as people may see them: page images (PyMuPDF, cached) and safe downloads.

Callers resolve the SHA-256 from the object's own file list; nothing here takes a path from a request.
A file is shown inline only when it is a PDF or a common image; anything else is an attachment of
type application/octet-stream, so a sender's HTML or script is never rendered by the browser.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path, PurePosixPath

import pymupdf

from extractors.pdfstructure import detach_structure
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


def page_image(store: Store, sha256: str, page: int) -> bytes | None:
    """Page `page` (1-based) of an archived PDF or image as PNG; cached under BANZU_HOME/cache/pages."""
    source = archived(store, sha256)
    if source is None or page < 1 or page > MAX_PAGES or content_type(source) is None:
        return None
    cache = store.home / "cache" / "pages" / sha256[:2] / sha256 / f"{page}.png"
    if cache.exists():
        return cache.read_bytes()
    with _render_lock:
        try:
            with pymupdf.open(source) as doc:
                detach_structure(doc)  # a cyclic structure tree hangs rendering
                if page > doc.page_count:
                    return None
                p = doc[page - 1]
                zoom = min(2.0, PAGE_WIDTH_PX / max(p.rect.width, 1))
                png = p.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False).tobytes("png")
        except Exception:  # noqa: BLE001 - a damaged original has no picture; the page says so
            return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(cache)
    return png


def renderable(store: Store, sha256: str | None) -> bool:
    source = archived(store, sha256) if sha256 else None
    return source is not None and content_type(source) is not None
