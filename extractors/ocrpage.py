"""OCR one image into a Page, with the per-page time limit and failures turned into problems."""

from __future__ import annotations

import numpy as np

from core.codes import Code
from core.model import Page, Problem

from . import problems as msg
from .memory import release_memory
from .ocr import OcrResult, OcrTimeout, RapidReader, default_engine, rotate_image, run_with_timeout
from .options import ExtractOptions
from .pagetext import ocr_lines
from .tables import scanned_tables


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


def ocr_into(out: Page, img: np.ndarray, options: ExtractOptions, scale: float, tables: bool = True) -> None:
    """OCR `img` (a whole page) into `out`: lines in points via `scale`, rotation, tables."""
    result, problem = ocr_image(img, options, out.page)
    if problem is not None or result is None:
        out.problems.append(problem)
        return
    out.rotation = result.rotation
    if result.rotation in (90, 270):
        out.width, out.height = out.height, out.width
    out.lines, out.text = ocr_lines(result, scale)
    if tables and result.boxes:
        try:
            engine = options.engine or default_engine(options.threads)
            recognize = engine.recognize if isinstance(engine, RapidReader) else None
            out.tables = scanned_tables(rotate_image(img, result.rotation), result, scale, recognize)
        except Exception:  # noqa: BLE001 - table rebuilding is a bonus; the lines stand without it
            out.tables = []
