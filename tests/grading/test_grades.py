"""Grades under the quotas of 第十条 for every tie pattern hypothesis tries; aggregation of a group's scores."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.grades import assign_grades, competition_ranks, quotas
from grading.rules import GradingRules
from grading.scores import team_score

# few distinct totals so that ties are everywhere, including at every boundary
totals_strategy = st.lists(
    st.integers(min_value=0, max_value=12).map(lambda n: Decimal(60) + Decimal(n) / 2), min_size=0, max_size=160
).map(lambda xs: sorted(xs, reverse=True))


@settings(max_examples=400, deadline=None)
@given(totals=totals_strategy)
def test_quotas_hold_for_every_tie_pattern(totals: list[Decimal], rules: GradingRules) -> None:
    grades = assign_grades(totals, rules)
    n = len(totals)
    names = rules.grade_names
    counts = {name: grades.count(name) for name in names}
    assert counts["卓越级"] <= math.floor(n * 0.10)
    assert counts["示范级"] <= math.floor(n * 0.40)
    assert counts["改进级"] >= math.ceil(n * 0.50)
    assert sum(counts.values()) == n
    for i in range(1, n):  # a better total never gets a worse grade; equal totals the same grade
        assert names.index(grades[i - 1]) <= names.index(grades[i])
        if totals[i - 1] == totals[i]:
            assert grades[i - 1] == grades[i]
    caps = quotas(rules, n)
    start = 0
    for name in names[:-1]:  # each capped grade is as full as the tie rule allows
        end = start + counts[name]
        if end < n and counts[name] < caps[name]:
            block = sum(1 for t in totals[end:] if t == totals[end])
            assert counts[name] + block > caps[name]
        start = end


def test_tie_at_the_boundary_goes_to_the_lower_grade(rules: GradingRules) -> None:
    # 20 teams: 卓越级 at most 2, 示范级 at most 8
    totals = [Decimal(x) for x in (95, 90, 90, 88, 87, 86, 85, 84, 83, 82, 81, 81, 80, 79, 78, 77, 76, 75, 74, 73)]
    grades = assign_grades(totals, rules)
    assert grades[:1] == ["卓越级"]  # the two teams tied at 90 would make three 卓越级: both go to 示范级
    assert grades[1:9] == ["示范级"] * 8 and grades[9:] == ["改进级"] * 11
    assert competition_ranks(totals)[:4] == [1, 2, 2, 4]
    totals[9] = Decimal(83)  # now the eighth and ninth 示范级 candidates tie at 83
    grades = assign_grades(totals, rules)
    assert grades.count("示范级") == 7 and grades[8:10] == ["改进级", "改进级"]


def test_small_years_and_quotas(rules: GradingRules) -> None:
    assert quotas(rules, 9) == {"卓越级": 0, "示范级": 3}
    assert quotas(rules, 10) == {"卓越级": 1, "示范级": 4}
    assert assign_grades([Decimal(90)] * 10, rules) == ["改进级"] * 10
    assert assign_grades([], rules) == []


def test_quotas_keep_the_last_grade_share_when_the_year_file_asks_too_much(rules: GradingRules) -> None:
    greedy = rules.model_copy(deep=True)
    greedy.grades[1].max_share = 0.6
    assert quotas(greedy, 10) == {"卓越级": 1, "示范级": 4}
    assert assign_grades([Decimal(100 - i) for i in range(10)], greedy).count("改进级") == 5


def test_team_score_mean_or_trimmed(rules: GradingRules) -> None:
    d = [Decimal(x) for x in ("70", "72.5", "75", "60", "79")]
    assert team_score(d[:4], rules) == Decimal("69.38")  # four scores: the plain mean (277.5 / 4 = 69.375)
    assert team_score(d, rules) == Decimal("72.50")  # five: without 79 and 60
    assert team_score([], rules) is None
