"""Reading the secretariat's workbooks: header matching by Chinese column names, cell values as text/dates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value: Any) -> date | None:
    """A date from a date cell or from text like 2024-01-01, 2024/1/1, 2024.01.01, 2024年1月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.search(cell_text(value))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def dates_in(text: str) -> list[date]:
    """Every date written in `text` (a period written in one cell: 2023-01-01至2025-12-31)."""
    found = []
    for m in _DATE.finditer(text):
        try:
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return found


def find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map each wanted field to the first header cell containing one of its Chinese names."""
    cols: dict[str, int] = {}
    clean = [re.sub(r"\s+", "", h) for h in header]
    for field, names in wanted.items():
        for name in names:
            hit = next((i for i, h in enumerate(clean) if h == name), None)
            if hit is None:
                hit = next((i for i, h in enumerate(clean) if name in h), None)
            if hit is not None and hit not in cols.values():
                cols[field] = hit
                break
    return cols


def sheet_rows(path: Path, header_hint: tuple[str, ...]) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header row (the first row naming any of `header_hint`) and the rows below it with 1-based numbers."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    for i, row in enumerate(rows[:20]):
        texts = [cell_text(c) for c in row]
        if any(h in t for t in texts for h in header_hint):
            body = ((i + 2 + n, r) for n, r in enumerate(rows[i + 1 :]) if any(cell_text(c) for c in r))
            return texts, body
    raise ValueError(f"没有找到表头行（应含有“{'”或“'.join(header_hint)}”）")
