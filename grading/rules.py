"""The grading part of a year file ([scoring] and [grading] of data/years/YYYY.toml).

Score sheet items, the aggregation rule, the quotas of 第十条 and the conflict-of-interest rules are
data: a new year changes them in its file, never in code.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from core.reference import DATA_DIR, available_years

ExpertField = Literal["unit", "company", "name", "specialty"]
TeamField = Literal["recommender", "company", "team_id", "team"]


class ScoreItem(BaseModel):
    key: str
    max: Decimal
    note: str = ""


class GradeQuota(BaseModel):
    """A grade of 第十条: at most `max_share` of the graded teams (the last grade: at least `min_share`)."""

    name: str
    max_share: float | None = None
    min_share: float | None = None


class ConflictRule(BaseModel):
    """An expert may not review a team when `expert`'s value and `team`'s value match."""

    expert: ExpertField
    team: TeamField
    match: Literal["equal", "contains"] = "equal"
    reason: str


class GradingRules(BaseModel):
    year: int
    material_max: Decimal = Decimal(80)
    presentation_max: Decimal = Decimal(20)
    decimals: int = 1
    material_items: list[ScoreItem]
    trim_at: int = 5
    round_to: int = 2
    group_size: int = 5
    grades: list[GradeQuota]
    conflicts: list[ConflictRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> GradingRules:
        total = sum((i.max for i in self.material_items), Decimal(0))
        if total != self.material_max:
            raise ValueError(f"评分项满分合计 {total} 与申报材料满分 {self.material_max} 不一致")
        if len(self.grades) < 2 or any(g.max_share is None for g in self.grades[:-1]):
            raise ValueError("等级配额须至少两级，且除最后一级外都有 max_share")
        if self.trim_at < 3:
            raise ValueError("去掉最高分和最低分的人数下限 trim_at 至少为 3")
        return self

    @property
    def total_max(self) -> Decimal:
        return self.material_max + self.presentation_max

    @property
    def grade_names(self) -> list[str]:
        return [g.name for g in self.grades]


def rules_from_dict(year: int, d: dict) -> GradingRules:
    scoring, grading = d["scoring"], d.get("grading", {})
    return GradingRules(
        year=year,
        material_max=Decimal(str(scoring.get("material_max", 80))),
        presentation_max=Decimal(str(scoring.get("presentation_max", 20))),
        decimals=scoring.get("decimals", 1),
        material_items=[
            ScoreItem(key=i["key"], max=Decimal(str(i["max"])), note=i.get("note", ""))
            for i in scoring["material_items"]
        ],
        trim_at=grading.get("trim_at", 5),
        round_to=grading.get("round_to", 2),
        group_size=grading.get("group_size", 5),
        grades=[GradeQuota(**g) for g in grading["grades"]],
        conflicts=[ConflictRule(**c) for c in grading.get("conflicts", [])],
    )


@lru_cache
def grading_rules(year: int) -> GradingRules:
    """The grading rules of `year`: its own file's, else those of the latest earlier year that has them."""
    for y in sorted((y for y in available_years() if y <= year), reverse=True) or available_years():
        with (DATA_DIR / "years" / f"{y}.toml").open("rb") as fh:
            d = tomllib.load(fh)
        if "scoring" in d:
            return rules_from_dict(year, d)
    raise ValueError(f"{year} 年及之前的年度文件都没有 [scoring] 评分规则")
