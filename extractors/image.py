"""Photographed or scanned images (a registration form as JPG/PNG/HEIC): read by OCR.

A multi-page TIFF (a scanner's stack) gives one page per frame; HEIC/HEIF (iPhone photos) is
decoded by pillow-heif.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

from core.codes import Code
from core.model import Document, Page, Problem

from . import problems as msg
from .options import ExtractOptions
from .pdf import ocr_into
from .pixels import declared_size, too_large_message, too_many_pixels

MAX_PIXELS = 80_000_000  # a larger "image" is a decompression bomb, not a scan
MAX_SIDE = 4000  # larger photos are scaled down: OCR gains nothing above this
MAX_FRAMES = 500  # a TIFF with more frames is read up to this limit (like max_pages)


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # without it HEIC photos are reported as unreadable images
        return
    register_heif_opener()


_register_heif()


def frame_count(path: Path) -> int:
    """How many pages the image holds: TIFF frames (a scanned stack), 1 for a photo; GIF/WebP
    animations count as one picture."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as im:
        if im.format != "TIFF":
            return 1
        return max(1, int(getattr(im, "n_frames", 1)))


def load_image(path: Path, frame: int = 0) -> tuple[np.ndarray, float]:
    """Grayscale pixels of one frame with the camera's EXIF orientation applied (phones store photos
    sideways), and the factor by which a very large image was shrunk."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(path) as im:
        im.seek(frame)
        im = ImageOps.exif_transpose(im)
        gray = np.asarray(im.convert("L"))
    h, w = gray.shape
    f = 1.0
    if max(h, w) > MAX_SIDE:
        f = MAX_SIDE / max(h, w)
        gray = cv2.resize(gray, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
    return gray, f


def image_dpi(path: Path, frame: int = 0) -> float:
    """The DPI the scanner recorded, else an A4-sized guess so boxes come out in page points."""
    try:
        with Image.open(path) as im:
            im.seek(frame)
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
        frames = frame_count(path)
    except Exception:  # noqa: BLE001 - truncated, bomb or undecodable: never a crash
        out.problems.append(msg.unreadable(msg.CORRUPT, name))
        return out
    limit = min(options.max_pages, MAX_FRAMES)
    for frame in range(min(frames, limit)):
        if not options.wants(frame + 1):
            continue
        try:
            gray, shrink = load_image(path, frame)
        except Exception:  # noqa: BLE001
            if frames == 1:
                out.problems.append(msg.unreadable(msg.CORRUPT, name))
                return out
            out.pages.append(Page(page=frame + 1, source="ocr", reason="image", kind="image", problems=[
                Problem(code=Code.PAGE_UNREADABLE, page=frame + 1,
                        message=msg.PAGE_RENDER_FAILED.format(page=frame + 1, why="图像帧损坏"))]))
            continue
        out.pages.append(_image_page(path, frame, gray, shrink, options))
    if frames > limit:
        out.problems.append(Problem(code=Code.TOO_MANY_PAGES, file=name,
                                    message=msg.TOO_MANY_PAGES.format(total=frames, limit=limit)))
    return out


def _image_page(path: Path, frame: int, gray: np.ndarray, shrink: float, options: ExtractOptions) -> Page:
    h, w = gray.shape
    # points per pixel: the recorded DPI, or treat the long side as an A4 long side (842 pt)
    dpi = image_dpi(path, frame)
    scale = 72.0 / (dpi * shrink) if dpi else 842.0 / max(h, w)
    page = Page(page=frame + 1, source="ocr", reason="image", kind="image", width=w * scale, height=h * scale,
                images=1)
    if options.ocr:
        ocr_into(page, gray, options, scale)
    return page
