"""Evidence a discipline officer can read: one piece per copied passage as a reader sees it, mapped back
to the pages, with context and the copied character ranges for highlighting.

Alignment finds a copied passage in pieces (an OCR error, a changed figure or a line of common wording
between them). Pieces that follow each other on both sides, across small gaps, line breaks and page
breaks, are one passage: gaps are measured in normalised characters, where punctuation, line and page
breaks take no room. A passage over a page break keeps its first page in a_page/b_page and its last in
a_page_end/b_page_end, its text being the pages' texts joined with "\\n".
"""

from __future__ import annotations

import numpy as np

from core.model import Evidence

from .align import Passage
from .text import NormText

CONTEXT = 30  # characters of context around a passage
GAP_A = 60  # normalised characters of A between two pieces of one passage ...
GAP_B = 160  # ... and of B (a copier drops or inserts a sentence; B's order must go on forwards)
GAP_LONG = 240  # the most either may skip inside a long passage
BACK_B = 120  # B may step back this far: sentences of a copied paragraph put in another order
DIAG_SPAN = 200  # a passage this long ...
DIAG_GAP = 400  # ... goes on across a hole this long on both sides ...
DIAG_SLACK = 40  # ... when the two holes differ by at most half the larger and this many characters
MAX_TEXT = 12000  # a whole copied chapter is one passage, shown whole
MIN_CHARS = 16  # a shared title or a scrap of one sentence is no evidence of its own


def _groups(passages: list[Passage]) -> list[list[Passage]]:
    """Pieces in A's order, joined while both sides go on across small gaps (B forwards, or back near
    the passage: sentences reordered within a copied block)."""
    out: list[list[Passage]] = []
    for p in sorted(passages, key=lambda q: (q.a_start, q.b_start)):
        if p.a_end <= p.a_start or p.b_end <= p.b_start:
            continue
        if out:
            last = out[-1]
            a_end = max(q.a_end for q in last)
            b_end = max(q.b_end for q in last)
            # a long copied block bridges longer holes (sentences rewritten beyond recognition)
            span = a_end - min(q.a_start for q in last)
            gap_a, gap_b = max(GAP_A, min(GAP_LONG, span // 4)), max(GAP_B, min(GAP_LONG, span // 4))
            b_start = min(q.b_start for q in last)
            # pieces overlapping the passage, or just after it in A and near it in B (after it, or a little
            # before: a copier reorders the sentences of a paragraph)
            if p.a_start - a_end <= gap_a and b_start - min(BACK_B, gap_b) <= p.b_start <= b_end + gap_b \
                    or _diagonal(span, p.a_start - a_end, p.b_start - b_end):
                last.append(p)
                continue
        out.append([p])
    return out


def _diagonal(span: int, gap_a: int, gap_b: int) -> bool:
    """A long passage goes on across a longer hole of about the same size on both sides: sentences
    rewritten beyond recognition in the middle of a copied block (a paraphrase), not another block."""
    return span >= DIAG_SPAN and 0 <= gap_a <= DIAG_GAP and 0 <= gap_b <= DIAG_GAP and \
        abs(gap_a - gap_b) <= max(gap_a, gap_b) // 2 + DIAG_SLACK


def _cut(ranges: list[tuple[int, int]], template: np.ndarray | None) -> list[tuple[int, int]]:
    """Ranges less the template and standard wording inside them: a copied passage is one piece of
    evidence, but the wording every report shares is not highlighted as copied."""
    if template is None or not len(template):
        return ranges
    out = []
    for s, e in ranges:
        keep = ~template[s:e]
        edges = np.flatnonzero(np.diff(np.concatenate(([False], keep, [False])).astype(np.int8)))
        out += [(s + int(x), s + int(y)) for x, y in zip(edges[::2], edges[1::2], strict=True)]
    return out


def _window(nt: NormText, ranges: list[tuple[int, int]], template: np.ndarray | None = None
            ) -> tuple[int, int, str, list[tuple[int, int]]] | None:
    """(first page, last page, text, spans) of normalised ranges: the original text from CONTEXT before
    the first copied character to CONTEXT after the last, pages joined with "\\n", spans relative to it
    (template wording cut out of them)."""
    ranges = [(max(0, s), min(len(nt.page), e)) for s, e in ranges if e > s and s < len(nt.page)]
    if not ranges:
        return None
    lo_n, hi_n = min(s for s, _ in ranges), max(e for _, e in ranges)
    p0, p1 = int(nt.page[lo_n]), int(nt.page[hi_n - 1])
    starts = np.cumsum([0] + [len(nt.pages[p]) + 1 for p in range(p0, p1 + 1)])
    joined = "\n".join(nt.pages[p] for p in range(p0, p1 + 1))

    def at(k: int, end: bool) -> int:  # original offset in `joined` of normalised char k (its end)
        return int(starts[int(nt.page[k]) - p0] + nt.offset[k]) + (1 if end else 0)

    lo = max(0, at(lo_n, False) - CONTEXT)
    hi = min(len(joined), at(hi_n - 1, True) + CONTEXT)
    if hi - lo > MAX_TEXT:
        hi = lo + MAX_TEXT
    spans: list[tuple[int, int]] = []
    for s, e in sorted(_cut(ranges, template)):
        # split at page breaks, so a span never covers the joining "\n"
        pages = nt.page[s:e]
        cuts = np.flatnonzero(np.diff(pages)) + 1
        for a, b in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(pages)])), strict=True):
            x, y = at(s + int(a), False) - lo, at(s + int(b) - 1, True) - lo
            if x < hi - lo:
                spans.append((max(0, x), min(hi - lo, y)))
    last = p0 + int(np.searchsorted(starts, max(lo, hi - 1), side="right")) - 1  # MAX_TEXT may cut it short
    return p0, min(last, p1), joined[lo:hi], spans


def build_evidence(a: NormText, b: NormText, passages: list[Passage], excluded_a: np.ndarray,
                   template_b: np.ndarray | None = None, min_chars: int = MIN_CHARS) -> list[Evidence]:
    """One Evidence per copied passage (pieces merged as `_groups` says); `excluded_a` (A's template
    wording) is neither counted nor highlighted, nor is `template_b` on B's side. A passage of fewer than
    `min_chars` counted characters is no evidence (slides, whose bullets are short, pass a smaller one)."""
    out: list[Evidence] = []
    for group in _groups(passages):
        chars = 0
        cover = np.zeros(0, bool)
        if group:
            lo = min(p.a_start for p in group)
            hi = max(p.a_end for p in group)
            cover = np.zeros(hi - lo, bool)
            for p in group:
                cover[p.a_start - lo : p.a_end - lo] = True
            chars = int((cover & ~excluded_a[lo:hi]).sum())
        if chars < min_chars:  # a heading or a scrap of template between two pages is no evidence
            continue
        wa = _window(a, [(p.a_start, p.a_end) for p in group], excluded_a)
        wb = _window(b, [(p.b_start, p.b_end) for p in group], template_b)
        if wa is None or wb is None:
            continue
        a0, a1, a_text, a_spans = wa
        b0, b1, b_text, b_spans = wb
        out.append(
            Evidence(
                a_page=a0 + 1,
                a_text=a_text,
                b_page=b0 + 1,
                b_text=b_text,
                chars=chars,
                a_spans=a_spans,
                b_spans=b_spans,
                a_page_end=a1 + 1 if a1 > a0 else None,
                b_page_end=b1 + 1 if b1 > b0 else None,
            )
        )
    return out
