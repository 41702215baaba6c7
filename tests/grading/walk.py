"""One walk through a grading year on a store, shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from grading.model import Expert, MaterialScore, Team
from grading.pool import read_pool_workbook
from grading.presentation_sheet import read_presentation_sheet
from pipeline.samples.experts import write_pool_workbook
from pipeline.store import Store
from pipeline.store.grading import Actor, GradingError, GradingStore, NotAllowed

SECRETARY = Actor("王秘书", "secretariat")
CHIEF = Actor("李主任", "secretariat")


def write_presentation_sheet(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年发布会现场评分汇总"])
    ws.append(["班组编号", "班组名称", "现场发布得分", "是否发布"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def walk_year(store: Store, tmp: Path, experts: list[Expert], teams: list[Team], day: date) -> GradingStore:
    """Pool, teams, draw, scores, 组长 submissions, the 发布会 sheet, submission and approval."""
    gs = GradingStore(store)
    pool = read_pool_workbook(write_pool_workbook(tmp / "专家库.xlsx", experts))
    assert gs.import_experts(pool.experts, SECRETARY, "专家库.xlsx") == {"added": 40, "updated": 0}
    marked = [t.model_copy(update={"disqualified": i == 9}) for i, t in enumerate(teams)]
    assert gs.import_teams(2024, marked, SECRETARY) == 120
    with pytest.raises(NotAllowed):
        gs.draw(2024, Actor("ZJ001", "expert"), seed=1, drawn_on=day, group_count=6)
    first = gs.draw(2024, SECRETARY, seed=20240701, drawn_on=day, group_count=6, group_size=5)
    again = gs.draw(2024, SECRETARY, seed=20240701, drawn_on=day, group_count=6, group_size=5)
    assert again.groups == first.groups and gs.verify_draw(2024)
    groups = gs.groups(2024)
    assert sum(len(g.teams) for g in groups) == 119  # the disqualified team is not reviewed
    rules = gs.rules(2024)
    rng = random.Random(5)
    g1, g2 = groups[0], groups[1]
    member = g1.members[0]
    with pytest.raises(NotAllowed, match="不在您所在的专家组"):
        gs.save_material(2024, MaterialScore(team_id=g2.teams[0], expert=member,
                                             items={i.key: i.max for i in rules.material_items}),
                         Actor(member, "expert"))
    with pytest.raises(GradingError, match="超过满分"):
        gs.save_material(2024, MaterialScore(team_id=g1.teams[0], expert=member,
                                             items={i.key: i.max + 1 for i in rules.material_items}),
                         Actor(member, "expert"))
    assert {t.team_id for t in gs.teams_for_expert(2024, member)} == set(g1.teams)
    for g in groups:
        for team_id in g.teams:
            for key in g.experts:
                items = {i.key: Decimal(rng.randint(int(i.max) // 2, int(i.max))) for i in rules.material_items}
                gs.save_material(2024, MaterialScore(team_id=team_id, expert=key, items=items, comment="资料完整"),
                                 Actor(key, "expert"))
    with pytest.raises(NotAllowed, match="组长"):
        gs.group_scores(2024, 1, Actor(member, "expert"))
    assert len(gs.group_scores(2024, 1, Actor(g1.leader, "expert"))) == len(g1.teams) * 5
    with pytest.raises(NotAllowed):
        gs.submit_group(2024, 1, Actor(member, "expert"))
    for g in groups:
        gs.submit_group(2024, g.no, Actor(g.leader, "expert"))
    with pytest.raises(GradingError, match="已由组长提交"):
        gs.save_material(2024, MaterialScore(team_id=g1.teams[0], expert=member,
                                             items={i.key: i.max for i in rules.material_items}),
                         Actor(member, "expert"))
    reviewed = [t for g in groups for t in g.teams]
    absent = reviewed[:3]
    rows = [[t, "", "" if t in absent else rng.randint(10, 20), "未发布" if t in absent else "是"] for t in reviewed]
    rows.append(["X9999-不存在班组", "", 15, "是"])
    sheet = read_presentation_sheet(write_presentation_sheet(tmp / "发布评分.xlsx", rows), rules,
                                    {t.team_id for t in gs.teams(2024)}, {e.key: e.key for e in experts})
    assert sorted(sheet.absent) == sorted(absent) and len(sheet.scores) == 116
    assert [p.message for p in sheet.problems] == ["第 122 行：班组编号“X9999-不存在班组”不在本年度待评班组中，未导入"]
    gs.import_presentations(2024, sheet.scores, sheet.absent, SECRETARY, "发布评分.xlsx")
    with pytest.raises(GradingError, match="审定"):
        gs.transition(2024, "approve", CHIEF)
    assert gs.transition(2024, "submit", SECRETARY) == "submitted"
    with pytest.raises(GradingError, match="不能是提交人本人"):
        gs.transition(2024, "approve", SECRETARY)
    with pytest.raises(GradingError, match="须先退回"):
        gs.set_absent(2024, reviewed[5], True, SECRETARY)
    assert gs.approved_list(2024) is None
    assert gs.transition(2024, "approve", CHIEF) == "approved"
    final = gs.approved_list(2024)
    assert final is not None and final.graded_count == 116
    by_id = {o.team.team_id: o for o in final.outcomes}
    assert all(by_id[t].status == "no_show" and by_id[t].grade is None for t in absent)
    assert by_id[teams[9].team_id].status == "disqualified" and by_id[teams[9].team_id].grade is None
    for action in (lambda: gs.transition(2024, "return", CHIEF, "再议"),
                   lambda: gs.save_presentation(2024, reviewed[4], Decimal(1), SECRETARY),
                   lambda: gs.draw(2024, SECRETARY, seed=2, drawn_on=day, group_count=6)):
        with pytest.raises(GradingError, match="已审定"):
            action()
    return gs
