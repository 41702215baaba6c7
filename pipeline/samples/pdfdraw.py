"""Drawing born-digital Chinese office documents with PyMuPDF: wrapped text, ruled tables, seals.

Two fonts so the checks do not overfit to one: PyMuPDF's built-in CJK font (`china-s`) and
WenQuanYi Zen Hei when installed (a TrueType collection, which PyMuPDF subsets on save).
`pdf_bytes` writes without dates or random ids, so the same drawing gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pymupdf

A4 = (595.0, 842.0)
BLACK = (0, 0, 0)
SEAL_RED = (0.85, 0.12, 0.12)
WQY_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)


def wqy_path() -> Path | None:
    return next((p for p in WQY_PATHS if p.exists()), None)


# More typefaces for tests that must not fit one font: Debian's fonts-noto-cjk, fonts-arphic-gbsn00lp (Song),
# fonts-arphic-gkai00mp (Kai) and fonts-wqy-microhei. A key whose file is missing is simply not offered.
FONT_FILES: dict[str, tuple[Path, ...]] = {
    "noto-sans": (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),),
    "noto-serif": (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),),
    "song": (Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),),
    "kai": (Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),),
    "microhei": (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),),
}
SYMBOL_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)  # ☑ ☒ ✓: no CJK font has them


def font_file(key: str) -> Path | None:
    files = SYMBOL_FILES if key == "symbols" else FONT_FILES.get(key, ())
    return next((p for p in files if p.exists()), None)


def typefaces() -> list[str]:
    """Every font key usable here: the built-in `china-s`, `wqy` when installed, and the installed
    files of FONT_FILES (Song, Kai, Noto Sans/Serif CJK, WenQuanYi Micro Hei)."""
    return available_fonts() + [k for k in FONT_FILES if font_file(k)]


def available_fonts() -> list[str]:
    """Font keys usable here: always `china-s`, plus `wqy` when WenQuanYi Zen Hei is installed."""
    return ["china-s", "wqy"] if wqy_path() else ["china-s"]


@lru_cache
def _font(key: str) -> pymupdf.Font:
    if key == "wqy" and wqy_path():
        return pymupdf.Font(fontfile=str(wqy_path()))
    if (path := font_file(key)) is not None:
        return pymupdf.Font(fontfile=str(path))
    return pymupdf.Font("china-s")


@lru_cache(maxsize=65536)
def _advance(font: str, ch: str) -> float:
    """Advance of one character at size 1 (Latin letters and digits are half-width)."""
    return _font(_glyph_font(font, ch)).glyph_advance(ord(ch))


@lru_cache(maxsize=65536)
def _glyph_font(font: str, ch: str) -> str:
    """FONT when it draws CH, else the symbol font that does (as a word processor falls back)."""
    if ch.isspace() or _font(font).has_glyph(ord(ch)) or not font_file("symbols"):
        return font
    return "symbols" if _font("symbols").has_glyph(ord(ch)) else font


def _runs(font: str, text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for ch in text:
        key = _glyph_font(font, ch)
        if out and out[-1][1] == key:
            out[-1] = (out[-1][0] + ch, key)
        else:
            out.append((ch, key))
    return out


@dataclass
class Pen:
    """A page plus the font it writes in; coordinates are PDF points from the top left.

    Lines and boxes go into one `Shape`, text into `TextWriter`s (one per colour) with the font
    embedded, so a page costs a few commits instead of one per call; `pdf_bytes` and `new_page`
    commit the pens of the document (text lands above the ruling, as in a printed form).
    """

    page: pymupdf.Page
    font: str = "china-s"

    def __post_init__(self) -> None:
        if not (self.font == "wqy" and wqy_path()) and not (self.font in FONT_FILES and font_file(self.font)):
            self.font = "china-s"  # a typeface not installed here: the built-in one
        self.shape: pymupdf.Shape | None = self.page.new_shape()
        self.writers: list[tuple[pymupdf.TextWriter, tuple, float, object]] = []
        self._plain: dict[tuple, pymupdf.TextWriter] = {}
        doc = self.page.parent
        pens = getattr(doc, "_sample_pens", None)
        if pens is None:
            pens = []
            doc._sample_pens = pens
        pens.append(self)

    def commit(self) -> None:
        if self.shape is None:
            return
        self.shape.commit()
        self.shape = None
        for tw, color, opacity, morph in self.writers:
            tw.write_text(self.page, color=color, opacity=opacity, morph=morph)
        self.writers = []

    @property
    def width(self) -> float:
        return self.page.rect.width

    def length(self, text: str, size: float) -> float:
        return sum(_advance(self.font, ch) for ch in text) * size

    def text(self, x: float, y: float, text: str, size: float = 12, color=BLACK, morph=None,
             opacity: float = 1.0) -> None:
        """One line with its baseline at y; `morph` (pivot, matrix) turns it (seal lettering)."""
        if not text:
            return
        if morph is None:
            tw = self._plain.get((color, opacity))
            if tw is None:
                tw = self._plain[(color, opacity)] = pymupdf.TextWriter(self.page.rect)
                self.writers.append((tw, color, opacity, None))
        else:
            tw = pymupdf.TextWriter(self.page.rect)
            self.writers.append((tw, color, opacity, morph))
        for run, key in _runs(self.font, text):  # a mark the font lacks (☑ ☒) comes from a symbol font
            tw.append((x, y), run, font=_font(key), fontsize=size)
            x += sum(_advance(key, ch) for ch in run) * size

    def rect(self, rect: pymupdf.Rect, color=BLACK, fill=None, width: float = 0.8, opacity: float = 1.0) -> None:
        self.shape.draw_rect(rect)
        self.shape.finish(color=color, fill=fill, width=width, fill_opacity=opacity)

    def line(self, p0, p1, color=BLACK, width: float = 0.8) -> None:
        self.shape.draw_line(p0, p1)
        self.shape.finish(color=color, width=width)

    def centered(self, y: float, text: str, size: float = 12, x0: float = 0, x1: float | None = None,
                 color=BLACK) -> None:
        x1 = self.width if x1 is None else x1
        self.text(x0 + (x1 - x0 - self.length(text, size)) / 2, y, text, size, color)

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Break text into lines no wider than width (CJK breaks anywhere; keeps explicit newlines)."""
        lines: list[str] = []
        for para in text.split("\n"):
            cur, w = "", 0.0
            for ch in para:
                cw = _advance(self.font, ch) * size
                if cur and w + cw > width:
                    lines.append(cur)
                    cur, w = ch, cw
                else:
                    cur, w = cur + ch, w + cw
            lines.append(cur)
        return lines

    def paragraph(self, x: float, y: float, text: str, size: float = 12, width: float | None = None,
                  leading: float = 1.6, indent: bool = True) -> float:
        """Write a wrapped paragraph from baseline y; returns the baseline after its last line."""
        width = width or (self.width - x - 72)
        body = ("\u3000\u3000" + text) if indent else text
        for line in self.wrap(body, size, width):
            self.text(x, y, line, size)
            y += size * leading
        return y

    def cell(self, rect: pymupdf.Rect, text: str, size: float = 10.5, align: str = "center") -> None:
        """Text inside a table cell: wrapped, vertically centred, shrunk until it fits."""
        if not text:
            return
        pad = 3.0
        if "\n" not in text and self.length(text, max(size - 2.5, 7.5)) <= rect.width - 2 * pad:
            while self.length(text, size) > rect.width - 2 * pad:
                size -= 0.5  # a short value shrinks onto one line, as Word's "fit text" does
        while True:
            lines = self.wrap(text, size, rect.width - 2 * pad)
            if len(lines) * size * 1.3 <= rect.height - 2 or size <= 6:
                break
            size -= 0.5
        block = len(lines) * size * 1.3
        y = rect.y0 + (rect.height - block) / 2 + size
        for line in lines:
            w = self.length(line, size)
            x = rect.x0 + pad if align == "left" else rect.x0 + (rect.width - w) / 2
            self.text(x, y, line, size)
            y += size * 1.3

    def grid(self, x0: float, y0: float, widths: list[float], heights: list[float],
             rows: list[list[str | None]], size: float = 10.5, aligns: list[str] | None = None) -> float:
        """A fully ruled table. A cell of None is merged into the cell on its left. Returns the bottom y."""
        y = y0
        for r, h in enumerate(heights):
            x = x0
            row = rows[r]
            c = 0
            while c < len(widths):
                span = 1
                while c + span < len(widths) and c + span < len(row) and row[c + span] is None:
                    span += 1
                w = sum(widths[c:c + span])
                rect = pymupdf.Rect(x, y, x + w, y + h)
                self.rect(rect)
                align = (aligns[c] if aligns else "center")
                self.cell(rect, row[c] or "" if c < len(row) else "", size, align)
                x += w
                c += span
            y += h
        return y

    def seal(self, cx: float, cy: float, name: str, r: float = 48) -> None:
        """A red round official seal: ring, star and the unit's name along the upper arc."""
        sh = self.shape
        sh.draw_circle((cx, cy), r)
        sh.finish(color=SEAL_RED, width=2.2, stroke_opacity=0.85)
        star = []
        for i in range(10):
            rad = (r * 0.3) if i % 2 == 0 else (r * 0.12)
            a = -math.pi / 2 + i * math.pi / 5
            star.append(pymupdf.Point(cx + rad * math.cos(a), cy + rad * math.sin(a)))
        sh.draw_polyline(star + [star[0]])
        sh.finish(color=SEAL_RED, fill=SEAL_RED, width=0.5, fill_opacity=0.85, stroke_opacity=0.85)
        n = max(len(name), 1)
        size = min(11.0, r * 2.9 / n + 2)
        span = min(math.radians(250), n * size * 1.05 / (r - size))
        for i, ch in enumerate(name):
            a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
            rr = r - size - 2
            px, py = cx + rr * math.cos(a), cy + rr * math.sin(a)
            deg = math.degrees(a) + 90
            pivot = pymupdf.Point(px, py)
            self.text(px - size / 2, py + size / 2, ch, size, SEAL_RED, morph=(pivot, pymupdf.Matrix(deg)),
                      opacity=0.85)


def new_page(doc: pymupdf.Document, font: str = "china-s", size: tuple[float, float] = A4) -> Pen:
    """A pen on a new page; the pens of earlier pages are committed first (page handles go stale)."""
    for pen in getattr(doc, "_sample_pens", []):
        pen.commit()
    return Pen(doc.new_page(width=size[0], height=size[1]), font)


def pdf_bytes(doc: pymupdf.Document) -> bytes:
    """Deterministic bytes: fonts subset, no dates, no random file id."""
    for pen in getattr(doc, "_sample_pens", []):
        pen.commit()
    doc.subset_fonts()
    doc.set_metadata({})
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def merge_pdfs(parts: list[bytes]) -> bytes:
    """One PDF of the given PDFs' pages, in order (how a unit merges its scanned documents)."""
    out = pymupdf.open()
    for b in parts:
        with pymupdf.open("pdf", b) as src:
            out.insert_pdf(src)
    return pdf_bytes(out)
