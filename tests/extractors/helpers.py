"""Fixtures built in the tests themselves: text pages rendered to scans, turned, with fake layers."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf

from tests.conftest import SHARED

NOTICE = SHARED / "seed" / "cacem-2024-notice.txt"


def notice_text(start: int = 0, length: int = 200) -> str:
    text = NOTICE.read_text(encoding="utf-8")
    return text[start : start + length]


def text_page_image(text: str, dpi: int = 200, size=(420, 300), fontsize: float = 14) -> np.ndarray:
    """A grayscale image of `text` laid out on a small page (a scan without degradation)."""
    doc = pymupdf.open()
    page = doc.new_page(width=size[0], height=size[1])
    spare = page.insert_textbox(pymupdf.Rect(24, 24, size[0] - 24, size[1] - 24), text, fontname="china-s",
                                fontsize=fontsize)
    assert spare >= 0, "the fixture text does not fit on the page"
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w].copy()
    rng = np.random.default_rng(7)  # a little scanner noise so the image is not pixel-perfect
    noisy = img.astype(np.int16) + rng.normal(0, 8, img.shape).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def scan_pdf(path: Path, images: list[np.ndarray], dpi: int = 200, hidden_text: str | None = None) -> Path:
    """A PDF whose pages are the given images (as a scanner makes them), optionally with an
    invisible text layer (render mode 3) drawn over the image, like a scanner's own OCR."""
    doc = pymupdf.open()
    for img in images:
        h, w = img.shape[:2]
        page = doc.new_page(width=w * 72 / dpi, height=h * 72 / dpi)
        ok, png = cv2.imencode(".png", img)
        assert ok
        page.insert_image(page.rect, stream=png.tobytes())
        if hidden_text:
            page.insert_textbox(page.rect + (20, 20, -20, -20), hidden_text, fontname="china-s", fontsize=12,
                                render_mode=3)
    doc.save(path)
    return path


def compact(text: str) -> str:
    return "".join(text.split())
