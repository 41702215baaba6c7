"""The graded list of the generated year: no-shows and disqualified teams get no grade; the state machine."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from grading.approval import TransitionRefused, ensure_editable, next_state
from grading.draw import draw_groups
from grading.model import DrawRequest, Expert, MaterialScore, PresentationScore, Team
from grading.outcomes import graded_list
from grading.rules import GradingRules
from grading.scores import check_material, check_presentation
from tests.grading.conftest import DRAW_DAY


def _scores(groups, rules: GradingRules, rng: random.Random):
    material, presentation = [], []
    for g in groups:
        for team_id in g.teams:
            for key in g.experts:
                items = {i.key: Decimal(rng.randint(int(i.max) // 2, int(i.max))) for i in rules.material_items}
                material.append(MaterialScore(team_id=team_id, expert=key, items=items))
                presentation.append(PresentationScore(team_id=team_id, expert=key, score=Decimal(rng.randint(12, 20))))
    return material, presentation


def test_no_shows_and_disqualified_get_no_grade(experts: list[Expert], teams: list[Team], rules: GradingRules) -> None:
    marked = [t.model_copy(update={"disqualified": i in (5, 17)}) for i, t in enumerate(teams)]
    request = DrawRequest(year=2024, seed=8, drawn_on=DRAW_DAY, group_count=6, group_size=5, experts=experts,
                          teams=marked)
    draw = draw_groups(request, rules.conflicts)
    material, presentation = _scores(draw.groups, rules, random.Random(1))
    absent = {teams[0].team_id, teams[1].team_id}
    silent = teams[2].team_id  # no presentation score at all: did not present either
    presentation = [p for p in presentation if p.team_id != silent]
    result = graded_list(2024, marked, draw.groups, material, presentation, absent, rules)
    by_id = {o.team.team_id: o for o in result.outcomes}
    for team_id in (*absent, silent):
        assert by_id[team_id].status == "no_show" and by_id[team_id].grade is None
        assert "视同放弃" in by_id[team_id].note
    for i in (5, 17):
        assert by_id[teams[i].team_id].status == "disqualified" and by_id[teams[i].team_id].grade is None
    assert result.graded_count == 115
    graded = [o for o in result.outcomes if o.grade]
    assert len(graded) == 115
    assert sum(o.grade == "卓越级" for o in graded) <= 11 and sum(o.grade == "示范级" for o in graded) <= 46
    assert [o.rank for o in graded] == sorted(o.rank for o in graded)
    for o in graded:
        assert o.total == o.material + o.presentation and Decimal(0) <= o.total <= Decimal(100)


def test_unfinished_group_scores_leave_a_team_unscored(experts, teams, rules) -> None:
    request = DrawRequest(year=2024, seed=8, drawn_on=DRAW_DAY, group_count=6, group_size=5, experts=experts,
                          teams=teams)
    draw = draw_groups(request, rules.conflicts)
    material, presentation = _scores(draw.groups, rules, random.Random(2))
    first = draw.groups[0].teams[0]
    material = [m for m in material if not (m.team_id == first and m.expert == draw.groups[0].leader)]
    outsider = draw.groups[1].leader  # a score from outside the team's group never counts
    material.append(MaterialScore(team_id=first, expert=outsider, items={i.key: i.max for i in rules.material_items}))
    by_id = {o.team.team_id: o for o in graded_list(2024, teams, draw.groups, material, presentation, set(),
                                                     rules).outcomes}
    assert by_id[first].status == "unscored" and by_id[first].grade is None


def test_score_sheet_checks(rules: GradingRules) -> None:
    full = {i.key: i.max for i in rules.material_items}
    assert check_material(MaterialScore(team_id="A", expert="E", items=full), rules) == []
    over = {**full, "改进与创新": Decimal(17)}
    assert check_material(MaterialScore(team_id="A", expert="E", items=over), rules) == ["“改进与创新”得分 17 超过满分 16"]
    partial = {k: v for k, v in full.items() if k != "活动成效"}
    partial["其他"] = Decimal(1)
    errors = check_material(MaterialScore(team_id="A", expert="E", items=partial), rules)
    assert "评分表没有“其他”这一项" in errors and "缺少“活动成效”的得分" in errors
    assert check_presentation(Decimal("20"), rules) is None
    assert "超过满分 20" in check_presentation(Decimal("20.5"), rules)
    assert "最多保留 1 位小数" in check_presentation(Decimal("18.25"), rules)


def test_state_machine() -> None:
    assert next_state("draft", "submit") == "submitted"
    assert next_state("submitted", "return") == "draft"
    assert next_state("submitted", "approve") == "approved"
    with pytest.raises(TransitionRefused, match="已审定"):
        next_state("approved", "submit")
    with pytest.raises(TransitionRefused):
        next_state("draft", "approve")
    with pytest.raises(TransitionRefused, match="不能再修改"):
        ensure_editable("approved")
    ensure_editable("draft")
