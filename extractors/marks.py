"""Words a person marked by drawing around or under them: a circled 是, an underlined 资料评审.

Found on the page's pixels (a scan, or a born-digital page rendered when it paints small shapes),
by geometry relative to the text: a closed curve taller than the text line whose hole holds ink,
or a thin stroke of its own lying just under a text line. The marked words are written into the
text as ⟦word⟧ (core.marks), so the checks decide from where the marks are, not from OCR guesses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from core.marks import MARKED_CLOSE, MARKED_OPEN

from .ocr import OcrBox

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class WordMark:
    kind: str  # "enclose" (a closed curve around words) or "underline"
    rect: Rect  # the curve's box, or the stroke's box; page pixels


def _long_rules(horiz: np.ndarray, vert: np.ndarray, line_h: float) -> np.ndarray:
    """The table's ruling: vertical lines, and horizontal ones longer than a marked word's circle
    (whose flat bottom the ruling mask also holds)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    long_ = np.zeros(n, np.uint8)
    long_[1:] = (stats[1:, cv2.CC_STAT_WIDTH] >= 8 * line_h) * 255
    return cv2.bitwise_or(long_[labels], vert)


def binary_without_rules(gray: np.ndarray, horiz: np.ndarray | None, vert: np.ndarray | None,
                         line_h: float) -> np.ndarray:
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if horiz is not None and vert is not None:
        rules = _long_rules(horiz, vert, line_h)
        binary = cv2.bitwise_and(binary, cv2.bitwise_not(cv2.dilate(rules, np.ones((3, 3), np.uint8))))
    return binary


def find_word_marks(gray: np.ndarray, line_h: float, boxes: list[Rect], horiz: np.ndarray | None = None,
                    vert: np.ndarray | None = None) -> list[WordMark]:
    """Enclosures and underlines on an upright page image; `line_h` is the text's line height in
    pixels, `boxes` the text boxes (pixels) an underline must lie under, `horiz`/`vert` the ruling."""
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    binary = binary_without_rules(gray, horiz, vert, line_h)
    return _enclosures(binary, line_h) + _underlines(binary, line_h, boxes)


def _enclosures(binary: np.ndarray, line_h: float) -> list[WordMark]:
    """Closed thin curves taller than a character with ink inside: a circle or box drawn around words.

    A character's own loops (口, 日) are at most a line high; a check box is smaller still.
    """
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    out = []
    for i, cnt in enumerate(contours):
        if hierarchy[0][i][3] != -1:
            continue
        x, y, w, h = cv2.boundingRect(cnt)
        if not (line_h <= h <= 4 * line_h and w >= line_h and w <= 40 * line_h):
            continue
        child = hierarchy[0][i][2]
        best = 0.0
        while child != -1:  # the largest hole: the inside of the curve
            best = max(best, cv2.contourArea(contours[child]))
            child = hierarchy[0][child][0]
        if best < 0.45 * w * h:
            continue
        if cv2.contourArea(cnt) - best > 0.3 * w * h:
            continue  # a thick shape (a seal's star, a blot), not a drawn line
        ring = cv2.drawContours(np.zeros((h, w), np.uint8), [cnt], -1, 255, -1, offset=(-x, -y))
        hole = cv2.erode(ring, np.ones((5, 5), np.uint8), iterations=max(1, int(0.08 * line_h)))
        inside = cv2.countNonZero(cv2.bitwise_and(binary[y : y + h, x : x + w], hole))
        if inside < 0.02 * w * h:
            continue  # nothing written inside: an empty frame
        out.append(WordMark("enclose", (float(x), float(y), float(x + w), float(y + h))))
    return out


