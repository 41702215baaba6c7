"""OFD (GB/T 33190 版式文档): a zip of XML. Text objects are read in reading order; a page without
text is composed from its page images and OCR'd, like a scan.

Structure followed: OFD.xml → DocBody/DocRoot (Document.xml) → Pages/Page@BaseLoc (Content.xml) →
Content/Layer/…/TextObject (Boundary "x y w h" in mm, TextCode X/Y relative to it, Y the baseline)
and ImageObject (ResourceID → MultiMedia/MediaFile in PublicRes/DocumentRes under Res@BaseLoc).
Template pages (Page/Template@TemplateID → CommonData/TemplatePage) are read with their page.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image

from core.codes import Code
from core.model import Document, Line, Page, Problem

from . import problems as msg
from .layout import reading_order
from .ocrpage import ocr_into
from .options import ExtractOptions

PT_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)
MAX_XML_BYTES = 32 * 1024 * 1024  # one page's XML; more is a bomb, not a document
MAX_IMAGE_BYTES = 64 * 1024 * 1024
MAX_CANVAS_PIXELS = 60_000_000


class OfdError(Exception):
    """The package is not a readable OFD; the message says what is missing (Chinese)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next(iter(_children(el, name)), None)


def _find(el: ET.Element, *path: str) -> ET.Element | None:
    for name in path:
        if el is None:
            return None
        el = _child(el, name)
    return el


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError:
        return []


def _box(text: str | None) -> tuple[float, float, float, float] | None:
    v = _numbers(text)
    return (v[0], v[1], v[2], v[3]) if len(v) == 4 else None


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N d" repeats d N times."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            with contextlib.suppress(ValueError):
                out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
            continue
        with contextlib.suppress(ValueError):
            out.append(float(tokens[i]))
        i += 1
    return out


class Package:
    """The zip with OFD's path rules: absolute from the root, else relative to the referring file."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.names = {n.lower(): n for n in zf.namelist()}

    def resolve(self, loc: str, base_dir: str = "") -> str | None:
        loc = loc.strip().replace("\\", "/")
        candidates = [loc.lstrip("/")] if loc.startswith("/") else [
            posixpath.normpath(posixpath.join(base_dir, loc)), posixpath.normpath(loc)]
        for c in candidates:
            if (real := self.names.get(c.lower())) is not None:
                return real
        return None

    def read(self, name: str, limit: int) -> bytes:
        info = self.zf.getinfo(name)
        if info.file_size > limit:
            raise OfdError(f"{name} 过大")
        return self.zf.read(info)

    def xml(self, name: str) -> ET.Element:
        try:
            return ET.fromstring(self.read(name, MAX_XML_BYTES))
        except ET.ParseError as exc:
            raise OfdError(f"{name} 不是有效的 XML") from exc


@dataclass
class OfdDoc:
    pkg: Package
    doc_dir: str
    default_box: tuple[float, float, float, float]
    media: dict[str, str] = field(default_factory=dict)  # resource id -> zip member
    templates: dict[str, str] = field(default_factory=dict)  # template id -> content member


def _load_res(pkg: Package, res_name: str, media: dict[str, str]) -> None:
    root = pkg.xml(res_name)
    res_dir = posixpath.dirname(res_name)
    base = posixpath.join(res_dir, root.get("BaseLoc", "")) if root.get("BaseLoc") else res_dir
    for mm in root.iter():
        if _local(mm.tag) != "MultiMedia":
            continue
        media_file = _child(mm, "MediaFile")
        if media_file is None or not (media_file.text or "").strip():
            continue
        found = pkg.resolve(media_file.text, base) or pkg.resolve(media_file.text, res_dir)
        if found and mm.get("ID"):
            media[mm.get("ID")] = found


def _box_at(el: ET.Element | None, *path: str) -> tuple[float, float, float, float] | None:
    found = _find(el, *path) if el is not None else None
    return _box(found.text) if found is not None else None


def open_document(pkg: Package) -> tuple[OfdDoc, list[str]]:
    """The first document of the package and its pages' content members ("" where one is missing)."""
    entry = pkg.resolve("OFD.xml")
    if entry is None:
        raise OfdError("缺少 OFD.xml")
    doc_root = _find(pkg.xml(entry), "DocBody", "DocRoot")
    doc_name = pkg.resolve(doc_root.text or "") if doc_root is not None and doc_root.text else None
    if doc_name is None:
        raise OfdError("缺少 Document.xml")
    document = pkg.xml(doc_name)
    doc_dir = posixpath.dirname(doc_name)
    common = _child(document, "CommonData")
    ofd = OfdDoc(pkg, doc_dir, _box_at(common, "PageArea", "PhysicalBox") or (0.0, 0.0, *A4_MM))
    if common is not None:
        for tag in ("PublicRes", "DocumentRes"):
            for res in _children(common, tag):
                if res.text and (name := pkg.resolve(res.text, doc_dir)):
                    _load_res(pkg, name, ofd.media)
        for tpl in _children(common, "TemplatePage"):
            if tpl.get("ID") and tpl.get("BaseLoc") and (name := pkg.resolve(tpl.get("BaseLoc"), doc_dir)):
                ofd.templates[tpl.get("ID")] = name
    listed = _child(document, "Pages")
    pages = [pkg.resolve(p.get("BaseLoc", ""), doc_dir) or "" if p.get("BaseLoc") else ""
             for p in (_children(listed, "Page") if listed is not None else [])]
    if not pages:
        raise OfdError("文档没有页面")
    return ofd, pages


@dataclass
class PageObjects:
    box: tuple[float, float, float, float]
    lines: list[Line] = field(default_factory=list)
    images: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)


