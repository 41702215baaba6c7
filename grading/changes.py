"""Manual changes after a draw (an expert falls ill, a late conflict comes to light): checked, never silent.

Each function returns the new groups or raises `ChangeRefused` with the Chinese reason; the store
records every accepted change with who made it and why.
"""

from __future__ import annotations

from datetime import date

from grading.conflicts import conflict_reason
from grading.model import Expert, Group, Team
from grading.pool import ineligibility_reason
from grading.rules import ConflictRule


class ChangeRefused(ValueError):
    """A manual change that would break a rule of the draw."""


def _group(groups: list[Group], no: int) -> Group:
    for g in groups:
        if g.no == no:
            return g
    raise ChangeRefused(f"没有第 {no} 组")


def _copy(groups: list[Group]) -> list[Group]:
    return [g.model_copy(deep=True) for g in groups]


def replace_expert(
    groups: list[Group],
    old: str,
    new: Expert,
    teams: dict[str, Team],
    rules: list[ConflictRule],
    day: date,
) -> list[Group]:
    """Put `new` in the place (组长 or 组员) of expert `old`; `new` must be eligible and free of conflicts."""
    reason = ineligibility_reason(new, day)
    if reason:
        raise ChangeRefused(f"不能替换：{reason}")
    if any(new.key in g.experts for g in groups):
        raise ChangeRefused(f"不能替换：{new.name} 已在专家组中")
    result = _copy(groups)
    for g in result:
        if old in g.experts:
            for team_id in g.teams:
                why = conflict_reason(new, teams[team_id], rules)
                if why:
                    raise ChangeRefused(f"不能替换：{new.name} 与本组班组 {team_id} 有回避关系（{why}）")
            if g.leader == old:
                g.leader = new.key
            else:
                g.members = [new.key if m == old else m for m in g.members]
            return result
    raise ChangeRefused(f"专家 {old} 不在任何专家组中")


def move_team(
    groups: list[Group], team_id: str, to_no: int, experts: dict[str, Expert], team: Team, rules: list[ConflictRule]
) -> list[Group]:
    """Move a team to group `to_no`, whose experts must all be free of conflicts with it."""
    result = _copy(groups)
    target = _group(result, to_no)
    if team_id in target.teams:
        raise ChangeRefused(f"班组 {team_id} 已在第 {to_no} 组")
    for key in target.experts:
        why = conflict_reason(experts[key], team, rules)
        if why:
            raise ChangeRefused(f"不能调整：第 {to_no} 组的 {experts[key].name} 与班组 {team_id} 有回避关系（{why}）")
    source = next((g for g in result if team_id in g.teams), None)
    if source is None:
        raise ChangeRefused(f"班组 {team_id} 不在任何专家组中")
    source.teams.remove(team_id)
    target.teams = sorted([*target.teams, team_id])
    return result


def set_leader(groups: list[Group], no: int, key: str) -> list[Group]:
    """Make member `key` the 组长 of group `no` (the former 组长 becomes a 组员)."""
    result = _copy(groups)
    g = _group(result, no)
    if key == g.leader:
        raise ChangeRefused(f"{key} 已是第 {no} 组组长")
    if key not in g.members:
        raise ChangeRefused(f"{key} 不是第 {no} 组组员")
    g.members = sorted([g.leader, *(m for m in g.members if m != key)])
    g.leader = key
    return result
