"""Ranking and grades under the quotas of 第十条, with the stated rule for ties at a boundary.

Rule (tested for every tie pattern in tests/grading/test_grades.py): the graded teams (presented, not
disqualified, scored) are ranked by total out of 100; teams with equal totals share a rank. A capped
grade takes the best remaining teams up to floor(share × graded teams). When the team at its last
place ties with the team right after it, the whole tied block goes to the next grade: a tie never
pushes a grade over its quota, and equal totals always get the same grade. The last grade takes the
rest; if the caps would leave it below its minimum share, the lowest capped grade gives places up.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from grading.rules import GradingRules


def quotas(rules: GradingRules, graded: int) -> dict[str, int]:
    """The most teams each capped grade may hold among `graded` teams."""
    caps = {g.name: math.floor(Fraction(str(g.max_share)) * graded) for g in rules.grades[:-1]}
    last = rules.grades[-1]
    floor_last = math.ceil(Fraction(str(last.min_share or 0)) * graded)
    excess = sum(caps.values()) - (graded - floor_last)
    for name in reversed(list(caps)):
        if excess <= 0:
            break
        cut = min(excess, caps[name])
        caps[name] -= cut
        excess -= cut
    return caps


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks of totals already sorted best first: equal totals share a rank (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, t in enumerate(totals):
        ranks.append(ranks[-1] if i and totals[i - 1] == t else i + 1)
    return ranks


def assign_grades(totals: list[Decimal], rules: GradingRules) -> list[str]:
    """Grades for totals sorted best first (see the module's rule)."""
    caps = quotas(rules, len(totals))
    grades: list[str] = []
    pos = 0
    for name, cap in caps.items():
        end = min(pos + cap, len(totals))
        if pos < end < len(totals) and totals[end - 1] == totals[end]:
            tied = totals[end]
            while end > pos and totals[end - 1] == tied:
                end -= 1
        grades.extend([name] * (end - pos))
        pos = end
    grades.extend([rules.grades[-1].name] * (len(totals) - pos))
    return grades
