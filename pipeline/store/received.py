"""The secretariat's record of received times: plain functions the CLI and the web workspace share.

Each change is written with the person who made it and appended to the audit trail. The intake reads
`received_records(store, year)` on every run, so a recorded time and an accepted late submission hold
for every later run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from checks.completeness.lateness import ReceivedRecord, SubjectKind
from checks.completeness.units import match_unit
from core.reference import RecommendingUnit, recommending_units
from pipeline.store import Store, as_utc, review, utcnow
from pipeline.store.received_tables import ReceivedTimeRecord


def subject_of(name: str, kind: SubjectKind | None = None,
               units: Sequence[RecommendingUnit] | None = None) -> tuple[SubjectKind, str]:
    """(kind, subject) for a name as the secretariat wrote it: a listed unit by its canonical name,
    anything else a team (its id or name) unless KIND says it is a unit off the list."""
    name = " ".join(name.split())
    if kind != "team":
        m = match_unit(name, units or recommending_units())
        if m is not None and m.listed:
            return "unit", m.name
    return (kind or "team"), name


def _row(s, year: int, kind: str, subject: str) -> ReceivedTimeRecord | None:  # noqa: ANN001
    return s.scalar(select(ReceivedTimeRecord).where(
        ReceivedTimeRecord.year == year, ReceivedTimeRecord.kind == kind, ReceivedTimeRecord.subject == subject))


def _state(row: ReceivedTimeRecord | None) -> dict | None:
    if row is None:
        return None
    return {"received_at": as_utc(row.received_at).isoformat() if row.received_at else None,
            "accepted": row.accepted, "reason": row.accept_reason}


def _check(actor: review.Actor) -> None:
    if not actor.name.strip():
        raise review.ReviewError("必须写明操作人")
    if not review.may(actor.role, "accept_late"):
        raise review.NotAllowed(f"角色“{review.ROLES.get(actor.role, actor.role)}”无权登记收到时间或接受逾期材料")


def record_received_time(store: Store, year: int, kind: SubjectKind, subject: str, received_at: datetime,
                         actor: review.Actor, source: str | None = None) -> None:
    """Set when KIND SUBJECT's material came (an aware datetime); replaces an earlier recorded time."""
    if received_at.tzinfo is None:
        raise ValueError("收到时间必须带时区（北京时间请用 Asia/Shanghai）")
    _check(actor)
    with review.writing(store) as s:  # the store's one writer lock
        row = _row(s, year, kind, subject)
        before = _state(row)
        if row is None:
            row = ReceivedTimeRecord(year=year, kind=kind, subject=subject, recorded_at=utcnow(), accepted=False)
            s.add(row)
        row.received_at = received_at.astimezone(UTC)  # SQLite keeps no offset: everything stored is UTC
        row.source, row.recorded_by, row.recorded_at = source, actor.name, utcnow()
        review.audit_in(s, actor, "record_received_time", kind, subject, year=year, before=before,
                      after=_state(row), reason=source)


def accept_late(store: Store, year: int, kind: SubjectKind, subject: str, reason: str,
                actor: review.Actor) -> None:
    """Accept KIND SUBJECT's late submission, with a reason; later runs report it as accepted."""
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise review.ReviewError("接受逾期材料必须填写理由")
    with review.writing(store) as s:
        row = _row(s, year, kind, subject)
        before = _state(row)
        if row is None:
            row = ReceivedTimeRecord(year=year, kind=kind, subject=subject, recorded_at=utcnow(),
                                     recorded_by=actor.name)
            s.add(row)
        row.accepted, row.accept_reason, row.accepted_by, row.accepted_at = True, reason, actor.name, utcnow()
        review.audit_in(s, actor, "accept_late", kind, subject, year=year, before=before,
                      after=_state(row), reason=reason)


def withdraw_acceptance(store: Store, year: int, kind: SubjectKind, subject: str, reason: str | None,
                        actor: review.Actor) -> bool:
    """Undo an acceptance; False when there was none."""
    _check(actor)
    with review.writing(store) as s:
        row = _row(s, year, kind, subject)
        if row is None or not row.accepted:
            return False
        before = _state(row)
        row.accepted, row.accept_reason, row.accepted_by, row.accepted_at = False, None, None, None
        review.audit_in(s, actor, "withdraw_late_acceptance", kind, subject, year=year, before=before,
                      after=_state(row), reason=(reason or "").strip() or None)
        return True


def received_records(store: Store, year: int) -> list[ReceivedRecord]:
    """Every record of YEAR, as the completeness check takes them."""
    with store.session() as s:
        rows = s.scalars(select(ReceivedTimeRecord).where(ReceivedTimeRecord.year == year)
                         .order_by(ReceivedTimeRecord.kind, ReceivedTimeRecord.subject)).all()
    return [ReceivedRecord(kind=r.kind, subject=r.subject, received_at=as_utc(r.received_at),  # type: ignore[arg-type]
                           accepted=r.accepted, reason=r.accept_reason, accepted_by=r.accepted_by,
                           accepted_at=as_utc(r.accepted_at)) for r in rows]


def import_sheet(store: Store, year: int, path, actor: review.Actor) -> tuple[int, list[str]]:  # noqa: ANN001
    """Record every readable row of a 收到时间 sheet (xlsx/csv); returns (rows recorded, problems by line)."""
    from pathlib import Path

    from pipeline.received_sheet import read_sheet

    reading = read_sheet(Path(path))
    units = recommending_units()
    for row in reading.rows:
        kind, subject = subject_of(row.name, row.kind, units)  # type: ignore[arg-type]
        record_received_time(store, year, kind, subject, row.received_at, actor, source=Path(path).name)
    return len(reading.rows), reading.problems
