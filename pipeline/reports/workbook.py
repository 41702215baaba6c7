"""completeness.xlsx for the secretariat: one row per unit, team, problem and file, plus the statistics.

Chinese headers, frozen header row, filters on every sheet and column widths that fit Chinese text,
so the workbook can be sorted and handed on without touching it first.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.model import CompletenessReport, StatisticsReport
from core.reference import YearRules, year_rules
from pipeline.reports.cells import append_text_row, safe_cell
from pipeline.reports.common import (
    DOCUMENT_NAMES,
    FILE_STATUS_NAMES,
    LEVEL_NAMES,
    TEAM_FILE_NAMES,
    all_problems,
    atomic_write_bytes,
    href_to,
    problem_title,
)

UNIT_HEADERS = ["推荐单位", "是否在名单内", "是否完整", "是否提交", *(f"{n}（页）" for n in DOCUMENT_NAMES.values()),
                "推荐班组数", "问题数", "问题", "原件"]
TEAM_HEADERS = ["班组编号", "班组名称", "所在单位", "推荐单位", "是否完整", *TEAM_FILE_NAMES.values(), "问题数", "问题",
                "初选结论", "初选意见", "取消资格（第十五条）"]
REVIEW_NAMES = {"passed": "通过", "failed": "不通过"}
PROBLEM_HEADERS = ["级别", "对象", "问题", "说明", "文件", "页码"]
FILE_HEADERS = ["文件", "状态", "格式", "页数", "问题", "SHA-256"]
STAT_HEADERS = ["统计项", "计量单位", "合计", "未填写的单位"]

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="17324D")
_BAD_FONT = Font(color="C62828")
_LINK_FONT = Font(color="1F5FBF", underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
YES, NO = "是", "否"


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _pages(pages: list[int], present: bool) -> str:
    return "、".join(str(p) for p in pages) if pages else ("已找到" if present else "未找到")


def _problems_text(problems: list[Any]) -> str:
    return "\n".join(
        f"{problem_title(p.code)}：{p.message}" + (f"（已排除：{p.dismissed}）" if p.dismissed else "") for p in problems
    )


def _cell(value: Any) -> Any:
    return safe_cell(value)


def _width(value: Any) -> float:
    text = "" if value is None else str(value)
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.split("\n")), default=0)
    return longest + 2


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]], wrap: set[str] | None = None,
           freeze: str = "A2", max_width: float = 60) -> Worksheet:
    """A sheet with a styled frozen header, a filter over all rows and widths fitted to the content."""
    ws = wb.create_sheet(title)
    append_text_row(ws, headers)
    for row in rows:
        append_text_row(ws, row)  # sender text (folder names, form fields) is never a formula
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, Alignment(vertical="center")
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    wrap = wrap or set()
    for i, header in enumerate(headers, 1):
        letter = get_column_letter(i)
        widths = [_width(header) + 2] + [_width(r[i - 1]) for r in rows if i - 1 < len(r)]
        ws.column_dimensions[letter].width = min(max(8.0, max(widths)), max_width)
        alignment = _WRAP if header in wrap else _TOP
        for cell in ws[letter][1:]:
            cell.alignment = alignment
            if (cell.value == NO and header in ("是否完整", "是否在名单内")) or (
                cell.value == YES and header == "取消资格（第十五条）"
            ):
                cell.font = _BAD_FONT
    return ws


def _link(ws: Worksheet, column: int, hrefs: list[str | None]) -> None:
    for row, href in enumerate(hrefs, 2):
        if href:
            cell = ws.cell(row=row, column=column)
            cell.hyperlink = href
            cell.font = _LINK_FONT


def _statistics_rows(statistics: StatisticsReport, rules: YearRules) -> list[list[Any]]:
    """Totals beside each unit's own figures; choices get one row per option."""
    items = {i.key: i for i in rules.statistics_items}
    rows: list[list[Any]] = []
    per_unit = [u.get("fields", {}) for u in (*statistics.units, *statistics.unlisted)]
    for key, total in statistics.totals.items():
        item = items.get(key)
        missing = "、".join(statistics.missing.get(key, []))
        if isinstance(total, dict) and item is not None and item.type == "choices":
            for option, count in total.items():
                label = "未填" if option == "null" else option
                cells = []
                for f in per_unit:
                    picked = f.get(key)
                    tick = (picked is None or picked == []) if option == "null" else option in (picked or [])
                    cells.append("✓" if tick else None)
                rows.append([f"{key}：{label}", "个单位", count, missing if option == "null" else None, *cells])
        elif isinstance(total, dict):
            names = {"true": YES, "false": NO, "null": "未填", "filled": "已填"}
            text = "；".join(f"{names.get(k, k)} {v}" for k, v in total.items())
            cells = []
            for f in per_unit:
                v = f.get(key)
                cells.append(_yes(v) if isinstance(v, bool) else v)
            rows.append([key, None, text, missing or None, *cells])
        else:
            unit = item.unit if item else None
            rows.append([key, unit, total, missing or None, *(f.get(key) for f in per_unit)])
    coverage = statistics.coverage
    rows.append(["已汇总的名单内推荐单位", "个单位", f"{coverage.get('reported', 0)}/{coverage.get('listed', 0)}", None])
    if statistics.unlisted:
        rows.append(["不在名单内的单位（未计入合计）", None, len(statistics.unlisted),
                     "、".join(u.get("unit", "") for u in statistics.unlisted)])
    if statistics.units_without_table:
        rows.append(["没有可读统计表的单位", None, len(statistics.units_without_table),
                     "、".join(statistics.units_without_table)])
    return rows