def _text_lines(obj: ET.Element) -> list[Line]:
    boundary = _box(obj.get("Boundary"))
    if boundary is None:
        return []
    bx, by, bw, _ = boundary
    size = float(obj.get("Size") or 3.5)
    lines = []
    for code in _children(obj, "TextCode"):
        text = "".join((code.text or "").split())
        if not text:
            continue
        x = float(code.get("X") or 0)
        y = float(code.get("Y") or size)
        dx = _deltas(code.get("DeltaX"))
        width = sum(dx[: len(text) - 1]) + size if dx else len(text) * size
        x0, y1 = bx + x, by + y
        lines.append(Line(text=text, bbox=(x0 * PT_PER_MM, (y1 - size) * PT_PER_MM,
                                           min(x0 + width, bx + max(bw, width)) * PT_PER_MM,
                                           (y1 + 0.2 * size) * PT_PER_MM)))
    return lines


def page_objects(ofd: OfdDoc, content: str) -> PageObjects:
    """The text lines (points) and images (mm boxes) of one page, its template's included."""
    root = ofd.pkg.xml(content)
    out = PageObjects(_box_at(root, "Area", "PhysicalBox") or ofd.default_box)
    roots = [root]
    for tpl in _children(root, "Template"):
        if (name := ofd.templates.get(tpl.get("TemplateID", ""))) is not None:
            roots.append(ofd.pkg.xml(name))
    for r in roots:
        for el in r.iter():
            kind = _local(el.tag)
            if kind == "TextObject":
                out.lines.extend(_text_lines(el))
            elif kind == "ImageObject" and (b := _box(el.get("Boundary"))) and el.get("ResourceID") in ofd.media:
                out.images.append((b, ofd.media[el.get("ResourceID")]))
    return out


def compose_page(ofd: OfdDoc, objects: PageObjects, dpi: int) -> np.ndarray | None:
    """The page's images drawn where their boundaries say, at `dpi`, as grayscale pixels."""
    x0, y0, w_mm, h_mm = objects.box
    px_per_mm = dpi / 25.4
    w, h = max(int(w_mm * px_per_mm), 1), max(int(h_mm * px_per_mm), 1)
    if w * h > MAX_CANVAS_PIXELS:
        px_per_mm *= (MAX_CANVAS_PIXELS / (w * h)) ** 0.5
        w, h = int(w_mm * px_per_mm), int(h_mm * px_per_mm)
    canvas = Image.new("L", (w, h), 255)
    drawn = 0
    for (bx, by, bw, bh), member in objects.images:
        with Image.open(BytesIO(ofd.pkg.read(member, MAX_IMAGE_BYTES))) as im:
            size = (max(int(bw * px_per_mm), 1), max(int(bh * px_per_mm), 1))
            canvas.paste(im.convert("L").resize(size), (int((bx - x0) * px_per_mm), int((by - y0) * px_per_mm)))
            drawn += 1
    return np.asarray(canvas) if drawn else None


def read_page(ofd: OfdDoc, content: str, page_no: int, options: ExtractOptions) -> Page:
    objects = page_objects(ofd, content)
    _, _, w_mm, h_mm = objects.box
    page = Page(page=page_no, source="text_layer", reason="ofd_text", width=w_mm * PT_PER_MM,
                height=h_mm * PT_PER_MM, images=len(objects.images))
    if objects.lines:
        page.lines, page.text = reading_order(objects.lines)
        return page
    page.source, page.reason = "ocr", "ofd_page_image"
    if not objects.images:
        page.reason = "empty_page"
        return page
    if not options.ocr:
        page.problems.append(Problem(code=Code.OCR_DISABLED, page=page_no, message=msg.NO_TEXT_NO_OCR))
        return page
    try:
        img = compose_page(ofd, objects, options.dpi)
    except Exception as exc:  # noqa: BLE001 - an undecodable image (e.g. JBIG2) costs this page only
        why = type(exc).__name__
        page.problems.append(Problem(code=Code.PAGE_UNREADABLE, page=page_no,
                                     message=msg.PAGE_RENDER_FAILED.format(page=page_no, why=why)))
        return page
    if img is not None:
        ocr_into(page, img, options, 72.0 / options.dpi)
    return page


def extract_ofd(path: Path, name: str, options: ExtractOptions) -> Document:
    out = Document(path=name, format="ofd")
    with zipfile.ZipFile(path) as zf:
        pkg = Package(zf)
        try:
            ofd, pages = open_document(pkg)
        except (OfdError, KeyError) as exc:
            out.problems.append(msg.unreadable(msg.OFD_BROKEN.format(why=str(exc).strip("'")), name))
            return out
        for no, content in enumerate(pages[: options.max_pages], start=1):
            if not options.wants(no):
                continue
            if not content:
                out.pages.append(Page(page=no, source="text_layer", reason="missing_page", problems=[
                    Problem(code=Code.PAGE_UNREADABLE, page=no, message=msg.PAGE_RENDER_FAILED.format(
                        page=no, why="页面文件缺失"))]))
                continue
            try:
                out.pages.append(read_page(ofd, content, no, options))
            except (OfdError, KeyError, ValueError) as exc:
                out.pages.append(Page(page=no, source="text_layer", reason="broken_page", problems=[
                    Problem(code=Code.PAGE_UNREADABLE, page=no, message=msg.PAGE_RENDER_FAILED.format(
                        page=no, why=re.sub(r"\s+", " ", str(exc))[:80]))]))
        if len(pages) > options.max_pages:
            out.problems.append(Problem(code=Code.TOO_MANY_PAGES, file=name, message=msg.TOO_MANY_PAGES.format(
                total=len(pages), limit=options.max_pages)))
    return out
