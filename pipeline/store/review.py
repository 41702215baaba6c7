"""Decisions people make in the review workspace: 初选 per team, follow-ups per unit, findings dismissed as
wrong, plagiarism flags; and how they join a run's results.

One API for the web app and the command line, so both write one trail: every change is checked
against the actor's role (pipeline/store/audit.py), written together with its audit entry in one
transaction, and never edited afterwards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.model import CompletenessReport, Flag, Problem, TeamReview
from core.model import implicated_teams as model_implicated_teams
from pipeline.store import Store, as_utc, utcnow
from pipeline.store.audit import (  # noqa: F401 - re-exported: `review` is the one door callers use
    BEIJING,
    PERMISSIONS,
    ROLES,
    Actor,
    AuditView,
    NotAllowed,
    ReviewError,
    Role,
    Via,
    audit_entries,
    audit_in,
    may,
    reason_of,
    record_audit,
    require_role,
    writing,
)
from pipeline.store.review_tables import DismissedFindingRecord, TeamReviewRecord, UnitFollowUpRecord
from pipeline.store.tables import FlagRecord

TEAM_DECISIONS = {"passed": "初选通过", "failed": "初选不通过"}
FLAG_DECISIONS = {"confirmed": "确认抄袭", "dismissed": "排除"}
FOLLOWUP_STATUSES = {"none": "未跟进", "notified": "已通知", "resubmitted": "已补交"}

# ---------------------------------------------------------------- team 初选


def _review_of(row: TeamReviewRecord | None) -> TeamReview:
    if row is None:
        return TeamReview()
    return TeamReview(decision=row.decision, by=row.decided_by, at=as_utc(row.decided_at), reason=row.reason)


def _review_state(review: TeamReview) -> dict | None:
    return None if review.decision is None else {"decision": review.decision, "reason": review.reason}


def decide_team(
    store: Store, year: int, team_id: str, decision: str, reason: str | None, actor: Actor
) -> TeamReview:
    """Record a team's 初选 decision (passed / failed); failing needs a reason. Returns the new state."""
    require_role(actor, "decide_team")
    if decision not in TEAM_DECISIONS:
        raise ReviewError("初选结论只能是 passed（通过）或 failed（不通过）")
    text = reason_of(reason, decision == "failed", "初选不通过")
    now = utcnow()
    with writing(store) as s:
        row = s.scalar(
            select(TeamReviewRecord).where(TeamReviewRecord.year == year, TeamReviewRecord.team_id == team_id)
        )
        before = _review_of(row)
        if row is None:
            row = TeamReviewRecord(year=year, team_id=team_id)
            s.add(row)
        row.decision, row.reason, row.decided_by, row.decided_at = decision, text, actor.name, now
        after = _review_of(row)
        audit_in(
            s,
            actor,
            "decide_team",
            "team",
            team_id,
            year=year,
            before=_review_state(before),
            after=_review_state(after),
            reason=text,
            at=now,
        )
    return after


def team_reviews(store: Store, year: int) -> dict[str, TeamReview]:
    with store.session() as s:
        rows = s.scalars(select(TeamReviewRecord).where(TeamReviewRecord.year == year))
        return {r.team_id: _review_of(r) for r in rows}


# ---------------------------------------------------------------- unit follow-up


@dataclass(frozen=True)
class UnitFollowUp:
    status: str = "none"  # none, notified, resubmitted
    notified_on: date | None = None
    note: str | None = None
    by: str | None = None
    at: datetime | None = None

    @property
    def label(self) -> str:
        if self.status == "notified" and self.notified_on:
            return f"已通知（{self.notified_on:%Y-%m-%d}）"
        return FOLLOWUP_STATUSES.get(self.status, self.status)


def _followup_of(row: UnitFollowUpRecord | None) -> UnitFollowUp:
    if row is None:
        return UnitFollowUp()
    return UnitFollowUp(row.status, row.notified_on, row.note, row.updated_by, as_utc(row.updated_at))


def _followup_state(f: UnitFollowUp) -> dict:
    return {"status": f.status, "notified_on": f.notified_on.isoformat() if f.notified_on else None}


