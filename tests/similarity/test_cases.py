"""Each kind of labelled case on a small corpus: found, of the right kind, with evidence; nothing else."""

from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from checks.similarity.text import normalize_pages
from core.model import Flag
from pipeline.samples.plagiarism import Corpus
from pipeline.samples.report_text import HEADINGS, STANDARD_WORDING

from .conftest import flag_for


def _cases(corpus: Corpus, kind: str):
    cases = [c for c in corpus.cases if c.kind == kind]
    assert cases, kind
    return cases


@pytest.mark.parametrize("kind", ["verbatim", "light_edit", "ocr", "cross_year"])
def test_copies_are_flagged_cross_team(corpus: Corpus, flags: list[Flag], kind: str) -> None:
    for case in _cases(corpus, kind):
        f = flag_for(corpus, flags, case.copier, case.source)
        assert f is not None, f"{kind} copy of {case.fraction:.0%} not flagged"
        assert f.kind == "cross_team"
        assert f.copy_ratio_a > 0.05 and f.copy_ratio_b > 0.05
        assert f.evidence and all(e.a_spans and e.b_spans for e in f.evidence)
        assert f.flag_id and re.fullmatch(r"[0-9a-f]{16}", f.flag_id)


def test_verbatim_evidence_is_the_same_text_on_both_sides(corpus: Corpus, flags: list[Flag]) -> None:
    case = _cases(corpus, "verbatim")[0]
    f = flag_for(corpus, flags, case.copier, case.source)
    assert f is not None
    same = 0
    for e in f.evidence:
        a = normalize_pages(["".join(e.a_text[s:t] for s, t in e.a_spans)]).text
        b = normalize_pages(["".join(e.b_text[s:t] for s, t in e.b_spans)]).text
        same += fuzz.ratio(a, b) >= 95
        assert 1 <= e.a_page <= 20 and 1 <= e.b_page <= 20
    assert same >= len(f.evidence) * 0.8
    assert sum(e.chars for e in f.evidence) >= 300


def test_cross_year_copy_has_this_year_on_side_a(corpus: Corpus, flags: list[Flag]) -> None:
    case = _cases(corpus, "cross_year")[0]
    f = flag_for(corpus, flags, case.copier, case.source)
    assert f is not None
    assert f.a.year == corpus.year and f.b.year < corpus.year
    assert f.a.team_id == corpus.teams[case.copier].team_id


def test_self_reuse_is_shown_apart(corpus: Corpus, flags: list[Flag]) -> None:
    case = _cases(corpus, "self_reuse")[0]
    f = flag_for(corpus, flags, case.copier, case.source)
    assert f is not None
    assert f.kind == "self_prior_year"
    assert corpus.teams[case.copier].team_id != corpus.teams[case.source].team_id  # matched by name + company


def test_template_only_pairs_raise_no_flag(corpus: Corpus, flags: list[Flag]) -> None:
    for i, j in corpus.template_pairs:
        assert flag_for(corpus, flags, i, j) is None


def test_no_flags_between_unrelated_reports(corpus: Corpus, flags: list[Flag]) -> None:
    labelled = {frozenset((c.copier, c.source)) for c in corpus.cases}
    tid = {t.team_id: i for i, t in enumerate(corpus.teams)}
    wrong = [f for f in flags if frozenset((tid[f.a.team_id], tid[f.b.team_id])) not in labelled]
    assert not wrong, [(f.a.team_id, f.b.team_id, f.copy_ratio_a) for f in wrong]


def test_flags_only_for_this_year_strongest_first(corpus: Corpus, flags: list[Flag]) -> None:
    assert flags
    assert all(f.a.year == corpus.year for f in flags)
    assert [f.similarity for f in flags] == sorted((f.similarity for f in flags), reverse=True)
    assert len({f.flag_id for f in flags}) == len(flags)


def test_boilerplate_is_never_evidence(flags: list[Flag]) -> None:
    template = [normalize_pages([t]).text for t in (*STANDARD_WORDING, *HEADINGS)]
    for f in flags:
        for e in f.evidence:
            copied = normalize_pages(["".join(e.a_text[s:t] for s, t in e.a_spans)]).text
            for t in template:
                assert copied != t
            assert e.chars <= len(copied) + 1


def _copier_ratio(corpus: Corpus, f: Flag, copier: int) -> float:
    return f.copy_ratio_a if f.a.team_id == corpus.teams[copier].team_id else f.copy_ratio_b


def test_copy_ratio_tracks_the_copied_share(corpus: Corpus, flags: list[Flag]) -> None:
    """Each unaltered copy's ratio is near the share copied, and a bigger copy scores higher."""
    cases = sorted((c for c in corpus.cases if c.kind in ("verbatim", "cross_year")), key=lambda c: c.fraction)
    assert cases[-1].fraction - cases[0].fraction > 0.15, "the corpus must hold copies of clearly different size"
    ratios = []
    for case in cases:
        f = flag_for(corpus, flags, case.copier, case.source)
        assert f is not None
        ratios.append(_copier_ratio(corpus, f, case.copier))
        assert abs(ratios[-1] - case.fraction) < 0.15, (case.kind, case.fraction, ratios[-1])
    assert ratios[-1] > ratios[0]