def build_workbook(
    completeness: CompletenessReport, statistics: StatisticsReport, out_dir: Path, rules: YearRules | None = None
) -> Workbook:
    archive = {f.path: f.archive_path for f in completeness.files if f.archive_path}
    wb = Workbook()
    wb.remove(wb.active)

    unit_rows = [
        [u.unit, _yes(u.listed), _yes(u.complete), _yes(u.submitted) if u.submitted else "未提交",
         *(_pages(u.documents[k].pages, u.documents[k].present) if k in u.documents else "未找到"
           for k in DOCUMENT_NAMES),
         len(u.recommended_teams), len(u.problems), _problems_text(u.problems), u.source_file]
        for u in completeness.units
    ]
    ws = _sheet(wb, "推荐单位", UNIT_HEADERS, unit_rows, wrap={"问题"}, freeze="B2")
    _link(ws, len(UNIT_HEADERS), [href_to(archive.get(u.source_file), out_dir) for u in completeness.units])

    team_rows = [
        [t.team_id, t.team, t.company, t.recommender, _yes(t.complete),
         *(t.files.get(k) or "未提交" for k in TEAM_FILE_NAMES), len(t.problems), _problems_text(t.problems),
         REVIEW_NAMES.get(t.review.decision or "", "待初选"), t.review.reason, _yes(t.disqualified)]
        for t in completeness.teams
    ]
    ws = _sheet(wb, "班组", TEAM_HEADERS, team_rows, wrap={"问题"}, freeze="C2")
    for key in TEAM_FILE_NAMES:
        column = TEAM_HEADERS.index(TEAM_FILE_NAMES[key]) + 1
        _link(ws, column, [href_to(archive.get(t.files.get(key) or ""), out_dir) for t in completeness.teams])

    problem_rows = []
    for level, name, p in all_problems(completeness):
        default_file = next((u.source_file for u in completeness.units if u.unit == name), None) if level == "unit" \
            else (name if level == "file" else None)
        problem_rows.append([LEVEL_NAMES[level], name, problem_title(p.code), p.message,
                             p.file or default_file, p.page])
    ws = _sheet(wb, "问题", PROBLEM_HEADERS, problem_rows, wrap={"说明"}, max_width=70)
    for row, (_level, _name, p) in enumerate(all_problems(completeness), start=2):
        ws.cell(row=row, column=PROBLEM_HEADERS.index("问题") + 1).comment = Comment(p.code, "banzu")  # the tooltip

    file_rows = [
        [f.path, FILE_STATUS_NAMES.get(f.status, f.status), f.format, f.pages or None, _problems_text(f.problems),
         f.sha256]
        for f in completeness.files
    ]
    ws = _sheet(wb, "文件", FILE_HEADERS, file_rows, wrap={"问题"})
    _link(ws, 1, [href_to(f.archive_path, out_dir) for f in completeness.files])

    unit_names = [u.get("unit", "") for u in statistics.units] + [
        f"{u.get('unit', '')}（不在名单内，未计入合计）" for u in statistics.unlisted]
    stat_rows = _statistics_rows(statistics, rules or year_rules(completeness.year))
    ws = _sheet(wb, "统计汇总", [*STAT_HEADERS, *unit_names], stat_rows, wrap={"未填写的单位"}, freeze="D2",
                max_width=40)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0#"
        row[2].font = Font(bold=True)
    return wb


def write_workbook(
    path: Path, completeness: CompletenessReport, statistics: StatisticsReport, rules: YearRules | None = None
) -> Path:
    wb = build_workbook(completeness, statistics, path.parent, rules)
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue())