def _underlines(binary: np.ndarray, line_h: float, boxes: list[Rect]) -> list[WordMark]:
    """Thin strokes of their own, wider than a character, at the foot of a text box with ink above."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < 0.7 * line_h or h > max(4, 0.28 * line_h) or w < 4 * h:
            continue
        mid = y + h / 2
        if any(b[1] <= mid <= (b[1] + b[3]) / 2 and min(x + w, b[2]) - max(x, b[0]) > 0 for b in boxes):
            continue  # in the upper half of a text line: a stroke of its characters (the top of 显)
        for bx0, by0, bx1, by1 in boxes:
            bh = by1 - by0
            if not (by1 - 0.25 * bh <= mid <= by1 + 0.7 * bh):
                continue
            if min(x + w, bx1) - max(x, bx0) < 0.5 * w:
                continue
            above = binary[max(0, int(mid - 1.1 * line_h)) : max(0, y - 1), x : x + w]
            if above.size and cv2.countNonZero(above) >= 0.04 * above.size:
                out.append(WordMark("underline", (float(x), float(y), float(x + w), float(y + h))))
                break
    return out


def circled_alone(gray: np.ndarray, marks: list[WordMark], boxes: list[Rect],
                  recognize: Callable[[list[np.ndarray]], list[tuple[str, float]]]) -> list[OcrBox]:
    """Text boxes for the words inside circles the page's detector found no text in (a tight
    circle hides its word from the detector): the inside of the circle read on its own, ⟦word⟧."""
    lonely = [m for m in marks if m.kind == "enclose"
              and not any(_overlap(m.rect, b) > 0.3 * (b[2] - b[0]) * (b[3] - b[1]) for b in boxes)]
    crops, kept = [], []
    for m in lonely:
        crop = _inside_circle(gray, m.rect)
        if crop is not None:
            crops.append(crop)
            kept.append(m)
    if not crops:
        return []
    out = []
    for m, (text, score) in zip(kept, recognize(crops), strict=False):
        text = "".join(text.split())
        if text and score >= 0.5:
            x0, y0, x1, y1 = m.rect
            quad = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
            out.append(OcrBox(quad, f"{MARKED_OPEN}{text}{MARKED_CLOSE}", float(score)))
    return out


def _inside_circle(gray: np.ndarray, rect: Rect) -> np.ndarray | None:
    """The ink inside a circle with the circle's own stroke whited out, cut tight with a margin (the
    recogniser reads a lone character badly when a curve hugs it)."""
    x0, y0, x1, y1 = (int(v) for v in rect)
    area = gray[y0 : y1 + 1, x0 : x1 + 1].copy()
    _, binary = cv2.threshold(area, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    h, w = binary.shape
    ring = [k for k in range(1, n) if stats[k, cv2.CC_STAT_WIDTH] >= 0.8 * w or stats[k, cv2.CC_STAT_HEIGHT] >= 0.8 * h]
    area[np.isin(labels, ring)] = 255
    ys, xs = np.nonzero(area < 128)
    if len(xs) < 12:
        return None
    m = max(3, int(0.15 * (ys.max() - ys.min())))
    ink = area[max(0, ys.min() - 1) : ys.max() + 2, max(0, xs.min() - 1) : xs.max() + 2]
    ink = cv2.copyMakeBorder(ink, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(cv2.resize(ink, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), cv2.COLOR_GRAY2BGR)


def _overlap(a: Rect, b: Rect) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _char_centres(text: str, r: Rect) -> list[float]:
    """Estimated centre x of each character of a text box (Chinese characters full width, others
    about half, spaces a third)."""
    weights = [1.0 if ord(c) > 0x2E7F else (0.35 if c.isspace() else 0.55) for c in text]
    total = sum(weights) or 1.0
    unit = (r[2] - r[0]) / total
    out, x = [], r[0]
    for wgt in weights:
        out.append(x + wgt * unit / 2)
        x += wgt * unit
    return out


def _covers(mark: WordMark, r: Rect) -> bool:
    """Whether `mark` concerns text box `r`: a curve around its middle, a stroke under it."""
    cy = (r[1] + r[3]) / 2
    if mark.kind == "enclose":
        return mark.rect[1] <= cy <= mark.rect[3]
    bh = r[3] - r[1]
    mid = (mark.rect[1] + mark.rect[3]) / 2
    return r[3] - 0.25 * bh <= mid <= r[3] + 0.7 * bh


def mark_words(boxes: list[tuple[Rect, str]], marks: list[WordMark]) -> list[str]:
    """The text of every box with the words each mark concerns bracketed: "⟦是⟧ 否"."""
    out = []
    for r, text in boxes:
        chars = list(text)
        spans = []
        for m in marks:
            if not _covers(m, r) or m.rect[2] < r[0] or m.rect[0] > r[2]:
                continue
            pad = 0.0 if m.kind == "enclose" else 0.3 * (r[3] - r[1])  # a line under a word ends near its edges
            inside = [i for i, cx in enumerate(_char_centres(text, r))
                      if m.rect[0] - pad <= cx <= m.rect[2] + pad and not text[i].isspace()]
            if inside:
                spans.append((inside[0], inside[-1]))
        for start, end in sorted(spans, reverse=True):
            chars.insert(end + 1, MARKED_CLOSE)
            chars.insert(start, MARKED_OPEN)
        out.append("".join(chars))
    return out
