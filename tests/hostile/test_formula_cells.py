"""Sender text in the workbook is text: a folder named like a formula never becomes one."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook

from core.model import CompletenessReport, StatisticsReport, TeamResult
from pipeline.reports.cells import append_text_row
from pipeline.reports.workbook import write_workbook

EVIL = ['=HYPERLINK("http://evil.example/x","点击查看")', "+1+cmd|' /C calc'!A0", "@SUM(1,2)", "=1+1"]


def test_team_folder_named_like_a_formula_stays_text(tmp_path):
    report = CompletenessReport(year=2024, teams=[
        TeamResult(team_id=EVIL[0], team=EVIL[1], company=EVIL[2], recommender=EVIL[3])])
    path = write_workbook(tmp_path / "completeness.xlsx", report, StatisticsReport(year=2024))
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {EVIL[0], EVIL[1], EVIL[2], EVIL[3]} <= values


def test_helper_for_other_workbooks(tmp_path):
    wb = Workbook()
    append_text_row(wb.active, [*EVIL, 3, None, ["a", "b"]])
    wb.save(tmp_path / "x.xlsx")
    row = next(load_workbook(tmp_path / "x.xlsx").active.iter_rows())
    assert [c.data_type for c in row[:4]] == ["s"] * 4 and [c.value for c in row[:4]] == EVIL
    assert row[4].value == 3 and row[6].value == "a、b"
