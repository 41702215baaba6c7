"""Second alignment pass inside a pair already shown to be a copy: the sentences between its passages.

A copier who swaps synonyms, changes figures and reshuffles lines leaves few rare shared n-grams in each
sentence, so the first pass (align.py) finds the copy but covers only part of it. Once the pair is known
to hold a copied block, each remaining sentence of A inside that block is matched to its most similar
sentence of B inside B's corresponding block (characters compared with numbers folded, which survives
synonyms, OCR errors and changed figures), as PAN's better systems grow passages over neighbouring
matches. It runs from both sides (a block is contiguous in one report and may be reshuffled in the
other). It never runs on a pair the first pass did not anchor, so it cannot create a flag, only
complete the evidence of one. `same_figures` serves the flag decision: a copy keeps figures, a report
written by another team to the same template does not.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
from rapidfuzz import fuzz, process

from .align import Passage, Side
from .text import NGRAM, original

_DIGITS = re.compile(r"\d+")
_FIGURE = re.compile(r"\d{2,}")  # one digit is a list number or a count anyone may share
_YEAR = re.compile(r"(?:19|20)\d\d")
# a measurement, read in the original text (where spaces part a table's cells and points part decimals):
# figures glued to letters name a standard (GB 50205), a grade (Q355B) or a model, which every team on the
# subject cites alike; one digit is a list number or a count anyone may share
_MEASURE = re.compile(r"(?<![A-Za-z0-9.])(?<![A-Za-z/] )(?:\d{2,}(?:\.\d+)?|\d\.\d+)(?![A-Za-z0-9])")


def _folded(text: str) -> str:
    return _DIGITS.sub("#", text)


def _clusters(passages: list[Passage], gap: int) -> list[list[Passage]]:
    """Passages of A grouped where they lie within `gap` characters of each other: one copied block each."""
    out: list[list[Passage]] = []
    for p in sorted(passages, key=lambda q: q.a_start):
        if out and p.a_start - max(q.a_end for q in out[-1]) <= gap:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def densify(
    a: Side,
    b: Side,
    passages: list[Passage],
    *,
    gap: int = 400,
    margin: int = 120,
    min_chars: int = 8,
    min_score: float = 72.0,
    covered: float = 0.8,
    anchored: bool = False,
    alike: float = 88.0,
    alike_chars: int = 20,
) -> list[Passage]:
    """Sentence passages completing the copied blocks of `passages` (not including them).

    A sentence of A qualifies when it lies inside a block (or within `margin` of it and is not common
    wording), is less than `covered` already, and its best match among B's sentences of the copied region
    (all blocks' B ranges, `margin` added) scores >= `min_score` (rapidfuzz ratio, numbers folded); each B
    sentence is used once. `anchored`: the two sentences must also share a rare n-gram (a name, a place,
    a phrase of the copy's own) or score >= `alike` over `alike_chars` of the team's own words, and keep a figure if they hold any, so that growing a
    block never annexes a neighbouring sentence that is only the same template frame filled in by another
    team."""
    if not passages:
        return []
    out: list[Passage] = []
    a_sents, b_sents = a.sents, b.sents
    a_starts = [s for s, _ in a_sents]
    cover = _coverage(a_sents, [(p.a_start, p.a_end) for p in passages])
    # a B sentence already matched is no choice for another A sentence
    b_cover = _coverage(b_sents, [(p.b_start, p.b_end) for p in passages])
    b_used = {k for k, (s, e) in enumerate(b_sents) if b_cover[k] >= covered * (e - s)}
    blocks = [q for q in _clusters(passages, gap) if sum(p.a_end - p.a_start for p in q) >= 2 * min_chars]
    if not blocks:
        return []
    b_lo = min(p.b_start for q in blocks for p in q)
    b_hi = max(p.b_end for q in blocks for p in q)
    for block in blocks:
        lo, hi = min(p.a_start for p in block), max(p.a_end for p in block)
        # a reshuffled copy's lines come from anywhere in the source's block: B's side is every block's
        blo, bhi = b_lo - margin, b_hi + margin
        choices = {
            k: _folded(b.nt.text[s:e])
            for k, (s, e) in enumerate(b_sents)
            if s >= blo and e <= bhi and e - s >= min_chars and k not in b_used and not b.template[s:e].all()
        }
        if not choices:
            continue
        for k in range(max(0, _index(a_starts, lo - margin)), len(a_sents)):
            s, e = a_sents[k]
            if s >= hi + margin:
                break
            if e - s < min_chars or cover[k] >= covered * (e - s) or a.template[s:e].mean() > 0.5:
                continue
            folded = _folded(a.nt.text[s:e])
            if len(folded) - folded.count("#") < min_chars:  # a date or a table row of figures says nothing
                continue
            inside = s >= lo and e <= hi
            if not inside and (e <= lo - margin or a.excluded[s:e].mean() > 0.5):
                continue
            hit = process.extractOne(folded, choices, scorer=fuzz.ratio, score_cutoff=min_score)
            if hit is None:
                continue
            kb = hit[2]
            bs, be = b_sents[kb]
            if anchored and not (
                (hit[1] >= alike and e - s >= alike_chars and a.excluded[s:e].mean() < 0.5
                 or shares_rare(a, b, (s, e), (bs, be))) and _keeps_a_figure(a, b, (s, e), (bs, be))
            ):
                continue
            choices.pop(kb)
            b_used.add(kb)
            out.append(Passage(s, e, bs, be, "dense", [(s, bs), (e, be)]))
            if not choices:
                break
    return out


def shares_rare(a: Side, b: Side, sa: tuple[int, int], sb: tuple[int, int], most: int = 2) -> bool:
    """Whether sentence `sa` of A holds a rare n-gram (few teams use it) that sentence `sb` of B holds too,
    and neither report repeats it more than `most` times: a phrase all through both reports is their
    shared subject (two teams on one topic), not a fingerprint of the copy."""
    ha = a.hashes[sa[0] : max(sa[0], sa[1] - NGRAM + 1)]
    rare = ha[a.rare[sa[0] : sa[0] + len(ha)]]
    shared = np.unique(rare[np.isin(rare, b.hashes[sb[0] : max(sb[0], sb[1] - NGRAM + 1)])])
    return any(int((a.hashes == h).sum()) <= most and int((b.hashes == h).sum()) <= most for h in shared.tolist())


def _keeps_a_figure(a: Side, b: Side, sa: tuple[int, int], sb: tuple[int, int]) -> bool:
    """A sentence with figures shares at least one with its match: the same template sentence filled in by
    another team carries that team's own counts and rates throughout."""
    fa = {f for f in _FIGURE.findall(a.nt.text[sa[0] : sa[1]]) if not _YEAR.fullmatch(f)}
    fb = {f for f in _FIGURE.findall(b.nt.text[sb[0] : sb[1]]) if not _YEAR.fullmatch(f)}
    return not (fa or fb) or bool(fa & fb)


def _coverage(sents: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """Characters of each sentence inside the spans."""
    cover = [0] * len(sents)
    starts = [s for s, _ in sents]
    for lo, hi in spans:
        for k in range(max(0, _index(starts, lo)), len(sents)):
            s, e = sents[k]
            if s >= hi:
                break
            cover[k] += max(0, min(e, hi) - max(s, lo))
    return cover


def _swap(p: Passage) -> Passage:
    return Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.how, [(y, x) for x, y in p.anchors])


def densify_both(a: Side, b: Side, passages: list[Passage], rounds: int = 1, **kw) -> list[Passage]:
    """`densify` from A's side, then from B's: a block that is contiguous on one side and reshuffled on the
    other is completed best from the contiguous side, whichever that is. With `rounds` > 1 the completed
    blocks are completed again: each round reaches `margin` further, so a copied block is followed to
    its edges where the first pass anchored only its middle (OCR noise and edits throughout)."""
    out: list[Passage] = []
    for _ in range(rounds):
        more = _densify_once(a, b, passages + out, **kw)
        if not more:
            break
        out += more
    return out


def _densify_once(a: Side, b: Side, passages: list[Passage], **kw) -> list[Passage]:
    out = densify(a, b, passages, **kw)
    taken = np.zeros(len(a.nt.text) + 1, bool)
    for p in passages + out:
        taken[p.a_start : p.a_end] = True
    for q in densify(b, a, [_swap(p) for p in passages], **kw):
        p = _swap(q)
        if taken[p.a_start : p.a_end].mean() < 0.5:
            taken[p.a_start : p.a_end] = True
            out.append(p)
    return out


def same_figures(a: Side, b: Side, passages: list[Passage]) -> tuple[int, int]:
    """(distinct measurements of A's passages also in the B passage aligned with theirs, all distinct
    measurements of A's passages), years and identifiers left out.

    Reports written to the same template on the same subject share whole sentences whose figures
    differ (each team measured its own work); a copy keeps at least part of the source's figures. A
    figure the report repeats (its starting rate, say) is one fact, counted once."""
    same: set[str] = set()
    total: set[str] = set()
    for p in passages:
        fa = {f for f in _MEASURE.findall(original(a.nt, p.a_start, p.a_end)) if not _YEAR.fullmatch(f)}
        total |= fa
        same |= fa & set(_MEASURE.findall(original(b.nt, p.b_start, p.b_end)))
    return len(same), len(total)


def likeness(a: Side, b: Side, passages: list[Passage]) -> float:
    """How alike the passages read on both sides, figures aside (0-1, weighted by length): a copier edits a
    few words and OCR garbles a few characters, another team filling in the same template differs in
    every slot it fills."""
    got = total = 0.0
    for p in passages:
        ta, tb = _folded(a.nt.text[p.a_start : p.a_end]), _folded(b.nt.text[p.b_start : p.b_end])
        got += len(ta) * fuzz.ratio(ta, tb) / 100.0
        total += len(ta)
    return got / total if total else 0.0


def _index(starts: list[int], pos: int) -> int:
    """The sentence containing position `pos` (starts sorted)."""
    return bisect_right(starts, pos) - 1
