"""Reference data of data/: the recommending units of 附件2 and one year's rules."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class RecommendingUnit(BaseModel):
    no: int
    name: str
    kind: str
    aliases: list[str] = Field(default_factory=list)


class StatisticsItem(BaseModel):
    key: str
    type: str  # int, decimal, text, choices, bool
    unit: str | None = None
    note: str | None = None
    choices: list[str] = Field(default_factory=list)
    required: bool = True
    when: str | None = None  # only required when this bool item is true

    @property
    def numeric(self) -> bool:
        return self.type in ("int", "decimal")


# Short labels of what a unit and a team submit: report columns and headings. The year file's
# [unit.document_names] / [team.file_names] hold the year's official names (used in messages).
UNIT_DOCUMENT_LABELS = {
    "recommendation_letter": "推荐函",
    "statistics_table": "统计表（附件3）",
    "award_list": "获奖名单公布通知",
}
TEAM_FILE_LABELS = {
    "registration_form": "报名表",
    "report_pdf": "成果报告（PDF版）",
    "report_ppt": "成果报告（PPT版）",
}


class YearRules(BaseModel):
    year: int
    notice: str = ""
    activity: str = ""
    deadline: date
    timezone: str = "Asia/Shanghai"
    statistics_period: dict[str, str] = Field(default_factory=dict)
    unit_documents: list[str]
    unit_document_names: dict[str, str] = Field(default_factory=dict)
    team_files: list[str]
    team_file_names: dict[str, str] = Field(default_factory=dict)
    registration_form_fields: list[str] = Field(default_factory=list)
    statistics_items: list[StatisticsItem]

    @property
    def numeric_items(self) -> list[StatisticsItem]:
        return [i for i in self.statistics_items if i.numeric]

    def document_name(self, kind: str) -> str:
        """The year's name of a unit document or team file (the year file's), else its short label."""
        return (self.unit_document_names.get(kind) or self.team_file_names.get(kind)
                or UNIT_DOCUMENT_LABELS.get(kind) or TEAM_FILE_LABELS.get(kind) or kind)


def _load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache
def recommending_units() -> tuple[RecommendingUnit, ...]:
    data = _load_toml(DATA_DIR / "recommending_units.toml")
    return tuple(RecommendingUnit(**u) for u in data["unit"])


def available_years() -> list[int]:
    return sorted(int(p.stem) for p in (DATA_DIR / "years").glob("*.toml") if p.stem.isdigit())


@lru_cache
def year_rules(year: int) -> YearRules:
    """The rules of `year`; a year without its own file uses the latest earlier year's rules."""
    years = [y for y in available_years() if y <= year] or available_years()
    chosen = years[-1]
    d = _load_toml(DATA_DIR / "years" / f"{chosen}.toml")
    rules = YearRules(
        year=year,
        notice=d.get("notice", ""),
        activity=d.get("activity", ""),
        deadline=d["deadline"] if chosen == year else d["deadline"].replace(year=year),
        timezone=d.get("timezone", "Asia/Shanghai"),
        statistics_period=d.get("statistics_period", {}),
        unit_documents=d["unit"]["required_documents"],
        unit_document_names=d["unit"].get("document_names", {}),
        team_files=d["team"]["required_files"],
        team_file_names=d["team"].get("file_names", {}),
        registration_form_fields=d["team"].get("registration_form_fields", []),
        statistics_items=[StatisticsItem(**i) for i in d["statistics"]["items"]],
    )
    return rules
