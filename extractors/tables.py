"""Tables: PyMuPDF's finder on born-digital pages; ruling lines + OCR boxes on scanned pages.

A scanned table is rebuilt from its ruling lines (OpenCV morphology): the cells are the holes of the
grid, rows are the bands between distinct cell tops, and every OCR box goes to the cell holding its
centre, so a label and the value in its row stay together. Ticked and empty check boxes (a small
square with or without ink inside) become "☑" / "□" in the cell text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import cv2
import numpy as np
import pymupdf

from core.model import Table

from .cellread import CellRead, Recognizer, needs_reread, reread_cells
from .checkbox import find_checkboxes, merge_checkboxes
from .layout import normalize_ocr_text
from .ocr import OcrResult
from .quality import plain_ideographs

MIN_RULES = 4  # drawn line segments a page needs before the (slow) table finder runs
SMALL_PT = 25.0  # closed shapes smaller than this inside a cell are check boxes or marks, not cells


def _clean(cell: str | None) -> str:
    return plain_ideographs(" ".join((cell or "").split()))


def may_hold_table(vectors: Sequence[tuple[float, float, float, float]]) -> bool:
    """Whether a page's painted paths could make a ruled table: a few of them, or one spanning both
    ways (a grid drawn as a single path). Saves MuPDF's drawing walk on pages of text and one rule."""
    if len(vectors) >= MIN_RULES:
        return True
    return any(x1 - x0 > SMALL_PT and y1 - y0 > SMALL_PT for x0, y0, x1, y1 in vectors)


def born_digital_tables(page: pymupdf.Page, vectors: Sequence[tuple[float, float, float, float]],
                        cell_text: Callable[[tuple[float, float, float, float]], str | None] | None = None
                        ) -> list[Table]:
    """Ruled tables of a text-layer page (`vectors`: boxes of the paths it paints, see `textlayer`);
    `cell_text` gives the text of a cell holding drawn marks (see `drawnmarks`)."""
    if not may_hold_table(vectors):
        return []
    try:
        paths = page.get_cdrawings()
    except Exception:  # noqa: BLE001
        return []
    rules = sum(len(p.get("items", ())) for p in paths)
    if rules < MIN_RULES:
        return []
    try:
        found = page.find_tables()
    except Exception:  # noqa: BLE001 - the finder fails on odd drawings; text lines still stand
        return []
    tables = []
    mat = page.rotation_matrix
    for t in found.tables:
        rows = [[_clean(c) for c in row] for row in t.extract()]
        if cell_text is not None:
            rows = [[_marked_cell(cell_text, rect, c) for rect, c in zip(_row_cells(t, k, len(row)), row, strict=True)]
                    for k, row in enumerate(rows)]
        rows = [r for r in rows if any(r)]
        if len(rows) >= 1 and max(len(r) for r in rows) >= 2:
            r = pymupdf.Rect(t.bbox) * mat if page.rotation else pymupdf.Rect(t.bbox)
            tables.append(Table(rows=rows, bbox=(r.x0, r.y0, r.x1, r.y1)))
    return tables


def _row_cells(t: Any, k: int, n: int) -> list[Any]:
    """The cell boxes of row `k` of a found table (None for merged cells), `n` of them."""
    try:
        cells = list(t.rows[k].cells)
    except Exception:  # noqa: BLE001 - another PyMuPDF: no cell boxes, no drawn marks in cells
        cells = []
    return (cells + [None] * n)[:n]


def _marked_cell(cell_text: Callable[[Any], str | None], rect: Any, text: str) -> str:
    if rect is None or not text:
        return text
    marked = cell_text(tuple(rect))
    return _clean(marked) if marked else text


H_RULE_PT = 24.0  # shortest horizontal ruling line: longer than a check box or a character
V_RULE_PT = 15.0  # shortest vertical ruling line: a low table row is still taller


