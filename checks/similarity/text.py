"""Normalised report text with a map back to pages, plus the rolling n-gram hashes everything else uses.

Copies survive re-typing, OCR and format changes only if comparison ignores punctuation, width and
spaces; evidence must still point at the original page and characters, hence the position map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

NGRAM = 5  # characters per seed shingle: long enough to be rare, short enough to survive OCR errors
COMMON_N = 10  # characters per passage shingle whose document frequency marks common wording
_KEEP = re.compile(r"[\w]", re.UNICODE)
_SENT_END = set("。；！？!?;")
SHORT_LINE = 20  # a line break after a line this short (a heading, a title, a table row) ends a sentence
_BASE = np.uint64(1_000_003)
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass
class NormText:
    """One report's text without punctuation/space, NFKC-folded; `pos[i]` = (page index, offset)."""

    text: str
    page: np.ndarray  # int32, 0-based page index of each normalised char
    offset: np.ndarray  # int32, offset of each normalised char inside its original page text
    pages: list[str] = field(default_factory=list)  # the original page texts
    sent_id: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # sentence of each char
    table: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # char of a table row (cells)


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Codepoint -> normalised codepoint (NFKC, lower case) for the BMP; 0 drops it, 1 ends a sentence
    (line breaks are decided per line: `_line_ends`)."""
    table = np.zeros(0x10000, dtype=np.uint32)
    for cp in range(0x10000):
        ch = chr(cp)
        if ch in _SENT_END:
            table[cp] = 1
            continue
        n = unicodedata.normalize("NFKC", ch).lower()
        n = "".join(c for c in n if _KEEP.match(c) and c != "_")
        table[cp] = ord(n[0]) if n else 0
    return table


def _cell_lines(cp: np.ndarray) -> np.ndarray:
    """Bool per char: on a line of cells (two or more blanks between words: a table row)."""
    nl = cp == 10
    line = np.cumsum(nl) - nl  # line index of each char (a break belongs to the line it ends)
    blank = (cp == 32) | (cp == 9) | (cp == 0x3000)
    per_line = np.bincount(line, weights=blank, minlength=int(line[-1]) + 1 if len(line) else 0)
    return per_line[line] >= 2


def _line_ends(cp: np.ndarray) -> np.ndarray:
    """Bool per char: a line break that ends a sentence. A sentence wrapped over lines goes on across the
    break (so two reports wrapping it differently still compare sentence to sentence); a break after a
    short line (a heading, a title) or a line of cells (a table row: spaces between words) ends one."""
    nl = np.flatnonzero(cp == 10)
    out = np.zeros(len(cp), bool)
    if len(nl):
        starts = np.concatenate(([-1], nl[:-1]))
        blank = (cp == 32) | (cp == 9) | (cp == 0x3000)
        spaces = np.concatenate(([0], np.cumsum(blank, dtype=np.int32)))
        cells = spaces[nl] - spaces[starts + 1] >= 2
        out[nl[((nl - starts - 1) <= SHORT_LINE) | cells]] = True
    return out


def _stops(cp: np.ndarray) -> np.ndarray:
    """Bool per char: a full stop OCR read as a point ("." or "．") - one between two digits is a decimal
    point, one after a digit a list number ("1." before a heading); any other ends a sentence."""
    out = np.zeros(len(cp), bool)
    at = np.flatnonzero((cp == 46) | (cp == 0xFF0E))
    if len(at):
        digit = (cp >= 48) & (cp <= 57)
        before = digit[np.maximum(at - 1, 0)] & (at > 0)
        out[at[~before]] = True
    return out


def _folded(cp: np.ndarray) -> np.ndarray:
    """Each code point folded (see `_fold_table`; outside the BMP kept as is)."""
    out = _fold_table()[cp & 0xFFFF]
    astral = np.flatnonzero(cp > 0xFFFF)
    out[astral] = cp[astral]
    return out


def normalized_codepoints(pages: list[str]) -> np.ndarray:
    """The code points of `normalize_pages(pages).text` without its map back to pages: all that n-gram
    hashing of a whole corpus needs (a third of the work)."""
    cp = np.frombuffer("\n".join(t or "" for t in pages).encode("utf-32-le"), dtype=np.uint32)
    allc = _folded(cp)
    return allc[allc > 1].astype(np.uint64)


def normalize_pages(pages: list[str], lines_are_sentences: bool = False) -> NormText:
    """`lines_are_sentences`: every line break ends a sentence (slides: each line is a bullet of its own,
    never a sentence wrapped over lines)."""
    if not pages:
        return NormText("", np.zeros(0, np.int32), np.zeros(0, np.int32), [], np.zeros(0, np.int32))
    # all pages at once, each followed by a line break that is a page break (it always ends a sentence)
    joined = "\n".join(t or "" for t in pages) + "\n"
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lens = np.array([len(t or "") + 1 for t in pages], dtype=np.int64)
    ends = np.cumsum(lens) - 1
    allc = _folded(cp)
    stop = (cp == 10) if lines_are_sentences else _line_ends(cp)
    stop |= _stops(cp)
    stop[ends] = True
    allc[stop] = 1
    sent = np.cumsum(allc == 1).astype(np.int32)
    keep = allc > 1
    page = np.repeat(np.arange(len(pages), dtype=np.int32), lens)
    offset = (np.arange(len(cp), dtype=np.int64) - np.repeat(ends - lens + 1, lens)).astype(np.int32)
    text = allc[keep].astype("<u4").tobytes().decode("utf-32-le")
    return NormText(text=text, page=page[keep], offset=offset[keep], pages=list(pages), sent_id=sent[keep],
                    table=_cell_lines(cp)[keep])


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def ngram_hashes(text: str, n: int = NGRAM) -> np.ndarray:
    """uint32 hash of the n-gram starting at every position (len(text) - n + 1 values)."""
    return codepoint_hashes(codepoints(text), n)


def codepoint_hashes(cp: np.ndarray, n: int = NGRAM) -> np.ndarray:
    """`ngram_hashes` of a text given as uint64 code points."""
    return _mixed(_polynomial(cp, n))


def seed_and_passage_hashes(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`codepoint_hashes(cp)` and `codepoint_hashes(cp, COMMON_N)` at once: a passage shingle twice the
    seed's length has the polynomial of two seed shingles, p10[i] = p5[i] * base^5 + p5[i + 5]."""
    seed = _polynomial(cp, NGRAM)
    if COMMON_N != 2 * NGRAM or len(cp) < COMMON_N:
        return _mixed(seed), codepoint_hashes(cp, COMMON_N)
    m = len(cp) - COMMON_N + 1
    with np.errstate(over="ignore"):
        passage = seed[:m] * np.uint64(pow(int(_BASE), NGRAM, 1 << 64))
        passage += seed[NGRAM : NGRAM + m]
    return _mixed(seed), _mixed(passage)


