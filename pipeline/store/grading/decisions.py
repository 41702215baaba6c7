"""The graded list in the store: computed from the scores, submitted, returned and approved (第十条)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grading.approval import STATE_NAMES, TransitionRefused, next_state
from grading.model import GradedList
from grading.outcomes import graded_list
from pipeline.store import utcnow
from pipeline.store.audit import audit_in, jsonable
from pipeline.store.grading.base import GradingError, require_reason, require_secretariat
from pipeline.store.grading.presentation import PresentationScores
from pipeline.store.grading_tables import GradedListRecord
from pipeline.store.review import Actor


class GradedLists(PresentationScores):
    """The graded list, computed from everything below and approved by a second person."""

    def _list_row(self, s: Session, year: int) -> GradedListRecord:
        row = s.get(GradedListRecord, year)
        if row is None:
            row = GradedListRecord(year=year, state="draft")
            s.add(row)
            s.flush()
        return row

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
        require_secretariat(actor)
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
        if action == "return":
            require_reason(reason, "退回评定结果")
        with self.writing() as s:
            row = self._list_row(s, year)
            try:
                new = next_state(row.state, action)
            except TransitionRefused as error:
                raise GradingError(str(error)) from None
            snapshot = jsonable(result.model_dump(mode="json")) if result else None
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
            audit_in(s, actor, f"graded_list_{action}", "graded_list", str(year), year=year,
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
