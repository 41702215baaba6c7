"""OCR of one page image with RapidOCR (PP-OCRv4, models inside the wheel), orientation included.

The built-in reader runs RapidOCR's stages itself (detect, classify, recognise) so that the page's
orientation is decided from the same detection pass that is then recognised: a sideways or upside-down
page costs no second detection. An injected engine (tests, other OCR) is any callable returning
`[(box, text, score), ...]`; it gets no orientation handling beyond what it does itself.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

TEXT_SCORE = 0.5  # RapidOCR's own threshold for keeping a recognised line
VOTE_SAMPLE = 24  # text lines whose angle votes decide a page's 0/180


@dataclass
class OcrBox:
    """One recognised text box in the pixel coordinates of the upright image."""

    box: np.ndarray  # 4x2 float, clockwise from top-left
    text: str
    score: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        xs, ys = self.box[:, 0], self.box[:, 1]
        return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


@dataclass
class OcrResult:
    boxes: list[OcrBox] = field(default_factory=list)
    rotation: int = 0  # clockwise degrees the image was turned before recognition
    size: tuple[int, int] = (0, 0)  # (width, height) of the upright image in pixels


_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def default_engine(threads: int = 1) -> RapidReader:
    """One RapidOCR per process: loading the models costs ~1 s and 200 MB. `threads` (onnxruntime's,
    ExtractOptions.threads) counts when the first call loads it; one thread: see extractors/workers.py."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = RapidReader(threads=threads)
        return _ENGINE


