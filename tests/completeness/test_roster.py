"""The whole roster: all 65 listed units in the reports, 未提交 for the silent ones, the unlisted apart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from checks.completeness import check_completeness
from checks.statistics import parse_number, roll_up
from core.reference import recommending_units, year_rules
from pipeline.reports import write_reports

from .conftest import Checked

RULES = year_rules(2024)
ROSTER = recommending_units()


def test_all_listed_units_reported_and_statistics_cover_only_them(small_born_digital: Checked, tmp_path: Path) -> None:
    truth, report = small_born_digital.truth, small_born_digital.report
    sent = {u.unit for u in truth.units if u.listed}
    unlisted = [u for u in truth.units if not u.listed]
    assert sent and unlisted  # the profile has N listed units and one unlisted
    units = report.units
    assert {u.unit for u in units if u.listed} == {u.name for u in ROSTER}  # all 65
    silent = [u for u in units if not u.submitted]
    assert len(silent) == len(ROSTER) - len(sent)
    assert all(u.source_file is None and not u.complete for u in silent)
    assert all(u.submitted for u in units if u.unit in sent or not u.listed)
    assert all([p.code for p in u.problems] == ["unit_not_submitted"] for u in silent)  # past the deadline

    # the unlisted unit (its file has no table in this profile) sends the figures of a listed one
    report = report.model_copy(deep=True)
    donor = next(u for u in report.units if u.listed and u.submitted and u.documents["statistics_table"].present)
    stranger = next(u for u in report.units if not u.listed)
    stranger.documents["statistics_table"] = donor.documents["statistics_table"].model_copy(deep=True)
    statistics = roll_up(report, RULES)
    with_table = {u.unit for u in truth.units if u.listed and u.fields is not None}
    assert statistics.coverage == {"listed": 65, "reported": len(with_table)}
    assert {u["unit"] for u in statistics.units} == with_table
    assert [u["unit"] for u in statistics.unlisted] == [stranger.unit] == [u.unit for u in unlisted]
    key = "本年度开展质量信得过班组活动企业数"
    expected = sum(int(parse_number(u.fields[key])) for u in truth.units
                   if u.listed and u.fields and u.fields.get(key) is not None)
    assert statistics.totals[key] == expected  # the unlisted unit's figure is not in the total

    out = write_reports(tmp_path, report, _no_flags(), statistics)
    html = Path(out["index.html"]).read_text(encoding="utf-8")
    assert all(u.name in html for u in ROSTER)
    assert f"未提交材料的推荐单位（{len(silent)}）" in html
    assert f"已汇总 {len(with_table)}/65" in html and "未计入合计的单位" in html
    ws = load_workbook(out["completeness.xlsx"])["推荐单位"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(units) and sum(r[3] == "未提交" for r in rows) == len(silent)
    stats = load_workbook(out["completeness.xlsx"])["统计汇总"]
    assert f"{stranger.unit}（不在名单内，未计入合计）" in [c.value for c in stats[1]]


def test_before_the_deadline_a_silent_unit_is_no_finding(small_born_digital: Checked) -> None:
    early = datetime(2024, 5, 20, tzinfo=UTC)
    report = check_completeness(small_born_digital.inbox, small_born_digital.documents, RULES, ROSTER, now=early)
    silent = [u for u in report.units if not u.submitted]
    assert silent and all(u.problems == [] and not u.complete for u in silent)


def _no_flags():
    from core.model import FlagsReport

    return FlagsReport(year=2024)
