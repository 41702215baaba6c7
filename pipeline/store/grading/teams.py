"""The teams to grade in the store: the year's list, 第十五条 disqualification, absence from the 发布会."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from grading.model import Team
from pipeline.store.audit import audit_in
from pipeline.store.grading.base import (
    GradingError,
    current_draw_row,
    ensure_year_editable,
    require_secretariat,
    team_row,
)
from pipeline.store.grading.pool import ExpertPool
from pipeline.store.grading_tables import GradingTeamRecord, PresentationScoreRecord
from pipeline.store.review import Actor, disqualified_teams


class GradingTeams(ExpertPool):
    """A year's teams to grade, on top of the pool."""

    def import_teams(self, year: int, teams: Iterable[Team], actor: Actor, source: str = "") -> int:
        """The teams that passed 初选; replaces the year's list, refused once a draw has been made."""
        require_secretariat(actor)
        teams = list(teams)
        with self.writing() as s:
            ensure_year_editable(s, year)
            if current_draw_row(s, year) is not None:
                raise GradingError(f"{year} 年已抽取专家组，不能再更换班组名单")
            for row in s.scalars(select(GradingTeamRecord).where(GradingTeamRecord.year == year)):
                s.delete(row)
            s.flush()
            for t in teams:
                s.add(GradingTeamRecord(year=year, **t.model_dump()))
            audit_in(s, actor, "grading_teams_import", "grading", str(year), year=year,
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

    def set_disqualified(self, year: int, team_id: str, value: bool, actor: Actor, reason: str) -> None:
        require_secretariat(actor)
        with self.writing() as s:
            ensure_year_editable(s, year)
            row = team_row(s, year, team_id)
            before, row.disqualified = row.disqualified, value
            audit_in(s, actor, "team_disqualify" if value else "team_requalify", "team", team_id, year=year,
                     before={"disqualified": before}, after={"disqualified": value}, reason=reason)

    def set_absent(self, year: int, team_id: str, value: bool, actor: Actor, reason: str | None = None) -> None:
        """Record that a team did not present at the 发布会 (视同放弃), or undo it."""
        require_secretariat(actor)
        with self.writing() as s:
            ensure_year_editable(s, year)
            self._set_absent(s, year, team_id, value, actor, reason)

    def _set_absent(self, s: Session, year: int, team_id: str, value: bool, actor: Actor, reason: str | None) -> None:
        row = team_row(s, year, team_id)
        if row.absent == value:
            return
        if value and s.scalar(select(PresentationScoreRecord.id).where(
                PresentationScoreRecord.year == year, PresentationScoreRecord.team_id == team_id)):
            raise GradingError(f"班组 {team_id} 已有现场发布得分，不能登记为未发布")
        before, row.absent = row.absent, value
        audit_in(s, actor, "team_absent" if value else "team_present", "team", team_id, year=year,
                 before={"absent": before}, after={"absent": value}, reason=reason)