def _order_clockwise(pts: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left (after a rotation)."""
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def rotate_image(img: np.ndarray, rotation: int) -> np.ndarray:
    """Turn an image clockwise by 0/90/180/270 degrees."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return img if rotation % 360 == 0 else cv2.rotate(img, codes[rotation % 360])


def rotate_boxes(boxes: np.ndarray, rotation: int, w: int, h: int) -> np.ndarray:
    """Map Nx4x2 boxes of a w x h image to the image turned clockwise by `rotation`."""
    rotation %= 360
    if rotation == 0 or len(boxes) == 0:
        return boxes
    x, y = boxes[..., 0], boxes[..., 1]
    if rotation == 90:
        nx, ny = (h - 1) - y, x
    elif rotation == 180:
        nx, ny = (w - 1) - x, (h - 1) - y
    else:
        nx, ny = y, (w - 1) - x
    out = np.stack([nx, ny], axis=-1).astype(np.float32)
    return np.array([_order_clockwise(b) for b in out], np.float32)


def box_sizes(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Width (along the first edge) and height of each detected quadrilateral."""
    w = np.linalg.norm(boxes[:, 0] - boxes[:, 1], axis=1)
    h = np.linalg.norm(boxes[:, 0] - boxes[:, 3], axis=1)
    return w, h


class RapidReader:
    """RapidOCR split into its stages, with a page-level orientation decision in between."""

    def __init__(self, threads: int = -1) -> None:
        from rapidocr_onnxruntime import RapidOCR

        kwargs: dict[str, Any] = {}
        if threads and threads > 0:
            kwargs = {"intra_op_num_threads": threads, "inter_op_num_threads": 1}
        self.ocr = RapidOCR(**kwargs)

    def __call__(self, img: np.ndarray) -> list[tuple[list, str, float]]:
        """RapidOCR-compatible call (no page orientation): [(box, text, score), ...]."""
        res = self.read(img, orient=False)
        return [(b.box.tolist(), b.text, b.score) for b in res.boxes]

    @staticmethod
    def _down_share(cls_res: list, boxes: np.ndarray) -> float:
        """Share of (length-weighted) lines that the angle classifier reads as upside down."""
        w, h = box_sizes(boxes)
        up = down = 0.0
        for (label, score), wi, hi in zip(cls_res, w, h, strict=False):
            weight = float(max(wi, hi)) * float(score)
            if str(label) == "180":
                down += weight
            else:
                up += weight
        return down / max(up + down, 1e-6)

    def _sideways(self, img: np.ndarray, boxes: np.ndarray) -> int:
        """0 for a page of wide (horizontal) lines, else 90 or 270 from the sampled tall lines.

        Lines of horizontal writing are wide boxes; on a sideways page they are tall. RapidOCR's crop
        turns a tall box counter-clockwise before the 0/180 classifier, so "0" there means the text
        runs top-to-bottom (the page needs a 270 turn) and "180" the reverse (a 90 turn).
        """
        w, h = box_sizes(boxes)
        long = np.maximum(w, h)
        if float(long[h >= 1.5 * w].sum()) <= float(long[w >= 1.5 * h].sum()):
            return 0
        tall = boxes[h >= 1.5 * w]
        sample = tall[np.argsort(-np.maximum(*box_sizes(tall)))[:VOTE_SAMPLE]]
        _, cls_res, _ = self.ocr.text_cls(self.ocr.get_crop_img_list(img, [b.copy() for b in sample]))
        return 90 if self._down_share(cls_res, sample) > 0.5 else 270

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise already cut-out, upright text images (no detection, no flips): [(text, score), ...]."""
        rec_res, _ = self.ocr.text_rec(list(crops), True)
        return [(spaced(str(r[0]), r[2] if len(r) > 2 else None), float(r[1])) for r in rec_res]

    def read(self, img: np.ndarray, orient: bool = True) -> OcrResult:
        """Detect, turn the page upright if needed, then recognise every line as the page now stands.

        An upright page costs what bare RapidOCR costs: the angle classification of all lines, which
        RapidOCR does anyway, is the page's 0/180 vote instead of a flip of single lines.
        """
        if img.ndim == 2:
            img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        raw_h, raw_w = img.shape[:2]
        small, ratio_h, ratio_w = self.ocr.preprocess(img)
        dt_boxes, _ = self.ocr.text_det(small)
        if dt_boxes is None or len(dt_boxes) == 0:
            return OcrResult(size=(raw_w, raw_h))
        boxes = self.ocr.sorted_boxes(np.asarray(dt_boxes, np.float32))
        rotation = self._sideways(small, np.asarray(boxes)) if orient else 0
        crops: list = []
        if rotation == 0:
            upright = self.ocr.get_crop_img_list(small, [b.copy() for b in boxes])
            crops, cls_res, _ = self.ocr.text_cls(list(upright))
            if orient:
                if self._down_share(cls_res, np.asarray(boxes)) > 0.5:
                    rotation = 180
                # the page's lines together decide its orientation; one line's own vote, when it flips
                # that line alone, is wrong (a sentence read upside down comes out as its brackets)
                crops = upright
        if rotation:
            # detect again on the page turned upright: boxes found on a turned page and turned with it
            # clip line-final punctuation and break the reading order of a paragraph's lines, and
            # turned pages are few enough that a second detection costs little overall
            img = rotate_image(img, rotation)
            raw_h, raw_w = img.shape[:2]
            small, ratio_h, ratio_w = self.ocr.preprocess(img)
            dt_boxes, _ = self.ocr.text_det(small)
            if dt_boxes is None or len(dt_boxes) == 0:
                return OcrResult(size=(raw_w, raw_h), rotation=rotation)
            boxes = self.ocr.sorted_boxes(np.asarray(dt_boxes, np.float32))
            crops = self.ocr.get_crop_img_list(small, [b.copy() for b in boxes])  # upright now: no flips
        rec_res, _ = self.ocr.text_rec(crops, True)
        out: list[OcrBox] = []
        for box, rec in zip(boxes, rec_res, strict=False):
            text, score = spaced(str(rec[0]), rec[2] if len(rec) > 2 else None), float(rec[1])
            if score < TEXT_SCORE or not text.strip():
                continue
            scaled = np.asarray(box, np.float32).copy()
            scaled[:, 0] *= ratio_w
            scaled[:, 1] *= ratio_h
            out.append(OcrBox(scaled, text, score))
        return OcrResult(out, rotation, (raw_w, raw_h))


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def spaced(text: str, info: Any) -> str:
    """`text` with a space where the recogniser skipped one between two Chinese characters.

    The recogniser's model has no space between ideographs ("部门 姓名" comes out "部门姓名"), but
    its decoding positions show the gap: ideographs follow each other at a steady pitch (their
    width, about the line's height), and a typed space adds a third of it or more. `info` is the
    word-box information RapidOCR's decoder gives (decoding columns of each character).
    """
    try:
        cols = [int(c) for word in info[2] for c in word]
    except (TypeError, IndexError, ValueError):
        return text
    if len(cols) != len(text) or len(text) < 3:
        return text
    pairs = [(k, cols[k + 1] - cols[k]) for k in range(len(text) - 1) if _cjk(text[k]) and _cjk(text[k + 1])]
    if len(pairs) < 3:
        return text  # too few ideographs to know their pitch
    pitch = float(np.median([p for _, p in pairs]))
    gaps = {k for k, p in pairs if p >= 1.4 * pitch and p - pitch >= 2}
    return "".join(c + (" " if k in gaps else "") for k, c in enumerate(text)) if gaps else text


def run_engine(engine: Any, img: np.ndarray) -> OcrResult:
    """Read an image with the built-in reader or with any RapidOCR-like callable."""
    if isinstance(engine, RapidReader):
        return engine.read(img)
    res = engine(img)
    if isinstance(res, tuple) and len(res) == 2 and not isinstance(res[0], str):
        res = res[0]
    boxes = []
    for item in res or []:
        box, text, score = item[0], str(item[1]), float(item[2])
        boxes.append(OcrBox(np.asarray(box, np.float32).reshape(4, 2), text, score))
    h, w = img.shape[:2]
    return OcrResult(boxes, 0, (w, h))


class OcrTimeout(Exception):
    """The page took longer than the per-page limit."""


def run_with_timeout(engine: Any, img: np.ndarray, timeout: float) -> OcrResult:
    """Run OCR in a daemon thread so a hung engine costs one page, not the whole run."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = run_engine(engine, img)
        except BaseException as exc:  # noqa: BLE001 - any engine failure becomes a page problem
            box["error"] = exc

    worker = threading.Thread(target=target, name="banzu-ocr", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise OcrTimeout(f"{timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["result"]
