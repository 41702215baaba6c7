"""The expert groups in the store: the seeded draw, checking it again, and the secretariat's changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from grading import changes as manual
from grading.draw import draw_groups, redraw, request_fingerprint
from grading.model import Draw, DrawRequest, Group
from pipeline.store import utcnow
from pipeline.store.audit import audit_in
from pipeline.store.grading.base import (
    GradingError,
    current_draw_row,
    ensure_year_editable,
    require_reason,
    require_secretariat,
    to_group,
)
from pipeline.store.grading.teams import GradingTeams
from pipeline.store.grading_tables import DrawRecord, GroupRecord, MaterialScoreRecord
from pipeline.store.review import Actor


class ExpertGroups(GradingTeams):
    """A year's groups: drawn from the pool for the teams, then adjusted by the secretariat with a reason."""

    def draw(
        self, year: int, actor: Actor, *, seed: int, drawn_on: date, group_count: int, group_size: int | None = None
    ) -> Draw:
        """Draw the year's groups from the pool as it is now; a new draw replaces one without scores."""
        require_secretariat(actor)
        rules = self.rules(year)
        request = DrawRequest(
            year=year, seed=seed, drawn_on=drawn_on, group_count=group_count,
            group_size=group_size or rules.group_size, experts=self.experts(), teams=self.teams(year),
        )
        result = draw_groups(request, rules.conflicts)  # DrawInfeasible says why
        with self.writing() as s:
            ensure_year_editable(s, year)
            if s.scalar(select(MaterialScoreRecord.id).where(MaterialScoreRecord.year == year).limit(1)):
                raise GradingError(f"{year} 年已有专家评分，不能重新抽取；请改用替换专家或调整班组")
            previous = current_draw_row(s, year)
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
            audit_in(s, actor, "grading_draw", "draw", str(record.id), year=year,
                     before={"replaced_draw": previous.id} if previous else None,
                     after={"seed": seed, "drawn_on": str(drawn_on), "group_count": group_count,
                            "group_size": request.group_size, "fingerprint": record.fingerprint,
                            "attempts": result.attempts, "groups": [g.model_dump() for g in result.groups]})
        return result

    def current_draw(self, year: int) -> Draw | None:
        with self.store.session() as s:
            row = current_draw_row(s, year)
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
            return [to_group(r) for r in s.scalars(
                  select(GroupRecord).where(GroupRecord.year == year).order_by(GroupRecord.no))]

    def group_status(self, year: int) -> dict[int, tuple[str | None, object]]:
        """Group no -> (submitted_by, submitted_at)."""
        with self.store.session() as s:
            return {r.no: (r.submitted_by, r.submitted_at) for r in s.scalars(
                select(GroupRecord).where(GroupRecord.year == year))}

    def group_of(self, year: int, expert_key: str) -> Group | None:
        return next((g for g in self.groups(year) if expert_key in g.experts), None)

    def _apply_change(self, year: int, actor: Actor, reason: str, action: str, object_id: str,
                      change: Callable[[list[Group]], list[Group]]) -> list[Group]:
        require_secretariat(actor)
        require_reason(reason, "调整专家组")
        with self.writing() as s:
            ensure_year_editable(s, year)
            rows = {r.no: r for r in s.scalars(select(GroupRecord).where(GroupRecord.year == year))}
            if not rows:
                raise GradingError(f"{year} 年尚未抽取专家组")
            before = [to_group(r) for r in sorted(rows.values(), key=lambda r: r.no)]
            try:
                after = change(before)
            except manual.ChangeRefused as error:
                raise GradingError(str(error)) from None
            changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
            for b, a in changed:
                if rows[b.no].submitted_at is not None:
                    raise GradingError(f"第 {b.no} 组已提交评分，须先由秘书处退回后才能调整")
                rows[b.no].leader, rows[b.no].members, rows[b.no].teams = a.leader, a.members, a.teams
            audit_in(s, actor, action, "group", object_id, year=year,
                     before={"groups": [b.model_dump() for b, _ in changed]},
                     after={"groups": [a.model_dump() for _, a in changed]}, reason=reason)
            return after

    def replace_expert(self, year: int, old: str, new: str, actor: Actor, reason: str) -> list[Group]:
        experts = {e.key: e for e in self.experts()}
        if new not in experts:
            raise GradingError(f"专家库中没有 {new}")
        teams = {t.team_id: t for t in self.teams(year)}
        current = self.current_draw(year)
        day = current.request.drawn_on if current else date.today()
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

