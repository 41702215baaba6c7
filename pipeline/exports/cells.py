"""Workbook cells that carry sender text, written so Excel or WPS never runs them as formulas.

A team folder named `=HYPERLINK("http://…","点此")` is text a sender typed; openpyxl would store a
string starting with `=` as a formula. These cells are forced to the string type and marked with
Excel's quote prefix, so the text shows as typed and stays text when the cell is edited.

(The `hostile` helper adds the project-wide guard in pipeline/reports; this local one is what the
exports use until it is on main: the integrator may point `sender_text` at it.)
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MAX_CELL = 32000  # Excel's limit is 32767 characters


def clean_text(value: Any) -> str:
    """Text openpyxl accepts: illegal control characters removed, cut to Excel's cell limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL]


def put(cell: Cell, value: Any) -> Cell:
    """Write `value` into `cell`: numbers stay numbers, every string stays a string (never a formula)."""
    if value is None or isinstance(value, bool | int | float):
        cell.value = value
        return cell
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl typed "=…" as a formula; text it is
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