def _polynomial(cp: np.ndarray, n: int) -> np.ndarray:
    """The rolling polynomial (mod 2^64) of the n-gram at every position."""
    m = len(cp) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = cp[:m].copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):  # in place: the temporaries of `h * base + x` cost as much as the hashing
            h *= _BASE
            h += cp[k : m + k]
    return h


def _mixed(h: np.ndarray) -> np.ndarray:
    """Polynomials finalised (bits mixed) to uint32 hashes; `h` is overwritten."""
    with np.errstate(over="ignore"):
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return (h & _MASK32).astype(np.uint32)


def sentences(nt: NormText) -> list[tuple[int, int]]:
    """[start, end) ranges of the normalised text's sentences (split at 。；！？, short lines and pages)."""
    if not len(nt.sent_id):
        return []
    cuts = np.flatnonzero(np.diff(nt.sent_id)) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(nt.sent_id)]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def original(nt: NormText, start: int, end: int) -> str:
    """The original text of a normalised range (pages joined with a line break)."""
    if end <= start or start >= len(nt.page):
        return ""
    end = min(end, len(nt.page))
    p0, p1 = int(nt.page[start]), int(nt.page[end - 1])
    o0, o1 = int(nt.offset[start]), int(nt.offset[end - 1]) + 1
    if p0 == p1:
        return nt.pages[p0][o0:o1]
    return "\n".join([nt.pages[p0][o0:], *nt.pages[p0 + 1 : p1], nt.pages[p1][:o1]])
