"""Tables of the review workspace: decisions people make and the append-only trail of every change.

The decision tables hold the current state (one row per object); `audit_entries` holds the history
and is never updated or deleted (database triggers refuse it, see migration 0006).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.tables import Base


class TeamReviewRecord(Base):
    """A team's 初选 decision (passed / failed); failing needs a reason."""

    __tablename__ = "team_reviews"
    __table_args__ = (UniqueConstraint("year", "team_id", name="uq_team_review"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))  # passed, failed
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UnitFollowUpRecord(Base):
    """Where the secretariat stands with a unit: asked to resubmit (on a date) or resubmitted."""

    __tablename__ = "unit_followups"
    __table_args__ = (UniqueConstraint("year", "unit", name="uq_unit_followup"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    unit: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # none, notified, resubmitted
    notified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DismissedFindingRecord(Base):
    """A finding a reviewer judged wrong: kept, shown struck through, not counted."""

    __tablename__ = "dismissed_findings"
    __table_args__ = (
        UniqueConstraint("year", "object_type", "object_id", "finding_key", name="uq_dismissed_finding"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    object_type: Mapped[str] = mapped_column(String(20))  # unit, team
    object_id: Mapped[str] = mapped_column(Text)  # the unit's name or the team id
    finding_key: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)  # False once restored (the trail keeps both)
    dismissed_by: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One change anybody made, through the web or the command line. Append-only."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_year", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    via: Mapped[str] = mapped_column(String(10))  # web, cli
    action: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    object_type: Mapped[str] = mapped_column(String(20))  # unit, team, flag, finding, user, …
    object_id: Mapped[str] = mapped_column(Text)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditSubject(Base):
    """Each object an audit entry concerns (its own, and e.g. both teams of a flag). Append-only."""

    __tablename__ = "audit_subjects"
    __table_args__ = (Index("ix_audit_subject", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[str] = mapped_column(Text)
