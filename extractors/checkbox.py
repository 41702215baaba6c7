"""Check boxes on scanned forms: a small hollow square is "□", one with ink inside is "☑"."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

BoxRect = tuple[float, float, float, float]
# what OCR makes of an empty or ticked box
CONFUSABLE = set("口囗ロ□☐☑☒区团図凶囚〇0OoDV√✓✔")
TICKS = set("☑☒√✓✔Vv")


MIN_SIDE_PT, MAX_SIDE_PT = 3.5, 22.0  # printed check boxes, from a small □ glyph to a drawn box


def find_checkboxes(gray: np.ndarray, scale: float, rules: np.ndarray | None = None) -> list[tuple[float, float, float, bool]]:
    """(centre x, centre y, side, ticked) of every small square outline; `scale` is points per pixel."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if rules is not None:
        binary = cv2.bitwise_and(binary, cv2.bitwise_not(rules))
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    lo, hi = max(6, int(MIN_SIDE_PT / scale)), int(MAX_SIDE_PT / scale) + 1
    labels: np.ndarray | None = None
    marks = []
    for i, cnt in enumerate(contours):
        if hierarchy[0][i][3] != -1:  # only outer outlines
            continue
        x, y, w, h = cv2.boundingRect(cnt)
        if not (lo <= w <= 1.8 * hi and lo <= h <= 1.8 * hi):
            continue
        if _largest_hole(contours, hierarchy, i) < 0.15 * lo * lo:
            continue  # no room inside: a stroke or a character, not a box (cheap test first)
        square = _square_in(binary[y : y + h, x : x + w], lo)
        out = "other" if square is None else _outside(binary[y : y + h, x : x + w], square)
        if out == "tick" or (out == "none" and (bw_bh := _area(square)) >= 0.7 * w * h and bw_bh > 0):
            bx, by, bw, bh = _shifted(square, x, y)  # type: ignore[arg-type]
            overshoot = out == "tick"
        elif _plain_square(cnt, w, h, lo, hi):
            bx, by, bw, bh, overshoot = x, y, w, h, False
        else:
            continue
        if not (lo <= bw <= hi and lo <= bh <= hi and 0.8 <= bw / bh <= 1.25):
            continue
        frame = binary[by : by + bh, bx : bx + bw]
        border = max(2, int(round(min(bw, bh) * 0.2)))
        inner = frame[border:-border, border:-border]
        ring = (frame > 0).sum() - (inner > 0).sum()
        if inner.size == 0 or ring < 0.5 * (2 * (bw + bh)):  # not a drawn outline
            continue
        own = None
        if overshoot:
            if labels is None:
                labels = cv2.connectedComponents(binary, connectivity=8)[1]
            px, py = cnt[0][0]
            own = labels == labels[py, px]
        if not _isolated(binary, bx, by, bw, bh, own):
            continue  # a square touching other strokes is part of a character (口 in 品, 回 …)
        ink = inner > 0
        if _straight_stroke(ink):
            continue  # a straight stroke across the square: 日, 田, 目, 回 …, not a tick
        ticked = overshoot or ink.mean() > 0.08
        marks.append((bx + bw / 2, by + bh / 2, float(max(bw, bh)), bool(ticked)))
    return marks


def _straight_stroke(ink: np.ndarray) -> bool:
    """A row or column of the square's inside inked nearly all across (the bar of 日, 田, 目)."""
    return bool(ink.any() and ((ink.mean(axis=1) > 0.75).any() or (ink.mean(axis=0) > 0.75).any()))


def _largest_hole(contours: Sequence[np.ndarray], hierarchy: np.ndarray, i: int) -> float:
    child, best = hierarchy[0][i][2], 0.0
    while child != -1:
        best = max(best, cv2.contourArea(contours[child]))
        child = hierarchy[0][child][0]
    return best


def _area(square: tuple[int, int, int, int] | None) -> int:
    return 0 if square is None else (square[1] - square[0] + 1) * (square[3] - square[2] + 1)


