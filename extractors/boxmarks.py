"""Check boxes on a scan written into the OCR text where they stand.

The recogniser drops a box glyph or reads it as 口/区/V, and a box's place in a line cannot be told
from the line's text: characters are not evenly spaced. So an OCR box holding check boxes is cut at
them and the pieces between are recognised again on their own; the text becomes piece, ☑ or □,
piece, in the order they are printed. A box that reads as a plain character on its own (国, 回) is
that character. A box outside every OCR box becomes a text box of its own.
"""

from __future__ import annotations

import cv2
import numpy as np

from .cellread import Recognizer
from .checkbox import CONFUSABLE, find_checkboxes
from .layout import normalize_ocr_text
from .ocr import OcrBox, OcrResult

Mark = tuple[float, float, float, bool]  # centre x, centre y, side (pixels), ticked
PIECE_SCORE = 0.3  # a piece between boxes is short (one 否): its score is low even when read right
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


def _first_reading(first: str, text: list[str], pieces: list[tuple[str, object]]) -> list[str]:
    """The pieces' texts with the page reading's characters put back when they add up: a lone
    character read out of its line is read worse (否 alone reads as 香) than in it."""
    kept = [c for c in first if c not in CONFUSABLE and not c.isspace()]
    spans = ["".join(t.split()) if kind == "crop" else None for t, (kind, _) in zip(text, pieces, strict=True)]
    if sum(len(t) for t in spans if t is not None) != len(kept):
        return text
    out, at = [], 0
    for t, mark in zip(spans, text, strict=True):
        if t is None:
            out.append(mark)
        else:
            out.append("".join(kept[at : at + len(t)]))
            at += len(t)
    return out


def with_checkboxes(gray: np.ndarray, result: OcrResult, scale: float, rules: np.ndarray,
                    recognize: Recognizer) -> OcrResult:
    """`result` with every check box found on the page written as ☑/□ into the text at its place."""
    marks = find_checkboxes(gray, scale, rules)
    if not marks:
        return result
    used: set[int] = set()
    jobs: list[tuple[int, list[tuple[str, object]]]] = []  # box index -> pieces: ("crop", k) or ("mark", m)
    crops: list[np.ndarray] = []
    for i, b in enumerate(result.boxes):
        x0, y0, x1, y1 = b.rect
        mine = sorted((k for k, m in enumerate(marks) if k not in used and _holds(b.rect, m)), key=lambda k: marks[k][0])
        if not mine:
            continue
        used.update(mine)
        pieces: list[tuple[str, object]] = []
        left = x0
        for k in mine:
            mx, _, side, _ = marks[k]
            cut0, cut1 = mx - 0.5 * side - 2, mx + 0.5 * side + 2
            crop = _crop(gray, left, y0, cut0, y1)
            if crop is not None:
                pieces.append(("crop", len(crops)))
                crops.append(crop)
            box = _crop(gray, mx - 0.6 * side, y0, mx + 0.6 * side, y1)
            pieces.append(("mark", (k, len(crops) if box is not None else None)))
            if box is not None:
                crops.append(box)
            left = max(left, cut1)
        crop = _crop(gray, left, y0, x1, y1)
        if crop is not None:
            pieces.append(("crop", len(crops)))
            crops.append(crop)
        jobs.append((i, pieces))
    try:
        read = recognize(crops) if crops else []
    except Exception:  # noqa: BLE001 - no second reading: the first stands
        return result
    boxes = list(result.boxes)
    for i, pieces in jobs:
        text: list[str] = []
        for kind, ref in pieces:
            if kind == "crop":
                t, s = read[ref] if ref < len(read) else ("", 0.0)  # type: ignore[index,operator]
                text.append(normalize_ocr_text(t) if s >= PIECE_SCORE else "")
                continue
            k, own = ref  # type: ignore[misc]
            t, s = read[own] if own is not None and own < len(read) else ("", 0.0)
            t = normalize_ocr_text(t)
            if len(t) == 1 and t not in CONFUSABLE and s >= CHAR_SCORE and ord(t) > 0x2E7F:
                text.append(t)  # a character that looks like a box (国, 回)
            else:
                text.append("☑" if marks[k][3] else "□")
        b = result.boxes[i]
        boxes[i] = OcrBox(b.box, "".join(_first_reading(b.text, text, pieces)), b.score)
    for k, (mx, my, side, ticked) in enumerate(marks):
        if k not in used:
            h = side / 2
            quad = np.array([[mx - h, my - h], [mx + h, my - h], [mx + h, my + h], [mx - h, my + h]], dtype=np.float32)
            boxes.append(OcrBox(quad, "☑" if ticked else "□", 1.0))
    return OcrResult(boxes=boxes, rotation=result.rotation, size=result.size)
