"""The 发布会 score sheet the secretariat types in: per team one score (or one per expert), or 未发布."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from core.codes import Code
from core.model import Problem
from grading.model import PresentationScore
from grading.rules import GradingRules
from grading.scores import check_presentation, parse_score
from grading.sheets import cell_text, find_columns, sheet_rows

SECRETARIAT = "秘书处"
COLUMNS = {
    "team_id": ("班组编号", "编号"),
    "team": ("班组名称",),
    "expert": ("专家编号", "专家", "评委"),
    "score": ("现场发布得分", "发布得分", "得分", "分数"),
    "presented": ("是否发布", "发布情况", "备注"),
}
ABSENT_WORDS = ("未发布", "缺席", "放弃", "未参加")  # or a plain 否 in 是否发布


class PresentationSheet(BaseModel):
    scores: list[PresentationScore] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)


def read_presentation_sheet(
    path: Path, rules: GradingRules, team_ids: set[str], experts: dict[str, str]
) -> PresentationSheet:
    """Read the sheet; `experts` maps names and keys to expert keys. Bad rows become Chinese problems."""
    out = PresentationSheet()
    try:
        header, rows = sheet_rows(path, ("班组编号",))
    except Exception as error:  # noqa: BLE001 - a broken file is reported, not raised
        message = str(error) if isinstance(error, ValueError) else f"无法读取发布评分表：{type(error).__name__}"
        out.problems.append(Problem(code=Code.SCORE_SHEET_INVALID, message=message, file=path.name))
        return out
    cols = find_columns(header, COLUMNS)
    if "score" not in cols:
        out.problems.append(Problem(code=Code.SCORE_SHEET_INVALID, message="发布评分表缺少“得分”列", file=path.name))
        return out
    seen: set[tuple[str, str]] = set()
    for row_no, row in rows:
        def get(field: str, row: list = row) -> str:
            i = cols.get(field)
            return cell_text(row[i]) if i is not None and i < len(row) else ""

        def problem(message: str, row_no: int = row_no) -> None:
            out.problems.append(Problem(code=Code.SCORE_ROW_INVALID, message=f"第 {row_no} 行：{message}", file=path.name))

        team_id = get("team_id")
        if team_id not in team_ids:
            problem(f"班组编号“{team_id}”不在本年度待评班组中，未导入" if team_id else "缺少班组编号，未导入")
            continue
        raw = get("score")
        said = get("presented")
        if said == "否" or any(w in said for w in ABSENT_WORDS):
            if raw:
                problem(f"班组 {team_id} 标为未发布却填有得分，未导入")
            elif team_id not in out.absent:
                out.absent.append(team_id)
            continue
        score = parse_score(raw)
        if score is None:
            problem(f"班组 {team_id} 的得分“{raw}”不是数字，未导入")
            continue
        why = check_presentation(score, rules)
        if why:
            problem(f"班组 {team_id}：{why}，未导入")
            continue
        name = get("expert")
        expert = experts.get(name) if name else SECRETARIAT
        if expert is None:
            problem(f"专家“{name}”不在专家库中，未导入")
            continue
        if (team_id, expert) in seen:
            problem(f"班组 {team_id} 的同一评分重复出现，未导入")
            continue
        seen.add((team_id, expert))
        out.scores.append(PresentationScore(team_id=team_id, expert=expert, score=Decimal(score)))
    return out
