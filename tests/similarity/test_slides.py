"""Slides carry a flagged copy's evidence too: a bullet standing inside a copied passage of its team's report
is shown against the page (and the other team's slide) where that passage leads; a bullet shortened and
edited past the report's passages is matched line by line against the other team's files."""

from __future__ import annotations

import pytest

import checks.similarity as similarity
from checks.similarity import find_flags, slides
from checks.similarity.text import normalize_pages
from core.model import Flag
from pipeline.samples.plagiarism import Corpus
from pipeline.samples.report_text import make_slides

from .conftest import flag_for

KINDS = ("light_edit", "ocr", "verbatim")


def _bullets_shown(corpus: Corpus, flags: list[Flag]) -> float:
    """Share of the copiers' slide bullets taken from copied lines that slide-vs-page evidence shows."""
    shown = total = 0
    for case in (c for c in corpus.cases if c.kind in KINDS):
        pages = corpus.pdf_pages[case.copier]
        copied = normalize_pages(["\n".join(pages[p][s:e] for p, s, e, *_ in case.lines)]).text
        f = flag_for(corpus, flags, case.copier, case.source)
        mine = f is not None and f.a.team_id == corpus.teams[case.copier].team_id
        texts = [] if f is None else [
            normalize_pages([e.a_text if mine else e.b_text]).text for e in f.evidence
            if (e.a_file if mine else e.b_file).endswith(".pptx") and (e.b_file if mine else e.a_file).endswith(".pdf")
        ]
        for slide in make_slides(pages)[1:]:
            for line in slide.split("\n")[1:]:
                bullet = normalize_pages([line]).text
                if len(bullet) >= 12 and bullet in copied:
                    total += 1
                    shown += any(bullet in t for t in texts)
    assert total >= 5
    return shown / total


@pytest.fixture(scope="module")
def without_projection(corpus: Corpus) -> list[Flag]:
    mp = pytest.MonkeyPatch()
    mp.setattr(similarity, "project_slides", lambda prep, pairs: None)
    try:
        return find_flags(corpus.reports(), corpus.year)
    finally:
        mp.undo()


def test_copied_bullets_are_shown_against_the_source_pages(corpus: Corpus, flags: list[Flag], without_projection) -> None:
    before = _bullets_shown(corpus, without_projection)
    after = _bullets_shown(corpus, flags)
    assert after >= 0.6, f"only {after:.0%} of the copied bullets shown ({before:.0%} without projection)"
    assert after > before + 0.05, f"{before:.0%} -> {after:.0%}"


def test_projection_never_changes_which_pairs_are_flagged(flags: list[Flag], without_projection) -> None:
    assert {f.flag_id for f in flags} == {f.flag_id for f in without_projection}


EDITED = ("light_edit", "self_reuse")


def _edited_bullets(corpus: Corpus, flags: list[Flag]) -> tuple[float, float]:
    """(share of the edited copies' copied bullets shown against the other team's PDF, share of their
    other bullets shown there), over both teams' slides: slide lines matched by themselves."""
    shown, total, wrong, own = 0, 0, 0, 0
    for case in (c for c in corpus.cases if c.kind in EDITED):
        f = flag_for(corpus, flags, case.copier, case.source)
        for team, copied in ((case.copier, [corpus.pdf_pages[case.copier][p][s:e] for p, s, e, *_ in case.lines]),
                             (case.source, [corpus.pdf_pages[case.source][q][t:u] for *_, q, t, u in case.lines])):
            mine = f is not None and f.a.team_id == corpus.teams[team].team_id
            sides = [] if f is None else [
                (e.a_text, e.a_spans) if mine else (e.b_text, e.b_spans) for e in f.evidence
                if (e.a_file if mine else e.b_file).endswith(".pptx") and (e.b_file if mine else e.a_file).endswith(".pdf")
            ]
            for slide in make_slides(corpus.pdf_pages[team])[1:]:
                for bullet in slide.split("\n")[1:]:
                    if len(normalize_pages([bullet]).text) < 12:
                        continue
                    hit = any(_covered(bullet, text, spans) for text, spans in sides)
                    if any(line.strip().startswith(bullet) for line in copied):
                        total, shown = total + 1, shown + hit
                    elif not any(bullet in line for line in copied):
                        own, wrong = own + 1, wrong + hit
    assert total >= 10 and own >= 10
    return shown / total, wrong / own


def _covered(bullet: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """The bullet stands in the evidence text with at least half of it highlighted."""
    at = text.find(bullet)
    if at < 0:
        return False
    inside = sum(max(0, min(e, at + len(bullet)) - max(s, at)) for s, e in spans)
    return inside >= len(bullet) / 2


@pytest.fixture(scope="module")
def without_lines(corpus: Corpus) -> list[Flag]:
    mp = pytest.MonkeyPatch()
    mp.setattr(slides, "_matched_lines", lambda *args: [])
    mp.setattr(slides, "SLIDE_MIN_CHARS", 16)
    try:
        return find_flags(corpus.reports(), corpus.year)
    finally:
        mp.undo()


def test_edited_bullets_are_matched_line_by_line(flags: list[Flag], corpus: Corpus, without_lines) -> None:
    before, wrong_before = _edited_bullets(corpus, without_lines)
    after, wrong_after = _edited_bullets(corpus, flags)
    assert after >= 0.7 and after >= before + 0.1, f"edited copied bullets shown {before:.0%} -> {after:.0%}"
    assert wrong_after <= max(0.1, wrong_before), f"own bullets shown {wrong_before:.0%} -> {wrong_after:.0%}"
