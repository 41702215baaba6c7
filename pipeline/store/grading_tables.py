"""Tables of grading (issue 13): the expert pool, the teams to grade, draws, groups, scores, the graded list.

Scores are kept as decimal text (exact on SQLite and PostgreSQL alike); the draw keeps its whole
request (pool, teams, seed, day) so it can be repeated and shown to be what it was.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.tables import Base


class ExpertRecord(Base):
    """An expert of the pool (专家库); the pool is not tied to a year."""

    __tablename__ = "grading_experts"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    company: Mapped[str] = mapped_column(Text, default="")
    specialty: Mapped[str] = mapped_column(Text, default="")
    appointed_from: Mapped[date] = mapped_column(Date)
    appointed_to: Mapped[date] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(Text, default="")
    registered: Mapped[bool] = mapped_column(default=True)
    avoid: Mapped[list] = mapped_column(JSON, default=list)
    account: Mapped[str | None] = mapped_column(String(150), nullable=True, unique=True)  # the expert's login
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GradingTeamRecord(Base):
    """A team that passed 初选 and is to be graded in `year`."""

    __tablename__ = "grading_teams"
    __table_args__ = (UniqueConstraint("year", "team_id", name="uq_grading_team"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(Text, default="")
    recommender: Mapped[str] = mapped_column(Text, default="")
    company: Mapped[str] = mapped_column(Text, default="")
    disqualified: Mapped[bool] = mapped_column(default=False)
    absent: Mapped[bool] = mapped_column(default=False)  # recorded as not presenting: 视同放弃


class DrawRecord(Base):
    """One draw: the seed and the inputs it was made from, and the groups it gave."""

    __tablename__ = "grading_draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    seed: Mapped[int] = mapped_column(BigInteger)
    drawn_on: Mapped[date] = mapped_column(Date)
    group_count: Mapped[int] = mapped_column(Integer)
    group_size: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    request: Mapped[dict] = mapped_column(JSON)  # DrawRequest
    groups: Mapped[list] = mapped_column(JSON)  # the groups as drawn (later changes: grading_groups)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    drawn_by: Mapped[str] = mapped_column(Text)
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    current: Mapped[bool] = mapped_column(default=True)


class GroupRecord(Base):
    """A group as it stands now (the current draw with every manual change), and its 组长's submission."""

    __tablename__ = "grading_groups"
    __table_args__ = (UniqueConstraint("year", "no", name="uq_grading_group"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    no: Mapped[int] = mapped_column(Integer)
    draw_id: Mapped[int] = mapped_column(Integer)
    leader: Mapped[str] = mapped_column(String(120))
    members: Mapped[list] = mapped_column(JSON)
    teams: Mapped[list] = mapped_column(JSON)
    submitted_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class MaterialScoreRecord(Base):
    __tablename__ = "grading_material_scores"
    __table_args__ = (UniqueConstraint("year", "team_id", "expert", name="uq_grading_material"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[str] = mapped_column(String(200))
    expert: Mapped[str] = mapped_column(String(120))
    items: Mapped[dict] = mapped_column(JSON)  # item -> decimal text
    total: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PresentationScoreRecord(Base):
    __tablename__ = "grading_presentation_scores"
    __table_args__ = (UniqueConstraint("year", "team_id", "expert", name="uq_grading_presentation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    team_id: Mapped[str] = mapped_column(String(200))
    expert: Mapped[str] = mapped_column(String(120))  # an expert key, or 秘书处 for a sheet's one score
    score: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(10))  # expert, sheet
    entered_by: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GradedListRecord(Base):
    """The year's graded list: draft → submitted → approved (第十条 秘书处审定)."""

    __tablename__ = "grading_lists"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # the GradedList submitted/approved
    submitted_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
