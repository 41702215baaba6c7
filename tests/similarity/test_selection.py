"""Which candidates are a query's one clear source: the margin is over other teams, not over the source's
own other file (its slides rank next to its report)."""

from __future__ import annotations

from checks.similarity import SimilarityParams
from checks.similarity.selection import clear_candidates, split_candidates

P = SimilarityParams().paraphrase


def test_the_sources_own_slides_are_not_a_second_source() -> None:
    group_of = [0, 1, 1, 2]  # report 0 asks; 1 and 2 are one team's report and slides; 3 another team
    found = [(0, 1, 0.30), (0, 2, 0.25), (0, 3, 0.08)]
    assert (0, 1) in clear_candidates(found, P, {0: 0.08}, group_of)
    assert (0, 1) not in clear_candidates(found, P, {0: 0.08}, [0, 1, 2, 3])  # two teams: no clear source


def test_paraphrase_is_looked_for_from_a_smaller_margin_than_a_clear_source() -> None:
    group_of = [0, 1, 2]
    found = [(0, 1, 0.20), (0, 2, 0.08)]  # 2.5 times the next team
    assert not clear_candidates(found, P, {0: 0.08}, group_of)
    assert (0, 1) in clear_candidates(found, P, {0: 0.08}, group_of, P.reword_margin)


def test_a_likely_source_below_the_cosine_floor_is_compared_in_full() -> None:
    s = SimilarityParams()
    full, probes = split_candidates([(0, 1, 0.145), (0, 2, 0.06)], s, {0: 0.06})
    assert (0, 1, 0.145) in full and (0, 2, 0.06) in probes
