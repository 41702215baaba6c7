"""Material scores in the store (out of 80): an expert's sheets for the own group, the 组长's submission."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from grading.model import Group, MaterialScore, Team
from grading.scores import check_material
from pipeline.store import utcnow
from pipeline.store.audit import audit_in
from pipeline.store.grading.base import (
    SECRETARIAT_ROLES,
    GradingError,
    NotAllowed,
    ensure_year_editable,
    expert_group_row,
    require_reason,
    require_secretariat,
)
from pipeline.store.grading.groups import ExpertGroups
from pipeline.store.grading_tables import GroupRecord, MaterialScoreRecord
from pipeline.store.review import Actor


class MaterialScores(ExpertGroups):
    """Material scores need the groups: an expert scores the own group's teams only."""

    def teams_for_expert(self, year: int, key: str) -> list[Team]:
        """The teams an expert may see and score: those of the expert's own group, nothing else."""
        with self.store.session() as s:
            ids = set(expert_group_row(s, year, key).teams)
        return [t for t in self.teams(year) if t.team_id in ids]

    def ensure_may_see(self, year: int, key: str, team_id: str) -> None:
        with self.store.session() as s:
            if team_id not in expert_group_row(s, year, key).teams:
                raise NotAllowed(f"班组 {team_id} 不在您所在的专家组中")

    def save_material(self, year: int, sheet: MaterialScore, actor: Actor) -> Decimal:
        """An expert's score sheet for a team of the expert's own group; returns the sheet's total."""
        if actor.role != "expert" or actor.name != sheet.expert:
            raise NotAllowed("申报材料评分只能由专家本人填写")
        errors = check_material(sheet, self.rules(year))
        if errors:
            raise GradingError("；".join(errors))
        with self.writing() as s:
            ensure_year_editable(s, year)
            group = expert_group_row(s, year, sheet.expert)
            if sheet.team_id not in group.teams:
                raise NotAllowed(f"班组 {sheet.team_id} 不在您所在的专家组中")
            if group.submitted_at is not None:
                raise GradingError(f"第 {group.no} 组的评分已由组长提交，不能再修改")
            row = s.scalar(select(MaterialScoreRecord).where(
                MaterialScoreRecord.year == year, MaterialScoreRecord.team_id == sheet.team_id,
                MaterialScoreRecord.expert == sheet.expert))
            items = {k: str(v) for k, v in sheet.items.items()}
            before = {"items": row.items, "total": row.total, "comment": row.comment} if row else None
            if row is None:
                row = MaterialScoreRecord(year=year, team_id=sheet.team_id, expert=sheet.expert)
                s.add(row)
            row.items, row.total, row.comment = items, str(sheet.total), sheet.comment
            row.entered_by, row.entered_at = actor.name, utcnow()
            audit_in(s, actor, "material_score", "team", sheet.team_id, year=year, before=before,
                     after={"items": items, "total": str(sheet.total), "comment": sheet.comment})
        return sheet.total

    def material_scores(self, year: int, team_ids: Iterable[str] | None = None) -> list[MaterialScore]:
        with self.store.session() as s:
            q = select(MaterialScoreRecord).where(MaterialScoreRecord.year == year)
            if team_ids is not None:
                q = q.where(MaterialScoreRecord.team_id.in_(list(team_ids)))
            return [
                MaterialScore(team_id=r.team_id, expert=r.expert, items={k: Decimal(v) for k, v in r.items.items()},
                              comment=r.comment)
                for r in s.scalars(q.order_by(MaterialScoreRecord.team_id, MaterialScoreRecord.expert))
            ]

    def group_scores(self, year: int, group_no: int, actor: Actor) -> list[MaterialScore]:
        """The 组长 (and the secretariat) see every score of the group; other experts do not."""
        group = next((g for g in self.groups(year) if g.no == group_no), None)
        if group is None:
            raise GradingError(f"没有第 {group_no} 组")
        if actor.role not in SECRETARIAT_ROLES and actor.name != group.leader:
            raise NotAllowed("只有本组组长和秘书处可以查看全组评分")
        return self.material_scores(year, group.teams)

    def missing_scores(self, year: int, group: Group) -> list[str]:
        have = {(m.team_id, m.expert) for m in self.material_scores(year, group.teams)}
        names = {e.key: e.name for e in self.experts()}
        return [f"{names.get(k, k)}—{t}" for t in group.teams for k in group.experts if (t, k) not in have]

    def submit_group(self, year: int, group_no: int, actor: Actor) -> None:
        """The 组长 submits the group's scores once every member has scored every team of the group."""
        group = next((g for g in self.groups(year) if g.no == group_no), None)
        if group is None:
            raise GradingError(f"没有第 {group_no} 组")
        if actor.name != group.leader:
            raise NotAllowed("只有本组组长可以提交本组评分")
        missing = self.missing_scores(year, group)
        if missing:
            more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
            raise GradingError(f"本组评分尚未完成：{'、'.join(missing[:5])}{more}")
        with self.writing() as s:
            ensure_year_editable(s, year)
            row = s.scalar(select(GroupRecord).where(GroupRecord.year == year, GroupRecord.no == group_no))
            if row.submitted_at is not None:
                raise GradingError(f"第 {group_no} 组评分已提交")
            row.submitted_by, row.submitted_at = actor.name, utcnow()
            audit_in(s, actor, "group_submit", "group", str(group_no), year=year,
                     after={"teams": list(row.teams)})

    def reopen_group(self, year: int, group_no: int, actor: Actor, reason: str) -> None:
        require_secretariat(actor)
        require_reason(reason, "退回专家组评分")
        with self.writing() as s:
            ensure_year_editable(s, year)
            row = s.scalar(select(GroupRecord).where(GroupRecord.year == year, GroupRecord.no == group_no))
            if row is None or row.submitted_at is None:
                raise GradingError(f"第 {group_no} 组评分尚未提交")
            before = {"submitted_by": row.submitted_by, "submitted_at": row.submitted_at.isoformat()}
            row.submitted_by = row.submitted_at = None
            audit_in(s, actor, "group_reopen", "group", str(group_no), year=year, before=before, reason=reason)
