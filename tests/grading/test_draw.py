"""The draw on a generated year (40 experts, 120 teams): conflicts, appointment periods, same seed same groups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from grading.changes import ChangeRefused, move_team, replace_expert, set_leader
from grading.conflicts import conflict_reason
from grading.draw import DrawInfeasible, draw_groups, redraw, request_fingerprint
from grading.model import DrawRequest, Expert, Team
from grading.rules import GradingRules
from tests.grading.conftest import DRAW_DAY


def _request(experts: list[Expert], teams: list[Team], seed: int, **kw) -> DrawRequest:
    args = dict(year=2024, seed=seed, drawn_on=DRAW_DAY, group_count=6, group_size=5, experts=experts, teams=teams)
    return DrawRequest(**{**args, **kw})


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 20240701, 2**62])
def test_draw_respects_every_rule(seed: int, experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    draw = draw_groups(_request(experts, teams, seed), rules.conflicts)
    by_key = {e.key: e for e in experts}
    by_id = {t.team_id: t for t in teams}
    assert sorted(t for g in draw.groups for t in g.teams) == sorted(by_id)  # every team exactly once
    loads = [len(g.teams) for g in draw.groups]
    assert max(loads) - min(loads) <= 1
    drawn = [k for g in draw.groups for k in g.experts]
    assert len(drawn) == len(set(drawn)) == 30
    for g in draw.groups:
        assert len(g.members) == 4 and g.leader not in g.members
        for key in g.experts:
            e = by_key[key]
            assert e.registered and e.appointed_from <= DRAW_DAY <= e.appointed_to
            for team_id in g.teams:
                team = by_id[team_id]
                assert e.unit != team.recommender
                assert e.company not in team.company and team.company not in e.company
                assert conflict_reason(e, team, rules.conflicts) is None


def test_the_generated_year_has_real_conflicts(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    """Otherwise the test above could not fail: many expert/team pairs conflict, by unit and by company."""
    unit_pairs = sum(1 for e in experts for t in teams if e.unit == t.recommender)
    company_pairs = sum(1 for e in experts for t in teams if e.company == t.company and e.unit != t.recommender)
    assert unit_pairs > 50 and company_pairs > 3


def test_same_seed_same_groups_other_seed_other_groups(
    experts: list[Expert], teams: list[Team], rules: GradingRules
) -> None:
    a = draw_groups(_request(experts, teams, 99), rules.conflicts)
    b = draw_groups(_request(list(reversed(experts)), list(reversed(teams)), 99), rules.conflicts)
    assert a.groups == b.groups  # input order does not matter
    assert redraw(a, rules.conflicts)
    assert request_fingerprint(a.request) == request_fingerprint(b.request)
    c = draw_groups(_request(experts, teams, 100), rules.conflicts)
    assert c.groups != a.groups
    tampered = a.model_copy(deep=True)
    tampered.groups[0].leader, tampered.groups[0].members[0] = tampered.groups[0].members[0], tampered.groups[0].leader
    assert not redraw(tampered, rules.conflicts)


def test_a_later_day_changes_who_may_be_drawn(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    late = max(e.appointed_to for e in experts if e.registered) - timedelta(days=1)
    request = _request(experts, teams, 5, drawn_on=late, group_count=1, group_size=2)
    with pytest.raises(DrawInfeasible, match="在聘任期内的专家只有"):
        draw_groups(request, rules.conflicts)


def test_infeasible_draws_say_why(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    with pytest.raises(DrawInfeasible, match="不足 8 组 × 每组 5 人"):
        draw_groups(_request(experts, teams, 1, group_count=8), rules.conflicts)
    with pytest.raises(DrawInfeasible, match="组长 1 人和至少 1 名组员"):
        draw_groups(_request(experts, teams, 1, group_size=1), rules.conflicts)
    everyone = [e.model_copy(update={"unit": teams[0].recommender}) for e in experts]
    with pytest.raises(DrawInfeasible, match=f"班组 {teams[0].team_id}.*无回避关系的专家只有 0 人"):
        draw_groups(_request(everyone, teams, 1), rules.conflicts)


def test_declared_avoidance_is_respected(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    target = teams[3]
    avoiding = [e.model_copy(update={"avoid": [target.company]}) if i % 2 else e for i, e in enumerate(experts)]
    draw = draw_groups(_request(avoiding, teams, 11), rules.conflicts)
    group = next(g for g in draw.groups if target.team_id in g.teams)
    assert all(not {e.key: e for e in avoiding}[k].avoid for k in group.experts)


def test_manual_changes_are_checked(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    draw = draw_groups(_request(experts, teams, 3), rules.conflicts)
    by_key, by_id = {e.key: e for e in experts}, {t.team_id: t for t in teams}
    drawn = {k for g in draw.groups for k in g.experts}
    g1 = draw.groups[0]
    expired = next(e for e in experts if not e.eligible_on(DRAW_DAY))
    with pytest.raises(ChangeRefused, match="不能替换"):
        replace_expert(draw.groups, g1.leader, expired, by_id, rules.conflicts, DRAW_DAY)
    spare = [e for e in experts if e.key not in drawn and e.eligible_on(DRAW_DAY)]
    fits = next(e for e in spare if all(conflict_reason(e, by_id[t], rules.conflicts) is None for t in g1.teams))
    changed = replace_expert(draw.groups, g1.leader, fits, by_id, rules.conflicts, DRAW_DAY)
    assert changed[0].leader == fits.key and draw.groups[0].leader != fits.key  # the original is untouched
    clash = next((e for e in spare if any(conflict_reason(e, by_id[t], rules.conflicts) for t in g1.teams)), None)
    assert clash is not None
    with pytest.raises(ChangeRefused, match="回避关系"):
        replace_expert(draw.groups, g1.members[0], clash, by_id, rules.conflicts, DRAW_DAY)
    team, blocked = next(
        (by_id[t], g)
        for t in draw.groups[1].teams
        for g in draw.groups
        if any(conflict_reason(by_key[k], by_id[t], rules.conflicts) for k in g.experts)
    )
    with pytest.raises(ChangeRefused, match="回避关系"):
        move_team(draw.groups, team.team_id, blocked.no, by_key, team, rules.conflicts)
    free = next(
        t for t in g1.teams
        if all(conflict_reason(by_key[k], by_id[t], rules.conflicts) is None for k in draw.groups[1].experts)
    )
    moved = move_team(draw.groups, free, 2, by_key, by_id[free], rules.conflicts)
    assert free in moved[1].teams and free not in moved[0].teams
    led = set_leader(draw.groups, 1, g1.members[0])
    assert led[0].leader == g1.members[0] and g1.leader in led[0].members
