"""Bytes in, `Document` out: every input format of an intake, never an exception for bad input.

`extract()` sniffs the format from the bytes, dispatches to the reader of that format and turns
anything unreadable into an `unreadable_file` problem with a Chinese message.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.codes import Code
from core.model import Document, Problem

from . import problems as msg
from .options import ExtractOptions
from .sniff import EXTENSIONS, describe_foreign, extension_matches, ole_header_ok, sniff_format

EXTRACTOR_VERSION = "1.5.1"  # 1.5: damaged PDFs, blank pages, RAR/7z, pixel limits; turned pages upright

__all__ = ["EXTRACTOR_VERSION", "ExtractOptions", "extract", "sniff_format"]

FORMAT_NAMES = {"pdf": "PDF", "pptx": "PPTX 演示文稿", "ppt": "PPT 演示文稿", "doc": "Word 文档",
                "docx": "Word 文档", "xlsx": "Excel 表格", "xls": "Excel 表格", "image": "图片",
                "zip": "压缩包", "unknown": "未知格式", "ole": "Office 复合文档", "odf": "OpenDocument 文档",
                "rtf": "RTF 文档", "ofd": "OFD 版式文档",
                "keynote": "Keynote 演示文稿"}


OLE_FORMATS = ("ppt", "doc", "xls", "ole")  # compound files: a damaged header is damaged, whatever LibreOffice says


def _dispatch(fmt: str, path: Path, name: str, options: ExtractOptions) -> Document:
    if fmt == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(path, name, options)
    if fmt == "pptx":
        from .slides import extract_pptx

        return extract_pptx(path, name, options)
    if fmt == "image":
        from .image import extract_image

        return extract_image(path, name, options)
    if fmt == "ofd":
        from .ofd import extract_ofd

        return extract_ofd(path, name, options)
    if fmt in ("ppt", "doc", "docx", "xls", "xlsx", "ole", "odf", "rtf"):
        from .legacy import extract_office

        return extract_office(fmt, path, name, options, _dispatch)
    if fmt == "keynote":  # recognised so the finding names it; banzu cannot read it
        return Document(path=name, format=fmt, problems=[msg.unreadable(msg.UNSUPPORTED_DOCUMENT.format(
            fmt=FORMAT_NAMES[fmt]), name)])
    if fmt == "zip":
        return Document(path=name, format="zip", problems=[msg.unreadable(msg.ZIP_AS_DOCUMENT, name)])
    if (foreign := describe_foreign(path)) is not None:
        return Document(path=name, format="unknown", metadata={"detected": foreign},
                        problems=[msg.unreadable(msg.FOREIGN.format(fmt=foreign), name)])
    ext = path.suffix or Path(name).suffix or "无"
    return Document(path=name, format="unknown", problems=[msg.unreadable(msg.UNKNOWN.format(ext=ext), name)])


def extract(path: str | Path, *, name: str | None = None, options: ExtractOptions | None = None) -> Document:
    """Read one file into a Document; unreadable input becomes a problem, never an exception."""
    path = Path(path)
    name = name if name is not None else str(path)
    options = options or ExtractOptions()
    fmt = sniff_format(path)
    if fmt == "empty":
        doc = Document(path=name, format="empty", problems=[msg.unreadable(msg.EMPTY, name)])
    elif not path.is_file() or not os.access(path, os.R_OK):
        doc = Document(path=name, format="unknown", problems=[msg.unreadable(msg.NOT_FOUND, name)])
    elif fmt in OLE_FORMATS and not ole_header_ok(path):
        doc = Document(path=name, format=fmt, problems=[msg.unreadable(msg.CORRUPT, name)])
    else:
        try:
            doc = _dispatch(fmt, path, name, options)
        except Exception as exc:  # noqa: BLE001 - the promise: bad input never crashes a run
            doc = Document(path=name, format=fmt, problems=[
                msg.unreadable(f"{msg.CORRUPT}（{type(exc).__name__}）", name)])
    ext = Path(name).suffix.lower()
    known_ext = any(ext in exts for exts in EXTENSIONS.values())
    if fmt == "unknown" and known_ext and path.is_file():
        actual = doc.metadata.get("detected", "未知格式")
        doc.problems = [msg.unreadable(msg.EXT_MISMATCH.format(ext=ext, fmt=actual) + msg.ASK_PDF, name)]
    elif ext and fmt not in ("empty", "unknown") and not extension_matches(name, fmt) and doc.readable:
        text = msg.EXT_MISMATCH.format(ext=ext, fmt=FORMAT_NAMES.get(fmt, fmt))
        doc.problems.append(Problem(code=Code.EXTENSION_MISMATCH, message=text, file=name))
    doc.extractor_version = EXTRACTOR_VERSION
    return doc