def _plain_square(cnt: np.ndarray, w: int, h: int, lo: int, hi: int) -> bool:
    """A component whose outline is a square of a check box's size."""
    if not (lo <= w <= hi and lo <= h <= 1.25 * hi and 0.8 <= w / h <= 1.25):
        return False
    approx = cv2.approxPolyDP(cnt, 0.08 * cv2.arcLength(cnt, True), True)
    return len(approx) == 4 and cv2.contourArea(cnt) >= 0.8 * w * h


def _shifted(square: tuple[int, int, int, int], x: int, y: int) -> tuple[int, int, int, int]:
    top, bottom, left, right = square
    return x + left, y + top, right - left + 1, bottom - top + 1


def _outside(frame: np.ndarray, square: tuple[int, int, int, int]) -> str:
    """What of the component lies outside its square: "none", "tick" (ink above and right of it: a
    tick drawn into the box that ran out past its top-right corner) or "other"."""
    top, bottom, left, right = square
    outside = (frame > 0).copy()
    m = max(2, int(round(0.12 * (bottom - top))))  # the edges' own thickness
    outside[max(0, top - m) : bottom + m + 1, max(0, left - m) : right + m + 1] = False
    ys, xs = np.nonzero(outside)
    if len(xs) < 0.3 * (bottom - top):
        return "none"
    if float(np.mean(ys < (top + bottom) / 2)) > 0.7 and float(np.mean(xs > (left + right) / 2)) > 0.7:
        return "tick"
    return "other"


def _square_in(frame: np.ndarray, lo: int) -> tuple[int, int, int, int] | None:
    """Top, bottom, left and right edge of the square outline in `frame` (a component's box): the
    outermost rows and columns mostly inked. A tick drawn into the box and out of it (past its
    top-right corner, as pens do) is not part of it."""
    on = frame > 0
    rows, cols = np.nonzero(on.mean(axis=1) > 0.5)[0], np.nonzero(on.mean(axis=0) > 0.5)[0]
    if len(rows) < 2 or len(cols) < 2:
        return None
    top, bottom, left, right = int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])
    if bottom - top + 1 < lo or right - left + 1 < lo:
        return None
    box = on[top : bottom + 1, left : right + 1]  # each edge inked along most of the square's side
    edges = (box[:2].any(axis=0).mean(), box[-2:].any(axis=0).mean(), box[:, :2].any(axis=1).mean(),
             box[:, -2:].any(axis=1).mean())
    c = max(2, int(round(0.15 * (bottom - top))))
    corners = (box[:c, :c], box[:c, -c:], box[-c:, :c], box[-c:, -c:])  # a drawn square has sharp corners
    if min(edges) <= 0.7 or min(k.mean() for k in corners) < 0.5:
        return None
    return top, bottom, left, right


