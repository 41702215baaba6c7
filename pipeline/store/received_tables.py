"""The secretariat's record of received times (revision 0005): one row per unit or team and year.

It holds when a unit's or team's material came in (imported from a 收到时间 sheet or entered in the
workspace) and whether a late submission was accepted, with the reason; every run reads it, so an
acceptance stays through later runs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.tables import Base


class ReceivedTimeRecord(Base):
    __tablename__ = "received_times"
    __table_args__ = (UniqueConstraint("year", "kind", "subject", name="uq_received_time"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # unit, team
    subject: Mapped[str] = mapped_column(Text)  # the unit's canonical name, or the team's id or name
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)  # the imported sheet, or "web"
    recorded_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    accept_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    accepted_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
