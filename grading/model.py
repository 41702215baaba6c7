"""What grading works on: experts, teams that passed 初选, groups, draws, scores, graded results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class Expert(BaseModel):
    """A registered expert of the pool (专家库); `key` identifies the expert across imports."""

    key: str
    name: str
    unit: str  # the recommending unit that put the expert forward (第十一条)
    company: str = ""
    specialty: str = ""
    appointed_from: date
    appointed_to: date
    contact: str = ""
    registered: bool = True
    avoid: list[str] = Field(default_factory=list)  # further units/companies the expert declared (回避单位)

    def eligible_on(self, day: date) -> bool:
        """第十二条: registered in the pool and within the appointment period on `day`."""
        return self.registered and self.appointed_from <= day <= self.appointed_to


class Team(BaseModel):
    """A team that passed 初选, as grading sees it."""

    team_id: str
    team: str = ""
    recommender: str = ""
    company: str = ""
    disqualified: bool = False  # 第十五条: a confirmed cross_team flag


class Group(BaseModel):
    no: int  # 1-based
    leader: str  # expert key of the 组长
    members: list[str]  # expert keys of the 组员 (the leader not included)
    teams: list[str] = Field(default_factory=list)  # team ids

    @property
    def experts(self) -> list[str]:
        return [self.leader, *self.members]


class DrawRequest(BaseModel):
    """Everything a draw depends on: the same request always gives the same groups."""

    year: int
    seed: int
    drawn_on: date
    group_count: int
    group_size: int  # experts per group, the 组长 included
    experts: list[Expert]  # the whole pool as it was; eligibility is decided on `drawn_on`
    teams: list[Team]


class Draw(BaseModel):
    request: DrawRequest
    groups: list[Group]
    attempts: int = 1  # how many random arrangements were tried before one satisfied every rule


class MaterialScore(BaseModel):
    """One expert's material score sheet for one team (out of the year's material_max)."""

    team_id: str
    expert: str
    items: dict[str, Decimal]
    comment: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.items.values(), Decimal(0))


class PresentationScore(BaseModel):
    """A presentation score (现场发布, out of presentation_max); `expert` is '秘书处' for a sheet's one score."""

    team_id: str
    expert: str
    score: Decimal


GradeStatus = Literal["graded", "no_show", "disqualified", "unscored"]


class TeamOutcome(BaseModel):
    team: Team
    group: int | None = None
    material: Decimal | None = None
    presentation: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    grade: str | None = None
    status: GradeStatus = "graded"
    note: str = ""


class GradedList(BaseModel):
    year: int
    outcomes: list[TeamOutcome]
    quotas: dict[str, int]  # the most teams each capped grade may hold
    graded_count: int
