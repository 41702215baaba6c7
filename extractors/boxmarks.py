"""Check boxes on a scan written into the OCR text where they stand.

The recogniser drops a box glyph or reads it as 口/区/V, and a box's place in a line cannot be told
from the line's text: characters are not evenly spaced. So an OCR box holding check boxes is read
again with the boxes whited out (its words in context, read best), and the part left of each box is
read on its own only to count the characters before it; the box goes in after that many. A box
that reads as a plain character on its own (国, 回), or as 口 inside a word (归口), is that
character. A box outside every OCR box becomes a text box of its own.
"""

from __future__ import annotations

import cv2
import numpy as np

from .cellread import Recognizer
from .checkbox import CONFUSABLE, _is_word_char, find_checkboxes
from .layout import normalize_ocr_text
from .ocr import OcrBox, OcrResult

Mark = tuple[float, float, float, bool]  # centre x, centre y, side (pixels), ticked
TEXT_SCORE = 0.5
CHAR_SCORE = 0.9  # a box read this confidently as a character that is no box glyph is that character


def _holds(rect: tuple[float, float, float, float], m: Mark) -> bool:
    x0, y0, x1, y1 = rect
    mx, my, side, _ = m
    return y0 - 0.3 * side <= my <= y1 + 0.3 * side and x0 - side <= mx <= x1 + side


def _crop(gray: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray | None:
    h, w = gray.shape
    a, b, c, d = max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))
    if c - a < 4 or d - b < 4:
        return None
    crop = gray[b:d, a:c]
    if (crop < 128).sum() < 6:
        return None
    return cv2.cvtColor(cv2.copyMakeBorder(crop, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255), cv2.COLOR_GRAY2BGR)


BOXLIKE = set("口囗□☐")


def _first_reading(first: str, again: str) -> str:
    """The second reading (boxes whited out) with the page's first reading of the same characters
    put back when they are as many: a short piece read alone is read worse (否 alone reads 香)."""
    if not again:
        return first
    kept = [c for c in first if c not in BOXLIKE and not c.isspace()]
    if len(kept) != sum(1 for c in again if not c.isspace()):
        return again
    it = iter(kept)
    return "".join(c if c.isspace() else next(it) for c in again)


def _counted(text: str) -> int:
    """Characters of a piece (its boxes are whited out: whatever it reads is text or a typed mark)."""
    return sum(1 for c in text if not c.isspace())


def _assemble(full: str, marks: list[tuple[int, str, str]]) -> str:
    """`full` (the box's words, boxes whited out) with each box (characters before it, symbol, what
    it read as on its own) put in after that many characters; a character restored in place of a
    box (归口's 口) closes the gap whiting it left."""
    out: list[str] = []
    inserts = sorted(marks, key=lambda m: m[0])
    k = seen = 0
    skip_space = False
    for c in full:
        if c.isspace() and skip_space:
            continue
        skip_space = False
        while k < len(inserts) and inserts[k][0] <= seen:
            sym = _symbol(out, c, inserts[k])
            if sym not in ("☑", "□") and out and out[-1] == " ":
                out.pop()
            out.append(sym)
            skip_space = sym not in ("☑", "□")
            k += 1
        if c.isspace() and skip_space:
            continue
        out.append(c)
        if not c.isspace():
            seen += 1
    while k < len(inserts):
        out.append(_symbol(out, "", inserts[k]))
        k += 1
    return "".join(out)


def _symbol(before: list[str], after: str, mark: tuple[int, str, str]) -> str:
    _, sym, own = mark
    if len(own) == 1 and own not in CONFUSABLE and ord(own) > 0x2E7F:
        return own  # a character that looks like a box (国, 回)
    if sym == "□" and own == "口" and before and _is_word_char([before[-1], "口", after or " "], 1):
        return "口"  # 口 of a word (归口, 出口)
    return sym


def with_checkboxes(gray: np.ndarray, result: OcrResult, scale: float, rules: np.ndarray,
                    recognize: Recognizer) -> OcrResult:
    """`result` with every check box found on the page written as ☑/□ into the text at its place."""
    marks = find_checkboxes(gray, scale, rules)
    if not marks:
        return result
    used: set[int] = set()
    jobs: list[tuple[int, int | None, list[tuple[int, int | None, int | None]]]] = []
    crops: list[np.ndarray] = []

    def add(crop: np.ndarray | None) -> int | None:
        if crop is None:
            return None
        crops.append(crop)
        return len(crops) - 1

    for i, b in enumerate(result.boxes):
        mine = sorted((k for k, m in enumerate(marks) if k not in used and _holds(b.rect, m)), key=lambda k: marks[k][0])
        if not mine:
            continue
        used.update(mine)
        x0, y0, x1, y1 = b.rect
        x0, x1 = min(x0, *(marks[k][0] - marks[k][2] for k in mine)), max(x1, *(marks[k][0] + marks[k][2] for k in mine))
        whited = gray.copy()
        for k in mine:
            mx, my, side, _ = marks[k]
            r = 0.65 * side + 3  # the box and its edges' thickness
            whited[max(0, int(my - r)) : int(my + r) + 1, max(0, int(mx - r)) : int(mx + r) + 1] = 255
        full = add(_crop(whited, x0, y0, x1, y1))
        pieces = []
        for k in mine:
            mx, _, side, _ = marks[k]
            left = add(_crop(whited, x0, y0, mx - 0.65 * side - 3, y1))
            own = add(_crop(gray, mx - 0.6 * side, y0, mx + 0.6 * side, y1))
            pieces.append((k, left, own))
        jobs.append((i, full, pieces))
    try:
        read = recognize(crops) if crops else []
    except Exception:  # noqa: BLE001 - no second reading: the first stands
        return result

    def text_of(ref: int | None, score: float = TEXT_SCORE) -> str:
        if ref is None or ref >= len(read):
            return ""
        t, s = read[ref]
        return normalize_ocr_text(t) if s >= score else ""

    boxes = list(result.boxes)
    for i, full, pieces in jobs:
        b = result.boxes[i]
        words = _first_reading(b.text, text_of(full))
        placed = []
        for k, left, own in pieces:
            own_text = text_of(own, CHAR_SCORE) if own is not None else ""
            placed.append((_counted(text_of(left, 0.3)), "☑" if marks[k][3] else "□", own_text))
        boxes[i] = OcrBox(b.box, _assemble(words, placed), b.score)
    for k, (mx, my, side, ticked) in enumerate(marks):
        if k not in used:
            h = side / 2
            quad = np.array([[mx - h, my - h], [mx + h, my - h], [mx + h, my + h], [mx - h, my + h]], dtype=np.float32)
            boxes.append(OcrBox(quad, "☑" if ticked else "□", 1.0))
    return OcrResult(boxes=boxes, rotation=result.rotation, size=result.size)
