"""Photographed or scanned images (a registration form as JPG/PNG): one page, read by OCR."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

from core.model import Document, Page

from . import problems as msg
from .options import ExtractOptions
from .pdf import ocr_into
from .pixels import declared_size, too_large_message, too_many_pixels

MAX_PIXELS = 80_000_000  # a larger "image" is a decompression bomb, not a scan
MAX_SIDE = 4000  # larger photos are scaled down: OCR gains nothing above this


def load_image(path: Path) -> tuple[np.ndarray, float]:
    """Grayscale pixels with the camera's EXIF orientation applied (phones store photos sideways),
    and the factor by which a very large image was shrunk."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as im:
        im.seek(0)  # multi-frame TIFF: the first frame
        im = ImageOps.exif_transpose(im)
        gray = np.asarray(im.convert("L"))
    h, w = gray.shape
    f = 1.0
    if max(h, w) > MAX_SIDE:
        f = MAX_SIDE / max(h, w)
        gray = cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
    return gray, f


def image_dpi(path: Path) -> float:
    """The DPI the scanner recorded, else an A4-sized guess so boxes come out in page points."""
    try:
        with Image.open(path) as im:
            dpi = im.info.get("dpi")
            if dpi and float(dpi[0]) >= 50:
                return float(dpi[0])
    except Exception:  # noqa: BLE001
        pass
    return 0.0


def extract_image(path: Path, name: str, options: ExtractOptions) -> Document:
    out = Document(path=name, format="image")
    if too_many_pixels(size := declared_size(path)):  # checked before decoding: a bomb costs nothing
        out.problems.append(msg.unreadable(too_large_message(size), name))  # type: ignore[arg-type]
        return out
    try:
        gray, shrink = load_image(path)
    except Exception:  # noqa: BLE001 - truncated, bomb or undecodable: never a crash
        out.problems.append(msg.unreadable(msg.CORRUPT, name))
        return out
    h, w = gray.shape
    # points per pixel: the recorded DPI, or treat the long side as an A4 long side (842 pt)
    dpi = image_dpi(path)
    scale = 72.0 / (dpi * shrink) if dpi else 842.0 / max(h, w)
    page = Page(page=1, source="ocr", reason="image", kind="image", width=w * scale, height=h * scale, images=1)
    if options.ocr:
        ocr_into(page, gray, options, scale)
    out.pages.append(page)
    return out
