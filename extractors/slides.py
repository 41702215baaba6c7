"""PPTX reports: every slide's text frames, grouped shapes, tables and notes; pictures are OCR'd."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from core.codes import Code
from core.model import Document, Line, Page, Problem, Table

from . import problems as msg
from .layout import normalize_ocr_text, reading_order
from .ocrpage import ocr_image
from .options import ExtractOptions
from .pixels import declared_size, too_large_message, too_many_pixels

EMU_PER_PT = 12700
MIN_PICTURE_SIDE = 48  # pixels; smaller pictures are icons, not text
MAX_PICTURE_PIXELS = 40_000_000


def _pt(v: int | Emu | None) -> float:
    return float(v or 0) / EMU_PER_PT


def _bbox(shape, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float, float, float]:
    x, y = _pt(shape.left) + dx, _pt(shape.top) + dy
    return (x, y, x + _pt(shape.width), y + _pt(shape.height))


class SlideReader:
    """Collects one slide's lines, tables and OCR'd pictures."""

    def __init__(self, page: Page, options: ExtractOptions) -> None:
        self.page, self.options = page, options
        self.lines: list[Line] = []
        self.text_lines = 0
        self.ocr_lines = 0

    def walk(self, shapes) -> None:
        for shape in shapes:
            try:
                self.shape(shape)
            except Exception as exc:  # noqa: BLE001 - one odd shape must not lose the slide
                self.page.problems.append(Problem(code=Code.SLIDE_PARTLY_UNREADABLE, page=self.page.page,
                                                  message=msg.SLIDE_FAILED.format(page=self.page.page, why=type(exc).__name__)))

    def shape(self, shape) -> None:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            self.walk(shape.shapes)
            return
        if getattr(shape, "has_table", False) and shape.has_table:
            self.table(shape)
            return
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            self.text_frame(shape)
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or hasattr(shape, "image"):
            self.picture(shape)

    def text_frame(self, shape) -> None:
        x0, y0, x1, y1 = _bbox(shape)
        paras = [p for p in shape.text_frame.paragraphs if "".join(r.text for r in p.runs).strip() or p.text.strip()]
        n = max(len(paras), 1)
        step = (y1 - y0) / n
        for i, para in enumerate(paras):
            text = " ".join(para.text.replace("\x0b", " ").split())
            if text:
                self.lines.append(Line(text=text, bbox=(x0, y0 + i * step, x1, y0 + (i + 1) * step)))
                self.text_lines += 1

    def table(self, shape) -> None:
        rows = []
        for row in shape.table.rows:
            rows.append([" ".join(cell.text.split()) for cell in row.cells])
        if not any(any(r) for r in rows):
            return
        bbox = _bbox(shape)
        self.page.tables.append(Table(rows=rows, bbox=bbox))
        h = (bbox[3] - bbox[1]) / max(len(rows), 1)
        for i, r in enumerate(rows):
            text = " ".join(c for c in r if c)
            if text:
                self.lines.append(Line(text=text, bbox=(bbox[0], bbox[1] + i * h, bbox[2], bbox[1] + (i + 1) * h)))
                self.text_lines += 1

    def picture(self, shape) -> None:
        if not self.options.ocr:
            return
        blob = shape.image.blob
        if too_many_pixels(size := declared_size(blob), MAX_PICTURE_PIXELS):  # never decode a pixel bomb
            self.page.problems.append(Problem(code=Code.IMAGE_TOO_LARGE, page=self.page.page, message=(
                f"第 {self.page.page} 张幻灯片中的" + too_large_message(size, "图片") + "该图片中的文字未识别。")))  # type: ignore[arg-type]
            return
        img = cv2.imdecode(np.frombuffer(blob, np.uint8), cv2.IMREAD_GRAYSCALE)
        if img is None:
            img = _decode_with_pillow(blob)
        if img is None or min(img.shape[:2]) < MIN_PICTURE_SIDE or img.size > MAX_PICTURE_PIXELS:
            return
        self.page.images += 1
        result, problem = ocr_image(img, self.options, self.page.page)
        if problem is not None:
            self.page.problems.append(problem)
            return
        assert result is not None
        x0, y0, x1, y1 = _bbox(shape)
        pw, ph = result.size
        sx, sy = (x1 - x0) / max(pw, 1), (y1 - y0) / max(ph, 1)
        for b in result.boxes:
            text = normalize_ocr_text(b.text)
            if text:
                bx0, by0, bx1, by1 = b.rect
                self.lines.append(Line(text=text, bbox=(x0 + bx0 * sx, y0 + by0 * sy, x0 + bx1 * sx, y0 + by1 * sy),
                                       confidence=round(b.score, 4)))
                self.ocr_lines += 1


def _decode_with_pillow(blob: bytes) -> np.ndarray | None:
    """WMF/EMF/TIFF and other formats OpenCV does not decode."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(blob)) as im:
            return np.asarray(im.convert("L"))
    except Exception:  # noqa: BLE001
        return None


def extract_pptx(path: Path, name: str, options: ExtractOptions) -> Document:
    out = Document(path=name, format="pptx")
    try:
        prs = Presentation(str(path))
    except Exception:  # noqa: BLE001 - python-pptx raises many kinds on damaged packages
        out.problems.append(msg.unreadable(msg.CORRUPT, name))
        return out
    width, height = _pt(prs.slide_width) or 720.0, _pt(prs.slide_height) or 540.0
    for i, slide in enumerate(prs.slides, start=1):
        if not options.wants(i):
            continue
        page = Page(page=i, source="text_layer", kind="slide", width=width, height=height)
        reader = SlideReader(page, options)
        reader.walk(slide.shapes)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            page.notes = notes.text.strip() if notes is not None else ""
        page.lines, page.text = reading_order(reader.lines)
        if reader.ocr_lines and reader.text_lines:
            page.source, page.reason = "mixed", "text_frames_and_pictures"
        elif reader.ocr_lines:
            page.source, page.reason = "ocr", "pictures_only"
        else:
            page.reason = "text_frames" if reader.text_lines else "empty_slide"
        out.pages.append(page)
    out.metadata = {"slide_count": len(prs.slides)}
    return out
