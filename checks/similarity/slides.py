"""Slide evidence of a flagged pair of teams, completed from the reports' own: a slide condenses its
team's report, so a bullet standing inside a copied passage of the report is copied where that passage
leads (slides to pages, and slides to the other team's slides standing there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from core.model import Evidence, ReportText

from .align import Passage, Side
from .evidence import build_evidence

_Span = tuple[int, int, int, int, Passage]
# a slide bullet is short (a report's sentence cut to its point): this many counted characters of one
# are evidence (a report's passage needs evidence.MIN_CHARS), fewer are a heading or a label
SLIDE_MIN_CHARS = 10


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
    """Slide passages projected through the best report pair's passages onto every slide pair of the
    flagged teams. Updates the slide pairs in place."""
    reports = prep.reports
    pdf = [p for p in pairs if reports[p.a].kind == reports[p.b].kind == "report_pdf"]
    if not pdf:
        return
    best = max(pdf, key=lambda p: p.chars)
    spans = [(p.a_start, p.a_end, p.b_start, p.b_end, p) for p in best.passages]
    where = {best.a: prep.side(best.a).nt.text, best.b: prep.side(best.b).nt.text}
    team = {(reports[i].year, reports[i].team_id): i for i in where}
    for r in pairs:
        if "report_ppt" not in (reports[r.a].kind, reports[r.b].kind):
            continue
        a_pdf = (reports[r.a].year, reports[r.a].team_id) == (reports[best.a].year, reports[best.a].team_id)
        la, lb = _located(prep, r.a, where, team), _located(prep, r.b, where, team)
        extra = _projected(reports[r.a].kind, reports[r.b].kind, la, lb, spans, a_pdf)
        _add_passages(prep, r, extra)


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


def _add_passages(prep: Prepared, r: ComparedPair, extra: list[Passage]) -> None:
    """The pair's passages with `extra` added, and its evidence rebuilt from them."""
    reports = prep.reports
    a, b = prep.side(r.a), prep.side(r.b)
    r.passages = sorted(r.passages + extra, key=lambda p: p.a_start)
    r.evidence = build_evidence(a.nt, b.nt, r.passages, a.template, b.template, SLIDE_MIN_CHARS)
    for e in r.evidence:
        e.a_file, e.b_file = reports[r.a].file, reports[r.b].file