def ruling_masks(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of a page image (`scale` points per pixel) as masks."""
    binary = cv2.adaptiveThreshold(~gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10)
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(int(H_RULE_PT / scale), 10), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(int(V_RULE_PT / scale), 10)))
    horiz = cv2.dilate(cv2.erode(binary, hk), hk)
    vert = cv2.dilate(cv2.erode(binary, vk), vk)
    return horiz, vert


def has_rulings(gray: np.ndarray, scale: float) -> bool:
    """Cheap look at half resolution: text-only pages (most scans) skip the full table pass."""
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    horiz, vert = ruling_masks(half, scale * 2)
    return cv2.countNonZero(horiz) > 0 and cv2.countNonZero(vert) > 0


def _cells(grid: np.ndarray, region: tuple[int, int, int, int], scale: float) -> list[tuple[int, int, int, int]]:
    """Cell rectangles (x0, y0, x1, y1) inside one table region: the holes of its grid."""
    x, y, w, h = region
    sub = grid[y : y + h, x : x + w]
    holes = cv2.bitwise_not(sub)
    n, _, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    cells = []
    for i in range(1, n):
        cx, cy, cw, ch, area = stats[i]
        if cw < 8 or ch < 8 or cw >= w - 2 or area < 0.3 * cw * ch:
            continue
        if cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
            continue  # outside the outer frame
        cells.append((x + cx, y + cy, x + cx + cw, y + cy + ch))
    return _drop_nested(cells, small=int(SMALL_PT / scale))


def _inside(c: tuple[int, int, int, int], o: tuple[int, int, int, int]) -> bool:
    return o != c and o[0] <= c[0] and o[1] <= c[1] and c[2] <= o[2] and c[3] <= o[3]


def _drop_nested(cells: list[tuple[int, int, int, int]], small: int) -> list[tuple[int, int, int, int]]:
    """A small closed shape inside a cell (a check box, a stamp's frame) is not a cell; and a "cell"
    that holds other cells is the space around a table (a photographed sheet's edge), not a cell."""
    def is_small(c: tuple[int, int, int, int]) -> bool:
        return max(c[2] - c[0], c[3] - c[1]) < small

    kept = [c for c in cells if not (is_small(c) and any(_inside(c, o) for o in cells))]
    return [o for o in kept if sum(1 for c in kept if not is_small(c) and _inside(c, o)) < 2]


def _rows_of(cells: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """Bands between distinct cell tops; a cell spanning several bands repeats in each.

    Tops closer than ~40 % of the median cell height are one band: a skewed scan shifts the tops of
    one row's cells by a few pixels from left to right, but never by a whole row.
    """
    heights = sorted(c[3] - c[1] for c in cells)
    tol = max(6.0, 0.4 * heights[len(heights) // 2])
    tops = sorted(c[1] for c in cells)
    clusters: list[list[int]] = []
    for t in tops:
        if clusters and t - clusters[-1][-1] <= tol:
            clusters[-1].append(t)
        else:
            clusters.append([t])
    bands = [sorted(c)[len(c) // 2] for c in clusters]
    rows = []
    for i, top in enumerate(bands):
        bottom = bands[i + 1] if i + 1 < len(bands) else max(c[3] for c in cells)
        mid = (top + bottom) / 2
        row = sorted((c for c in cells if c[1] <= mid <= c[3]), key=lambda c: c[0])
        if row:
            rows.append(row)
    return rows


def _split_at_rules(rect: tuple[float, float, float, float], text: str, vert: np.ndarray
                    ) -> list[tuple[tuple[float, float, float, float], str]]:
    """Split an OCR box that runs across a vertical ruling line (two cells' texts read as one)."""
    x0, y0, x1, y1 = (int(round(v)) for v in rect)
    yc = (y0 + y1) // 2
    if len(text) < 2 or not (0 <= yc < vert.shape[0]):
        return [(rect, text)]
    band = vert[max(0, yc - 2) : yc + 3, max(0, x0 + 3) : max(0, x1 - 3)].max(axis=0)
    cols = np.nonzero(band)[0]
    if len(cols) == 0:
        return [(rect, text)]
    cuts = [x0 + 3 + int(c) for i, c in enumerate(cols) if i == 0 or c - cols[i - 1] > 3]
    per_char = (x1 - x0) / len(text)
    pieces, start, left = [], 0, float(x0)
    for cut in cuts:
        k = int(round((cut - x0) / per_char))
        if start < k < len(text):
            pieces.append(((left, rect[1], float(cut), rect[3]), text[start:k]))
            start, left = k, float(cut)
    pieces.append(((left, rect[1], rect[2], rect[3]), text[start:]))
    return pieces


def _has_box(text: str) -> bool:
    return "☑" in text or "□" in text


def scanned_tables(gray: np.ndarray, result: OcrResult, scale: float,
                   recognize: Recognizer | None = None, checkboxes: bool = True) -> list[Table]:
    """Tables of an upright page image rebuilt from ruling lines, filled with the OCR boxes.

    With `recognize` (the OCR engine's line recogniser), cells that got no OCR box but hold ink,
    or only a short or suspicious text (".3" for "7.3"), are read once more on their own. Without
    `checkboxes` the check boxes are taken to be in the OCR text already (see `boxmarks`).
    """
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    if not has_rulings(gray, scale):
        return []
    horiz, vert = ruling_masks(gray, scale)
    if cv2.countNonZero(vert) == 0 or cv2.countNonZero(horiz) == 0:
        return []
    grid = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(grid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    h, w = gray.shape
    boxes = [(r, t, b.score) for b in result.boxes
             for r, t in _split_at_rules(b.rect, normalize_ocr_text(b.text), vert)]
    rules = horiz | vert
    marks = find_checkboxes(gray, scale, rules) if checkboxes else []
    heights = sorted(r[3] - r[1] for r, _, _ in boxes)
    line_h = heights[len(heights) // 2] if heights else 10.0 / scale
    tables = []
    for cnt in sorted(contours, key=lambda c: cv2.boundingRect(c)[1]):
        region = cv2.boundingRect(cnt)
        if region[2] < w * 0.2 or region[3] < h * 0.03:
            continue
        cells = _cells(grid, region, scale)
        if len(cells) < 2:
            continue
        rows, todo = [], []
        for row in _rows_of(cells):
            texts = []
            for c in row:
                inside = [b for b in boxes if c[0] <= (b[0][0] + b[0][2]) / 2 <= c[2] and c[1] <= (b[0][1] + b[0][3]) / 2 <= c[3]]
                inside.sort(key=lambda b: ((b[0][1] + b[0][3]) / 2 // 12, b[0][0]))
                cell_marks = [m for m in marks if c[0] <= m[0] <= c[2] and c[1] <= m[1] <= c[3]]
                text = merge_checkboxes([(r, t) for r, t, _ in inside], cell_marks)
                if not cell_marks and not _has_box(text) and recognize is not None and needs_reread(text, min((b[2] for b in inside), default=0.0)):
                    todo.append(CellRead(len(rows), len(texts), c, text, [(r, s) for r, _, s in inside]))
                texts.append(text)
            rows.append(texts)
        if todo:  # one batched recognition for all short cells of this table
            assert recognize is not None
            for item, text in zip(todo, reread_cells(gray, rules, todo, recognize, line_h), strict=True):
                rows[item.row][item.col] = text
        filled = sum(1 for r in rows for c in r if c)
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2 and filled >= 3:
            x, y, rw, rh = region
            tables.append(Table(rows=rows, bbox=(x * scale, y * scale, (x + rw) * scale, (y + rh) * scale)))
    return tables
