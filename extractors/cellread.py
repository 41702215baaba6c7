"""Second reading of short table cells: the page's text detector misses lone short values.

At office scan resolutions RapidOCR's detector drops a lone "1" in a wide cell and cuts "7.3" down
to ".3". Cells of a rebuilt table that came out empty but hold ink, or whose text is short or looks
like a clipped number, are cut out (ruling lines blanked), enlarged and recognised once more, all in
one batch; the second reading replaces the first only when it is confident and reads more or better.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from .layout import normalize_ocr_text

Recognizer = Callable[[list[np.ndarray]], list[tuple[str, float]]]
Rect = tuple[float, float, float, float]

REREAD_SCORE = 0.8  # a re-read must be confident (seals, scribbles and ruling remnants are not text)
SHORT = 4  # cells with at most this many characters are read again
SURE = 0.9  # a short word without digits read this confidently is left as it is
ENLARGE = 2.0  # the crop is enlarged before recognition: small glyphs read better
INK = 110  # gray level below which a pixel is ink
MARGIN = 0.1  # white margin around the ink, as a share of its height (the recogniser's lines are tight)
_CLIPPED = re.compile(r"^[.,·]|^\D*\d\D*$")  # ".3", a lone digit among other signs
_DIGIT_GAP = re.compile(r"(?<=\d)\s+(?=[\d.])|(?<=\d\.)\s+(?=\d)")  # "1 5": the recogniser's space in a number


@dataclass
class CellRead:
    """One cell to read again: where it sits in the table and what the page's OCR made of it."""

    row: int
    col: int
    cell: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the upright page
    text: str
    boxes: list[tuple[Rect, float]] = field(default_factory=list)  # OCR boxes in the cell, with scores


def needs_reread(text: str, score: float = 0.0) -> bool:
    """Empty, a number that looks clipped (starts with a point, a lone digit), or short: short words
    without digits only when read with little confidence (the detector's misses are numbers)."""
    t = "".join(text.split())
    if not t or _CLIPPED.search(t):
        return True
    return len(t) <= SHORT and (score < SURE or any(c.isdigit() for c in t))


def _ink_crop(gray: np.ndarray, rules: np.ndarray, item: CellRead, line_h: float) -> np.ndarray | None:
    """The cell's ink (ruling lines blanked), restricted to the band of its OCR boxes; None if empty."""
    x0, y0, x1, y1 = item.cell
    pad = 3
    if x1 - x0 <= 2 * pad or y1 - y0 <= 2 * pad:
        return None
    crop = gray[y0 + pad : y1 - pad, x0 + pad : x1 - pad].copy()
    crop[rules[y0 + pad : y1 - pad, x0 + pad : x1 - pad] > 0] = 255
    if item.boxes:  # the line the detector found, widened: the missed digits sit beside it
        top = min(r[1] for r, _ in item.boxes) - y0 - pad
        bottom = max(r[3] for r, _ in item.boxes) - y0 - pad
        extra = 0.5 * (bottom - top)
        band = (max(0, int(top - extra)), min(crop.shape[0], int(bottom + extra) + 1))
    else:
        band = (0, crop.shape[0])
    ys, xs = np.nonzero(crop[band[0] : band[1]] < INK)
    if len(xs) < 12 or xs.max() - xs.min() < 3 or ys.max() - ys.min() < max(6, 0.35 * line_h):
        return None  # an empty cell, or a speck
    if ys.max() - ys.min() > 2.2 * line_h:
        return None  # several lines: recognition reads one line only
    ys = ys + band[0]
    m = max(3, int(MARGIN * (ys.max() - ys.min())))
    ink = crop[max(0, ys.min() - m) : ys.max() + m + 1, max(0, xs.min() - m) : xs.max() + m + 1]
    ink = cv2.copyMakeBorder(ink, m, m, m, m, cv2.BORDER_CONSTANT, value=255)  # if the cell edge cut it
    ink = cv2.resize(ink, None, fx=ENLARGE, fy=ENLARGE, interpolation=cv2.INTER_CUBIC)
    return cv2.cvtColor(ink, cv2.COLOR_GRAY2BGR)


def _better(old: str, old_score: float, new: str, score: float) -> str:
    """The first reading unless the second is confident and reads more of it or reads it better."""
    if not new or score < REREAD_SCORE:
        return old
    a, b = "".join(old.split()), "".join(new.split())
    if not a:
        return new
    if a in b and len(b) > len(a):
        return new  # the digits the detector cut off
    return new if score > old_score + 0.02 else old


def reread_cells(gray: np.ndarray, rules: np.ndarray, items: list[CellRead], recognize: Recognizer,
                 line_h: float) -> list[str]:
    """The text of every item after a second, batched recognition of its cell's ink."""
    crops, where = [], []
    for k, item in enumerate(items):
        crop = _ink_crop(gray, rules, item, line_h)
        if crop is not None:
            crops.append(crop)
            where.append(k)
    out = [item.text for item in items]
    if not crops:
        return out
    try:
        read = recognize(crops)
    except Exception:  # noqa: BLE001 - a failing second reading leaves the first one standing
        return out
    for k, (text, score) in zip(where, read, strict=False):
        item = items[k]
        old_score = min((s for _, s in item.boxes), default=0.0)
        out[k] = _better(item.text, old_score, _DIGIT_GAP.sub("", normalize_ocr_text(text)), float(score))
    return out
