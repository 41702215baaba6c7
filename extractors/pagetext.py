"""Turn OCR boxes into the model's lines: page points, normalised text, reading order."""

from __future__ import annotations

from core.model import Line

from .layout import normalize_ocr_text, reading_order
from .ocr import OcrResult


def ocr_lines(result: OcrResult, scale: float) -> tuple[list[Line], str]:
    """Lines in upright-page points (pixels x `scale`) in reading order, and the page text."""
    lines = []
    for b in result.boxes:
        text = normalize_ocr_text(b.text)
        if not text:
            continue
        x0, y0, x1, y1 = b.rect
        lines.append(Line(text=text, bbox=(x0 * scale, y0 * scale, x1 * scale, y1 * scale),
                          confidence=round(b.score, 4)))
    return reading_order(lines)
