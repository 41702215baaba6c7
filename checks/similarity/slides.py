"""Slide evidence of a flagged pair of teams, completed from the reports' own: a slide condenses its
team's report, so a bullet standing inside a copied passage of the report is copied where that passage
leads (slides to pages, and slides to the other team's slides standing there)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from core.model import Evidence, ReportText

from .align import Passage, Side, figures_in
from .evidence import build_evidence
from .text import NGRAM, ngram_hashes, normalize_pages

_Span = tuple[int, int, int, int, Passage]
# a slide bullet is short (a report's sentence cut to its point): this many counted characters of one
# are evidence (a report's passage needs evidence.MIN_CHARS), fewer are a heading or a label
SLIDE_MIN_CHARS = 10
# a slide line is matched by itself against the other file of a flagged pair when it has this many
# characters of its own (no common wording, figures or the teams' names: short common bullets prove nothing)
LINE_MIN_OWN = 10
LINE_SCORE = 80  # ... reaches this similarity (0-100, figures left out) with a stretch of the other file
LINE_GRAM = 4  # (characters of the shingles that find where to look)
LINE_RARE = 3  # ... holds, on its two ends, this many n-grams few teams use (not one topic's stock phrase)
# ... and both ends stand in their team's report with this share of the NEAR characters around them (on
# each side) copied: a slide condenses its report, so only a copied part of the report is copied there.
# One end so placed is enough for a line LINE_SCORE_ONE similar (a copied block's last line has copied
# text on one side of it only)
NEAR = 120
NEAR_SHARE = 0.3
LINE_SCORE_ONE = 90
ROW_TEXT = 20  # a line with less text than this besides its figures is a table row ...
ROW_SAME = 70  # ... whose figures are its own unless this similar (0-100) to the other's
_DIGIT = re.compile(r"\d")


class Prepared(Protocol):
    """The reports of a run and their alignment-ready sides."""

    reports: Sequence[ReportText]

    def side(self, i: int) -> Side: ...


class ComparedPair(Protocol):
    """One compared pair of files (indices into `Prepared.reports`) with its passages and evidence."""

    a: int
    b: int
    chars: int
    passages: list[Passage]
    evidence: list[Evidence]


def project_slides(prep: Prepared, pairs: Sequence[ComparedPair]) -> None:
    """Slide passages of a flagged pair of teams: projected through the best report pair's passages onto
    every slide pair, then each slide line still unmatched compared by itself with the other file (a
    bullet is shortened and edited, so the report's passages miss some). Updates the slide pairs in place."""
    reports = prep.reports
    pdf = [p for p in pairs if reports[p.a].kind == reports[p.b].kind == "report_pdf"]
    best = max(pdf, key=lambda p: p.chars) if pdf else None
    if best is None:
        return
    folded: dict[int, _Folded] = {}
    copied = _Copied(prep, best)
    for r in pairs:
        if "report_ppt" not in (reports[r.a].kind, reports[r.b].kind):
            continue
        extra = _projected_pair(prep, best, r)
        extra += _matched_lines(prep, r, r.passages + extra, copied, folded)
        if extra or r.passages:  # rebuilt with SLIDE_MIN_CHARS
            _add_passages(prep, r, extra)


def _projected_pair(prep: Prepared, best: ComparedPair, r: ComparedPair) -> list[Passage]:
    """The slide passages of pair r projected through the passages of `best` (the teams' reports)."""
    reports = prep.reports
    spans = [(p.a_start, p.a_end, p.b_start, p.b_end, p) for p in best.passages]
    where = {best.a: prep.side(best.a).nt.text, best.b: prep.side(best.b).nt.text}
    team = {(reports[i].year, reports[i].team_id): i for i in where}
    a_pdf = (reports[r.a].year, reports[r.a].team_id) == (reports[best.a].year, reports[best.a].team_id)
    la, lb = _located(prep, r.a, where, team), _located(prep, r.b, where, team)
    return _projected(reports[r.a].kind, reports[r.b].kind, la, lb, spans, a_pdf)


def _located(prep: Prepared, i: int, where: dict[int, str], team: dict[tuple[int, str], int]
             ) -> list[tuple[int, int, int]]:
    """(start, end, position in its team's report) of each slide sentence of file i found there."""
    reports = prep.reports
    if reports[i].kind != "report_ppt":
        return []
    own = team.get((reports[i].year, reports[i].team_id))
    side = prep.side(i)
    out = []
    for st, en in side.sents:
        at = where[own].find(side.nt.text[st:en]) if own is not None and en - st >= 8 else -1
        if at >= 0:
            out.append((st, en, at))
    return out


def _across(spans: list[_Span], pos: int, length: int, from_a: bool) -> tuple[int, int] | None:
    """The other report's range matching [pos, pos + length) of one report, through a passage."""
    for a0, a1, b0, b1, p in spans:
        lo, hi = (a0, a1) if from_a else (b0, b1)
        if lo <= pos and pos + length <= hi + 2:
            pts = sorted(p.anchors) or [(a0, b0), (a1, b1)]
            xs, ys = ([x for x, _ in pts], [y for _, y in pts]) if from_a else \
                ([y for _, y in sorted(pts, key=lambda t: t[1])], [x for x, _ in sorted(pts, key=lambda t: t[1])])
            return int(np.interp(pos, xs, ys)), int(np.interp(pos + length, xs, ys))
    return None


def _projected(kind_a: str, kind_b: str, la: list[tuple[int, int, int]], lb: list[tuple[int, int, int]],
               spans: list[_Span], a_pdf: bool) -> list[Passage]:
    """The slide passages of one pair of files, from its located slide sentences."""
    extra: list[Passage] = []
    if la and kind_b == "report_pdf":  # A's slides against B's report (or the reverse)
        for st, en, at in la:
            if (hit := _across(spans, at, en - st, a_pdf)) is not None:
                extra.append(Passage(st, en, hit[0], hit[1], "slide"))
    elif lb and kind_a == "report_pdf":
        for st, en, at in lb:
            if (hit := _across(spans, at, en - st, not a_pdf)) is not None:
                extra.append(Passage(hit[0], hit[1], st, en, "slide"))
    elif la and lb:  # slides against slides: both bullets standing at the two ends of one passage
        for st, en, at in la:
            if (hit := _across(spans, at, en - st, a_pdf)) is None:
                continue
            for s2, e2, at2 in lb:
                if at2 < hit[1] and at2 + (e2 - s2) > hit[0]:
                    extra.append(Passage(st, en, s2, e2, "slide"))
                    break
    return extra


def _matched_lines(prep: Prepared, r: ComparedPair, known: list[Passage], copied: _Copied,
                   folded: dict[int, _Folded]) -> list[Passage]:
    """Passages of pair r from its slide lines (A's when A is a slide file, else B's) not yet covered by
    `known`, each matched by itself against the other file; kept where both ends condense a copied part
    of their team's report."""
    slides_a = prep.reports[r.a].kind == "report_ppt"
    me, other = (r.a, r.b) if slides_a else (r.b, r.a)
    s, o = prep.side(me), prep.side(other)
    taken = np.zeros(len(s.nt.text), bool)
    for p in known:
        lo, hi = (p.a_start, p.a_end) if slides_a else (p.b_start, p.b_end)
        taken[lo:hi] = True
    lines = o.sents if prep.reports[other].kind == "report_ppt" else None
    own = np.concatenate(([0], np.cumsum(_own_mask(s, _names(prep.reports[me], prep.reports[other])))))
    for st, en in s.sents:  # what a line says of its own: no common wording, figures or the teams' names
        if own[en] - own[st] < LINE_MIN_OWN:
            taken[st:en] = True
    found = [(x0, x1, y0, y1) for x0, x1, y0, y1 in _lines_in(s, _folded(folded, me, s), _folded(folded, other, o), taken, lines)
             if _convincing(prep, (me, x0, x1), (other, y0, y1), copied)]
    return [Passage(x0, x1, y0, y1, "line") if slides_a else Passage(y0, y1, x0, x1, "line")
            for x0, x1, y0, y1 in found]


def _convincing(prep: Prepared, x: tuple[int, int, int], y: tuple[int, int, int], copied: _Copied) -> bool:
    """A slide line (file, start, end) aligned with a stretch y of the other file is a copy: similar
    enough, not each team's own figures, rare wording, and standing in copied parts of the reports."""
    s, o = prep.side(x[0]), prep.side(y[0])
    score = _plain_ratio(s, o, x[1:], y[1:])
    if score < LINE_SCORE or _own_figures(s, o, x[1:], y[1:]):
        return False
    if int(s.rare[x[1] : max(x[1], x[2] - NGRAM + 1)].sum()) + int(o.rare[y[1] : max(y[1], y[2] - NGRAM + 1)].sum()) < LINE_RARE:
        return False
    held = copied.holds(prep, *x) + copied.holds(prep, *y)
    return held == 2 or (held == 1 and score >= LINE_SCORE_ONE)


def _names(*reports: ReportText) -> list[str]:
    """The teams' and companies' names, normalised: a title slide naming them is no evidence."""
    return [n for r in reports for n in (_normalised(r.team), _normalised(r.company)) if len(n) >= 2]


@lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    return normalize_pages([text]).text


def _own_mask(s: Side, names: list[str]) -> np.ndarray:
    """Bool per character: neither common wording, a figure nor one of `names`."""
    cp = np.frombuffer(s.nt.text.encode("utf-32-le"), np.uint32)
    own = ~s.excluded[: len(cp)] & ~((cp >= 48) & (cp <= 57))
    for n in names:
        at = s.nt.text.find(n)
        while at >= 0:
            own[at : at + len(n)] = False
            at = s.nt.text.find(n, at + 1)
    return own


class _Copied:
    """Where the flagged teams' reports were found copied (the best report pair's passages). A slide
    condenses its team's report: a slide line is copied where the report is (or right beside it: a copier
    edits some sentences of a copied block beyond the first pass's reach)."""

    def __init__(self, prep: Prepared, best: ComparedPair):
        reports = prep.reports
        self.reports: dict[tuple[int, str], int] = {}
        self.cum: dict[tuple[int, str], np.ndarray] = {}
        for i, spans in ((best.a, [(p.a_start, p.a_end) for p in best.passages]),
                         (best.b, [(p.b_start, p.b_end) for p in best.passages])):
            cover = np.zeros(len(prep.side(i).nt.text), np.int32)
            for lo, hi in spans:
                cover[lo:hi] = 1
            key = (reports[i].year, reports[i].team_id)
            self.reports[key], self.cum[key] = i, np.concatenate(([0], np.cumsum(cover)))

    def holds(self, prep: Prepared, i: int, start: int, end: int) -> bool:
        """[start, end) of file i stands in (or near) a copied part of its team's report."""
        key = (prep.reports[i].year, prep.reports[i].team_id)
        if key not in self.reports:
            return False
        own = self.reports[key]
        at = start if i == own else prep.side(own).nt.text.find(prep.side(i).nt.text[start:end])
        if at < 0:
            return False
        cum = self.cum[key]
        lo, hi = max(0, at - NEAR), min(len(cum) - 1, at + end - start + NEAR)
        return hi > lo and cum[hi] - cum[lo] >= NEAR_SHARE * (hi - lo)


@dataclass
class _Folded:
    """A file's text with every digit one (a copier changes figures), its shingles, sorted for lookups."""

    text: str
    hashes: np.ndarray
    order: np.ndarray = field(init=False)
    ranked: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.order = np.argsort(self.hashes, kind="stable")
        self.ranked = self.hashes[self.order]

    def where(self, grams: np.ndarray) -> np.ndarray:
        """Sorted positions of every shingle equal to one of `grams`."""
        lo, hi = np.searchsorted(self.ranked, grams), np.searchsorted(self.ranked, grams, side="right")
        counts = hi - lo
        total = int(counts.sum())
        if not total:
            return np.zeros(0, np.int64)
        step = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.sort(self.order[np.repeat(lo, counts) + step])


def _folded(cache: dict[int, _Folded], i: int, side: Side) -> _Folded:
    if i not in cache:
        text = _DIGIT.sub("0", side.nt.text)
        cache[i] = _Folded(text, ngram_hashes(text, LINE_GRAM))
    return cache[i]


def _lines_in(s: Side, sf: _Folded, of: _Folded, taken: np.ndarray, lines: list[tuple[int, int]] | None
              ) -> list[tuple[int, int, int, int]]:
    """(start, end, other start, other end) of each slide line of s (not `taken`) aligned where most of
    its shingles are in the other file (inside one line of it when `lines`: slides against slides)."""
    out = []
    starts = np.array([a for a, _ in lines or []], np.int64)
    done = np.concatenate(([0], np.cumsum(taken)))
    for st, en in s.sents:
        n = en - st
        if n < LINE_MIN_OWN or done[en] - done[st] >= n / 2:
            continue
        pos = of.where(np.unique(sf.hashes[st : max(st + 1, en - LINE_GRAM + 1)]))
        if not len(pos):
            continue
        dense = np.searchsorted(pos, pos + n) - np.arange(len(pos))
        first = int(np.argmax(dense))
        at = int(pos[first])
        lo, hi = max(0, at - n), min(len(of.text), at + 2 * n)
        if lines is not None:  # the other line where the densest hits are
            lo, hi = lines[int(np.searchsorted(starts, int(pos[first + int(dense[first]) // 2]), side="right")) - 1]
        al = fuzz.partial_ratio_alignment(sf.text[st:en], of.text[lo:hi], score_cutoff=LINE_SCORE)
        if al is not None:
            out.append((st + al.src_start, st + al.src_end, lo + al.dest_start, lo + al.dest_end))
    return out


def _plain_ratio(s: Side, o: Side, x: tuple[int, ...], y: tuple[int, ...]) -> float:
    """Similarity (0-100) of two matched stretches, figures left out (they fold to one above)."""
    return fuzz.ratio(_DIGIT.sub("", s.nt.text[x[0] : x[1]]), _DIGIT.sub("", o.nt.text[y[0] : y[1]]))


def _own_figures(s: Side, o: Side, x: tuple[int, ...], y: tuple[int, ...]) -> bool:
    """Each team's own measurements in the same sentence or table row: two or more figures, none of them
    shared; or a short line of figures (a row: its cells run together once spaces are gone) whose digits
    mostly differ."""
    line, match = s.nt.text[x[0] : x[1]], o.nt.text[y[0] : y[1]]
    mine = figures_in(line)
    if len(mine) >= 2 and not set(mine) & set(figures_in(match)):
        return True
    digits = "".join(_DIGIT.findall(line))
    return len(digits) >= 3 and len(line) - len(digits) < ROW_TEXT and fuzz.ratio(digits, "".join(_DIGIT.findall(match))) < ROW_SAME


def _add_passages(prep: Prepared, r: ComparedPair, extra: list[Passage]) -> None:
    """The pair's passages with `extra` added, and its evidence rebuilt from them."""
    reports = prep.reports
    a, b = prep.side(r.a), prep.side(r.b)
    r.passages = sorted(r.passages + extra, key=lambda p: p.a_start)
    r.evidence = build_evidence(a.nt, b.nt, r.passages, a.template, b.template, SLIDE_MIN_CHARS)
    for e in r.evidence:
        e.a_file, e.b_file = reports[r.a].file, reports[r.b].file
