"""The region of the original page an evidence passage sits in, as a picture beside its text.

An officer rules on the original, not on extracted text: each side of a passage is shown as the part of
the archived page it comes from. The region is found from the page's own characters (PyMuPDF's text
layer, or the line boxes an extractor kept for a scanned page, `core.model.Line`), matched to the
passage with spaces and punctuation ignored; where it cannot be found the whole page is shown.
Slides are not rendered (that needs an office suite): their evidence links to the slide's file.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

import pymupdf
from PIL import Image

from core.model import Flag, Line
from extractors.pdfstructure import detach_structure
from pipeline.reports.common import atomic_write_bytes

log = logging.getLogger(__name__)

_SKIP = re.compile(r"[\s\W_]+", re.UNICODE)
MARGIN = 12.0  # points around the passage
WIDTH = 900  # px of a rendered region
PROBE = 8  # characters matched at each end of the passage


def _fold(text: str) -> tuple[str, list[int]]:
    """Text without spaces and punctuation, and each kept character's index in the original."""
    keep = [(i, ch) for i, ch in enumerate(text) if not _SKIP.fullmatch(ch)]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


def _chars(page: pymupdf.Page) -> list[tuple[str, pymupdf.Rect]]:
    out = []
    for block in page.get_text("rawdict").get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                for ch in span.get("chars", []):
                    out.append((ch["c"], pymupdf.Rect(ch["bbox"])))
    return out


