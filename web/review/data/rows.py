"""The rows the workspace lists: a unit or a team with its findings, status and what it still lacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote

from core.codes import is_blocking, title
from core.model import Problem, TeamResult, UnitResult
from pipeline.store import review as rv

DOCUMENT_TITLES = {
    "recommendation_letter": "推荐函",
    "statistics_table": "统计表（附件3）",
    "award_list": "获奖名单公布通知",
    "registration_form": "报名表",
    "report_pdf": "成果报告（PDF）",
    "report_ppt": "成果报告（PPT）",
}
UNIT_STATUSES = ("未提交", "不完整", "待补交", "完整", "初选通过")
TEAM_STATUSES = ("不完整", "完整", "初选通过", "初选不通过", "取消资格")


@dataclass
class Finding:
    problem: Problem
    key: str
    dismissal: rv.Dismissal | None = None

    @property
    def title(self) -> str:
        return title(self.problem.code)

    @property
    def blocking(self) -> bool:
        return is_blocking(self.problem.code)


STATUS_CSS = {
    "未提交": "bad",
    "不完整": "bad",
    "待补交": "warn",
    "完整": "ok",
    "初选通过": "good",
    "初选不通过": "bad",
    "取消资格": "dq",
}


def beijing_text(value: datetime | None) -> str:
    """A moment as the secretariat reads it: Beijing time to the minute, a dash for none."""
    return value.astimezone(rv.BEIJING).strftime("%Y-%m-%d %H:%M") if value else "—"


class _Shown:
    """What a unit's and a team's row share: open findings, and what the long lists print per row,
    computed once in Python (template tags cost ~0.5 ms a row)."""

    received_at: datetime | None
    findings: list[Finding]

    @property
    def open_blocking(self) -> list[Finding]:
        """Blocking findings nobody has dismissed: what keeps the row incomplete."""
        return [f for f in self.findings if f.blocking and f.dismissal is None]

    @property
    def missing(self) -> list[str]:
        return list(dict.fromkeys(f.title for f in self.open_blocking))

    @cached_property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.status, "")  # type: ignore[attr-defined]

    @cached_property
    def received_text(self) -> str:
        return beijing_text(self.received_at)

    @cached_property
    def missing_text(self) -> str:
        return "、".join(self.missing) or "—"  # type: ignore[attr-defined]

    def cells(self) -> dict[str, Any]:
        """The list's row as plain values (Django templates resolve dict keys fastest)."""
        return {k: getattr(self, k) for k in self.CELLS}  # type: ignore[attr-defined]


@dataclass(eq=False)
class TeamRow(_Shown):
    CELLS = (
        "team_id",
        "name",
        "company",
        "recommender",
        "url",
        "new",
        "status",
        "status_css",
        "received_text",
        "missing_text",
    )
    year: int
    team_id: str
    name: str
    company: str
    recommender: str
    result: TeamResult
    findings: list[Finding]
    review: Any
    disqualified_by: list[str]
    received_at: datetime | None
    new: bool

    @cached_property
    def url(self) -> str:
        return f"/{self.year}/teams/{quote(self.team_id, safe='')}/"

    @property
    def complete(self) -> bool:
        return self.result.complete or not self.open_blocking

    @property
    def status(self) -> str:
        if self.disqualified_by:
            return "取消资格"
        if self.review.decision == "failed":
            return "初选不通过"
        if self.review.decision == "passed":
            return "初选通过"
        return "完整" if self.complete else "不完整"


@dataclass(eq=False)
class UnitRow(_Shown):
    year: int
    name: str
    no: int | None
    listed: bool
    submitted: bool
    result: UnitResult | None
    findings: list[Finding]
    followup: rv.UnitFollowUp
    received_at: datetime | None
    new: bool
    teams: list[TeamRow] = field(default_factory=list)

    @cached_property
    def url(self) -> str:
        return f"/{self.year}/units/{quote(self.name, safe='')}/"

    @property
    def complete(self) -> bool:
        return self.submitted and self.result is not None and (self.result.complete or not self.open_blocking)

    @property
    def status(self) -> str:
        if not self.submitted:
            return "未提交"
        if not self.complete:
            return "待补交" if self.followup.status == "notified" else "不完整"
        if self.teams and all(t.review.decision == "passed" for t in self.teams):
            return "初选通过"
        return "完整"

    @property
    def missing(self) -> list[str]:
        return super().missing if self.submitted else ["全部材料"]
