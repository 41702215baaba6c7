"""What every part of grading in the store shares: its errors, who may act, the rows it looks up.

The checks live here once (secretariat only, reason given, list still a draft) so the pool, the draw,
the scores and the graded list cannot apply them differently.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from grading.approval import TransitionRefused, ensure_editable
from grading.model import Expert, Group
from grading.rules import GradingRules, grading_rules
from pipeline.store import Store, review
from pipeline.store.audit import writing
from pipeline.store.grading_tables import (
    DrawRecord,
    ExpertRecord,
    GradedListRecord,
    GradingTeamRecord,
    GroupRecord,
)
from pipeline.store.review import Actor, ReviewError

SECRETARIAT_ROLES = frozenset({"secretariat", "admin"})
# the audit trail's actions of grading, in words (the workspace shows these)
ACTION_NAMES = {
    "expert_pool_import": "导入专家库",
    "expert_update": "修改专家信息",
    "grading_teams_import": "设定待评班组",
    "team_disqualify": "取消资格",
    "team_requalify": "恢复资格",
    "team_absent": "登记未参与发布",
    "team_present": "撤销未发布登记",
    "grading_draw": "抽取专家组",
    "group_replace_expert": "替换专家",
    "group_move_team": "调整班组所在组",
    "group_set_leader": "更换组长",
    "material_score": "申报材料评分",
    "group_submit": "组长提交本组评分",
    "group_reopen": "退回专家组评分",
    "presentation_score": "现场发布评分",
    "graded_list_submit": "提交评定结果",
    "graded_list_return": "退回评定结果",
    "graded_list_approve": "审定评定结果",
}


class GradingError(ReviewError):
    """A change refused for a reason the person can fix (Chinese message)."""


class NotAllowed(review.NotAllowed):
    """The actor may not do this (an expert outside the group, a role without the right)."""


def require_secretariat(actor: Actor) -> None:
    if actor.role not in SECRETARIAT_ROLES:
        raise NotAllowed("只有秘书处可以进行此操作")


def require_reason(reason: str | None, what: str) -> None:
    if not (reason or "").strip():
        raise GradingError(f"{what}必须填写理由")


def to_expert(r: ExpertRecord) -> Expert:
    return Expert(
        key=r.key, name=r.name, unit=r.unit, company=r.company, specialty=r.specialty,
        appointed_from=r.appointed_from, appointed_to=r.appointed_to, contact=r.contact,
        registered=r.registered, avoid=list(r.avoid or []),
    )


def to_group(r: GroupRecord) -> Group:
    return Group(no=r.no, leader=r.leader, members=list(r.members), teams=list(r.teams))


# ---------------------------------------------------------------- rows looked up inside a transaction


def ensure_year_editable(s: Session, year: int) -> None:
    """Refuse any change to the year's grading once its list is submitted or approved."""
    row = s.get(GradedListRecord, year)
    try:
        ensure_editable(row.state if row else "draft")
    except TransitionRefused as error:
        raise GradingError(str(error)) from None


def team_row(s: Session, year: int, team_id: str) -> GradingTeamRecord:
    row = s.scalar(select(GradingTeamRecord).where(
        GradingTeamRecord.year == year, GradingTeamRecord.team_id == team_id))
    if row is None:
        raise GradingError(f"{year} 年待评班组中没有 {team_id}")
    return row


def current_draw_row(s: Session, year: int) -> DrawRecord | None:
    return s.scalar(select(DrawRecord).where(DrawRecord.year == year, DrawRecord.current.is_(True)))


def expert_group_row(s: Session, year: int, key: str) -> GroupRecord:
    """The group an expert sits in; an expert outside every group may see nothing."""
    for r in s.scalars(select(GroupRecord).where(GroupRecord.year == year)):
        if key == r.leader or key in r.members:
            return r
    raise NotAllowed("您不在本年度任何专家组中")


class GradingBase:
    """The store grading works in, its writer transaction and the year's rules."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def writing(self) -> AbstractContextManager[Session]:
        return writing(self.store)

    def rules(self, year: int) -> GradingRules:
        return grading_rules(year)

