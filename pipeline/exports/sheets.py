"""The look every exported workbook shares: a title row, a note row, a styled frozen header, widths
that fit Chinese text, print set-up for A4; every cell written through `cells.put`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.exports.cells import put

TITLE_FONT = Font(bold=True, size=14)
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
TOTAL_FONT = Font(bold=True)
THIN = Side(style="thin", color="8A96A3")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def text_width(value: Any) -> float:
    text = "" if value is None else str(value)
    return max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.split("\n")), default=0) + 2


def titled_sheet(
    ws: Worksheet,
    title: str,
    note: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    max_width: float = 40,
    landscape: bool = False,
) -> int:
    """Fill `ws`: title (row 1), note (row 2), headers (row 3), rows; returns the last row's number."""
    n = max(1, len(headers))
    put(ws.cell(1, 1), title).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 28
    put(ws.cell(2, 1), note).alignment = Alignment(vertical="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    for c, header in enumerate(headers, 1):
        cell = put(ws.cell(3, c), header)
        cell.font, cell.fill, cell.alignment, cell.border = HEAD_FONT, HEAD_FILL, CENTER, BOX
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            cell = put(ws.cell(r, c), value)
            cell.alignment, cell.border = WRAP, BOX
    for c, header in enumerate(headers, 1):
        widths = [text_width(header)] + [text_width(row[c - 1]) for row in rows if c - 1 < len(row)]
        ws.column_dimensions[get_column_letter(c)].width = min(max(6.0, max(widths)), max_width)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return 3 + len(rows)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