def _locate(boxes: list[tuple[str, pymupdf.Rect]], wanted: str) -> pymupdf.Rect | None:
    """The union of the boxes of `wanted` (both folded), found by its first and last PROBE characters."""
    text, index = _fold("".join(c for c, _ in boxes))
    want, _ = _fold(wanted)
    if len(want) < 2 or not text:
        return None
    head, tail = want[:PROBE], want[-PROBE:]
    s = text.find(head)
    if s < 0:
        return None
    e = text.find(tail, s + max(0, len(want) - len(tail) - 2 * len(want) // 3))
    e = e + len(tail) if e >= 0 else min(len(text), s + len(want))
    rect = pymupdf.Rect(boxes[index[s]][1])
    for k in range(s, e):
        rect |= boxes[index[k]][1]
    return rect


def passage_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The copied part of an evidence side (its first to last copied character)."""
    if not spans:
        return text
    return text[min(a for a, _ in spans) : max(b for _, b in spans)]


def _tail_rect(boxes: list[tuple[str, pymupdf.Rect]], wanted: str) -> pymupdf.Rect | None:
    """From the page's first character to the end of `wanted` (its last PROBE characters)."""
    text, index = _fold("".join(c for c, _ in boxes))
    want, _ = _fold(wanted)
    e = text.rfind(want[-PROBE:]) if want else -1
    if e < 0:
        return None
    rect = pymupdf.Rect(boxes[index[0]][1])
    for k in range(0, e + len(want[-PROBE:])):
        rect |= boxes[index[k]][1]
    return rect


def _page_clip(doc: pymupdf.Document, page: int, text: str, part: str, lines: list[Line] | None
               ) -> tuple[pymupdf.Page, pymupdf.Rect] | None:
    """The page and the clip of it showing `text`'s part on it: "only" (the passage is on this page),
    "first" (it goes on over the page's end), "last" (it started on an earlier page) or "middle"."""
    if not 1 <= page <= doc.page_count:
        return None
    pg = doc[page - 1]
    boxes = _chars(pg)
    if lines and not boxes:
        boxes = [(ch, pymupdf.Rect(ln.bbox)) for ln in lines for ch in ln.text]
    if part == "middle":
        return pg, pg.rect
    rect = _tail_rect(boxes, text) if part == "last" else _locate(boxes, text)
    if rect is None:
        return pg, pg.rect
    if part == "first":
        rect = pymupdf.Rect(rect.x0, rect.y0, rect.x1, pg.rect.y1 - MARGIN)
    if part == "last":
        rect = pymupdf.Rect(rect.x0, pg.rect.y0 + MARGIN, rect.x1, rect.y1)
    return pg, pymupdf.Rect(pg.rect.x0, rect.y0 - MARGIN, pg.rect.x1, rect.y1 + MARGIN) & pg.rect


def render_region(archive_path: str | Path, page: int, text: str, out_path: Path, *, end: int | None = None,
                  lines: list[Line] | None = None, width: int = WIDTH) -> Path | None:
    """Render the region of `page` (1-based; to `end` for a passage over page breaks, the pages' regions
    stacked) of the archived PDF holding `text` into `out_path` (PNG). `lines` (the extractor's line
    boxes, for a scanned page without a text layer) locate the passage on `page`. None when the file or
    page cannot be rendered."""
    try:
        doc = pymupdf.open(archive_path)
        detach_structure(doc)  # an unsound structure tree can hang rendering
    except Exception as exc:
        log.warning("cannot open %s for evidence pictures: %s", archive_path, exc)
        return None
    try:
        if doc.needs_pass:
            return None
        last = min(end or page, page + 3, doc.page_count)  # a very long passage: its first pages
        parts = []
        for k in range(page, last + 1):
            part = "only" if last == page else "first" if k == page else "last" if k == last else "middle"
            got = _page_clip(doc, k, text, part, lines if k == page else None)
            if got is None:
                return None
            pg, clip = got
            zoom = min(width / max(clip.width, 1.0), 3.0)
            parts.append(pg.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False))
        atomic_write_bytes(out_path, _stack(parts))
        return out_path
    except Exception as exc:  # a damaged page: the evidence is shown without its picture
        log.warning("cannot render evidence of %s page %s: %s", archive_path, page, exc)
        return None
    finally:
        doc.close()


def _stack(parts: list[pymupdf.Pixmap]) -> bytes:
    """Pixmaps one below the other, a grey rule between pages, as PNG."""
    if len(parts) == 1:
        return parts[0].tobytes("png")
    images = [Image.frombytes("RGB", (p.width, p.height), p.samples) for p in parts]
    width = max(im.width for im in images)
    out = Image.new("RGB", (width, sum(im.height for im in images) + 6 * (len(images) - 1)), (160, 160, 160))
    y = 0
    for im in images:
        out.paste(im, (0, y))
        y += im.height + 6
    buf = io.BytesIO()
    out.save(buf, "PNG")
    return buf.getvalue()


def _is_pdf(path: str | None) -> bool:
    return bool(path) and str(path).lower().endswith(".pdf")


def evidence_images(flag: Flag, archive_of: dict[str, str], out_dir: Path) -> dict[int, tuple[Path | None, Path | None]]:
    """Pictures of both sides of every evidence passage of `flag`: {evidence index: (A picture, B picture)}.

    `archive_of` maps an inbox path (Flag/Evidence file) to its archived original; a side's own
    `archive_path` is used for its main file (earlier years). Pictures are named by flag id and index
    under `out_dir` with a hash of what they show, so an unchanged passage is not rendered twice."""
    out: dict[int, tuple[Path | None, Path | None]] = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for k, e in enumerate(flag.evidence):
        pics = []
        for side, file, page, end, text, spans in (
            ("a", e.a_file or flag.a.file, e.a_page, e.a_page_end, e.a_text, e.a_spans),
            ("b", e.b_file or flag.b.file, e.b_page, e.b_page_end, e.b_text, e.b_spans),
        ):
            own = flag.a if side == "a" else flag.b
            src = archive_of.get(file) or (own.archive_path if file == own.file else None)
            key = hashlib.sha1(f"{src}|{file}|{page}|{end}|{text}|{spans}".encode()).hexdigest()[:10]
            target = out_dir / f"{flag.flag_id or 'flag'}-{k + 1}-{side}-{key}.png"
            if not (src and _is_pdf(src) or src and _is_pdf(file)):
                pics.append(None)
            elif target.exists():
                pics.append(target)
            else:
                pics.append(render_region(src, page, passage_text(text, spans), target, end=end))
        out[k] = (pics[0], pics[1])
    return out

