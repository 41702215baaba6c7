"""Slides carry a flagged copy's evidence too: a bullet standing inside a copied passage of its team's report
is shown against the page (and the other team's slide) where that passage leads."""

from __future__ import annotations

import pytest

import checks.similarity as similarity
from checks.similarity import find_flags
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
