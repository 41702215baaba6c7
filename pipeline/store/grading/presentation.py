"""Presentation scores in the store (out of 20): entered by an expert or imported from the 发布会 sheet."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from grading.model import PresentationScore
from grading.presentation_sheet import SECRETARIAT
from grading.scores import check_presentation
from pipeline.store import utcnow
from pipeline.store.audit import audit_in
from pipeline.store.grading.base import GradingError, ensure_year_editable, require_secretariat, team_row
from pipeline.store.grading.scores import MaterialScores
from pipeline.store.grading_tables import PresentationScoreRecord
from pipeline.store.review import Actor


class PresentationScores(MaterialScores):
    """Presentation scores: an expert's for the own group, or the secretariat's from the sheet."""

    def save_presentation(self, year: int, team_id: str, score: Decimal, actor: Actor, expert: str | None = None,
                          source: str = "expert") -> None:
        """An expert's presentation score for a team of the group, or the secretariat's (from a sheet)."""
        if actor.role == "expert":
            expert = actor.name
            self.ensure_may_see(year, expert, team_id)
        else:
            require_secretariat(actor)
            expert = expert or SECRETARIAT
        why = check_presentation(score, self.rules(year))
        if why:
            raise GradingError(why)
        with self.writing() as s:
            ensure_year_editable(s, year)
            self._save_presentation(s, year, team_id, expert, score, actor, source)

    def _save_presentation(self, s: Session, year: int, team_id: str, expert: str, score: Decimal, actor: Actor,
                           source: str) -> None:
        team = team_row(s, year, team_id)
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
        audit_in(s, actor, "presentation_score", "team", team_id, year=year, before=before,
                 after={"expert": expert, "score": str(score), "source": source})

    def import_presentations(
        self, year: int, scores: list[PresentationScore], absent: list[str], actor: Actor, source: str
    ) -> None:
        """A whole 发布会 sheet in one transaction: the scores and the teams that did not present."""
        require_secretariat(actor)
        with self.writing() as s:
            ensure_year_editable(s, year)
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
