"""Reading order: group positioned text pieces into visual rows, then left to right."""

from __future__ import annotations

from collections.abc import Sequence

from core.model import Line

# OCR often returns full-width digits and Latin letters; the documents' numbers are plain ASCII
_FULLWIDTH = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(r[0], r[1] + 1)}


_LINE_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_LINE_FIELDS = frozenset(("text", "bbox", "confidence"))


def _slot_setters() -> tuple:
    """The C-level setters of BaseModel's instance slots: calling them skips attribute lookup."""
    base = Line.__mro__[-2]  # pydantic.BaseModel
    return tuple(vars(base)[name].__set__ for name in _LINE_SLOTS)


try:
    _SET_DICT, _SET_FIELDS, _SET_EXTRA, _SET_PRIVATE = _slot_setters()
except Exception:  # noqa: BLE001 - another pydantic layout: _pick_new_line falls back
    _SET_DICT = _SET_FIELDS = _SET_EXTRA = _SET_PRIVATE = None  # type: ignore[assignment]


def _new_line_fast(text: str, bbox: tuple[float, float, float, float], confidence: float | None = None) -> Line:
    """A Line from already valid values at a third of the cost of `model_construct` (hundreds per page)."""
    obj = object.__new__(Line)
    _SET_DICT(obj, {"text": text, "bbox": bbox, "confidence": confidence})
    _SET_FIELDS(obj, set(_LINE_FIELDS))
    _SET_EXTRA(obj, None)
    _SET_PRIVATE(obj, None)
    return obj


def _new_line_safe(text: str, bbox: tuple[float, float, float, float], confidence: float | None = None) -> Line:
    return Line.model_construct(text=text, bbox=bbox, confidence=confidence)


def _pick_new_line():  # noqa: ANN202 - the fast path only while pydantic keeps its model layout
    try:
        probe = _new_line_fast("a", (0.0, 1.0, 2.0, 3.0))
        ok = probe == Line(text="a", bbox=(0.0, 1.0, 2.0, 3.0)) and probe.model_dump()["text"] == "a"
        return _new_line_fast if ok and set(_LINE_SLOTS) <= set(dir(probe)) | {"__dict__"} else _new_line_safe
    except Exception:  # noqa: BLE001
        return _new_line_safe


new_line = _pick_new_line()


def normalize_ocr_text(text: str) -> str:
    return text.translate(_FULLWIDTH).strip()


def group_rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Rows of lines that share a vertical band (tolerates small skew), each sorted left to right."""
    items = sorted(lines, key=lambda ln: ((ln.bbox[1] + ln.bbox[3]) / 2, ln.bbox[0]))
    rows: list[list[Line]] = []
    spans: list[tuple[float, float]] = []
    for ln in items:
        y0, y1 = ln.bbox[1], ln.bbox[3]
        h = max(y1 - y0, 1e-3)
        placed = False
        # only the last few rows can still overlap a line that starts further down
        for k in range(len(rows) - 1, max(len(rows) - 4, -1), -1):
            r0, r1 = spans[k]
            overlap = min(y1, r1) - max(y0, r0)
            if overlap >= 0.5 * min(h, r1 - r0):
                rows[k].append(ln)
                spans[k] = (min(r0, y0), max(r1, y1)) if overlap >= 0.8 * h else (r0, r1)
                placed = True
                break
        if not placed:
            rows.append([ln])
            spans.append((y0, y1))
    ordered = sorted(zip(spans, rows, strict=True), key=lambda sr: sr[0][0])
    return [sorted(r, key=lambda ln: ln.bbox[0]) for _, r in ordered]


def join_row(row: Sequence[Line]) -> str:
    """Pieces of one row: a space where there is a visible gap (table cells, label and value)."""
    out = ""
    prev = None
    for ln in row:
        if prev is not None:
            h = max(prev.bbox[3] - prev.bbox[1], ln.bbox[3] - ln.bbox[1], 1.0)
            gap = ln.bbox[0] - prev.bbox[2]
            out += " " if gap > 0.6 * h else ""
        out += ln.text
        prev = ln
    return out


def _stacked(lines: Sequence[Line]) -> bool:
    """Whether every line starts below all lines before it: then each is its own row, already in order
    (most text-layer pages of running text), and grouping can be skipped."""
    bottom = float("-inf")
    for ln in lines:
        y0, y1 = ln.bbox[1], ln.bbox[3]
        if y0 < bottom:
            return False
        bottom = y1
    return True


def reading_order(lines: Sequence[Line]) -> tuple[list[Line], str]:
    """Lines sorted in reading order and the page text (one visual row per text line)."""
    if _stacked(lines):
        ordered = list(lines)
        return ordered, "\n".join(t for t in (ln.text for ln in ordered) if t.strip())
    rows = group_rows(lines)
    ordered = [ln for row in rows for ln in row]
    return ordered, "\n".join(t for t in (join_row(r) for r in rows) if t.strip())
