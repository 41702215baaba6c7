"""初选合格名单: the teams that passed 初选 and were not disqualified, for the expert review stage."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from core.model import CompletenessReport, TeamResult
from core.reference import recommending_units, year_rules
from pipeline.exports.sheets import titled_sheet, workbook_bytes

HEADERS = ["序号", "推荐单位", "班组名称", "所在单位", "班组编号"]


def passed_teams(completeness: CompletenessReport) -> list[TeamResult]:
    """Teams with 初选 decision `passed` and no 第十五条 disqualification, in the order of 附件2, then by id."""
    order = {u.name: u.no for u in recommending_units()}
    teams = [t for t in completeness.teams if t.review.decision == "passed" and not t.disqualified]
    return sorted(teams, key=lambda t: (order.get(t.recommender or "", 999), t.recommender or "", t.team_id))


def activity_name(year: int) -> str:
    try:
        return year_rules(year).activity or f"{year}年工程建设质量信得过班组活动"
    except Exception:  # a year without rules still gets a title
        return f"{year}年工程建设质量信得过班组活动"


def shortlist_workbook(completeness: CompletenessReport, *, today: date | None = None) -> bytes:
    """The 初选合格名单 as an .xlsx (bytes): a title with the year's activity, one row per team."""
    teams = passed_teams(completeness)
    rows = [[i, t.recommender or "（未获推荐）", t.team, t.company or t.form_fields.get("所在单位"), t.team_id]
            for i, t in enumerate(teams, 1)]
    wb = Workbook()
    ws = wb.active
    ws.title = "初选合格名单"
    day = (today or date.today()).strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
    titled_sheet(ws, f"{activity_name(completeness.year)}初选合格名单",
                 f"共 {len(teams)} 个班组（初选通过且未被取消资格）　　{day}", HEADERS, rows)
    return workbook_bytes(wb)
