"""Conflicts of interest (第十六条 秉公办事): the one place that decides whether an expert may review a team."""

from __future__ import annotations

import re

from grading.model import Expert, Team
from grading.rules import ConflictRule

_SPACE = re.compile(r"[\s\u3000（）()]+")


def _norm(value: str) -> str:
    return _SPACE.sub("", value or "")


def conflict_reason(expert: Expert, team: Team, rules: list[ConflictRule]) -> str | None:
    """Why `expert` may not review `team` (a Chinese sentence), or None when there is no conflict.

    Besides the year's rules, an expert's own declared 回避单位 count: a unit or company the expert
    named is avoided whether it is the team's recommending unit or its company.
    """
    for rule in rules:
        a, b = _norm(getattr(expert, rule.expert)), _norm(getattr(team, rule.team))
        if not a or not b:
            continue
        if a == b or (rule.match == "contains" and (a in b or b in a)):
            return rule.reason
    for declared in map(_norm, expert.avoid):
        if declared and declared in (_norm(team.recommender), _norm(team.company)):
            return "专家申报的回避单位"
    return None


def conflicts_with_group(experts: list[Expert], team: Team, rules: list[ConflictRule]) -> list[str]:
    """The Chinese reasons why this group may not review `team` (empty: it may)."""
    found = []
    for e in experts:
        reason = conflict_reason(e, team, rules)
        if reason:
            found.append(f"{e.name}：{reason}")
    return found
