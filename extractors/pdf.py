"""PDF pages: the text layer when it is good, OCR when it is not; decided and recorded per page.

Pages are streamed: each is judged, rendered only if it needs OCR, read, and its image dropped before
the next page, so a 300-page bundle never holds more than one page image.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pymupdf

from core.codes import Code
from core.model import Document, Line, Page, Problem

from . import problems as msg
from .drawnmarks import may_hold_marks, read_drawn_marks
from .layout import new_line, reading_order
from .ocrpage import ocr_into
from .options import ExtractOptions
from .pdfstructure import detach_structure
from .pixels import MAX_PIXELS
from .quality import PLAUSIBLE, judge_layer, plausibility
from .tables import born_digital_tables
from .textlayer import line_text, read_text_layer
from .workers import resolve_workers

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
pymupdf._recommend_layout = False  # silence the one-time hint printed by find_tables()

SCAN_COVERAGE = 0.6  # images covering this share of the page make it a scan
SAMPLE_CHARS = 120  # characters of a file's longest plain page tested for plausible Chinese (~0.2 ms)
INK_DPI = 36
BLANK_DPI = 36  # a hairline still darkens its pixels; ~3 ms a page
BLANK_MAX_INK = 2  # dark pixels at BLANK_DPI an empty sheet may show (specks average out); one stroke shows 5+
TAIL_BYTES = 16 * 1024  # a complete PDF ends with %%EOF within its last bytes (after any trailing junk)


def looks_truncated(path: Path) -> bool:
    """No %%EOF near the end: the file was cut off (in transfer, by a mail size limit...)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.seek(max(0, size - TAIL_BYTES))
            return b"%%EOF" not in fh.read()
    except OSError:
        return True


def damage_problem(path: Path, doc: pymupdf.Document, pages: list[Page], name: str) -> Problem | None:
    """An `unreadable_file` problem when MuPDF had to repair the file or its end is missing.

    MuPDF reads what it can of a damaged file into blank or partial pages without complaint; the
    reviewer must know the file is damaged, which pages were still read, and that it must be resent.
    """
    if not (doc.is_repaired or looks_truncated(path)):
        return None
    read = [p.page for p in pages if p.text.strip()]
    if read:
        readable = f"可读出第 {_page_ranges(read)} 页的内容（文件现存 {doc.page_count} 页）"
    else:
        readable = "但没有读出任何内容"
    return msg.unreadable(msg.DAMAGED_PDF.format(readable=readable), name)


def _page_ranges(numbers: list[int]) -> str:
    """1,2,3,5 -> "1–3、5"."""
    parts, start = [], numbers[0]
    for prev, cur in zip(numbers, [*numbers[1:], None], strict=True):
        if cur != prev + 1:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = cur
    return "、".join(parts)


def open_pdf(path: Path, name: str) -> tuple[pymupdf.Document | None, Problem | None]:
    """Open a PDF; an empty user password is tried; damaged or locked files become problems."""
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception:  # noqa: BLE001 - MuPDF raises various errors on damaged files
        return None, msg.unreadable(msg.CORRUPT, name)
    try:
        if doc.needs_pass and not doc.authenticate(""):
            doc.close()
            return None, msg.unreadable(msg.ENCRYPTED, name)
        count = doc.page_count  # a damaged page tree raises here
    except Exception:  # noqa: BLE001
        doc.close()
        return None, msg.unreadable(msg.CORRUPT, name)
    detach_structure(doc)  # an unsound structure tree can hang MuPDF's rendering (see pdfstructure)
    if count == 0:
        doc.close()
        return None, msg.unreadable(msg.CORRUPT, name)
    return doc, None


def _text_lines(page: pymupdf.Page) -> tuple[list[Line], int, int, int]:
    """Lines of the text layer in upright-page points, and counts of all, invisible and unmapped characters."""
    lines: list[Line] = []
    total = invisible = unmapped = 0
    rotated = page.rotation != 0
    mat = page.rotation_matrix
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    for block in page.get_text("dict", flags=flags)["blocks"]:
        for ln in block.get("lines", ()):
            parts = []
            for span in ln["spans"]:
                n = len(span["text"].strip())
                total += n
                if span.get("alpha", 255) == 0:
                    invisible += n
                parts.append(span["text"])
            raw = "".join(parts)
            unmapped += raw.count("\ufffd")
            text = line_text(raw)
            if text:
                r = pymupdf.Rect(ln["bbox"]) * mat if rotated else pymupdf.Rect(ln["bbox"])
                lines.append(new_line(text, (r.x0, r.y0, r.x1, r.y1)))
    return lines, total, invisible, unmapped


