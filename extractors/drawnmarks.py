"""Marks drawn on a born-digital page: a box drawn as lines with a tick drawn in it, a word circled
or underlined with a drawing tool. None of them is text, so the text layer alone reads such a form
as unanswered; the page is rendered and read for marks the way a scan is (`marks`, `checkbox`).

Only pages that paint small shapes are rendered (a ruled table alone paints none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pymupdf

from core.marks import MARKED_CLOSE, MARKED_OPEN
from core.model import Line

from .checkbox import find_checkboxes, merge_checkboxes
from .layout import new_line, reading_order
from .marks import find_word_marks, mark_words
from .tables import ruling_masks

MARK_DPI = 150
SMALL_W, SMALL_H = 80.0, 40.0  # a painted path this small may be a mark (a box, a tick, a circle, a line)

Box = tuple[float, float, float, float]
CellText = Callable[[Box], str | None]


def may_hold_marks(vectors: Sequence[Box]) -> bool:
    return any(x1 - x0 < SMALL_W and y1 - y0 < SMALL_H for x0, y0, x1, y1 in vectors)


def _render(page: pymupdf.Page) -> np.ndarray:
    pix = page.get_pixmap(dpi=MARK_DPI, colorspace=pymupdf.csGRAY, alpha=False)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w].copy()


def _drawn(rect: Box, vectors: Sequence[Box]) -> bool:
    """Whether a mark found on the pixels (points) is one of the page's painted paths (about the same
    box), not a glyph of the text."""
    tol = max(3.0, 0.15 * max(rect[2] - rect[0], rect[3] - rect[1]))
    return any(all(abs(a - b) <= tol for a, b in zip(rect, v, strict=True)) for v in vectors)


def read_drawn_marks(page: pymupdf.Page, lines: list[Line], vectors: Sequence[Box] = ()
                     ) -> tuple[list[Line], CellText] | None:
    """The page's lines with drawn marks written in (☑/□, ⟦word⟧), and the text of a table cell
    holding marks (None for cells without); None when the page shows no mark. With `vectors` (the
    boxes of the page's painted paths) only marks that are painted paths count: text is never a mark."""
    if not lines:
        return None
    try:
        gray = _render(page)
    except Exception:  # noqa: BLE001 - not renderable: the text layer stands
        return None
    scale = 72.0 / MARK_DPI
    px = [tuple(v / scale for v in ln.bbox) for ln in lines]
    heights = sorted(b[3] - b[1] for b in px)
    line_h = heights[len(heights) // 2]
    horiz, vert = ruling_masks(gray, scale)
    words = find_word_marks(gray, line_h, px, horiz, vert)  # type: ignore[arg-type]
    boxes = [m for m in find_checkboxes(gray, scale, horiz | vert) if not _glyph_at(m, lines, scale)]
    if vectors:
        small = [v for v in vectors if v[3] - v[1] < SMALL_H]
        words = [w for w in words if _drawn(tuple(c * scale for c in w.rect), small)]  # type: ignore[arg-type]
        boxes = [b for b in boxes if _drawn((b[0] * scale - b[2] * scale / 2, b[1] * scale - b[2] * scale / 2,
                                            b[0] * scale + b[2] * scale / 2, b[1] * scale + b[2] * scale / 2), small)]
    if not words and not boxes:
        return None

    chars = _chars(page) if not page.rotation else []

    def text_of(members: list[int]) -> str:
        ws = [w for w in words if any(_near(w.rect, px[i]) for i in members)]
        bs = [b for b in boxes if any(_holds(px[i], b) for i in members)]
        if len(members) == 1 and (exact := _write_exact(lines[members[0]], chars, ws, bs, scale)) is not None:
            return exact
        texts = mark_words([(px[i], lines[i].text) for i in members], ws)
        return merge_checkboxes([(px[i], t) for i, t in zip(members, texts, strict=True)], bs) if bs else " ".join(texts)

    def touched(i: int) -> bool:
        return any(_near(w.rect, px[i]) for w in words) or any(_holds(px[i], b) for b in boxes)

    out = [new_line(text_of([i]), ln.bbox) if touched(i) else ln for i, ln in enumerate(lines)]
    ordered, _ = reading_order(out)

    def cell_text(cell: Box) -> str | None:
        c = tuple(v / scale for v in cell)
        members = [i for i, b in enumerate(px) if c[0] <= (b[0] + b[2]) / 2 <= c[2] and c[1] <= (b[1] + b[3]) / 2 <= c[3]]
        if not any(touched(i) for i in members):
            return None
        members.sort(key=lambda i: (round((px[i][1] + px[i][3]) / 2 / max(line_h, 1)), px[i][0]))
        return " ".join(" ".join(text_of([i]) for i in members).split())

    return ordered, cell_text


def _chars(page: pymupdf.Page) -> list[tuple[str, Box]]:
    """Every printed character of the page with its box (points)."""
    out = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                out.extend((c["c"], tuple(c["bbox"])) for c in span["chars"] if not c["c"].isspace())
    return out


def _write_exact(line: Line, chars: list[tuple[str, Box]], words: list, boxes: list, scale: float) -> str | None:
    """The line's text with marks inserted where its printed characters really are; None when the
    characters of the line cannot be matched one to one."""
    x0, y0, x1, y1 = line.bbox
    mine = sorted((b for c, b in chars if x0 - 1 <= (b[0] + b[2]) / 2 <= x1 + 1 and y0 - 1 <= (b[1] + b[3]) / 2 <= y1 + 1),
                  key=lambda b: b[0])
    text = line.text
    at = [i for i, c in enumerate(text) if not c.isspace()]
    if len(at) != len(mine) or not mine:
        return None
    inserts: list[tuple[int, int, str]] = []
    for w in words:
        r = tuple(v * scale for v in w.rect)
        inside = [k for k, b in enumerate(mine) if r[0] <= (b[0] + b[2]) / 2 <= r[2]]
        if inside:
            inserts += [(at[inside[0]], 1, MARKED_OPEN), (at[inside[-1]] + 1, 0, MARKED_CLOSE)]
    for mx, _, _, ticked in boxes:
        k = sum(1 for b in mine if (b[0] + b[2]) / 2 < mx * scale)
        inserts.append((at[k] if k < len(at) else len(text), 0, "☑" if ticked else "□"))
    chars_ = list(text)
    for pos, _, sym in sorted(inserts, reverse=True):
        chars_.insert(pos, sym)
    return "".join(chars_)


def _near(r: Box, b: Box) -> bool:
    """A word mark's box overlaps a text box."""
    return r[0] < b[2] and b[0] < r[2] and r[1] < b[3] + 0.7 * (b[3] - b[1]) and b[1] < r[3]


def _holds(b: Box, mark: tuple[float, float, float, bool]) -> bool:
    """A check box lies in the band of a text line, within or beside it."""
    mx, my, side, _ = mark
    return b[1] - 4 <= my <= b[3] + 4 and b[0] - 2 * side <= mx <= b[2] + 2 * side


def _glyph_at(mark: tuple[float, float, float, bool], lines: list[Line], scale: float) -> bool:
    """Whether a found box is a typed glyph (□ ☑ …) the text layer already holds."""
    mx, my = mark[0] * scale, mark[1] * scale
    for ln in lines:
        x0, y0, x1, y1 = ln.bbox
        if y0 <= my <= y1 and x0 <= mx <= x1 and any(c in ln.text for c in "□☐☑☒■口"):
            return True
    return False


