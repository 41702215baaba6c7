"""A page's text layer in one MuPDF pass: lines with boxes, and what else the page paints.

One structured-text page collects text, images and vector paths together, so a plain page needs no
second look at its content stream: image blocks send the page to the careful path in `pdf.py`,
vector blocks to the table finder. Lines come from MuPDF's blocks when every text block is one line
(forms, tables, spaced text: one call, no per-word work); pages with paragraph blocks take MuPDF's
words grouped into lines instead. Both ways give the same line texts; which one is used depends on
the page alone, so a page always reads the same whatever file it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pymupdf

from core.model import Line

from .layout import new_line
from .quality import COMPAT_RE, fix_symbols, plain_ideographs

# no TEXT_MEDIABOX_CLIP: MuPDF leaves characters outside the page out of its text page anyway (an empty
# block remains, tested); the flag's second check costs ~4 % of a page
FLAGS = pymupdf.TEXT_COLLECT_VECTORS | pymupdf.TEXT_PRESERVE_IMAGES
IMAGE_BLOCK, VECTOR_BLOCK = 1, 3

# white space and MuPDF's word delimiters: a run of them is one space, in lines read from blocks and
# in lines joined from words alike
_SPACES = re.compile(r"[\s\x00-\x20\xa0\u202a-\u202e]+")

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class TextLayer:
    lines: list[Line]
    width: float  # shown (turned) page size in points
    height: float
    images: int = 0  # image blocks MuPDF painted (scans, photos, logos; inline images too)
    vectors: list[Box] = field(default_factory=list)  # boxes of painted paths (rules, cell borders, fills)
    unmapped: int = 0  # characters MuPDF could not map to Unicode (U+FFFD), dropped from the lines


def _low_level():  # noqa: ANN202 - PyMuPDF's own C helpers, when this PyMuPDF still has them
    try:
        from pymupdf import extra, mupdf

        ident = pymupdf.Matrix(1, 1)
        probe = pymupdf.open()
        page = probe.new_page(width=200, height=100)
        page.insert_text((10, 50), "probe", fontname="helv")
        st = mupdf.FzStextPage(extra.page_get_textpage(page.this, None, FLAGS, ident))
        ok = extra.extractBLOCKS(st) == page.get_textpage(flags=FLAGS).extractBLOCKS()
        ok = ok and extra.extractWORDS(st, None) == page.get_textpage(flags=FLAGS).extractWORDS()
        if not ok:
            return None
        return (lambda pg: mupdf.FzStextPage(extra.page_get_textpage(pg.this, None, FLAGS, ident)),
                extra.extractBLOCKS, lambda st: extra.extractWORDS(st, None))
    except Exception:  # noqa: BLE001 - another PyMuPDF: the public API below
        return None


_LOW = _low_level()


def line_text(raw: str) -> str:
    """A line's text: one space for each run of white space, none at the ends, symbol-font check
    boxes mapped, replacement characters dropped. A plain line passes three C-speed tests."""
    text = raw.strip()
    if "  " in text or not text.isprintable():  # odd spacing, control or private-use characters
        text = fix_symbols(_SPACES.sub(" ", text)).strip()
    if "\ufffd" in text:
        text = _SPACES.sub(" ", text.replace("\ufffd", "")).strip()
    return plain_ideographs(text)


def _word_lines(words: list[tuple]) -> list[tuple[str, Box]]:
    """MuPDF's words grouped into its lines: a line's words are consecutive in its output."""
    groups: list[tuple[str, Box]] = []
    cur_block = cur_line = -1
    parts: list[str] = []
    bx0 = by0 = bx1 = by1 = 0.0
    for x0, y0, x1, y1, word, block, line, _ in words:
        if line == cur_line and block == cur_block:
            bx0, by0, bx1, by1 = min(bx0, x0), min(by0, y0), max(bx1, x1), max(by1, y1)
            parts.append(word)
            continue
        if parts:
            groups.append((" ".join(parts), (bx0, by0, bx1, by1)))
        cur_block, cur_line, bx0, by0, bx1, by1, parts = block, line, x0, y0, x1, y1, [word]
    if parts:
        groups.append((" ".join(parts), (bx0, by0, bx1, by1)))
    return groups


def _open_low(page: pymupdf.Page):  # noqa: ANN202
    make, blocks_of, words_of = _LOW  # type: ignore[misc]
    st = make(page)  # MuPDF's own run of the page: boxes already in the shown (turned) page
    m = st.m_internal.mediabox
    return st, blocks_of, words_of, (m.x0, m.y0, m.x1, m.y1)


def _open_public(page: pymupdf.Page):  # noqa: ANN202 - PyMuPDF's API reads turned pages unturned
    tp = page.get_textpage(flags=FLAGS)
    r = tp.rect
    return tp, pymupdf.TextPage.extractBLOCKS, pymupdf.TextPage.extractWORDS, (r.x0, r.y0, r.x1, r.y1)


def read_text_layer(page: pymupdf.Page) -> TextLayer:
    """Lines of the page's text layer in shown-page points, plus its image count and vector boxes."""
    st, blocks_of, words_of, (px0, py0, px1, py1) = (_open_low if _LOW is not None else _open_public)(page)
    images = unmapped = 0
    vectors: list[Box] = []
    lines: list[Line] = []
    make_line = new_line
    single = True
    for x0, y0, x1, y1, text, _, kind in blocks_of(st):
        if kind:
            if kind == IMAGE_BLOCK:
                images += 1
            elif kind == VECTOR_BLOCK:
                vectors.append((x0, y0, x1, y1))
            continue
        if not single:
            continue
        t = text.strip()
        if "\n" in t:  # a paragraph block: its lines' boxes are not in the block list
            single = False
            continue
        if "  " in t or not t.isprintable() or "\ufffd" in t or COMPAT_RE.search(t):  # line_text's tests, inlined
            unmapped += t.count("\ufffd")
            t = line_text(t)
        if t:
            lines.append(make_line(t, (x0, y0, x1, y1)))
    if not single:
        groups = _word_lines(words_of(st))
        unmapped = sum(w.count("\ufffd") for w, _ in groups)
        lines = [make_line(t, b) for w, b in groups if (t := line_text(w))]
    del st
    width, height = px1 - px0, py1 - py0
    if _LOW is None and page.rotation:
        mat = page.rotation_matrix
        lines = [make_line(ln.text, tuple(pymupdf.Rect(ln.bbox) * mat)) for ln in lines]
        vectors = [tuple(pymupdf.Rect(v) * mat) for v in vectors]  # type: ignore[misc]
        width, height = page.rect.width, page.rect.height
    return TextLayer(lines=lines, width=width, height=height, images=images, vectors=vectors, unmapped=unmapped)
