"""How many pixels an image will decode to, read from its header before any pixel is decoded.

A 1 MB PNG of one colour can declare 30000 × 30000 pixels (900 MP, ~2.7 GB decoded): the size is
checked first, so such an image costs nothing and is reported as too large instead of crashing
or being called damaged.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

MAX_PIXELS = 80_000_000  # a real scan at 600 dpi of A3 is ~70 MP
_HEADER_ONLY = threading.Lock()


def declared_size(source: Path | bytes) -> tuple[int, int] | None:
    """(width, height) from the image header (PIL reads headers lazily); None when not an image PIL knows."""
    from PIL import Image

    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    with _HEADER_ONLY:  # PIL refuses to even open a bomb; only the header is read here
        saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            with Image.open(handle) as im:
                return im.size
        except Exception:  # noqa: BLE001 - not an image, or a damaged header: the decoder will say
            return None
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def too_many_pixels(size: tuple[int, int] | None, limit: int = MAX_PIXELS) -> bool:
    return size is not None and size[0] * size[1] > limit


def too_large_message(size: tuple[int, int], what: str = "图片") -> str:
    w, h = size
    return (f"{what}尺寸过大（{w}×{h} 像素，约 {w * h / 1e6:.0f} 百万像素，上限 {MAX_PIXELS / 1e6:.0f} 百万像素），"
            "系统不予解码以免耗尽内存。请缩小图片或转换为 PDF 后重新提交。")
