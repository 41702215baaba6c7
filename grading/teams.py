"""The teams to grade: those that passed 初选, from a run's completeness.json or the secretariat's sheet."""

from __future__ import annotations

from pathlib import Path

from core.codes import Code
from core.model import CompletenessReport, Problem
from grading.model import Team
from grading.sheets import cell_text, find_columns, sheet_rows

COLUMNS = {
    "team_id": ("班组编号", "编号"),
    "team": ("班组名称",),
    "recommender": ("推荐单位",),
    "company": ("所在单位", "企业名称", "单位"),
    "disqualified": ("取消资格",),
}


def teams_from_report(report: CompletenessReport, complete_passes: bool = False) -> list[Team]:
    """Teams whose 初选 decision is passed (or, with `complete_passes`, undecided teams found complete)."""
    chosen = []
    for t in report.teams:
        passed = t.review.decision == "passed" or (complete_passes and t.review.decision is None and t.complete)
        if passed:
            chosen.append(Team(team_id=t.team_id, team=t.team, recommender=t.recommender or "",
                               company=t.company or t.form_fields.get("所在单位", ""), disqualified=t.disqualified))
    return sorted(chosen, key=lambda t: t.team_id)


def read_teams_workbook(path: Path) -> tuple[list[Team], list[Problem]]:
    """The 初选合格名单 as a sheet: 班组编号, 班组名称, 推荐单位, 所在单位 (and optionally 取消资格)."""
    try:
        header, rows = sheet_rows(path, ("班组编号",))
    except Exception as error:  # noqa: BLE001 - a broken file is reported, not raised
        message = str(error) if isinstance(error, ValueError) else f"无法读取班组名单：{type(error).__name__}"
        return [], [Problem(code=Code.SCORE_SHEET_INVALID, message=message, file=path.name)]
    cols = find_columns(header, COLUMNS)
    teams: dict[str, Team] = {}
    problems = []
    for row_no, row in rows:
        def get(field: str, row: list = row) -> str:
            i = cols.get(field)
            return cell_text(row[i]) if i is not None and i < len(row) else ""

        team_id = get("team_id")
        if not team_id or team_id in teams:
            problems.append(Problem(code=Code.SCORE_ROW_INVALID, file=path.name,
                                    message=f"第 {row_no} 行：{'班组编号重复' if team_id else '缺少班组编号'}，未导入"))
            continue
        teams[team_id] = Team(team_id=team_id, team=get("team"), recommender=get("recommender"),
                              company=get("company"), disqualified=get("disqualified") in ("是", "取消", "√"))
    return sorted(teams.values(), key=lambda t: t.team_id), problems
