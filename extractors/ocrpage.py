"""OCR one image into a Page, with the per-page time limit and failures turned into problems."""

from __future__ import annotations

import cv2
import numpy as np

from core.codes import Code
from core.model import Page, Problem

from . import problems as msg
from .boxmarks import with_checkboxes
from .cellread import Recognizer
from .marks import circled_alone, find_word_marks, mark_words
from .memory import release_memory
from .ocr import OcrBox, OcrResult, OcrTimeout, RapidReader, default_engine, rotate_image, run_with_timeout
from .options import ExtractOptions
from .pagetext import ocr_lines
from .tables import has_rulings, ruling_masks, scanned_tables


def ocr_image(img: np.ndarray, options: ExtractOptions, page_no: int) -> tuple[OcrResult | None, Problem | None]:
    """Run the configured engine on one image; a crash or a hang becomes a Problem for that page."""
    engine = options.engine or default_engine(options.threads)
    try:
        return run_with_timeout(engine, img, options.page_timeout), None
    except OcrTimeout:
        text = msg.OCR_TIMEOUT.format(page=page_no, seconds=options.page_timeout)
        return None, Problem(code=Code.OCR_TIMEOUT, page=page_no, message=text)
    except Exception as exc:  # noqa: BLE001 - a failing engine costs this page only
        why = f"{type(exc).__name__}: {exc}"[:120]
        return None, Problem(code=Code.OCR_FAILED, page=page_no, message=msg.OCR_FAILED.format(page=page_no, why=why))
    finally:
        release_memory()  # the detector's ~500 MB of activations, freed but kept by malloc (memory.py)


def with_marks(upright: np.ndarray, result: OcrResult, scale: float, recognize: Recognizer | None
               ) -> tuple[OcrResult, bool]:
    """`result` with check boxes (☑/□) and the words a person circled or underlined (⟦word⟧) written
    into its boxes' texts, so the lines and the table cells carry them alike; and whether the check
    boxes were written (they need a recogniser). Only pages that show ruled forms are looked at."""
    try:
        gray = upright if upright.ndim == 2 else cv2.cvtColor(upright, cv2.COLOR_BGR2GRAY)
        if not has_rulings(gray, scale):
            return result, False
        horiz, vert = ruling_masks(gray, scale)
        boxed = recognize is not None
        if recognize is not None:
            result = with_checkboxes(gray, result, scale, horiz | vert, recognize)
        rects = [b.rect for b in result.boxes]
        heights = sorted(r[3] - r[1] for r in rects)
        marks = find_word_marks(gray, heights[len(heights) // 2], rects, horiz, vert)
        if not marks:
            return result, boxed
        texts = mark_words([(r, b.text) for r, b in zip(rects, result.boxes, strict=True)], marks)
        boxes = [OcrBox(b.box, t, b.score) for b, t in zip(result.boxes, texts, strict=True)]
        if recognize is not None:
            boxes += circled_alone(gray, marks, rects, recognize)
    except Exception:  # noqa: BLE001 - marks are a reading aid; the plain text stands without them
        return result, False
    return OcrResult(boxes=boxes, rotation=result.rotation, size=result.size), boxed


def ocr_into(out: Page, img: np.ndarray, options: ExtractOptions, scale: float, tables: bool = True) -> None:
    """OCR `img` (a whole page) into `out`: lines in points via `scale`, rotation, tables."""
    result, problem = ocr_image(img, options, out.page)
    if problem is not None or result is None:
        out.problems.append(problem)
        return
    out.rotation = result.rotation
    if result.rotation in (90, 270):
        out.width, out.height = out.height, out.width
    engine = options.engine or default_engine(options.threads)
    recognize = engine.recognize if isinstance(engine, RapidReader) else None
    upright = rotate_image(img, result.rotation) if result.boxes else img
    boxed = False
    if result.boxes:
        result, boxed = with_marks(upright, result, scale, recognize)
    out.lines, out.text = ocr_lines(result, scale)
    if tables and result.boxes:
        try:
            out.tables = scanned_tables(upright, result, scale, recognize, checkboxes=not boxed)
        except Exception:  # noqa: BLE001 - table rebuilding is a bonus; the lines stand without it
            out.tables = []
