"""Originals and page pictures as responses: downloads never render inline HTML, pictures are cached."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

from web.review import originals
from web.review.views.common import store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(body: bytes, content_type: str, name: str) -> HttpResponse:
    """A document banzu made, as an attachment with its Chinese name."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def file_response(path: Path, name: str) -> FileResponse:
    """An archived file for download; a kind a browser may render is sandboxed."""
    kind = originals.content_type(path)
    response = FileResponse(
        path.open("rb"),
        as_attachment=kind is None,
        filename=name,
        content_type=kind or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def original(sha256: str | None, path: str) -> HttpResponse:
    """The archived original of content `sha256`, named after the file it came in as."""
    archived = originals.archived(store(), sha256) if sha256 else None
    if archived is None:
        raise Http404("原件不在档案中")
    return file_response(archived, originals.download_name(path))


def png_response(png: bytes | None, missing: str) -> HttpResponse:
    if png is None:
        raise Http404(missing)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def page_png(sha256: str, page: int) -> HttpResponse:
    return png_response(originals.page_image(store(), sha256, page), "无法显示这一页")