def set_unit_followup(
    store: Store,
    year: int,
    unit: str,
    status: str,
    actor: Actor,
    *,
    notified_on: date | None = None,
    note: str | None = None,
) -> UnitFollowUp:
    """已通知 on a date (today in Beijing unless given), 已补交, or back to 未跟进."""
    require_role(actor, "unit_followup")
    if status not in FOLLOWUP_STATUSES:
        raise ReviewError("跟进状态只能是 none（未跟进）、notified（已通知）或 resubmitted（已补交）")
    now = utcnow()
    with writing(store) as s:
        row = s.scalar(
            select(UnitFollowUpRecord).where(UnitFollowUpRecord.year == year, UnitFollowUpRecord.unit == unit)
        )
        before = _followup_of(row)
        if row is None:
            row = UnitFollowUpRecord(year=year, unit=unit)
            s.add(row)
        if status == "notified":
            row.notified_on = notified_on or now.astimezone(BEIJING).date()
        elif status == "none":
            row.notified_on = None
        row.status, row.note, row.updated_by, row.updated_at = (
            status,
            (note or "").strip() or None,
            actor.name,
            now,
        )
        after = _followup_of(row)
        audit_in(
            s,
            actor,
            "unit_followup",
            "unit",
            unit,
            year=year,
            before=_followup_state(before),
            after=_followup_state(after),
            reason=after.note,
            at=now,
        )
    return after


def unit_followups(store: Store, year: int) -> dict[str, UnitFollowUp]:
    with store.session() as s:
        rows = s.scalars(select(UnitFollowUpRecord).where(UnitFollowUpRecord.year == year))
        return {r.unit: _followup_of(r) for r in rows}


# ---------------------------------------------------------------- dismissed findings


def finding_key(problem: Problem) -> str:
    """A finding's identity across runs: its code, file, page and wording."""
    raw = "\x1f".join([problem.code, problem.file or "", str(problem.page or ""), problem.message])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Dismissal:
    key: str
    code: str
    message: str
    reason: str
    by: str
    at: datetime


def _finding_state(active: bool, reason: str | None = None) -> dict:
    return {"dismissed": active, **({"reason": reason} if reason else {})}


def dismiss_finding(
    store: Store,
    year: int,
    object_type: str,
    object_id: str,
    problem: Problem,
    reason: str | None,
    actor: Actor,
) -> Dismissal:
    """Mark a finding wrong, with a reason: it stays (struck through) but no longer counts."""
    require_role(actor, "dismiss_finding")
    if object_type not in ("unit", "team"):
        raise ReviewError("只能排除单位或班组的问题")
    text = reason_of(reason, True, "排除问题")
    key = finding_key(problem)
    now = utcnow()
    with writing(store) as s:
        row = _dismissal_row(s, year, object_type, object_id, key)
        was = bool(row and row.active)
        if row is None:
            row = DismissedFindingRecord(
                year=year, object_type=object_type, object_id=object_id, finding_key=key
            )
            s.add(row)
        row.code, row.message, row.reason, row.active = problem.code, problem.message, text, True
        row.dismissed_by, row.dismissed_at = actor.name, now
        audit_in(
            s,
            actor,
            "dismiss_finding",
            object_type,
            object_id,
            year=year,
            before=_finding_state(was) | {"code": problem.code, "message": problem.message},
            after=_finding_state(True),
            reason=text,
            related=[("finding", key)],
            at=now,
        )
    return Dismissal(key, problem.code, problem.message, text or "", actor.name, now)


def restore_finding(
    store: Store, year: int, object_type: str, object_id: str, key: str, reason: str | None, actor: Actor
) -> bool:
    """Count a dismissed finding again (the dismissal stays in the trail)."""
    require_role(actor, "dismiss_finding")
    text = reason_of(reason, True, "恢复问题")
    with writing(store) as s:
        row = _dismissal_row(s, year, object_type, object_id, key)
        if row is None or not row.active:
            return False
        row.active = False
        audit_in(
            s,
            actor,
            "restore_finding",
            object_type,
            object_id,
            year=year,
            before=_finding_state(True, row.reason) | {"code": row.code, "message": row.message},
            after=_finding_state(False),
            reason=text,
            related=[("finding", key)],
        )
    return True


def _dismissal_row(
    s: Session, year: int, object_type: str, object_id: str, key: str
) -> DismissedFindingRecord | None:
    return s.scalar(
        select(DismissedFindingRecord).where(
            DismissedFindingRecord.year == year,
            DismissedFindingRecord.object_type == object_type,
            DismissedFindingRecord.object_id == object_id,
            DismissedFindingRecord.finding_key == key,
        )
    )


def dismissed_findings(store: Store, year: int) -> dict[tuple[str, str], dict[str, Dismissal]]:
    """(object_type, object_id) → finding key → its dismissal, for the dismissals in force."""
    out: dict[tuple[str, str], dict[str, Dismissal]] = {}
    with store.session() as s:
        rows = s.scalars(
            select(DismissedFindingRecord).where(
                DismissedFindingRecord.year == year, DismissedFindingRecord.active.is_(True)
            )
        )
        for r in rows:
            out.setdefault((r.object_type, r.object_id), {})[r.finding_key] = Dismissal(
                r.finding_key, r.code, r.message, r.reason, r.dismissed_by, as_utc(r.dismissed_at)
            )
    return out


# ---------------------------------------------------------------- plagiarism flags