def _image_cover(page: pymupdf.Page) -> tuple[float, float, int]:
    """(share of the page covered by images, share of text drawn under a later image, image count)."""
    log = page.get_bboxlog()
    area = abs(page.rect) or 1.0
    images = [pymupdf.Rect(r) for kind, r in log if kind == "fill-image"]
    if not images:
        return 0.0, 0.0, 0
    cover = max(abs(r & page.rect) for r in images) / area
    text_total = hidden = 0.0
    later_images: list[pymupdf.Rect] = []
    for kind, r in reversed(log):  # walk back so "images drawn after this text" are known
        rect = pymupdf.Rect(r)
        if kind == "fill-image":
            later_images.append(rect)
        elif kind.endswith("-text"):
            a = abs(rect) or 0.0
            text_total += a
            if any(abs(rect & im) >= 0.5 * a for im in later_images):
                hidden += a
    return min(cover, 1.0), hidden / text_total if text_total else 0.0, len(images)


def _ink_coverage(page: pymupdf.Page, lines: list[Line]) -> float:
    """Share of ink rows of the rendered page that some text-layer line covers vertically."""
    pix = page.get_pixmap(dpi=INK_DPI, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w]
    dark = (img < 128).sum(axis=1) > max(2, pix.w // 100)
    if not dark.any():
        return 1.0
    covered = np.zeros(pix.h, bool)
    scale = pix.h / (page.rect.height or 1)
    for ln in lines:
        covered[int(ln.bbox[1] * scale) : int(np.ceil(ln.bbox[3] * scale)) + 1] = True
    return float((dark & covered).sum() / dark.sum())


def capped_dpi(page: pymupdf.Page, dpi: int) -> int:
    """The DPI to render at, lowered for a page so large (a poster, a hostile MediaBox) that its
    image would pass the decoded-pixel limit."""
    inches = (abs(page.rect) or 1.0) / (72.0 * 72.0)
    return int(min(float(dpi), (MAX_PIXELS / inches) ** 0.5))  # PyMuPDF takes whole DPI only (a float: TypeError)


def render_gray(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w]
    return img.copy()


def judge_page(page: pymupdf.Page, page_no: int, options: ExtractOptions) -> tuple[Page, bool]:
    """The page read from its text layer when that is good; else an empty OCR page and True."""
    layer = read_text_layer(page)
    if layer.images:  # scans, pictures: visibility and z-order matter
        lines, total, invisible, unmapped = _text_lines(page)
        cover, hidden, n_images = _image_cover(page)
        ordered = None
        text = "\n".join(ln.text for ln in lines)
    else:  # a plain born-digital page: the cheap path (most pages of most files)
        lines, total, invisible, unmapped = layer.lines, 1, 0, layer.unmapped
        cover, hidden, n_images = 0.0, 0.0, 0
        # nothing here depends on line order (no plausibility test without images): order once
        ordered, text = reading_order(lines)
    scan_like = cover >= SCAN_COVERAGE
    ink = _ink_coverage(page, lines) if scan_like and lines else None
    verdict = judge_layer(text, invisible / total if total else 0.0, scan_like, hidden, ink, unmapped)
    if verdict.use_text:
        ordered, text = reading_order(lines) if ordered is None else (ordered, text)
        marked = read_drawn_marks(page, ordered, layer.vectors) if may_hold_marks(layer.vectors) else None
        if marked is not None:  # boxes, ticks, circles drawn as shapes: written into lines and cells
            ordered, text = marked[0], "\n".join(ln.text for ln in marked[0])
        return Page(page=page_no, source="text_layer", reason=verdict.reason, width=layer.width,
                    height=layer.height, images=n_images, lines=ordered, text=text,
                    tables=born_digital_tables(page, layer.vectors, marked[1] if marked else None)), False
    out = Page(page=page_no, source="ocr", reason=verdict.reason, width=layer.width, height=layer.height,
               images=n_images)
    if not lines and is_blank(page, layer.images, layer.vectors):
        out.reason = "blank_page"  # nothing to read: no OCR, no problem
        return out, False
    return out, _wants_ocr(out, options)


def is_blank(page: pymupdf.Page, images: int, vectors: list) -> bool:
    """Whether a page without text shows nothing: nothing painted at all, or no ink when rendered small.

    Decided before OCR, so a file of empty pages costs milliseconds a page instead of an OCR pass each.
    """
    if not images and not vectors:
        return True
    try:
        pix = page.get_pixmap(dpi=BLANK_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    except Exception:  # noqa: BLE001 - not renderable: let the OCR path report it
        return False
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w]
    return int((img < 200).sum()) <= BLANK_MAX_INK


def _wants_ocr(out: Page, options: ExtractOptions) -> bool:
    """Whether this page, whose text layer is not used, is to be OCR'd; if OCR is off it gets the problem."""
    if not options.ocr:
        out.problems.append(Problem(code=Code.OCR_DISABLED, message=msg.NO_TEXT_NO_OCR, page=out.page))
    return options.ocr


def implausible_plain_pages(pages: list[Page]) -> list[Page]:
    """Plain text-layer pages whose characters do not make Chinese words: a font whose codes map to
    the wrong, real characters (乱码 when copied) while its glyphs print right.

    Such a font spoils a file's body text, so one sample of the longest plain page decides
    whether every plain page of the file is looked at; a file of good pages pays the sample only.
    """
    plain = [p for p in pages if p.reason == "good_text_layer" and len(p.text) >= SAMPLE_CHARS // 4]
    if not plain or plausibility(max(plain, key=lambda p: len(p.text)).text, SAMPLE_CHARS) >= PLAUSIBLE:
        return []
    return [p for p in plain if plausibility(p.text) < PLAUSIBLE]


def ocr_page(page: pymupdf.Page, out: Page, options: ExtractOptions) -> Page:
    """Render the page (grayscale, at the chosen DPI) and OCR it into `out`; the image is dropped."""
    dpi = capped_dpi(page, options.dpi)
    try:
        img = render_gray(page, dpi)
    except Exception as exc:  # noqa: BLE001
        out.problems.append(Problem(code=Code.PAGE_UNREADABLE, page=out.page,
                                    message=msg.PAGE_RENDER_FAILED.format(page=out.page, why=type(exc).__name__)))
        return out
    ocr_into(out, img, options, scale=72.0 / dpi)
    return out


def _broken_page(page_no: int, exc: BaseException) -> Page:
    return Page(page=page_no, source="ocr", reason="page_unreadable", problems=[
        Problem(code=Code.PAGE_UNREADABLE, page=page_no,
                message=msg.PAGE_RENDER_FAILED.format(page=page_no, why=type(exc).__name__))])


def extract_pdf(path: Path, name: str, options: ExtractOptions) -> Document:
    doc_out = Document(path=name, format="pdf")
    doc, problem = open_pdf(path, name)
    if problem is not None:
        doc_out.problems.append(problem)
        return doc_out
    assert doc is not None
    pending: list[Page] = []  # pages whose text layer is not good enough: OCR after the judging pass
    with doc:
        total = doc.page_count
        limit = min(total, options.max_pages)
        if total > limit:
            doc_out.problems.append(Problem(code=Code.TOO_MANY_PAGES,
                                            message=msg.TOO_MANY_PAGES.format(total=total, limit=limit)))
        doc_out.metadata = {"page_count": total, "encrypted": bool(doc.is_encrypted)}
        started = time.perf_counter()
        for i in range(limit):
            if not options.wants(i + 1):
                continue
            try:
                out, needs_ocr = judge_page(doc.load_page(i), i + 1, options)
            except Exception as exc:  # noqa: BLE001 - a damaged page must not stop the file
                out, needs_ocr = _broken_page(i + 1, exc), False
            doc_out.pages.append(out)
            if needs_ocr:
                pending.append(out)
        for out in implausible_plain_pages(doc_out.pages):
            out.source, out.reason, out.lines, out.text, out.tables = "ocr", "implausible_text_layer", [], "", []
            if _wants_ocr(out, options):
                pending.append(out)
        pending.sort(key=lambda p: p.page)
        workers = resolve_workers(options, len(pending))
        doc_out.metadata["ocr_workers"] = workers
        if workers <= 1:
            for out in pending:  # one page image at a time; ocr_page fills `out` in place
                try:
                    ocr_page(doc.load_page(out.page - 1), out, options)
                except Exception as exc:  # noqa: BLE001
                    out.problems.append(_broken_page(out.page, exc).problems[0])
        if workers > 1:
            from .workers import ocr_pages_in_workers

            done = ocr_pages_in_workers(path, pending, options, workers, ocr_page)
            doc_out.pages = [done.get(p.page, p) for p in doc_out.pages]
        if (damaged := damage_problem(path, doc, doc_out.pages, name)) is not None:
            doc_out.problems.append(damaged)
            doc_out.metadata["repaired"] = True
    doc_out.metadata["seconds"] = round(time.perf_counter() - started, 3)
    if doc_out.pages and doc_out.readable and all(p.reason == "page_unreadable" for p in doc_out.pages):
        doc_out.problems.append(msg.unreadable(msg.CORRUPT, name))
        doc_out.pages = []
    return doc_out
