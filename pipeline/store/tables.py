"""The database tables. Every schema change is an Alembic revision in migrations/versions/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class StoredFile(Base):
    """One distinct content: the bytes are in the archive under their SHA-256."""

    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    archive_path: Mapped[str] = mapped_column(Text)  # relative to BANZU_HOME
    original_name: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Sighting(Base):
    """A content seen at an inbox path in a year's intake; the same path may be seen by many runs."""

    __tablename__ = "sightings"
    __table_args__ = (UniqueConstraint("year", "inbox_path", "sha256", name="uq_sighting"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    inbox_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    group_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"), nullable=True)


class Extraction(Base):
    """What an extractor version read from a content: a second run over the same bytes reads this."""

    __tablename__ = "extractions"

    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"), primary_key=True)
    extractor_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    format: Mapped[str] = mapped_column(String(20))
    pages: Mapped[int] = mapped_column(Integer)
    readable: Mapped[bool] = mapped_column()
    document: Mapped[str] = mapped_column(Text)  # Document JSON
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    inbox: Mapped[str] = mapped_column(Text)
    out_dir: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    flow_run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    summary: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class TeamReportRecord(Base):
    """A team's report file of a year: the plagiarism corpus of every later year."""

    __tablename__ = "team_reports"
    __table_args__ = (
        UniqueConstraint("year", "team_id", "kind", "sha256", name="uq_team_report"),
        Index("ix_team_reports_year", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text, default="")
    company: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))  # report_pdf, report_ppt
    inbox_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(ForeignKey("files.sha256"))


class FlagRecord(Base):
    """A plagiarism flag; its id is stable across runs so review decisions survive re-runs."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("year", "flag_id", name="uq_flag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    flag_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    a_team_id: Mapped[str] = mapped_column(Text)
    b_year: Mapped[int] = mapped_column(Integer)
    b_team_id: Mapped[str] = mapped_column(Text)
    similarity: Mapped[float] = mapped_column(Float)
    copy_ratio_a: Mapped[float] = mapped_column(Float)
    copy_ratio_b: Mapped[float] = mapped_column(Float)
    flag: Mapped[dict] = mapped_column(JSON)  # the whole Flag, evidence included
    first_raised: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_raised: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(default=True)  # raised by the latest run of its year
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)  # confirmed, dismissed
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Text, nullable=True)  # revision 0006
