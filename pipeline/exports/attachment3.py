"""The statistics in the layout of 附件3 (工程建设质量信得过班组活动统计表), one row per unit.

The form is one unit's column of figures; the summary the secretariat reports turns it into a table:
the listed units of 附件2 as rows in the list's order (those that reported nothing say so), the
form's items as columns in the form's order with its units of measure, a totals row over the listed
units only, and the coverage ("已汇总 N/65") in the heading. Units not on the list are shown on a
sheet of their own and never added in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from checks.statistics import parse_bool, parse_choices, parse_number
from core.model import CompletenessReport, StatisticsReport
from core.reference import RecommendingUnit, StatisticsItem, recommending_units, year_rules
from pipeline.exports.sheets import TOTAL_FONT, titled_sheet, workbook_bytes
from pipeline.exports.shortlist import activity_name

REPORTED, NO_TABLE, NOT_SENT = "已汇总", "未读到统计表", "未报送"
TICK = "✓"


def columns(items: list[StatisticsItem]) -> list[tuple[str, StatisticsItem, str | None]]:
    """(header, item, choice option) per column: a choice item gets one column per option, as ticked."""
    cols: list[tuple[str, StatisticsItem, str | None]] = []
    for item in items:
        if item.type == "choices":
            cols += [(f"{item.key}：{o}", item, o) for o in item.choices]
        else:
            cols.append((f"{item.key}（{item.unit}）" if item.unit else item.key, item, None))
    return cols


def _value(fields: dict[str, Any], item: StatisticsItem, option: str | None) -> Any:
    raw = fields.get(item.key)
    if item.numeric:
        n = parse_number(raw)
        return None if n is None else (int(n) if n == n.to_integral_value() and item.type == "int" else float(n))
    if item.type == "bool":
        b = parse_bool(raw)
        return None if b is None else ("是" if b else "否")
    if item.type == "choices":
        return TICK if option in (parse_choices(raw, item.choices) or []) else None
    return None if raw is None or not str(raw).strip() else str(raw).strip()


def _total(rows: list[dict[str, Any]], item: StatisticsItem, option: str | None) -> Any:
    values = [r[(item.key, option)] for r in rows]
    if item.numeric:
        numbers = [parse_number(v) for v in values if v is not None]
        total = sum((n for n in numbers if n is not None), Decimal(0))
        return int(total) if total == total.to_integral_value() else float(total)
    if item.type == "bool":
        return f"是 {values.count('是')}，否 {values.count('否')}"
    if item.type == "choices":
        return f"{values.count(TICK)} 家"
    return None


def attachment3_workbook(
    statistics: StatisticsReport,
    completeness: CompletenessReport | None = None,
    *,
    listed: tuple[RecommendingUnit, ...] | None = None,
) -> bytes:
    """The 附件3 summary as an .xlsx (bytes): sheet 统计汇总 (listed units + 合计) and sheet 名单外单位."""
    rules = year_rules(statistics.year)
    listed = listed if listed is not None else recommending_units()
    cols = columns(rules.statistics_items)
    # units not on the list come apart (`unlisted`) since the roll-up keeps them out of the totals
    per_unit = {u.get("unit"): u.get("fields") or {} for u in [*statistics.units, *statistics.unlisted]}
    # a unit on the roster that sent nothing carries `submitted: false` (contract, second stage)
    sent = {u.unit for u in completeness.units if getattr(u, "submitted", True) is not False} \
        if completeness is not None else set(per_unit)
    listed_names = {u.name for u in listed}

    def row_values(fields: dict[str, Any]) -> dict[tuple[str, str | None], Any]:
        return {(item.key, option): _value(fields, item, option) for _h, item, option in cols}

    reported: list[dict[str, Any]] = []
    table_rows: list[list[Any]] = []
    for u in sorted(listed, key=lambda x: x.no):
        if u.name in per_unit:
            values = row_values(per_unit[u.name])
            reported.append(values)
            status = REPORTED
        else:
            values = {(i.key, o): None for _h, i, o in cols}
            status = NO_TABLE if u.name in sent else NOT_SENT
        table_rows.append([u.no, u.name, status, *(values[(i.key, o)] for _h, i, o in cols)])
    totals = ["", "合计", f"{len(reported)} 家", *(_total(reported, i, o) for _h, i, o in cols)]
    headers = ["序号", "推荐单位", "报送情况", *(h for h, _i, _o in cols)]
    period = rules.statistics_period
    span = f"统计范围 {period.get('start', '')} 至 {period.get('end', '')}　" if period else ""
    note = f"{span}已汇总 {len(reported)}/{len(listed)} 个推荐单位；名单外单位另列（不计入合计）"

    wb = Workbook()
    ws = wb.active
    ws.title = "统计汇总"
    last = titled_sheet(ws, f"{activity_name(statistics.year)}统计表（汇总）", note, headers,
                        [*table_rows, totals], landscape=True, max_width=16)
    for cell in ws[last]:
        cell.font = TOTAL_FONT
    for row in ws.iter_rows(min_row=4, max_row=last - 1):
        if row[2].value != REPORTED:
            row[2].font = Font(color="C62828")
    ws.freeze_panes = "D4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3  # the form's items side by side: one A3 sheet wide

    outside = [(name, fields) for name, fields in per_unit.items() if name not in listed_names]
    other = wb.create_sheet("名单外单位")
    titled_sheet(other, "不在推荐单位名单内的单位（未计入合计）", f"共 {len(outside)} 个",
                 ["单位", *(h for h, _i, _o in cols)],
                 [[name, *row_values(fields).values()] for name, fields in outside], landscape=True, max_width=22)
    return workbook_bytes(wb)
