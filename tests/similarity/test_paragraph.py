"""One copied paragraph is a flag: found although it barely moves the report's cosine, decided on a long
identical stretch of running text that keeps the source's figures, shown as one passage; the same
paragraph written by another team with its own figures is not."""

from __future__ import annotations

import dataclasses
import random
import re

import numpy as np
import pytest

from checks.similarity import Settings, find_flags
from checks.similarity.align import Passage
from checks.similarity.evidence import build_evidence
from checks.similarity.text import normalize_pages
from core.model import Flag, ReportText
from pipeline.samples.plagiarism import Corpus, make_corpus

COUNTS = {"paragraph": 4, "template_only": 4}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus(random.Random(5), year=2024, background=80, prior=20, counts=COUNTS)


@pytest.fixture(scope="module")
def flags(corpus: Corpus) -> list[Flag]:
    return find_flags(corpus.reports(), corpus.year)


def _flagged(corpus: Corpus, flags: list[Flag], i: int, j: int) -> Flag | None:
    ids = {corpus.teams[i].team_id, corpus.teams[j].team_id}
    return next((f for f in flags if {f.a.team_id, f.b.team_id} == ids), None)


def test_one_copied_paragraph_is_flagged_with_its_passage(corpus: Corpus, flags: list[Flag]) -> None:
    cases = [c for c in corpus.cases if c.kind == "paragraph"]
    assert len(cases) == 4
    for case in cases:
        f = _flagged(corpus, flags, case.copier, case.source)
        assert f is not None, f"one-paragraph copy ({case.fraction:.1%} of the report) not flagged"
        assert max(f.copy_ratio_a, f.copy_ratio_b) < 0.15, "a paragraph, not a large copy"
        page, start, end = case.lines[0][:3]
        first_line = normalize_pages([corpus.pdf_pages[case.copier][page][start:end]]).text
        shown = [normalize_pages([e.a_text if f.a.team_id == corpus.teams[case.copier].team_id else e.b_text]).text
                 for e in f.evidence if e.a_file.endswith(".pdf") and e.b_file.endswith(".pdf")]
        assert any(first_line[:40] in s for s in shown), "the copied paragraph is among the evidence"


def test_template_twins_and_unrelated_reports_are_not_flagged(corpus: Corpus, flags: list[Flag]) -> None:
    copies = {frozenset((c.copier, c.source)) for c in corpus.cases}
    tid = {t.team_id: i for i, t in enumerate(corpus.teams)}
    wrong = [f for f in flags if frozenset((tid[f.a.team_id], tid[f.b.team_id])) not in copies]
    assert not wrong, [(f.a.team_id, f.b.team_id) for f in wrong]


def test_the_source_below_the_cosine_floor_is_found_by_the_probe(corpus: Corpus) -> None:
    no_probe = find_flags(corpus.reports(), corpus.year, settings=dataclasses.replace(Settings(), probe_k=0))
    found = sum(_flagged(corpus, no_probe, c.copier, c.source) is not None for c in corpus.cases)
    assert found < len(corpus.cases), "without probes some one-paragraph copy must go unseen"


def _with_copier_figures(corpus: Corpus, changed: bool) -> tuple[list[ReportText], str, str]:
    """The corpus's PDFs, the first one-paragraph copier's paragraph with the source's figures kept or each
    figure changed (the same template sentences filled in with the team's own measurements)."""
    case = next(c for c in corpus.cases if c.kind == "paragraph")
    pages = list(corpus.pdf_pages[case.copier])
    if changed:
        for page, start, end, *_ in sorted(case.lines, reverse=True):
            text = pages[page]
            own = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), text[start:end])
            pages[page] = text[:start] + own + text[end:]
    copier = corpus.teams[case.copier].team_id
    reports = [r.model_copy(update={"pages": pages}) if r.team_id == copier else r
               for r in corpus.reports(with_slides=False)]
    return reports, copier, corpus.teams[case.source].team_id


def test_a_paragraph_with_the_source_figures_is_a_copy_with_its_own_figures_is_not(corpus: Corpus) -> None:
    for changed in (False, True):
        reports, copier, source = _with_copier_figures(corpus, changed)
        flagged = any({f.a.team_id, f.b.team_id} == {copier, source} for f in find_flags(reports, corpus.year))
        assert flagged != changed, "figures kept: a copy; figures its own: the same template, no flag"


def test_table_rows_are_marked_apart_from_running_text() -> None:
    nt = normalize_pages(["活动计划：阶段 内容 计划时间\n班组按照计划开展活动，共检查62处。"])
    row = nt.text.index("阶段")
    prose = nt.text.index("班组")
    assert nt.table[row] and not nt.table[prose]
    assert len(nt.table) == len(nt.text)


def test_sentences_reordered_inside_a_paragraph_stay_one_passage() -> None:
    a = normalize_pages(["甲" * 400])
    b = normalize_pages(["乙" * 800])
    none = np.zeros(400, bool)
    # A's sentences in order; B holds them in another order, 60 characters apart
    reordered = [Passage(0, 50, 160, 210, "run"), Passage(50, 100, 100, 150, "run"), Passage(100, 150, 210, 260, "run")]
    assert len(build_evidence(a, b, reordered, none)) == 1
    # B far back: another copied block, shown apart
    apart = [Passage(0, 50, 600, 650, "run"), Passage(50, 100, 100, 150, "run")]
    assert len(build_evidence(a, b, apart, none)) == 2


def test_a_nightly_run_weighs_candidates_as_a_full_run_does(corpus: Corpus) -> None:
    from checks.similarity.index import corpus_ngrams, doc_freq
    from checks.similarity.scoring import candidates
    from checks.similarity.selection import full_norms

    reports = corpus.reports(with_slides=False)
    grams = [g for g, _ in corpus_ngrams([r.pages for r in reports], None)]
    group_of = list(range(len(reports)))
    df = doc_freq(grams, group_of)
    few = [c.copier for c in corpus.cases]  # a nightly run: a few new reports against the archive
    full = {(q, o): v for q, o, v in candidates(grams, group_of, group_of, df, cand_df=3, top_k=5, min_score=0.0)}
    nightly = candidates(grams, group_of, few, df, cand_df=3, top_k=5, min_score=0.0)
    fixed = full_norms(nightly, grams, few, df, 3)
    pairs = [(q, o, v, w) for (q, o, v), (_, _, w) in zip(nightly, fixed, strict=True) if (q, o) in full]
    assert pairs
    assert all(abs(w - full[(q, o)]) < 1e-3 for q, o, _, w in pairs)
    assert any(v > full[(q, o)] + 0.01 for q, o, v, _ in pairs), "uncorrected, a nightly cosine runs high"
