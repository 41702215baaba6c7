"""The 收到时间 sheet as secretariats keep it: xlsx or csv, headers in their words, Beijing time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.settings import get_settings
from pipeline.received_sheet import parse_time, read_sheet
from pipeline.store import Store, review
from pipeline.store.received import (
    accept_late,
    import_sheet,
    received_records,
    record_received_time,
    subject_of,
    withdraw_acceptance,
)
from pipeline.store.years import delete_year

SECRETARIAT = review.Actor("张三", "secretariat", "cli")


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-05-31 10:20", datetime(2024, 5, 31, 2, 20, tzinfo=UTC)),
    ("2024/5/31 9:05", datetime(2024, 5, 31, 1, 5, tzinfo=UTC)),
    ("2024年5月31日10时20分", datetime(2024, 5, 31, 2, 20, tzinfo=UTC)),
    ("2024.05.30", datetime(2024, 5, 29, 16, 0, tzinfo=UTC)),  # a day alone: its first minute, in Beijing
    (datetime(2024, 5, 31, 10, 20), datetime(2024, 5, 31, 2, 20, tzinfo=UTC)),  # an Excel cell: Beijing time
    (date(2024, 5, 31), datetime(2024, 5, 30, 16, 0, tzinfo=UTC)),
    ("昨天下午", None),
    ("2024-13-40", None),
])
def test_times_are_read_as_beijing_time(text, expected) -> None:
    assert parse_time(text) == expected


def test_xlsx_with_a_title_row_and_its_own_headers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年推荐材料收到时间登记表"])
    ws.append(["序号", "推荐单位", "收到时间", "备注"])
    ws.append([1, "江苏省建筑行业协会", datetime(2024, 5, 29, 16, 30), "邮件"])
    ws.append([2, "中国安装协会", "2024年6月2日 9:00", ""])
    ws.append([3, "", "2024-05-30", ""])
    ws.append([4, "中国建筑业协会", "不详", ""])
    path = tmp_path / "收到时间.xlsx"
    wb.save(path)
    reading = read_sheet(path)
    assert [(r.line, r.name, r.kind) for r in reading.rows] == [(3, "江苏省建筑行业协会", "unit"), (4, "中国安装协会", "unit")]
    assert reading.problems == ["第5行没有单位或班组名称，已跳过。", "第6行“中国建筑业协会”的收到时间“不详”无法识别，已跳过。"]


def test_gbk_csv_of_teams_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "teams.csv"
    path.write_bytes("A0137-钢筋班组,2024-05-31 08:00\nB0042-测量班组,2024-05-20 08:00\n".encode("gbk"))
    reading = read_sheet(path)
    assert [(r.name, r.received_at.hour) for r in reading.rows] == [("A0137-钢筋班组", 8), ("B0042-测量班组", 8)]
    assert subject_of("A0137-钢筋班组") == ("team", "A0137-钢筋班组")
    assert subject_of("江苏省建筑业协会")[0] == "unit"  # a listed unit, by its canonical name


def test_records_acceptance_and_year_deletion_in_the_store(tmp_path: Path) -> None:
    store = Store(get_settings())
    path = tmp_path / "sheet.csv"
    path.write_text("班组编号,收到时间\nA0137-钢筋班组,2024-06-01 08:00\n", encoding="utf-8-sig")
    assert import_sheet(store, 2024, path, SECRETARIAT) == (1, [])
    with pytest.raises(review.ReviewError):
        accept_late(store, 2024, "team", "A0137-钢筋班组", "  ", SECRETARIAT)
    with pytest.raises(review.NotAllowed):
        accept_late(store, 2024, "team", "A0137-钢筋班组", "理由", review.Actor("李四", "reviewer", "web"))
    accept_late(store, 2024, "team", "A0137-钢筋班组", "系统故障", SECRETARIAT)
    record_received_time(store, 2024, "team", "A0137-钢筋班组", datetime(2024, 6, 1, 9, 0, tzinfo=UTC), SECRETARIAT)
    [r] = received_records(store, 2024)
    assert (r.kind, r.subject, r.received_at, r.accepted, r.reason, r.accepted_by) == (
        "team", "A0137-钢筋班组", datetime(2024, 6, 1, 9, 0, tzinfo=UTC), True, "系统故障", "张三")
    assert withdraw_acceptance(store, 2024, "team", "A0137-钢筋班组", "误操作", SECRETARIAT)
    trail = review.audit_entries(store, "team", "A0137-钢筋班组", year=2024)
    assert [e.action for e in trail] == [
        "withdraw_late_acceptance", "record_received_time", "accept_late", "record_received_time"]
    assert all(e.actor == "张三" and e.via == "cli" for e in trail)
    assert not received_records(store, 2024)[0].accepted
    assert delete_year(store, 2024) == {"received_times": 1}
    assert received_records(store, 2024) == []


def test_sample_inbox_comes_with_its_received_sheet(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from commands.main import app
    from pipeline.samples.truth import GroundTruth

    result = CliRunner().invoke(app, ["sample", str(tmp_path / "inbox"), "--profile", "tiny", "--seed", "7"])
    assert result.exit_code == 0, result.output
    truth = GroundTruth.model_validate_json((tmp_path / "inbox.truth.json").read_text(encoding="utf-8"))
    reading = read_sheet(tmp_path / "inbox.收到时间.csv")
    assert reading.problems == []
    assert {r.name for r in reading.rows} == {u.unit for u in truth.units} | {t.team_id for t in truth.teams}
    assert all(r.received_at.utcoffset().total_seconds() == 8 * 3600 for r in reading.rows)
