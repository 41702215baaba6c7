"""The second pass completes a light-edited copy's evidence without changing which pairs are flagged; the
figures veto tells a copy from the same template filled in by another team."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from checks.similarity import Settings, _Prepared, find_flags
from checks.similarity.align import Passage, align
from checks.similarity.densify import densify, likeness, same_figures
from checks.similarity.index import corpus_ngrams, doc_freq
from core.model import Flag, ReportText
from pipeline.samples.plagiarism import Corpus
from pipeline.samples.report_text import make_report

from .conftest import flag_for


def _copied_share(corpus: Corpus, flags: list[Flag], kind: str) -> float:
    """Share of the copier's copied characters (PDF) that the flag's evidence highlights."""
    got = total = 0
    for case in (c for c in corpus.cases if c.kind == kind):
        f = flag_for(corpus, flags, case.copier, case.source)
        pages = corpus.pdf_pages[case.copier]
        marked: set[tuple[int, int]] = set()
        if f is not None:
            a_is_copier = f.a.team_id == corpus.teams[case.copier].team_id
            for e in f.evidence:
                if not (e.a_file or "").endswith(".pdf") or not (e.b_file or "").endswith(".pdf"):
                    continue
                page, text, spans = (e.a_page, e.a_text, e.a_spans) if a_is_copier else (e.b_page, e.b_text, e.b_spans)
                off = pages[page - 1].find(text)
                if off >= 0:
                    marked |= {(page - 1, off + k) for s, t in spans for k in range(s, t)}
        for p, s, e, *_ in case.passages:
            total += e - s
            got += sum((p, k) in marked for k in range(s, e))
    return got / max(total, 1)


@pytest.fixture(scope="module")
def first_pass_only(corpus: Corpus) -> list[Flag]:
    return find_flags(corpus.reports(), corpus.year, settings=dataclasses.replace(Settings(), densify=False))


def test_light_edits_are_covered_sentence_by_sentence(corpus: Corpus, flags: list[Flag], first_pass_only) -> None:
    before = _copied_share(corpus, first_pass_only, "light_edit")
    after = _copied_share(corpus, flags, "light_edit")
    assert after >= 0.5, f"light-edited copy only {after:.0%} highlighted ({before:.0%} before)"
    assert after >= before + 0.15, f"{before:.0%} -> {after:.0%}"


def test_second_pass_never_changes_which_pairs_are_flagged(flags: list[Flag], first_pass_only) -> None:
    assert {f.flag_id for f in flags} == {f.flag_id for f in first_pass_only}
    ratio = {f.flag_id: f.similarity for f in first_pass_only}
    assert all(f.similarity >= ratio[f.flag_id] - 1e-9 for f in flags)


def test_no_passages_nothing_to_complete(corpus: Corpus) -> None:
    assert densify(None, None, []) == []  # type: ignore[arg-type]


def _sides(reports: list[ReportText]):
    """Alignment-ready sides of every report, as find_flags prepares them."""
    s = Settings()
    groups = list(range(len(reports)))
    both = corpus_ngrams([r.pages for r in reports], None)
    df = doc_freq([g for g, _ in both], groups)
    prep = _Prepared(reports, doc_freq([c for _, c in both], groups), df, s.common_min, s.rare_df)
    return [prep.side(i) for i in range(len(reports))]


def _report(n: int, pages: list[str]) -> ReportText:
    return ReportText(year=2024, team_id=f"T{n}", team="钢筋班组", company=f"公司{n}", file=f"T{n}/成果报告.pdf",
                      sha256=f"s{n}", pages=pages)


def test_figures_tell_a_copy_from_the_same_template_filled_in() -> None:
    rng = random.Random(11)
    src = make_report(rng, team="钢筋班组", company="某某建设有限公司", year=2024, topic="钢筋")
    refilled = [re.sub(r"\d+", lambda m: str(int(m.group(0)) + 7), p) for p in src]  # every figure differs
    others = [make_report(rng, team="钢筋班组", company=f"公司{k}", year=2024, topic="钢筋") for k in range(6)]
    sides = _sides([_report(0, src), _report(1, list(src)), _report(2, refilled)] + [_report(3 + k, p) for k, p in enumerate(others)])
    copy, _ = align(sides[0], sides[1])
    same, total = same_figures(sides[0], sides[1], copy)
    assert total >= 20 and same == total
    filled, _ = align(sides[0], sides[2])
    same, total = same_figures(sides[0], sides[2], filled)
    assert total >= 8 and same < 0.25 * total  # below the veto's 0.34


def test_veto_spares_every_labelled_copy(corpus: Corpus, flags: list[Flag]) -> None:
    vetoed = find_flags(corpus.reports(), corpus.year, settings=dataclasses.replace(Settings(), figures_min=10**9))
    assert {f.flag_id for f in flags} <= {f.flag_id for f in vetoed}
    for case in corpus.cases:
        if case.kind != "paragraph":
            assert flag_for(corpus, flags, case.copier, case.source) is not None, case.kind


def test_standards_and_grades_cited_alike_are_not_figures_kept() -> None:
    """Every team on a subject cites the same standard (GB 50205-2020) and steel grade (Q355B); only
    measurements tell a copy from the same template filled in by another team."""
    a = "参照GB 50205-2020标准，采用Q355B钢板，抽检合格率87.4%，共培训17人次。"
    b = "参照GB 50205-2020标准，采用Q355B钢板，抽检合格率91.2%，共培训23人次。"
    sides = _sides([_report(0, ["封面", a]), _report(1, ["封面", b])])
    whole = [Passage(0, len(sides[0].nt.text), 0, len(sides[1].nt.text), "run")]
    assert same_figures(sides[0], sides[1], whole) == (0, 2)
    copied = _sides([_report(0, ["封面", a]), _report(1, ["封面", a])])
    assert same_figures(copied[0], copied[1], [Passage(0, len(copied[0].nt.text), 0, len(copied[1].nt.text), "run")]) == (2, 2)


def test_a_copy_reads_alike_where_the_same_template_filled_in_does_not() -> None:
    src = "小结：通过现状调查，班组厘清了屋面闭水试验的主要影响因素，为下一步制定对策打下了基础。"
    edited = "小结：经过现状调查，班组厘清了屋面闭水试验的主要影响因素，为下一步制定对策奠定了基础。"
    refilled = "小结：通过现状调查，活动小组掌握了屋面闭水试验的真实状况，为下一步效果检查创造了条件。"
    for text, alike in ((edited, True), (refilled, False)):
        sides = _sides([_report(0, ["封面", src]), _report(1, ["封面", text])])
        whole = [Passage(0, len(sides[0].nt.text), 0, len(sides[1].nt.text), "fuzzy")]
        assert (likeness(sides[0], sides[1], whole) >= Settings().copy_likeness) == alike


def test_a_figure_the_report_repeats_is_one_fact() -> None:
    a = "活动前合格率86.8%，目标值99.0%；活动前合格率86.8%，活动后99.6%；由86.8%提高到99.0%。"
    b = "活动前合格率86.8%，目标值96.8%；活动前合格率86.8%，活动后99.1%；由86.8%提高到96.8%。"
    sides = _sides([_report(0, ["封面", a]), _report(1, ["封面", b])])
    whole = [Passage(0, len(sides[0].nt.text), 0, len(sides[1].nt.text), "run")]
    assert same_figures(sides[0], sides[1], whole) == (1, 3)  # 86.8 once, of 86.8, 99.0 and 99.6
