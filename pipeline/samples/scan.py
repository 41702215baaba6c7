"""Turning born-digital pages into what an office scanner or a phone camera makes of them.

Each page is rendered, slightly skewed, unevenly lit, blurred, speckled with noise and stored as
JPEG in an image-only PDF; chosen pages are turned by 90/180/270 degrees, as when a sheet is fed
sideways or upside down. Everything is driven by the caller's seeded rng, so output is repeatable.

Rotation convention (as the contract's `rotation`): the value for a page is the clockwise turn a
reader must apply to get the page upright; the scan itself is turned that much counter-clockwise.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
import pymupdf

from pipeline.samples.pdfdraw import pdf_bytes


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(64))


def degrade(img: np.ndarray, rng: random.Random, *, skew_max_deg: float = 1.0, noise: float = 6.0,
            blur: float = 0.6, gray_range: tuple[float, float] = (0.86, 1.0)) -> np.ndarray:
    """Skew, uneven gray, blur and noise on an RGB uint8 image (white stays near-white)."""
    nrng = _np_rng(rng)
    h, w = img.shape[:2]
    angle = rng.uniform(-skew_max_deg, skew_max_deg)
    if abs(angle) > 0.01:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        m[0, 2] += rng.uniform(-0.004, 0.004) * w
        m[1, 2] += rng.uniform(-0.004, 0.004) * h
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    lo, hi = gray_range
    gy = np.linspace(rng.uniform(lo, hi), rng.uniform(lo, hi), h, dtype=np.float32)[:, None]
    gx = np.linspace(rng.uniform(lo, hi), rng.uniform(lo, hi), w, dtype=np.float32)[None, :]
    shade = (gy * gx)[..., None]
    out = img.astype(np.float32) * shade
    if rng.random() < 0.35:  # the lid's shadow along one edge of the glass
        band = int(rng.uniform(0.006, 0.02) * w)
        edge = np.linspace(rng.uniform(0.35, 0.6), 1.0, band, dtype=np.float32)
        if rng.random() < 0.5:
            out[:, :band] *= edge[None, :, None]
        else:
            out[:, w - band:] *= edge[::-1][None, :, None]
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise > 0:
        out += nrng.normal(0, noise, size=(h, w, 1)).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def draw_strokes(img: np.ndarray, strokes: list, scale: float, rng: random.Random) -> np.ndarray:
    """Pen strokes (polylines in page points, see choice_marks.Stroke) drawn on a page image: a ballpoint's
    dark blue, its width varying along the stroke."""
    out = img.copy()
    ink = (rng.randint(20, 45), rng.randint(30, 50), rng.randint(90, 130))
    for s in strokes:
        pts = [(p[0] * scale, p[1] * scale) for p in s.points]
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            w = max(1, int(round(s.width * scale * rng.uniform(0.8, 1.2))))
            cv2.line(out, (int(round(x0)), int(round(y0))), (int(round(x1)), int(round(y1))), ink, w, cv2.LINE_AA)
    return out


def _render(page: pymupdf.Page, dpi: int) -> np.ndarray:
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csRGB, alpha=False)
    return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, 3).copy()


def _turn(img: np.ndarray, degrees: int) -> np.ndarray:
    k = (degrees // 90) % 4
    return np.ascontiguousarray(np.rot90(img, k=k)) if k else img


def _jpeg(img: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def scan_pdf(pdf: bytes, *, dpi: int = 200, rotations: dict[int, int] | None = None,
             rng: random.Random | None = None, skew_max_deg: float = 1.0, noise: float = 6.0,
             blur: float = 0.6, jpeg_quality: int = 70, grayscale: bool = False,
             photo_pages: set[int] | frozenset[int] = frozenset(), strokes: dict[int, list] | None = None) -> bytes:
    """An image-only PDF of the pages of `pdf`, degraded like an office scan.

    `rotations` maps 1-based page numbers to 90/180/270 (see the module's rotation convention);
    a page turned by 90/270 gets the swapped (landscape) page size, as a scanner would store it.
    Pages in `photo_pages` are phone photos instead (perspective, desk around the sheet), stored
    at the photo's aspect ratio. `strokes` (page number -> pen strokes in points) are drawn on the
    paper before it is scanned: circles, underlines and ticks made by hand.
    """
    rng = rng or random.Random(0)
    rotations = rotations or {}
    src = pymupdf.open("pdf", pdf)
    out = pymupdf.open()
    for no, page in enumerate(src, start=1):
        img = _render(page, dpi)
        if strokes and strokes.get(no):
            img = draw_strokes(img, strokes[no], dpi / 72.0, rng)
        img = degrade(img, rng, skew_max_deg=skew_max_deg, noise=noise, blur=blur)
        if grayscale:
            img = np.repeat(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)
        w, h = page.rect.width, page.rect.height
        if no in photo_pages:
            grown = _photo(img, rng)
            w, h = w * grown.shape[1] / img.shape[1], h * grown.shape[0] / img.shape[0]
            img = grown
        turn = rotations.get(no, 0) % 360
        img = _turn(img, turn)
        if turn in (90, 270):
            w, h = h, w
        new = out.new_page(width=w, height=h)
        new.insert_image(new.rect, stream=_jpeg(img, jpeg_quality))
    return pdf_bytes(out)


def _photo(img: np.ndarray, rng: random.Random) -> np.ndarray:
    """A phone photo of a sheet on a desk: perspective, a darker surround, a warm cast."""
    h, w = img.shape[:2]
    pad = int(0.06 * max(h, w))
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (rng.randint(90, 140),) * 3, dtype=np.uint8)
    canvas[pad:pad + h, pad:pad + w] = img
    H, W = canvas.shape[:2]

    def j(v: float) -> float:
        return v + rng.uniform(-0.035, 0.035) * W

    src = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])
    dst = np.float32([[j(pad), j(pad)], [j(pad + w), j(pad)], [j(pad + w), j(pad + h)], [j(pad), j(pad + h)]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(canvas, m, (W, H), borderValue=(110, 110, 110))
    cast = np.array([1.0, rng.uniform(0.95, 0.99), rng.uniform(0.86, 0.94)], dtype=np.float32)
    return np.clip(warped.astype(np.float32) * cast, 0, 255).astype(np.uint8)


def scan_image(pdf: bytes, *, page: int = 1, fmt: str = "jpg", dpi: int = 150, rotation: int = 0,
               rng: random.Random | None = None, photo: bool = False, skew_max_deg: float = 1.5,
               noise: float = 7.0, blur: float = 0.7, jpeg_quality: int = 75) -> bytes:
    """One page of `pdf` as a scanned (or, with photo=True, photographed) JPG or PNG image."""
    rng = rng or random.Random(0)
    with pymupdf.open("pdf", pdf) as src:
        img = _render(src[page - 1], dpi)
    img = degrade(img, rng, skew_max_deg=skew_max_deg, noise=noise, blur=blur)
    if photo:
        img = _photo(img, rng)
    img = _turn(img, rotation % 360)
    if fmt.lower() in ("jpg", "jpeg"):
        return _jpeg(img, jpeg_quality)
    ok, buf = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()
