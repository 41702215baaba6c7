"""Grading in the store: the pool, the draw and its changes, scores, group submissions, the graded list.

Every change is checked here (who may do it, whether the list is still a draft) so the CLI and the web
app cannot differ, and every change goes into the audit trail through `_record`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grading import changes as manual
from grading.approval import STATE_NAMES, TransitionRefused, ensure_editable, next_state
from grading.draw import draw_groups, redraw, request_fingerprint
from grading.model import Draw, DrawRequest, Expert, GradedList, Group, MaterialScore, PresentationScore, Team
from grading.outcomes import graded_list
from grading.presentation_sheet import SECRETARIAT
from grading.rules import GradingRules, grading_rules
from grading.scores import check_material, check_presentation
from pipeline.store import Store, review, utcnow
from pipeline.store.grading_tables import (
    DrawRecord,
    ExpertRecord,
    GradedListRecord,
    GradingTeamRecord,
    GroupRecord,
    MaterialScoreRecord,
    PresentationScoreRecord,
)
from pipeline.store.review import Actor, ReviewError, audit_in, disqualified_teams

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


def _require_secretariat(actor: Actor) -> None:
    if actor.role not in SECRETARIAT_ROLES:
        raise NotAllowed("只有秘书处可以进行此操作")


def _record(
    s: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    *,
    year: int | None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    related: Iterable[tuple[str, str]] = (),
) -> None:
    """The one place grading writes the audit trail: the workspace's append-only trail, same transaction."""
    audit_in(s, actor, action, object_type, object_id, year=year, before=_jsonable(before), after=_jsonable(after),
           reason=reason, related=related)


def _expert(r: ExpertRecord) -> Expert:
    return Expert(
        key=r.key, name=r.name, unit=r.unit, company=r.company, specialty=r.specialty,
        appointed_from=r.appointed_from, appointed_to=r.appointed_to, contact=r.contact,
        registered=r.registered, avoid=list(r.avoid or []),
    )


def _group(r: GroupRecord) -> Group:
    return Group(no=r.no, leader=r.leader, members=list(r.members), teams=list(r.teams))


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


class GradingStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self.store._write_lock, self.store.session() as s, s.begin():  # noqa: SLF001 - the store's lock
            yield s

    def rules(self, year: int) -> GradingRules:
        return grading_rules(year)

    # ------------------------------------------------------------ the expert pool

    def import_experts(self, experts: Iterable[Expert], actor: Actor, source: str = "") -> dict[str, int]:
        """Add new experts and update known ones (by key); experts not in the workbook stay as they are."""
        _require_secretariat(actor)
        added, updated = [], []
        with self.writing() as s:
            for e in experts:
                row = s.get(ExpertRecord, e.key)
                values = e.model_dump(exclude={"key"})
                if row is None:
                    s.add(ExpertRecord(key=e.key, updated_at=utcnow(), **values))
                    added.append(e.key)
                elif _expert(row) != e:
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.updated_at = utcnow()
                    updated.append(e.key)
            _record(s, actor, "expert_pool_import", "expert_pool", source or "专家库", year=None,
                    after={"added": added, "updated": updated})
        return {"added": len(added), "updated": len(updated)}

    def update_expert(self, key: str, actor: Actor, reason: str, **changes: object) -> Expert:
        """Edit one expert (period, registration, company, declared 回避单位, web account…); the trail keeps both."""
        _require_secretariat(actor)
        allowed = set(Expert.model_fields) - {"key"} | {"account"}
        unknown = set(changes) - allowed
        if unknown:
            raise GradingError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
        with self.writing() as s:
            row = s.get(ExpertRecord, key)
            if row is None:
                raise GradingError(f"专家库中没有 {key}")
            before = _expert(row).model_dump(mode="json") | {"account": row.account}
            for k, v in changes.items():
                setattr(row, k, v)
            row.updated_at = utcnow()
            after = _expert(row).model_dump(mode="json") | {"account": row.account}
            Expert.model_validate(after)
            _record(s, actor, "expert_update", "expert", key, year=None, before=before, after=after, reason=reason)
            return _expert(row)

    def experts(self) -> list[Expert]:
        with self.store.session() as s:
            return [_expert(r) for r in s.scalars(select(ExpertRecord).order_by(ExpertRecord.key))]

    def expert_for_account(self, account: str) -> Expert | None:
        with self.store.session() as s:
            row = s.scalar(select(ExpertRecord).where(ExpertRecord.account == account))
            return _expert(row) if row else None

    # ------------------------------------------------------------ the teams to grade

    def import_teams(self, year: int, teams: Iterable[Team], actor: Actor, source: str = "") -> int:
        """The teams that passed 初选; replaces the year's list, refused once a draw has been made."""
        _require_secretariat(actor)
        teams = list(teams)
        with self.writing() as s:
            self._editable(s, year)
            if self._current_draw_row(s, year) is not None:
                raise GradingError(f"{year} 年已抽取专家组，不能再更换班组名单")
            for row in s.scalars(select(GradingTeamRecord).where(GradingTeamRecord.year == year)):
                s.delete(row)
            s.flush()
            for t in teams:
                s.add(GradingTeamRecord(year=year, **t.model_dump()))
            _record(s, actor, "grading_teams_import", "grading", str(year), year=year,
                    after={"teams": len(teams), "source": source})
        return len(teams)

    def teams(self, year: int) -> list[Team]:
        """The year's teams; a team of a confirmed cross_team flag is disqualified (第十五条)."""
        confirmed = disqualified_teams(self.store, year)
        with self.store.session() as s:
            rows = list(s.scalars(select(GradingTeamRecord).where(GradingTeamRecord.year == year)))
        return sorted(
            (
                Team(team_id=r.team_id, team=r.team, recommender=r.recommender, company=r.company,
                     disqualified=r.disqualified or r.team_id in confirmed)
                for r in rows
            ),
            key=lambda t: t.team_id,
        )

    def years(self) -> list[int]:
        """Years with teams to grade, newest first."""
        with self.store.session() as s:
            return sorted(set(s.scalars(select(GradingTeamRecord.year))), reverse=True)

    def absent(self, year: int) -> set[str]:
        with self.store.session() as s:
            return set(s.scalars(select(GradingTeamRecord.team_id).where(
                GradingTeamRecord.year == year, GradingTeamRecord.absent.is_(True))))

    def _team_row(self, s: Session, year: int, team_id: str) -> GradingTeamRecord:
        row = s.scalar(select(GradingTeamRecord).where(
            GradingTeamRecord.year == year, GradingTeamRecord.team_id == team_id))
        if row is None:
            raise GradingError(f"{year} 年待评班组中没有 {team_id}")
        return row

    def set_disqualified(self, year: int, team_id: str, value: bool, actor: Actor, reason: str) -> None:
        _require_secretariat(actor)
        with self.writing() as s:
            self._editable(s, year)
            row = self._team_row(s, year, team_id)
            before, row.disqualified = row.disqualified, value
            _record(s, actor, "team_disqualify" if value else "team_requalify", "team", team_id, year=year,
                    before={"disqualified": before}, after={"disqualified": value}, reason=reason)

    def set_absent(self, year: int, team_id: str, value: bool, actor: Actor, reason: str | None = None) -> None:
        """Record that a team did not present at the 发布会 (视同放弃), or undo it."""
        _require_secretariat(actor)
        with self.writing() as s:
            self._editable(s, year)
            self._set_absent(s, year, team_id, value, actor, reason)

    def _set_absent(self, s: Session, year: int, team_id: str, value: bool, actor: Actor, reason: str | None) -> None:
        row = self._team_row(s, year, team_id)
        if row.absent == value:
            return
        if value and s.scalar(select(PresentationScoreRecord.id).where(
                PresentationScoreRecord.year == year, PresentationScoreRecord.team_id == team_id)):
            raise GradingError(f"班组 {team_id} 已有现场发布得分，不能登记为未发布")
        before, row.absent = row.absent, value
        _record(s, actor, "team_absent" if value else "team_present", "team", team_id, year=year,
                before={"absent": before}, after={"absent": value}, reason=reason)

    # ------------------------------------------------------------ the draw

    def _current_draw_row(self, s: Session, year: int) -> DrawRecord | None:
        return s.scalar(select(DrawRecord).where(DrawRecord.year == year, DrawRecord.current.is_(True)))

    def draw(
        self, year: int, actor: Actor, *, seed: int, drawn_on: date, group_count: int, group_size: int | None = None
    ) -> Draw:
        """Draw the year's groups from the pool as it is now; a new draw replaces one without scores."""
        _require_secretariat(actor)
        rules = self.rules(year)
        request = DrawRequest(
            year=year, seed=seed, drawn_on=drawn_on, group_count=group_count,
            group_size=group_size or rules.group_size, experts=self.experts(), teams=self.teams(year),
        )
        result = draw_groups(request, rules.conflicts)  # DrawInfeasible says why
        with self.writing() as s:
            self._editable(s, year)
            if s.scalar(select(MaterialScoreRecord.id).where(MaterialScoreRecord.year == year).limit(1)):
                raise GradingError(f"{year} 年已有专家评分，不能重新抽取；请改用替换专家或调整班组")
            previous = self._current_draw_row(s, year)
            if previous is not None:
                previous.current = False
            for row in s.scalars(select(GroupRecord).where(GroupRecord.year == year)):
                s.delete(row)
            s.flush()
            record = DrawRecord(
                year=year, seed=seed, drawn_on=drawn_on, group_count=group_count, group_size=request.group_size,
                fingerprint=request_fingerprint(request), request=request.model_dump(mode="json"),
                groups=[g.model_dump() for g in result.groups], attempts=result.attempts,
                drawn_by=actor.name, drawn_at=utcnow(), current=True,
            )
            s.add(record)
            s.flush()
            for g in result.groups:
                s.add(GroupRecord(year=year, no=g.no, draw_id=record.id, leader=g.leader, members=g.members,
                                  teams=g.teams))
            _record(s, actor, "grading_draw", "draw", str(record.id), year=year,
                    before={"replaced_draw": previous.id} if previous else None,
                    after={"seed": seed, "drawn_on": str(drawn_on), "group_count": group_count,
                           "group_size": request.group_size, "fingerprint": record.fingerprint,
                           "attempts": result.attempts, "groups": [g.model_dump() for g in result.groups]})
        return result

    def current_draw(self, year: int) -> Draw | None:
        with self.store.session() as s:
            row = self._current_draw_row(s, year)
            if row is None:
                return None
            return Draw(request=DrawRequest.model_validate(row.request),
                        groups=[Group.model_validate(g) for g in row.groups], attempts=row.attempts)

    def verify_draw(self, year: int) -> bool:
        """Repeat the current draw from its recorded seed and inputs: True when the groups are the same."""
        draw = self.current_draw(year)
        if draw is None:
            raise GradingError(f"{year} 年尚未抽取专家组")
        return redraw(draw, self.rules(year).conflicts)

    def groups(self, year: int) -> list[Group]:
        with self.store.session() as s:
            return [_group(r) for r in s.scalars(
                select(GroupRecord).where(GroupRecord.year == year).order_by(GroupRecord.no))]

    def group_status(self, year: int) -> dict[int, tuple[str | None, object]]:
        """Group no -> (submitted_by, submitted_at)."""
        with self.store.session() as s:
            return {r.no: (r.submitted_by, r.submitted_at) for r in s.scalars(
                select(GroupRecord).where(GroupRecord.year == year))}

    def group_of(self, year: int, expert_key: str) -> Group | None:
        return next((g for g in self.groups(year) if expert_key in g.experts), None)

    def _apply_change(self, year: int, actor: Actor, reason: str, action: str, object_id: str, change) -> list[Group]:
        _require_secretariat(actor)
        if not (reason or "").strip():
            raise GradingError("调整专家组必须填写理由")
        with self.writing() as s:
            self._editable(s, year)
            rows = {r.no: r for r in s.scalars(select(GroupRecord).where(GroupRecord.year == year))}
            if not rows:
                raise GradingError(f"{year} 年尚未抽取专家组")
            before = [_group(r) for r in sorted(rows.values(), key=lambda r: r.no)]
            try:
                after = change(before)
            except manual.ChangeRefused as error:
                raise GradingError(str(error)) from None
            changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
            for b, a in changed:
                if rows[b.no].submitted_at is not None:
                    raise GradingError(f"第 {b.no} 组已提交评分，须先由秘书处退回后才能调整")
                rows[b.no].leader, rows[b.no].members, rows[b.no].teams = a.leader, a.members, a.teams
            _record(s, actor, action, "group", object_id, year=year,
                    before={"groups": [b.model_dump() for b, _ in changed]},
                    after={"groups": [a.model_dump() for _, a in changed]}, reason=reason)
            return after

    def replace_expert(self, year: int, old: str, new: str, actor: Actor, reason: str) -> list[Group]:
        experts = {e.key: e for e in self.experts()}
        if new not in experts:
            raise GradingError(f"专家库中没有 {new}")
        teams = {t.team_id: t for t in self.teams(year)}
        day = self.current_draw(year).request.drawn_on if self.current_draw(year) else date.today()
        return self._apply_change(
            year, actor, reason, "group_replace_expert", f"{old}→{new}",
            lambda groups: manual.replace_expert(groups, old, experts[new], teams, self.rules(year).conflicts, day),
        )

    def move_team(self, year: int, team_id: str, to_group: int, actor: Actor, reason: str) -> list[Group]:
        experts = {e.key: e for e in self.experts()}
        team = next((t for t in self.teams(year) if t.team_id == team_id), None)
        if team is None:
            raise GradingError(f"{year} 年待评班组中没有 {team_id}")
        return self._apply_change(
            year, actor, reason, "group_move_team", team_id,
            lambda groups: manual.move_team(groups, team_id, to_group, experts, team, self.rules(year).conflicts),
        )

    def set_leader(self, year: int, group_no: int, key: str, actor: Actor, reason: str) -> list[Group]:
        return self._apply_change(year, actor, reason, "group_set_leader", str(group_no),
                                  lambda groups: manual.set_leader(groups, group_no, key))

    # ------------------------------------------------------------ material scores (out of 80)

    def _expert_group(self, s: Session, year: int, key: str) -> GroupRecord:
        for r in s.scalars(select(GroupRecord).where(GroupRecord.year == year)):
            if key == r.leader or key in r.members:
                return r
        raise NotAllowed("您不在本年度任何专家组中")

    def teams_for_expert(self, year: int, key: str) -> list[Team]:
        """The teams an expert may see and score: those of the expert's own group, nothing else."""
        with self.store.session() as s:
            ids = set(self._expert_group(s, year, key).teams)
        return [t for t in self.teams(year) if t.team_id in ids]

    def ensure_may_see(self, year: int, key: str, team_id: str) -> None:
        with self.store.session() as s:
            if team_id not in self._expert_group(s, year, key).teams:
                raise NotAllowed(f"班组 {team_id} 不在您所在的专家组中")

    def save_material(self, year: int, sheet: MaterialScore, actor: Actor) -> Decimal:
        """An expert's score sheet for a team of the expert's own group; returns the sheet's total."""
        if actor.role != "expert" or actor.name != sheet.expert:
            raise NotAllowed("申报材料评分只能由专家本人填写")
        errors = check_material(sheet, self.rules(year))
        if errors:
            raise GradingError("；".join(errors))
        with self.writing() as s:
            self._editable(s, year)
            group = self._expert_group(s, year, sheet.expert)
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
            _record(s, actor, "material_score", "team", sheet.team_id, year=year, before=before,
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
            self._editable(s, year)
            row = s.scalar(select(GroupRecord).where(GroupRecord.year == year, GroupRecord.no == group_no))
            if row.submitted_at is not None:
                raise GradingError(f"第 {group_no} 组评分已提交")
            row.submitted_by, row.submitted_at = actor.name, utcnow()
            _record(s, actor, "group_submit", "group", str(group_no), year=year,
                    after={"teams": list(row.teams)})

    def reopen_group(self, year: int, group_no: int, actor: Actor, reason: str) -> None:
        _require_secretariat(actor)
        if not (reason or "").strip():
            raise GradingError("退回专家组评分必须填写理由")
        with self.writing() as s:
            self._editable(s, year)
            row = s.scalar(select(GroupRecord).where(GroupRecord.year == year, GroupRecord.no == group_no))
            if row is None or row.submitted_at is None:
                raise GradingError(f"第 {group_no} 组评分尚未提交")
            before = {"submitted_by": row.submitted_by, "submitted_at": row.submitted_at.isoformat()}
            row.submitted_by = row.submitted_at = None
            _record(s, actor, "group_reopen", "group", str(group_no), year=year, before=before, reason=reason)

    # ------------------------------------------------------------ presentation scores (out of 20)

    def save_presentation(self, year: int, team_id: str, score: Decimal, actor: Actor, expert: str | None = None,
                          source: str = "expert") -> None:
        """An expert's presentation score for a team of the group, or the secretariat's (from a sheet)."""
        if actor.role == "expert":
            expert = actor.name
            self.ensure_may_see(year, expert, team_id)
        else:
            _require_secretariat(actor)
            expert = expert or SECRETARIAT
        why = check_presentation(score, self.rules(year))
        if why:
            raise GradingError(why)
        with self.writing() as s:
            self._editable(s, year)
            self._save_presentation(s, year, team_id, expert, score, actor, source)

    def _save_presentation(self, s: Session, year: int, team_id: str, expert: str, score: Decimal, actor: Actor,
                           source: str) -> None:
        team = self._team_row(s, year, team_id)
        if team.absent:
            raise GradingError(f"班组 {team_id} 已登记为未参与发布（视同放弃），不能录入发布得分")
        row = s.scalar(select(PresentationScoreRecord).where(
            PresentationScoreRecord.year == year, PresentationScoreRecord.team_id == team_id,
            PresentationScoreRecord.expert == expert))
        before = {"score": row.score} if row else None
        if row is None:
            row = PresentationScoreRecord(year=year, team_id=team_id, expert=expert)
            s.add(row)
        row.score, row.source, row.entered_by, row.entered_at = str(score), source, actor.name, utcnow()
        _record(s, actor, "presentation_score", "team", team_id, year=year, before=before,
                after={"expert": expert, "score": str(score), "source": source})

    def import_presentations(
        self, year: int, scores: list[PresentationScore], absent: list[str], actor: Actor, source: str
    ) -> None:
        """A whole 发布会 sheet in one transaction: the scores and the teams that did not present."""
        _require_secretariat(actor)
        with self.writing() as s:
            self._editable(s, year)
            for team_id in absent:
                self._set_absent(s, year, team_id, True, actor, f"发布评分表：{source}")
            for p in scores:
                self._save_presentation(s, year, p.team_id, p.expert, p.score, actor, "sheet")

    def presentation_scores(self, year: int) -> list[PresentationScore]:
        with self.store.session() as s:
            return [
                PresentationScore(team_id=r.team_id, expert=r.expert, score=Decimal(r.score))
                for r in s.scalars(select(PresentationScoreRecord).where(PresentationScoreRecord.year == year)
                                   .order_by(PresentationScoreRecord.team_id, PresentationScoreRecord.expert))
            ]

    # ------------------------------------------------------------ the graded list

    def _list_row(self, s: Session, year: int) -> GradedListRecord:
        row = s.get(GradedListRecord, year)
        if row is None:
            row = GradedListRecord(year=year, state="draft")
            s.add(row)
            s.flush()
        return row

    def _editable(self, s: Session, year: int) -> None:
        row = s.get(GradedListRecord, year)
        try:
            ensure_editable(row.state if row else "draft")
        except TransitionRefused as error:
            raise GradingError(str(error)) from None

    def state(self, year: int) -> str:
        with self.store.session() as s:
            row = s.get(GradedListRecord, year)
            return row.state if row else "draft"

    def compute(self, year: int) -> GradedList:
        """The graded list from the scores as they are now (a draft until approved)."""
        return graded_list(year, self.teams(year), self.groups(year), self.material_scores(year),
                           self.presentation_scores(year), self.absent(year), self.rules(year))

    def transition(self, year: int, action: str, actor: Actor, reason: str | None = None) -> str:
        """submit (the secretariat puts the list up for approval), return (back to draft), approve (第十条)."""
        _require_secretariat(actor)
        result = self.compute(year) if action in ("submit", "approve") else None
        if action == "submit":
            open_groups = [no for no, (by, _) in self.group_status(year).items() if by is None]
            if not self.groups(year):
                raise GradingError(f"{year} 年尚未抽取专家组")
            if open_groups:
                raise GradingError(f"以下专家组的组长尚未提交评分：第 {'、'.join(map(str, sorted(open_groups)))} 组")
            unscored = [o.team.team_id for o in result.outcomes if o.status == "unscored"]
            if unscored:
                raise GradingError(f"以下班组评分不完整：{'、'.join(unscored[:10])}")
        if action == "return" and not (reason or "").strip():
            raise GradingError("退回评定结果必须填写理由")
        with self.writing() as s:
            row = self._list_row(s, year)
            try:
                new = next_state(row.state, action)
            except TransitionRefused as error:
                raise GradingError(str(error)) from None
            snapshot = _jsonable(result.model_dump(mode="json")) if result else None
            if action == "approve":
                if actor.name == row.submitted_by:
                    raise GradingError("审定人不能是提交人本人")
                if snapshot != row.result:
                    raise GradingError("提交后评分已有变化，请退回后重新提交")
                row.approved_by, row.approved_at = actor.name, utcnow()
            elif action == "submit":
                row.result, row.submitted_by, row.submitted_at = snapshot, actor.name, utcnow()
            else:
                row.result = row.submitted_by = row.submitted_at = None
            before, row.state = row.state, new
            _record(s, actor, f"graded_list_{action}", "graded_list", str(year), year=year,
                    before={"state": before}, after={"state": new, "graded": result.graded_count if result else None},
                    reason=reason)
            return new

    def approved_list(self, year: int) -> GradedList | None:
        """The final list: only once the secretariat has approved it."""
        with self.store.session() as s:
            row = s.get(GradedListRecord, year)
            if row is None or row.state != "approved":
                return None
            return GradedList.model_validate(row.result)

    def state_name(self, year: int) -> str:
        return STATE_NAMES[self.state(year)]
