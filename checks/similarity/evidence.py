"""Evidence a discipline officer can read: aligned passages mapped back to pages, with context and the
copied character ranges for highlighting."""

from __future__ import annotations

import numpy as np

from core.model import Evidence

from .align import Passage
from .text import NormText

CONTEXT = 30  # characters of context around a passage
MERGE_GAP = 40  # passages closer than this on the same page become one piece of evidence
MAX_TEXT = 1200
MIN_CHARS = 6


def _page_spans(nt: NormText, start: int, end: int) -> list[tuple[int, int, int]]:
    """(page index, original start, original end) pieces of a normalised range, split at page breaks."""
    out: list[tuple[int, int, int]] = []
    if end <= start or start >= len(nt.page):
        return out
    pages = nt.page[start:end]
    cuts = np.flatnonzero(np.diff(pages)) + 1
    for s, e in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(pages)])), strict=True):
        out.append((int(pages[s]), int(nt.offset[start + s]), int(nt.offset[start + e - 1]) + 1))
    return out


def _split_at_pages(a: NormText, b: NormText, p: Passage) -> list[Passage]:
    """A passage cut where either side turns a page, B's positions following the passage's anchors, so
    that each piece of evidence shows one page of each report and the same words on both sides."""
    if p.a_end <= p.a_start or p.b_end <= p.b_start:
        return []
    cuts = {p.a_start + int(k) for k in np.flatnonzero(np.diff(a.page[p.a_start : p.a_end])) + 1}
    inverse = sorted((y, x) for x, y in (p.anchors or [(p.a_start, p.b_start), (p.a_end, p.b_end)]))
    for k in (np.flatnonzero(np.diff(b.page[p.b_start : p.b_end])) + 1).tolist():
        cuts.add(int(round(np.interp(p.b_start + k, [y for y, _ in inverse], [x for _, x in inverse]))))
    edges = [p.a_start, *sorted(c for c in cuts if p.a_start < c < p.a_end), p.a_end]
    out = []
    for s, e in zip(edges, edges[1:], strict=False):
        bs, be = max(p.b_start, p.b_at(s)), min(p.b_end, p.b_at(e))
        if e - s >= 2 and be > bs:
            out.append(Passage(s, e, bs, be, p.how))
    return out


def _window(nt: NormText, page: int, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    text = nt.pages[page] if page < len(nt.pages) else ""
    lo = max(0, min(s for s, _ in spans) - CONTEXT)
    hi = min(len(text), max(e for _, e in spans) + CONTEXT)
    if hi - lo > MAX_TEXT:
        hi = lo + MAX_TEXT
    rel = [(max(0, s - lo), min(hi, e) - lo) for s, e in spans if s < hi]
    return text[lo:hi], rel


def build_evidence(a: NormText, b: NormText, passages: list[Passage], excluded_a: np.ndarray) -> list[Evidence]:
    """One Evidence per group of nearby passages on the same pair of pages."""
    groups: list[dict] = []
    for p in (piece for q in passages for piece in _split_at_pages(a, b, q)):
        a_pieces = _page_spans(a, p.a_start, p.a_end)
        b_pieces = _page_spans(b, p.b_start, p.b_end)
        if not a_pieces or not b_pieces:
            continue
        chars = int((~excluded_a[p.a_start : p.a_end]).sum())
        if chars < MIN_CHARS:  # a heading or a scrap of template between two pages is no evidence
            continue
        a_page, a_s, a_e = a_pieces[0]
        b_page, b_s, b_e = max(b_pieces, key=lambda t: t[2] - t[1])
        last = groups[-1] if groups else None
        if (
            last
            and last["a_page"] == a_page
            and last["b_page"] == b_page
            and a_s - last["a"][-1][1] <= MERGE_GAP
            and abs(b_s - last["b"][-1][1]) <= MERGE_GAP * 4
        ):
            last["a"].append((a_s, a_e))
            last["b"].append((b_s, b_e))
            last["chars"] += chars
        else:
            groups.append({"a_page": a_page, "b_page": b_page, "a": [(a_s, a_e)], "b": [(b_s, b_e)], "chars": chars})
    out: list[Evidence] = []
    for g in groups:
        a_text, a_rel = _window(a, g["a_page"], g["a"])
        b_text, b_rel = _window(b, g["b_page"], sorted(g["b"]))
        out.append(
            Evidence(
                a_page=g["a_page"] + 1,
                a_text=a_text,
                b_page=g["b_page"] + 1,
                b_text=b_text,
                chars=g["chars"],
                a_spans=a_rel,
                b_spans=b_rel,
            )
        )
    return out
