"""Choices marked the other ways people mark them: a word circled or underlined, a box drawn as lines
with a tick drawn in it, a tick made by hand on paper.

The form is drawn first (`statistics_form`), then the option words are found on the page and the
marks are made around them: as vector paths on a born-digital page (a PDF annotator, Word's drawing
tools) or as irregular pen strokes on the pixels of a scan (`scan.scan_pdf(strokes=...)`).
A stroke is a polyline in page points with a pen width.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pymupdf

from pipeline.samples.pdfdraw import pdf_bytes

# How a choice is marked: a typed glyph (the form's □ replaced by √ ☑ …, see statistics_form.MARKS),
# a box drawn as four lines with a tick drawn inside, the word circled, the word underlined, or a tick
# made by hand over the printed □ (on paper: scans only).
MARKINGS = ("glyph", "drawn_box", "circle", "underline", "hand")
ON_PAPER = ("hand",)  # markings made with a pen on the printed sheet: they exist only on scans

Point = tuple[float, float]


@dataclass(frozen=True)
class Stroke:
    points: tuple[Point, ...]
    width: float = 1.0


def option_text(option: str) -> str:
    """An option as the form prints it (Latin letters set apart: "与 QC 小组合开")."""
    return option.replace("QC", " QC ")


def choice_text(options: list[str], marking: str, *, before: bool, empty: str = "□") -> str:
    """The text of a choice cell before marks are made: plain words, or with room for a drawn box
    (a full-width space), or with the printed empty boxes a hand tick goes over."""
    slot = {"drawn_box": "\u3000", "hand": empty}.get(marking, "")
    words = [option_text(o) for o in options]
    gap = "\u3000\u3000" if marking in ("circle", "underline") else "  "  # room for a circle between words
    return gap.join(f"{slot}{w}" if before else f"{w}{slot}" for w in words)


def _word_rects(page: pymupdf.Page, anchor: str, words: list[str]) -> dict[str, pymupdf.Rect]:
    """Where each of `words` is printed in the row of the text `anchor` (right of it, nearest in height)."""
    hits = page.search_for(anchor)
    if not hits:
        raise ValueError(f"{anchor!r} not on the page")
    row = hits[0]
    my = (row.y0 + row.y1) / 2
    out = {}
    for w in words:
        found = [r for r in page.search_for(option_text(w)) if r.x0 > row.x1 and abs((r.y0 + r.y1) / 2 - my) < 20]
        if not found:
            raise ValueError(f"option {w!r} not in the row of {anchor!r}")
        out[w] = min(found, key=lambda r: (round(abs((r.y0 + r.y1) / 2 - my)), r.x0))
    return out


def _jitter(rng: random.Random, amount: float) -> float:
    return rng.uniform(-amount, amount)


def tick_stroke(cx: float, cy: float, size: float, rng: random.Random, *, hand: bool) -> Stroke:
    """A tick centred near (cx, cy): a short stroke down-right then a long one up-right; by hand it
    is uneven and runs past the top-right corner of the box as a pen does."""
    s = size
    j = (lambda a: _jitter(rng, a)) if hand else (lambda a: 0.0)
    reach = 1.1 if hand else 0.8
    pts = [(cx - 0.45 * s + j(0.08 * s), cy - 0.02 * s + j(0.08 * s)),
           (cx - 0.12 * s + j(0.06 * s), cy + 0.38 * s + j(0.05 * s)),
           (cx + 0.5 * reach * s + j(0.1 * s), cy - 0.55 * reach * s + j(0.1 * s))]
    if hand:  # a pen's path: points along the two strokes, slightly wavering
        dense: list[Point] = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            for k in range(6):
                t = k / 6
                dense.append((x0 + (x1 - x0) * t + j(0.03 * s), y0 + (y1 - y0) * t + j(0.03 * s)))
        dense.append(pts[-1])
        pts = dense
    return Stroke(tuple(pts), width=(rng.uniform(0.9, 1.5) if hand else 1.0))


def circle_stroke(r: pymupdf.Rect, rng: random.Random, *, hand: bool) -> Stroke:
    """A closed curve around the word: an ellipse, by hand a wobbly one whose ends overlap."""
    cx, cy = (r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2
    a, b = r.width / 2 + 0.4 * r.height, 0.85 * r.height
    n = 48
    start = rng.uniform(0, 2 * math.pi) if hand else 0.0
    turn = 2 * math.pi * (1.08 if hand else 1.0)
    pts = []
    for k in range(n + 1):
        t = start + turn * k / n
        wob = 1 + (_jitter(rng, 0.05) if hand else 0.0)
        pts.append((cx + a * wob * math.cos(t), cy + b * wob * math.sin(t)))
    return Stroke(tuple(pts), width=(rng.uniform(0.8, 1.3) if hand else 0.9))


def underline_stroke(r: pymupdf.Rect, rng: random.Random, *, hand: bool) -> Stroke:
    """A line under the word, a little longer than it; by hand slightly sloped and wavy."""
    y = r.y1 + 1.2
    x0, x1 = r.x0 - 1.0, r.x1 + 1.0
    if not hand:
        return Stroke(((x0, y), (x1, y)), width=0.9)
    n = 10
    slope = _jitter(rng, 0.6)
    pts = [(x0 + (x1 - x0) * k / n, y + slope * k / n + _jitter(rng, 0.35)) for k in range(n + 1)]
    return Stroke(tuple(pts), width=rng.uniform(0.9, 1.4))


def box_rect(word: pymupdf.Rect, *, before: bool) -> pymupdf.Rect:
    """The drawn box in the full-width space beside the word."""
    side = 0.8 * word.height
    cy = (word.y0 + word.y1) / 2
    x0 = word.x0 - 0.1 * word.height - side if before else word.x1 + 0.2 * word.height
    return pymupdf.Rect(x0, cy - side / 2, x0 + side, cy + side / 2)


def _printed_box(page: pymupdf.Page, word: pymupdf.Rect, empty: str, *, before: bool) -> pymupdf.Rect:
    """The printed empty box glyph beside the word."""
    hits = [r for r in page.search_for(empty) if abs((r.y0 + r.y1) / 2 - (word.y0 + word.y1) / 2) < 6]
    edge = word.x0 if before else word.x1
    return min(hits, key=lambda r: abs((r.x1 if before else r.x0) - edge))


def marks_for(page: pymupdf.Page, chosen: dict[str, list[str]], options: dict[str, list[str]],
              before: dict[str, bool], anchors: dict[str, str], marking: str, rng: random.Random, *, hand: bool,
              empty: str = "□") -> tuple[list[Stroke], list[pymupdf.Rect]]:
    """The strokes marking the `chosen` options of each item (keyed by item; `anchors` holds a text
    printed left of the item's options in its row), and the boxes to draw as lines (drawn_box: one
    per option, ticked or not)."""
    strokes: list[Stroke] = []
    boxes: list[pymupdf.Rect] = []
    for label, opts in options.items():
        rects = _word_rects(page, anchors[label], opts)
        for opt in opts:
            word = rects[opt]
            on = opt in chosen.get(label, [])
            if marking == "drawn_box":
                box = box_rect(word, before=before[label])
                boxes.append(box)
                if on:
                    strokes.append(tick_stroke((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, box.width, rng,
                                               hand=hand))
            elif not on:
                continue
            elif marking == "circle":
                strokes.append(circle_stroke(word, rng, hand=hand))
            elif marking == "underline":
                strokes.append(underline_stroke(word, rng, hand=hand))
            elif marking == "hand":
                box = _printed_box(page, word, empty, before=before[label])
                side = 0.7 * box.height  # the glyph's square within its line box
                strokes.append(tick_stroke((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, side, rng, hand=True))
    return strokes, boxes


def draw_vectors(pdf: bytes, strokes: list[Stroke], boxes: list[pymupdf.Rect]) -> bytes:
    """The marks drawn into page 1 as vector paths (boxes as four lines, not a glyph)."""
    doc = pymupdf.open("pdf", pdf)
    page = doc[0]
    shape = page.new_shape()
    for b in boxes:
        shape.draw_polyline([b.tl, b.tr, b.br, b.bl, b.tl])
        shape.finish(color=(0, 0, 0), width=0.7, closePath=True)
    for s in strokes:
        shape.draw_polyline([pymupdf.Point(p) for p in s.points])
        shape.finish(color=(0, 0, 0), width=s.width, closePath=False, lineCap=1, lineJoin=1)
    shape.commit()
    return pdf_bytes(doc)
