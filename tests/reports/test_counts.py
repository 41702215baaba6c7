"""headline() counts each thing once: a late file the unit and the file both report is one late file."""

from __future__ import annotations

from core.codes import Code
from core.model import CompletenessReport, FileResult, FlagsReport, Problem, UnitResult
from pipeline.reports.common import headline


def test_one_late_file_is_counted_once_by_card_and_chip() -> None:
    late = Problem(code=Code.LATE_SUBMISSION, message="逾期", file="推荐材料/甲.pdf")
    crashed = Problem(code=Code.EXTRACTION_FAILED, message="出错", file="推荐材料/乙.pdf")
    report = CompletenessReport(
        year=2024,
        units=[UnitResult(unit="甲", source_file="推荐材料/甲.pdf", listed=True, problems=[late])],
        files=[FileResult(path="推荐材料/甲.pdf", sha256="a", problems=[late]),
               FileResult(path="推荐材料/乙.pdf", sha256="b", status="error", problems=[crashed])],
    )
    h = headline(report, FlagsReport(year=2024))
    assert h["late"] == h["problem_codes"][Code.LATE_SUBMISSION] == 1
    assert h["unreadable"] == 1  # a crashed reader counts as unreadable, as in the CLI line
