"""Workbook cells that carry what senders wrote: always text, never a formula.

A team folder named `=HYPERLINK("http://…","点击")` or a form field starting with `=`, `+`, `-` or `@`
would otherwise become a live formula when the clerk opens the workbook (CSV/formula injection).
openpyxl turns every string starting with "=" into a formula, so each sheet's cells are written
through `append_text_row` (or fixed afterwards by `keep_as_text`), which stores them as plain
strings: the text reads exactly as sent and nothing is evaluated. The exports use the same helpers.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_CELL_LIMIT = 32000  # Excel's limit is 32767 characters
YES, NO = "是", "否"


def safe_cell(value: Any) -> Any:
    """A value openpyxl accepts: numbers stay numbers; text loses control characters and is capped;
    lists and dicts are joined. Pair with `append_text_row` so text starting with "=" stays text."""
    if value is None or isinstance(value, bool | int | float):
        return (YES if value else NO) if isinstance(value, bool) else value
    if isinstance(value, list | tuple | set):
        value = "、".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = "、".join(f"{k}：{v}" for k, v in value.items())
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_CELL_LIMIT]


text_cell = safe_cell


def keep_as_text(ws: Worksheet, min_row: int = 1) -> None:
    """Every cell openpyxl took for a formula becomes the plain text it was given."""
    for row in ws.iter_rows(min_row=min_row):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def append_text_row(ws: Worksheet, values: list[Any]) -> None:
    """`ws.append` for rows holding sender text: cleaned values, no formulas."""
    ws.append([safe_cell(v) for v in values])
    keep_as_text(ws, min_row=ws.max_row)