def _isolated(binary: np.ndarray, x: int, y: int, w: int, h: int, own: np.ndarray | None = None) -> bool:
    """No ink in a margin around the square but its own component (`own`: a tick running out of
    it); a tick may cross its top-right corner."""
    m = max(2, int(round(0.25 * max(w, h))))
    y0, y1, x0, x1 = max(0, y - m), min(binary.shape[0], y + h + m), max(0, x - m), min(binary.shape[1], x + w + m)
    around = binary[y0:y1, x0:x1].copy()
    around[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = 0
    if own is not None:
        around[own[y0:y1, x0:x1]] = 0
    around[: (y - y0) + h // 2, (x - x0) + w // 2 :] = 0  # leave room for a tick mark
    return (around > 0).sum() <= 0.05 * w * h


def _is_word_char(chars: list[str], j: int) -> bool:
    """Whether chars[j] (an OCR'd 口 or 日 …) is part of a real word like 归口, 出口, 日期."""
    from .quality import _tokenizer

    freq = _tokenizer().FREQ
    left = "".join(chars[max(0, j - 1) : j + 1])
    right = "".join(chars[j : j + 2])
    return (len(left) == 2 and freq.get(left, 0) > 0) or (len(right) == 2 and freq.get(right, 0) > 0)


def _boundaries(text: str) -> list[int]:
    """Positions between the dictionary words of `text` (0 and len included)."""
    from .quality import _tokenizer

    cuts, pos = [0], 0
    for tok in _tokenizer().cut(text, HMM=False):
        pos += len(tok)
        cuts.append(pos)
    return cuts


def _splits_word(left: str, right: str) -> bool:
    """Whether a mark between `left` and `right` would cut a dictionary word in two (评|审)."""
    from .quality import _tokenizer

    return bool(left and right) and _tokenizer().FREQ.get(left[-1] + right[0], 0) > 0


def _spare(chars: list[str], r: BoxRect) -> float:
    """Width of box `r` not taken by the characters OCR read in it (Chinese ones are about as wide as
    the box is high, others about half): room for a glyph the recogniser dropped, such as a box."""
    h = r[3] - r[1]
    used = sum(h if ord(c) > 0x2E7F else 0.55 * h for c in chars if c.strip())
    return (r[2] - r[0]) - used


def _place(chars: list[str], r: BoxRect, mx: float, side: float, sym: str, ticked: bool) -> None:
    """Write one mark into the characters OCR read in box `r`: over a misread box glyph, or inserted
    at the nearest word boundary; a "ticked box" lying on a character OCR read is that character."""
    n = len(chars)
    f = (mx - r[0]) / max(r[2] - r[0], 1) * n  # position in characters
    est = int(f)
    near = [j for j in (est, est - 1, est + 1) if 0 <= j < n and chars[j] in CONFUSABLE]
    if near and chars[near[0]] in TICKS:
        return  # OCR already read a tick there: never overrule it
    if near:
        if not _is_word_char(chars, near[0]):
            chars[near[0]] = sym
        return
    spare = _spare(chars, r)
    if spare < 0.6 * side:  # the read characters fill the box: no glyph was dropped in it
        if ticked and 0 <= f < n:
            return  # a square with ink inside lying on text OCR read is a character (国, 回 …)
        at = max(0, min(round(f), n))
    elif mx < r[0] + spare:
        at = 0
    elif mx > r[2] - spare:
        at = n
    else:
        at = max(0, min(round(f), n))
    cuts = _boundaries("".join(chars))
    chars.insert(min(cuts, key=lambda c: (abs(c - at), c)), sym)


def merge_checkboxes(boxes: list[tuple[BoxRect, str]], marks: list[tuple[float, float, float, bool]]) -> str:
    """Cell text from OCR boxes with each detected check box written as ☑/□ at its position."""
    texts = [list(t) for _, t in boxes]
    extra: list[tuple[float, float, str]] = []
    for mx, my, side, ticked in marks:
        sym = "☑" if ticked else "□"
        for k, (r, _) in enumerate(boxes):
            if r[1] - 4 <= my <= r[3] + 4 and r[0] - 4 <= mx <= r[2] + 4 and texts[k]:
                _place(texts[k], r, mx, side, sym, ticked)
                break
        else:
            extra.append((mx, side, sym))
    pieces = ["".join(t) for t in texts]
    if extra:  # boxes OCR did not see at all: place them among the pieces by x, never inside a word
        items = sorted([(r, "".join(t)) for (r, _), t in zip(boxes, texts, strict=True)], key=lambda p: p[0][0])
        for mx, side, sym in extra:
            k = sum(1 for r, _ in items if (r[0] + r[2]) / 2 < mx)
            left, right = items[k - 1] if k else None, items[k] if k < len(items) else None
            if left and right and right[0][0] - left[0][2] < side and _splits_word(left[1], right[1]):
                continue  # no room for a box between two halves of one word (评|审): a stray mark
            items.insert(k, ((mx, 0.0, mx, 0.0), sym))
        pieces = [t for _, t in items]
    return " ".join(p for p in pieces if p).strip()
