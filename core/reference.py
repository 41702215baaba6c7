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


def year_dirs() -> list[Path]:
    """Where year files live: the package's data/years/, then BANZU_HOME/years/ (the secretariat's own,
    which wins for the same year: a new year's rules can be added without touching the installation)."""
    from core.settings import get_settings

    return [DATA_DIR / "years", get_settings().home_dir / "years"]


def _year_files() -> dict[int, Path]:
    found: dict[int, Path] = {}
    for folder in year_dirs():
        if folder.is_dir():
            found.update({int(p.stem): p for p in folder.glob("*.toml") if p.stem.isdigit()})
    return found


def available_years() -> list[int]:
    return sorted(_year_files())


class UnknownYear(ValueError):
    """A year without its own rules file: its deadline and forms are unknown, so nothing runs on it."""

    def __init__(self, year: int) -> None:
        known = "、".join(str(y) for y in available_years()) or "无"
        super().__init__(
            f"没有 {year} 年度的活动规则（data/years/{year}.toml 或 BANZU_HOME/years/{year}.toml），"
            f"不能套用其他年度的规则和截止日期；已有规则的年度：{known}。请核对 --year，或先添加该年度的规则文件。"
        )
        self.year = year


def default_year() -> int:
    """The newest year with a rules file, not the calendar year: running last spring's inbox in
    autumn must not create a data set for a year nobody declared."""
    years = available_years()
    if not years:
        raise UnknownYear(0)
    return years[-1]


def year_rules(year: int) -> YearRules:
    """The rules of `year` from its own file; an unknown year raises UnknownYear."""
    path = _year_files().get(int(year))
    if path is None:
        raise UnknownYear(year)
    return _rules_from(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _rules_from(path: str, _mtime: int) -> YearRules:
    d = _load_toml(Path(path))
    return YearRules(
        year=int(Path(path).stem),
        notice=d.get("notice", ""),
        activity=d.get("activity", ""),
        deadline=d["deadline"],
        timezone=d.get("timezone", "Asia/Shanghai"),
        statistics_period=d.get("statistics_period", {}),
        unit_documents=d["unit"]["required_documents"],
        unit_document_names=d["unit"].get("document_names", {}),
        team_files=d["team"]["required_files"],
        team_file_names=d["team"].get("file_names", {}),
        registration_form_fields=d["team"].get("registration_form_fields", []),
        statistics_items=[StatisticsItem(**i) for i in d["statistics"]["items"]],
    )
