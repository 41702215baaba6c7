"""The 收到时间 sheet: a secretariat's list of when each unit's or team's material came (xlsx or csv).

One row per unit or team: its name (a unit of the list, a team's id or name) and the time it was
received, in Beijing time. Headers are found by their words (推荐单位/单位, 班组/编号, 收到时间/时间);
without a header the first column is the name and the second the time. Rows that cannot be read are
reported by their line, never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.beijing import BEIJING

TIME_WORDS = ("收到时间", "接收时间", "收件时间", "送达时间", "到达时间", "提交时间", "时间", "日期", "received")
UNIT_WORDS = ("推荐单位", "单位")
TEAM_WORDS = ("班组编号", "班组名称", "班组", "编号", "team")
NAME_WORDS = ("名称", "单位或班组", "对象", "name")
_STAMP = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:[T\s]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})?"
    r"\s*(?:[:：分]\s*(\d{1,2}))?)?")
EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass
class SheetRow:
    line: int
    name: str
    kind: str | None  # "unit" or "team" when the column says so
    received_at: datetime  # aware, Beijing time


@dataclass
class SheetReading:
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from a cell: a datetime or date (Beijing time), an Excel serial number, or
    text such as 2024-05-31 10:20, 2024/5/31 10:20, 2024年5月31日10时20分; None when unreadable."""
    if isinstance(value, datetime):
        return value.astimezone(BEIJING) if value.tzinfo else value.replace(tzinfo=BEIJING)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=BEIJING)
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial date
        return (EXCEL_EPOCH + timedelta(days=float(value))).replace(tzinfo=BEIJING)
    if not isinstance(value, str):
        return None
    m = _STAMP.search(value.strip())
    if m is None:
        return None
    y, mo, d, h, mi, se = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, se, tzinfo=BEIJING)
    except ValueError:
        return None


def _cells(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("无法识别文件的文字编码（请另存为 UTF-8 或 GBK 编码的 CSV，或 xlsx）")
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",\t;，") if text.strip() else csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _column(header: Sequence[str], words: Iterable[str]) -> int | None:
    for word in words:
        for i, h in enumerate(header):
            if word in h:
                return i
    return None


def read_sheet(path: Path) -> SheetReading:
    """Every readable row of the sheet at PATH, and what could not be read, by line."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise ValueError(f"只能导入 xlsx 或 csv 文件：{path.name}")
    rows = _cells(path)
    reading = SheetReading()
    start, name_col, time_col, kind = 0, 0, 1, None
    for i, row in enumerate(rows[:10]):
        header = [str(c or "").strip().lower() for c in row]
        t = _column(header, TIME_WORDS)
        if t is None or sum(bool(h) for h in header) < 2:  # a title line above the table is no header
            continue
        header_wo_time = [h if j != t else "" for j, h in enumerate(header)]
        u, tm, n = (_column(header_wo_time, UNIT_WORDS), _column(header_wo_time, TEAM_WORDS),
                    _column(header_wo_time, NAME_WORDS))
        name_col = next(c for c in (n, u, tm, 0 if t != 0 else 1) if c is not None)
        says_unit, says_team = name_col == u, name_col == tm  # "推荐单位或班组" says both: no hint
        kind = "unit" if says_unit and not says_team else "team" if says_team and not says_unit else None
        start, time_col = i + 1, t
        break
    for number, row in enumerate(rows[start:], start + 1):
        cells = [c for c in row]
        if not any(str(c or "").strip() for c in cells):
            continue
        name = str(cells[name_col] or "").strip() if name_col < len(cells) else ""
        raw = cells[time_col] if time_col < len(cells) else None
        when = parse_time(raw)
        if not name:
            reading.problems.append(f"第{number}行没有单位或班组名称，已跳过。")
        elif when is None:
            reading.problems.append(f"第{number}行“{name}”的收到时间“{raw if raw is not None else ''}”无法识别，已跳过。")
        else:
            reading.rows.append(SheetRow(number, name, kind, when))
    return reading
