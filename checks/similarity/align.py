"""Text alignment of one candidate pair: the copied passages, in normalised character positions.

Two passes, as PAN's better text-alignment systems do: (1) seed and extend - shared rare 5-grams chained
along a diagonal across small gaps (OCR errors, a changed figure), kept when they cover at least
`min_run` (13, CNKI's rule) characters; (2) sentence-level fuzzy matching on jieba words with numbers
folded, which survives synonym swaps, changed numbers and reordered sentences. Boilerplate and
passages common to many reports never seed anything, so they never become evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from .text import NGRAM, NormText, sentences
from .tokens import words

_FIGURE = re.compile(r"\d{2,}")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class Side:
    """One report prepared for alignment."""

    nt: NormText
    hashes: np.ndarray  # n-gram hash at each position
    seed_ok: np.ndarray  # bool per position: rare enough and not boilerplate
    excluded: np.ndarray  # bool per char: boilerplate or common wording
    rare: np.ndarray  # bool per position: the n-gram is used by very few teams (a copy's fingerprint)
    template: np.ndarray  # bool per char: template and rules wording (never copied, not in the ratio)
    _sents: list[tuple[int, int]] | None = field(default=None, repr=False)
    _words: dict[int, list[str]] = field(default_factory=dict, repr=False)

    @property
    def sents(self) -> list[tuple[int, int]]:
        if self._sents is None:
            self._sents = sentences(self.nt)
        return self._sents

    def sentence_of(self, pos: np.ndarray) -> np.ndarray:
        starts = np.array([s for s, _ in self.sents], dtype=np.int64)
        return np.searchsorted(starts, pos, side="right") - 1

    def words(self, k: int) -> list[str]:
        """jieba words of sentence k without its common wording: what is left is what the team wrote
        itself, so two sentences built on the same common phrases do not look alike."""
        if k not in self._words:
            s, e = self.sents[k]
            own = "".join(ch for ch, x in zip(self.nt.text[s:e], self.excluded[s:e], strict=True) if not x)
            self._words[k] = words(own) if len(own) >= 4 else []
        return self._words[k]

    @property
    def countable(self) -> int:
        """The denominator of the copy ratio: the report's characters less the template and rules wording
        (CNKI's 文字复制比 counts the whole text). Common wording only counts as copied inside a passage
        that rare shared text anchors; it never anchors one itself."""
        return int(len(self.nt.text) - self.template.sum())


@dataclass
class Passage:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    how: str  # "run", "fuzzy" or "mixed"
    anchors: list[tuple[int, int]] = field(default_factory=list)  # matching (a, b) positions, for mapping

    def b_at(self, a_pos: int) -> int:
        """The B position matching an A position inside the passage (piecewise linear over anchors)."""
        pts = sorted(self.anchors) or [(self.a_start, self.b_start), (self.a_end, self.b_end)]
        return int(round(np.interp(a_pos, [x for x, _ in pts], [y for _, y in pts])))


@dataclass
class Params:
    min_run: int = 13  # CNKI: 13 consecutive characters
    gap: int = 24  # characters a chain may skip (OCR errors, a changed word)
    drift: int = 3  # diagonal drift allowed inside a chain (inserted/dropped characters)
    max_occ: int = 32  # an n-gram repeated more often in B is not a usable seed
    fuzzy: float = 70.0  # rapidfuzz ratio on words for a sentence match
    fuzzy_min_chars: int = 12
    fuzzy_seed_chars: int = 10  # a fuzzy sentence pair must share rare n-grams covering this many chars
    run_rare_chars: int = 25  # a chain of runs must contain rare n-grams covering this many chars
    long_run: int = 32  # an identical stretch this long ...
    long_run_own: int = 20  # ... with this many characters that are not common wording is a copy
    # a long identical stretch of running text (table rows and template wording aside) carrying this many
    # figures is a copied paragraph even when every phrase of it is common: the combination is not
    prose_run: int = 100
    prose_figures: int = 3
    merge_gap: int = 80  # passages this close may merge ...
    merge_sim: float = 60.0  # ... when the text between them is this alike (rapidfuzz ratio)


def seed_matches(a: Side, b: Side, max_occ: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) positions where A and B share a usable n-gram."""
    bi = np.flatnonzero(b.seed_ok)
    ai = np.flatnonzero(a.seed_ok)
    if not len(ai) or not len(bi):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    bh = b.hashes[bi]
    order = np.argsort(bh, kind="stable")
    bh_sorted, bi_sorted = bh[order], bi[order]
    ah = a.hashes[ai]
    lo = np.searchsorted(bh_sorted, ah, "left")
    hi = np.searchsorted(bh_sorted, ah, "right")
    cnt = hi - lo
    use = (cnt > 0) & (cnt <= max_occ)
    ai, lo, cnt = ai[use], lo[use], cnt[use]
    ii = np.repeat(ai, cnt)
    starts = np.repeat(lo, cnt)
    within = np.arange(len(ii)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    jj = bi_sorted[starts + within]
    return ii.astype(np.int64), jj.astype(np.int64)


def exact_runs(ii: np.ndarray, jj: np.ndarray, min_run: int) -> np.ndarray:
    """Runs of identical text (seeds on one diagonal, no position skipped): rows [a_s, a_e, b_s, b_e]."""
    if not len(ii):
        return np.zeros((0, 4), np.int64)
    d = ii - jj
    order = np.lexsort((ii, d))
    ii, d = ii[order], d[order]
    brk = np.flatnonzero((np.diff(d) != 0) | (np.diff(ii) > NGRAM)) + 1
    first = np.concatenate(([0], brk))
    last = np.concatenate((brk - 1, [len(ii) - 1]))
    a_s, a_e = ii[first], ii[last] + NGRAM
    runs = np.stack([a_s, a_e, a_s - d[first], a_e - d[first]], axis=1)
    return runs[(a_e - a_s) >= min_run]


def _chain_runs(runs: np.ndarray, rare: np.ndarray, p: Params) -> list[list]:
    """Runs joined across small gaps (an OCR error, a changed word) into passages
    [a_s, a_e, b_s, b_e, rare chars, anchors]; only chains holding enough rare shared text are kept, so
    common wording joins a copy it belongs to but never makes one."""
    out: list[list] = []
    order = np.argsort(runs[:, 0], kind="stable")
    for (a_s, a_e, b_s, b_e), rc in zip(runs[order].tolist(), rare[order].tolist(), strict=True):
        for c in reversed(out[-8:]):
            if 0 <= a_s - c[1] <= p.gap and -p.drift <= b_s - c[3] <= p.gap and abs((a_s - b_s) - (c[0] - c[2])) <= p.gap:
                c[1], c[3], c[4] = max(c[1], a_e), max(c[3], b_e), c[4] + rc
                c[5] += [(a_s, b_s), (a_e, b_e)]
                break
            if c[0] <= a_s and a_e <= c[1] and c[2] <= b_s and b_e <= c[3]:
                break
        else:
            out.append([a_s, a_e, b_s, b_e, rc, [(a_s, b_s), (a_e, b_e)]])
    return [c for c in out if c[4] >= p.run_rare_chars]


def align(a: Side, b: Side, p: Params | None = None, fuzzy: bool = True) -> tuple[list[Passage], int]:
    """The copied passages, and how many distinct rare n-grams A and B share inside them (the copy's
    own fingerprint, which reports that are merely alike in wording and subject lack). Without `fuzzy`
    only identical runs (a cheap probe for one copied paragraph)."""
    p = p or Params()
    ii, jj = seed_matches(a, b, p.max_occ)
    passages: list[Passage] = []
    a_used = np.zeros(len(a.nt.text) + 1, bool)
    rare_cover = np.zeros(len(a.nt.text) + 1, np.int32)
    ri = np.flatnonzero(a.rare)
    np.add.at(rare_cover, ri, 1)
    np.add.at(rare_cover, np.minimum(ri + NGRAM, len(a.nt.text)), -1)
    rare_chars = np.concatenate(([0], np.cumsum(np.cumsum(rare_cover) > 0)))
    runs = exact_runs(ii, jj, p.min_run)
    run_rare = rare_chars[runs[:, 1]] - rare_chars[runs[:, 0]]
    # a long identical stretch of the team's own (not common) words anchors a copy by itself
    own = np.concatenate(([0], np.cumsum(~a.excluded)))
    run_own = own[np.minimum(runs[:, 1], len(a.excluded))] - own[runs[:, 0]]
    long_own = (runs[:, 1] - runs[:, 0] >= p.long_run) & (run_own >= p.long_run_own)
    long_own |= long_prose(a, runs, p)
    run_rare = np.where(long_own, np.maximum(run_rare, p.run_rare_chars), run_rare)
    chains = _chain_runs(runs, run_rare, p)
    for c in sorted(chains, key=lambda c: c[0] - c[1]):
        if a_used[c[0] : c[1]].mean() > 0.5:
            continue
        a_used[c[0] : c[1]] = True
        passages.append(Passage(c[0], c[1], c[2], c[3], "run", c[5]))
    if fuzzy:
        passages += _fuzzy(a, b, ii, jj, a_used, p)
    merged = _merge(a, b, sorted(passages, key=lambda x: x.a_start), p)
    inside = np.zeros(len(a.nt.text) + 1, bool)  # where rare shared text counts: anchoring runs, fuzzy sentences
    for c in chains:
        inside[c[0] : c[1]] = True
    for q in passages:
        if q.how == "fuzzy":
            inside[q.a_start : q.a_end] = True
    rs = ii[a.rare[ii]] if len(ii) else ii
    rs = rs[inside[rs]]
    # distinct n-grams: a rare phrase repeated all through both reports (a shared subject) counts once
    return merged, len(np.unique(a.hashes[rs]))


def prose_chars(a: Side, start: int, end: int) -> int:
    """Characters of running text in [start, end): not table rows, not template wording."""
    table = a.nt.table[start:end] if len(a.nt.table) else np.zeros(end - start, bool)
    return int((~(table | a.template[start:end])).sum())


def figures_in(text: str) -> list[str]:
    """Figures of two or more digits, years left out."""
    return [f for f in _FIGURE.findall(text) if not _YEAR.fullmatch(f)]


def long_prose(a: Side, runs: np.ndarray, p: Params) -> np.ndarray:
    """Bool per run: a copied paragraph by itself (see Params.prose_run)."""
    out = np.zeros(len(runs), bool)
    for k in np.flatnonzero(runs[:, 1] - runs[:, 0] >= p.prose_run):
        s, e = int(runs[k, 0]), int(runs[k, 1])
        out[k] = prose_chars(a, s, e) >= p.prose_run and len(figures_in(a.nt.text[s:e])) >= p.prose_figures
    return out


def rare_total(a: Side) -> int:
    """Distinct rare n-grams of a report: what a complete copy of it would share."""
    return len(np.unique(a.hashes[a.rare])) if len(a.rare) else 0


def _merge(a: Side, b: Side, passages: list[Passage], p: Params) -> list[Passage]:
    """Neighbouring passages become one when the text between them is alike on both sides: a copied
    paragraph is one passage even where its common phrases could not seed anything."""
    out: list[Passage] = []
    for q in passages:
        last = out[-1] if out else None
        if last is not None:
            ga, gb = q.a_start - last.a_end, q.b_start - last.b_end
            if 0 <= ga <= p.merge_gap and -p.drift <= gb <= p.merge_gap and (
                max(ga, gb) <= p.drift
                or fuzz.ratio(a.nt.text[last.a_end : q.a_start], b.nt.text[last.b_end : q.b_start]) >= p.merge_sim
            ):
                last.a_end, last.b_end = max(last.a_end, q.a_end), max(last.b_end, q.b_end)
                last.how = last.how if last.how == q.how else "mixed"
                last.anchors += q.anchors
                continue
        out.append(Passage(q.a_start, q.a_end, q.b_start, q.b_end, q.how, list(q.anchors)))
    return out


def _fuzzy(a: Side, b: Side, ii: np.ndarray, jj: np.ndarray, a_used: np.ndarray, p: Params) -> list[Passage]:
    """Sentences of A not yet covered that match a B sentence sharing at least one rare n-gram."""
    if not len(ii):
        return []
    pairs = _supported_sentence_pairs(a, b, ii, jj, p.fuzzy_seed_chars)
    out: list[Passage] = []
    taken_a: set[int] = set()
    b_taken: set[int] = set()
    for ka, kb in pairs:
        if ka in taken_a or kb in b_taken or ka < 0 or kb < 0:
            continue
        s, e = a.sents[ka]
        bs, be = b.sents[kb]
        free = e - s - int(a_used[s:e].sum()) - int(a.excluded[s:e].sum())
        if free < p.fuzzy_min_chars or be - bs < p.fuzzy_min_chars:
            continue
        wa, wb = a.words(ka), b.words(kb)
        score = fuzz.ratio(wa, wb) if wa and wb else 0.0
        if score >= p.fuzzy:
            taken_a.add(ka)
            b_taken.add(kb)
            a_used[s:e] = True
            out.append(Passage(s, e, bs, be, "fuzzy", [(s, bs), (e, be)]))
    return out


def _supported_sentence_pairs(a: Side, b: Side, ii: np.ndarray, jj: np.ndarray, min_chars: int
                              ) -> list[tuple[int, int]]:
    """(sentence of A, sentence of B) pairs, in order, whose shared n-grams of the team's own words (not
    excluded) cover at least `min_chars` characters of A, at least one of them rare. All pairs at once:
    the matches sorted by pair and position, each n-gram adding the characters it covers beyond the
    previous one's (a loop over the matches costs as much as the rest of the alignment)."""
    own = ~a.excluded[ii]
    i, ka, kb = ii[own], a.sentence_of(ii[own]), b.sentence_of(jj[own])
    if not len(i):
        return []
    order = np.lexsort((i, kb, ka))
    i, ka, kb = i[order], ka[order], kb[order]
    first = np.concatenate(([True], (ka[1:] != ka[:-1]) | (kb[1:] != kb[:-1])))
    step = np.concatenate(([NGRAM], np.minimum(np.diff(i), NGRAM)))
    step[first] = NGRAM  # a pair's first n-gram covers all its characters; a repeated position adds none
    starts = np.flatnonzero(first)
    covered = np.add.reduceat(step, starts)
    rare = np.logical_or.reduceat(a.rare[i], starts)
    ok = starts[(covered >= min_chars) & rare]
    return list(zip(ka[ok].tolist(), kb[ok].tolist(), strict=True))


def copied_chars(side_len: int, excluded: np.ndarray, spans: list[tuple[int, int]]) -> int:
    """Characters of one side inside the passages, boilerplate excluded."""
    cover = np.zeros(side_len, bool)
    for s, e in spans:
        cover[s:e] = True
    return int((cover & ~excluded[:side_len]).sum())
