"""The expert pool (专家库): importing the secretariat's workbook and who may be drawn (第十二条)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from core.codes import Code
from core.model import Problem
from core.reference import recommending_units
from grading.model import Expert
from grading.sheets import cell_date, cell_text, dates_in, find_columns, sheet_rows

COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("专家编号", "编号", "证书编号", "聘书编号"),
    "name": ("姓名", "专家姓名"),
    "unit": ("推荐单位",),
    "company": ("所在单位", "工作单位", "所在企业", "企业", "单位名称"),
    "specialty": ("专业", "专业领域", "专长"),
    "period": ("聘任期", "聘期"),
    "start": ("聘任开始", "聘期开始", "聘任起始", "起始日期", "开始日期"),
    "end": ("聘任结束", "聘期结束", "聘任截止", "截止日期", "结束日期", "到期日期"),
    "contact": ("联系方式", "手机", "联系电话", "电话"),
    "avoid": ("回避单位", "需回避单位"),
    "status": ("状态", "在库状态"),
}
INACTIVE = ("注销", "停用", "退出", "解聘", "暂停")


class PoolImport(BaseModel):
    experts: list[Expert] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)


def _known_unit(name: str) -> bool:
    return any(name == u.name or name in u.aliases for u in recommending_units())


def expert_key(name: str, company: str, unit: str) -> str:
    """A stable key when the workbook has no 编号 column: the name within the company (or unit)."""
    return f"{name}@{company or unit}"


def experts_from_rows(header: list[str], rows: Iterable[tuple[int, list[Any]]], source: str) -> PoolImport:
    """Turn workbook rows into experts; each bad row becomes a Chinese problem and is left out."""
    cols = find_columns(header, COLUMNS)
    result = PoolImport()

    def problem(code: Code, row: int, message: str) -> None:
        result.problems.append(Problem(code=code, message=f"第 {row} 行：{message}", file=source))

    missing = [label for field, label in (("name", "姓名"), ("unit", "推荐单位")) if field not in cols]
    if "period" not in cols and not ("start" in cols and "end" in cols):
        missing.append("聘任期（或聘任开始、聘任结束）")
    if missing:
        result.problems.append(
            Problem(code=Code.EXPERT_SHEET_INVALID, message=f"专家名单缺少列：{'、'.join(missing)}", file=source)
        )
        return result
    seen: dict[str, int] = {}
    for row_no, row in rows:
        def get(field: str, row: list[Any] = row) -> Any:
            i = cols.get(field)
            return row[i] if i is not None and i < len(row) else None

        name, unit = cell_text(get("name")), cell_text(get("unit"))
        company = cell_text(get("company"))
        if not name:
            problem(Code.EXPERT_ROW_INVALID, row_no, "缺少专家姓名，未导入")
            continue
        if not unit:
            problem(Code.EXPERT_ROW_INVALID, row_no, f"专家“{name}”缺少推荐单位，未导入")
            continue
        if "period" in cols and get("period") is not None:
            found = dates_in(cell_text(get("period")))
            start, end = (found[0], found[-1]) if len(found) >= 2 else (None, None)
        else:
            start, end = cell_date(get("start")), cell_date(get("end"))
        if start is None or end is None:
            problem(Code.EXPERT_ROW_INVALID, row_no, f"专家“{name}”的聘任期无法识别（应为起止日期），未导入")
            continue
        if end < start:
            problem(Code.EXPERT_ROW_INVALID, row_no, f"专家“{name}”的聘任期结束日期早于开始日期，未导入")
            continue
        key = cell_text(get("key")) or expert_key(name, company, unit)
        if key in seen:
            problem(Code.EXPERT_DUPLICATE, row_no, f"专家“{name}”（{key}）与第 {seen[key]} 行重复，未导入")
            continue
        seen[key] = row_no
        if not _known_unit(unit):
            problem(Code.EXPERT_UNIT_UNLISTED, row_no, f"专家“{name}”的推荐单位“{unit}”不在推荐单位名单内（已导入）")
        status = cell_text(get("status"))
        avoid = [a.strip() for a in cell_text(get("avoid")).replace("；", ";").replace("、", ";").split(";")]
        result.experts.append(
            Expert(
                key=key,
                name=name,
                unit=unit,
                company=company,
                specialty=cell_text(get("specialty")),
                appointed_from=start,
                appointed_to=end,
                contact=cell_text(get("contact")),
                registered=not any(w in status for w in INACTIVE),
                avoid=[a for a in avoid if a],
            )
        )
    return result


def read_pool_workbook(path: Path) -> PoolImport:
    """Read the pool workbook at `path`; a file that cannot be read at all is one problem, never a crash."""
    try:
        header, rows = sheet_rows(path, ("姓名", "专家姓名"))
    except Exception as error:  # noqa: BLE001 - a broken or foreign file is reported, not raised
        message = str(error) if isinstance(error, ValueError) else f"无法读取专家名单：{type(error).__name__}"
        return PoolImport(problems=[Problem(code=Code.EXPERT_SHEET_INVALID, message=message, file=path.name)])
    return experts_from_rows(header, rows, path.name)


def eligible(experts: Iterable[Expert], day: date) -> list[Expert]:
    """The experts that may be drawn on `day` (第十二条), in key order so a draw does not depend on input order."""
    return sorted((e for e in experts if e.eligible_on(day)), key=lambda e: e.key)


def ineligibility_reason(expert: Expert, day: date) -> str | None:
    if not expert.registered:
        return f"{expert.name} 已不在专家库中（未注册或已注销）"
    if day < expert.appointed_from:
        return f"{expert.name} 的聘任期自 {expert.appointed_from} 起，抽取日 {day} 尚未开始"
    if day > expert.appointed_to:
        return f"{expert.name} 的聘任期已于 {expert.appointed_to} 结束（抽取日 {day}）"
    return None
