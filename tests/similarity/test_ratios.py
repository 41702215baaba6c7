"""CNKI-style ratios per report: consistent with each other, 去除本人 leaves the team's own earlier report
out, sections follow the report's own headings, every number explained in Chinese."""

from __future__ import annotations

from tests.similarity.conftest import flag_for


def test_ratios_are_ordered_and_explained(flags):
    assert flags
    for f in flags:
        for r in (f.ratios_a, f.ratios_b):
            assert r is not None and r.chars > 0
            assert 0 <= r.without_self <= r.without_template <= r.total <= 1
            assert 0 < r.largest <= r.without_template  # the largest source may be the team's own report
            assert r.without_template > 0
            assert set(r.notes) == {"total", "without_template", "without_self", "largest", "sections"}
            assert f"{r.total * 100:.1f}%" in r.notes["total"]
            assert all(s.heading[0] in "一二三四五六七八九十" for s in r.sections)
            assert all(0 <= s.ratio <= 1 for s in r.sections)
        assert f.ratios_a.file == f.a.file and f.ratios_b.file == f.b.file


def test_own_earlier_report_is_left_out_without_self(corpus, flags):
    case = next(c for c in corpus.cases if c.kind == "self_reuse")
    f = flag_for(corpus, flags, case.copier, case.source)
    assert f is not None and f.kind == "self_prior_year"
    r = f.ratios_a if f.a.team_id == corpus.teams[case.copier].team_id else f.ratios_b
    assert r.without_template > 0.2 and r.without_self < r.without_template
    assert r.largest_year == corpus.teams[case.source].year


def test_largest_source_is_the_copied_one(corpus, flags):
    case = max((c for c in corpus.cases if c.kind == "verbatim"), key=lambda c: c.fraction)
    f = flag_for(corpus, flags, case.copier, case.source)
    copier_is_a = f.a.team_id == corpus.teams[case.copier].team_id
    r = f.ratios_a if copier_is_a else f.ratios_b
    assert r.largest_team_id == corpus.teams[case.source].team_id
    assert r.largest >= 0.8 * r.without_self
    source = f.ratios_b if copier_is_a else f.ratios_a  # its headings stand where they were written
    assert max(s.ratio for s in source.sections) > 0.5 and source.largest_team_id == corpus.teams[case.copier].team_id
