"""Grading in the store (SQLite and PostgreSQL): the whole year, manual changes, disqualification, the trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.model import Flag, FlagSide
from core.settings import Settings
from grading.model import Expert, Team
from pipeline.store import Store, review
from pipeline.store.grading import GradingError, GradingStore
from pipeline.store.review import AuditView, audit_entries
from tests.conftest import PostgresCluster
from tests.grading.conftest import DRAW_DAY
from tests.grading.walk import SECRETARY, walk_year


def _trail(store: Store) -> list[AuditView]:
    """The audit trail, oldest first."""
    return list(reversed(audit_entries(store)))


def test_whole_year_on_sqlite(tmp_path: Path, experts: list[Expert], teams: list[Team]) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    walk_year(store, tmp_path, experts, teams, DRAW_DAY)
    actions = [e.action for e in _trail(store)]
    assert actions.count("grading_draw") == 2 and actions.count("material_score") == 119 * 5
    assert actions[-2:] == ["graded_list_submit", "graded_list_approve"]
    draw = next(e for e in _trail(store) if e.action == "grading_draw")
    assert draw.after["seed"] == 20240701 and len(draw.after["fingerprint"]) == 64 and draw.role == "secretariat"


def test_manual_changes_are_checked_and_recorded(tmp_path: Path, experts: list[Expert], teams: list[Team]) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    gs = GradingStore(store)
    gs.import_experts(experts, SECRETARY)
    gs.import_teams(2024, teams, SECRETARY)
    gs.draw(2024, SECRETARY, seed=3, drawn_on=DRAW_DAY, group_count=6)
    g1 = gs.groups(2024)[0]
    with pytest.raises(GradingError, match="理由"):
        gs.set_leader(2024, 1, g1.members[0], SECRETARY, "")
    changed = gs.set_leader(2024, 1, g1.members[0], SECRETARY, "原组长出差")
    assert changed[0].leader == g1.members[0] and gs.groups(2024)[0].leader == g1.members[0]
    expired = next(e for e in experts if not e.eligible_on(DRAW_DAY))
    with pytest.raises(GradingError, match="不能替换"):
        gs.replace_expert(2024, g1.members[1], expired.key, SECRETARY, "生病")
    with pytest.raises(GradingError, match="不能再更换班组名单"):
        gs.import_teams(2024, teams, SECRETARY)
    assert gs.verify_draw(2024)  # the recorded draw is still the draw it was; changes are on top
    entry = _trail(store)[-1]
    assert entry.action == "group_set_leader" and entry.reason == "原组长出差"
    assert entry.before["groups"][0]["leader"] == g1.leader


def test_pool_edits_and_accounts(tmp_path: Path, experts: list[Expert]) -> None:
    gs = GradingStore(Store(Settings(home=tmp_path / "home")))
    gs.import_experts(experts, SECRETARY)
    changed = experts[5].model_copy(update={"specialty": "桥梁与隧道工程"})
    assert gs.import_experts([changed], SECRETARY) == {"added": 0, "updated": 1}
    gs.update_expert(experts[6].key, SECRETARY, "开通账号", account="zj007")
    assert gs.expert_for_account("zj007").key == experts[6].key
    gs.update_expert(experts[6].key, SECRETARY, "本人申请注销", registered=False)
    assert not next(e for e in gs.experts() if e.key == experts[6].key).registered
    with pytest.raises(GradingError, match="不能修改的字段"):
        gs.update_expert(experts[6].key, SECRETARY, "x", grade="A")


def test_whole_year_on_postgresql(
    tmp_path: Path, postgres_cluster: PostgresCluster, experts: list[Expert], teams: list[Team]
) -> None:
    # a throw-away database: commits need not wait for the disk (hundreds of score sheets, one commit each)
    url = postgres_cluster.new_database("banzu_grading") + "&options=-c%20synchronous_commit%3Doff"
    store = Store(Settings(home=tmp_path / "home", database_url=url))
    Store(Settings(home=tmp_path / "home", database_url=url))  # migrations are idempotent
    gs = walk_year(store, tmp_path, experts, teams, DRAW_DAY)
    assert gs.approved_list(2024).graded_count == 116
    assert [e.action for e in _trail(store)][-1] == "graded_list_approve"


def test_a_confirmed_cross_team_flag_disqualifies(tmp_path: Path, experts: list[Expert], teams: list[Team]) -> None:
    store = Store(Settings(home=tmp_path / "home"))
    gs = GradingStore(store)
    gs.import_teams(2024, teams, SECRETARY)
    a, b = teams[0], teams[1]
    flag = Flag(a=FlagSide(year=2024, team_id=a.team_id, file="a.pdf"),
                b=FlagSide(year=2024, team_id=b.team_id, file="b.pdf"),
                kind="cross_team", similarity=0.9, copy_ratio_a=0.8, copy_ratio_b=0.7, flag_id="f1")
    store.save_flags(2024, [flag])
    assert not any(t.disqualified for t in gs.teams(2024))
    review.decide_flag(store, 2024, "f1", "confirmed", "整段雷同", review.Actor("赵纪检", "discipline"))
    assert {t.team_id for t in gs.teams(2024) if t.disqualified} == {a.team_id, b.team_id}