@dataclass(frozen=True)
class FlagDecision:
    flag_id: str
    decision: str | None
    note: str | None
    by: str | None
    at: datetime | None
    implicated: tuple[str, ...] = field(
        default=()
    )  # this year's teams a confirmed cross_team flag disqualifies


def implicated_teams(row: FlagRecord) -> tuple[str, ...]:
    """This year's teams of a cross_team flag: both sides of a same-year pair (no 'A copied B')."""
    return model_implicated_teams(row.kind, row.year, row.a_team_id, row.b_year, row.b_team_id)


def _flag_state(row: FlagRecord) -> dict | None:
    return None if row.decision is None else {"decision": row.decision, "note": row.decision_note}


def decide_flag(
    store: Store, year: int, flag_id: str, decision: str, reason: str | None, actor: Actor
) -> FlagDecision | None:
    """确认抄袭 (confirmed) or 排除 (dismissed), with a reason; None when the year has no such flag."""
    require_role(actor, "decide_flag")
    if decision not in FLAG_DECISIONS:
        raise ReviewError("结论只能是 confirmed（确认抄袭）或 dismissed（排除）")
    text = reason_of(reason, True, "查重标记的结论")
    now = utcnow()
    with writing(store) as s:
        row = s.scalar(select(FlagRecord).where(FlagRecord.year == year, FlagRecord.flag_id == flag_id))
        if row is None:
            return None
        before = _flag_state(row)
        row.decision, row.decision_note, row.decided_by, row.decided_at = decision, text, actor.name, now
        teams = implicated_teams(row)
        audit_in(
            s,
            actor,
            "decide_flag",
            "flag",
            flag_id,
            year=year,
            before=before,
            after=_flag_state(row),
            reason=text,
            related=[("team", t) for t in dict.fromkeys([row.a_team_id, *teams])],
            at=now,
        )
        return FlagDecision(
            flag_id, decision, text, actor.name, now, teams if decision == "confirmed" else ()
        )


def disqualified_teams(store: Store, year: int) -> dict[str, list[str]]:
    """第十五条: team id → the confirmed cross_team flags that disqualify it (raised now or before)."""
    out: dict[str, list[str]] = {}
    with store.session() as s:
        rows = s.scalars(
            select(FlagRecord).where(
                FlagRecord.year == year, FlagRecord.kind == "cross_team", FlagRecord.decision == "confirmed"
            )
        )
        for row in rows:
            for team in implicated_teams(row):
                out.setdefault(team, []).append(row.flag_id)
    return out


# ---------------------------------------------------------------- into the run's results


def _without_dismissed(problems: list[Problem], gone: dict[str, Dismissal]) -> dict[str, Any]:
    """The problems with the workspace's dismissals marked, and `complete` by the one rule (Problem.blocks)."""
    def marked_one(p: Problem) -> Problem:
        dismissal = gone.get(finding_key(p))
        return p if dismissal is None else p.model_copy(update={"dismissed": dismissal.reason})

    marked = [marked_one(p) for p in problems]
    return {"problems": marked, "complete": not any(p.blocks for p in marked)}


def with_reviews(store: Store, report: CompletenessReport) -> CompletenessReport:
    """The report with the workspace's decisions: each team's 初选 decision and 第十五条 disqualification,
    and the findings reviewers dismissed as wrong (kept, marked, no longer counted toward `complete`)."""
    reviews = team_reviews(store, report.year)
    out = disqualified_teams(store, report.year)
    gone = dismissed_findings(store, report.year)

    def dismissals(kind: str, key: str, problems: list[Problem]) -> dict[str, Any]:
        return _without_dismissed(problems, gone[(kind, key)]) if (kind, key) in gone else {}

    teams = [
        t.model_copy(
            update={
                "review": reviews.get(t.team_id, TeamReview()),
                "disqualified": t.team_id in out,
                **dismissals("team", t.team_id, t.problems),
            }
        )
        for t in report.teams
    ]
    units = [u.model_copy(update=dismissals("unit", u.unit, u.problems)) for u in report.units]
    return report.model_copy(update={"teams": teams, "units": units})


def with_flag_decisions(store: Store, year: int, flags: list[Flag]) -> list[Flag]:
    """Each flag with its decision, note, who decided and when (they survive re-runs)."""
    with store.session() as s:
        rows = {r.flag_id: r for r in s.scalars(select(FlagRecord).where(FlagRecord.year == year))}
    decided: list[Flag] = []
    for f in flags:
        r = rows.get(f.flag_id)
        update: dict[str, Any] = {}
        if r is not None:
            update = dict(
                decision=r.decision,
                decision_note=r.decision_note,
                decided_by=r.decided_by,
                decided_at=as_utc(r.decided_at),
            )
        decided.append(f.model_copy(update=update))
    return decided


def now_beijing() -> datetime:
    return datetime.now(UTC).astimezone(BEIJING)
