"""Received times that are true: an inbox copied after the deadline claims no lateness; the
secretariat's 收到时间 sheet makes exactly one finding per late unit or team; an acceptance holds."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.main import app
from pipeline.samples.generate import generate_inbox
from tests.flow.helpers import codes, read_json, run_intake

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

LATE = ("late_submission", "late_submission_accepted")


def _cli(home: Path, *args: str):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BANZU_HOME", str(home))
        mp.delenv("BANZU_DATABASE_URL", raising=False)
        return CliRunner().invoke(app, list(args))


def _late(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for level, key in (("units", "unit"), ("teams", "team_id"), ("files", "path")):
        for entry in data[level]:
            hits = [p["code"] for p in entry["problems"] if p["code"] in LATE]
            if hits:
                found[entry[key]] = hits
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("received")
    truth = generate_inbox(base / "made", year=2024, seed=7, profile="tiny", scanned=False)
    inbox = base / "inbox"
    shutil.copytree(base / "made", inbox, copy_function=shutil.copy)  # copied today: long after 30 May 2024
    home = base / "home"
    first = run_intake(inbox, base / "out1", home)
    assert first.exit_code == 0, first.output

    unit_late, unit_ok = truth.units[0].unit, truth.units[1].unit
    team_late, team_ok = truth.teams[0].team_id, truth.teams[1].team_id
    sheet = base / "收到时间.csv"
    sheet.write_text("推荐单位或班组,收到时间\n"
                     f"{unit_late},2024-06-03 10:00\n{unit_ok},2024/5/28 9:00\n"
                     f"{team_late},2024年5月31日 0时10分\n{team_ok},2024-05-30 23:50\n"
                     "某个不存在的班组,无法识别的时间\n", encoding="utf-8-sig")
    imported = _cli(home, "received", "import", str(sheet), "--year", "2024", "--by", "秘书处张三")
    assert imported.exit_code == 0, imported.output
    second = run_intake(inbox, base / "out2", home)
    assert second.exit_code == 0, second.output

    accepted = _cli(home, "received", "accept", unit_late, "--reason", "邮件系统故障，已电话确认按时发送",
                    "--year", "2024", "--by", "秘书处张三")
    assert accepted.exit_code == 0, accepted.output
    third = run_intake(inbox, base / "out3", home)
    assert third.exit_code == 0, third.output
    names = {"unit_late": unit_late, "unit_ok": unit_ok, "team_late": team_late, "team_ok": team_ok}
    reports = [read_json(base / f"out{i}", "completeness.json") for i in (1, 2, 3)]
    return names, imported, reports, home, read_json(base / "out2", "statistics.json")


def test_folder_times_claim_no_lateness(runs) -> None:
    _, _, (first, _, _), _, _ = runs
    assert _late(first) == {}
    assert {f["received_via"] for f in first["files"]} == {"folder"}


def test_trusted_times_make_one_finding_per_late_unit_or_team(runs) -> None:
    names, imported, (_, second, _), _, _ = runs
    assert "已登记 2024 年度 4 条收到时间" in imported.output and "第6行" in imported.output
    assert _late(second) == {names["unit_late"]: ["late_submission"], names["team_late"]: ["late_submission"]}
    unit = next(u for u in second["units"] if u["unit"] == names["unit_late"])
    message = next(p["message"] for p in unit["problems"] if p["code"] == "late_submission")
    assert "2024年06月03日 10:00（北京时间，秘书处登记的收到时间）" in message
    team_files = [f for f in second["files"] if f["path"].startswith(f"班组申报/{names['team_late']}")]
    assert team_files and all(f["received_via"] == "record" for f in team_files)
    times = {datetime.fromisoformat(f["received_at"]) for f in team_files}
    assert times == {datetime(2024, 5, 30, 16, 10, tzinfo=UTC)}  # 00:10 on 31 May in Beijing, with its offset


def test_an_accepted_late_submission_stays_accepted(runs) -> None:
    names, _, (_, _, third), home, _ = runs
    assert _late(third) == {names["unit_late"]: ["late_submission_accepted"], names["team_late"]: ["late_submission"]}
    unit = next(u for u in third["units"] if u["unit"] == names["unit_late"])
    assert "邮件系统故障" in next(p["message"] for p in unit["problems"] if p["code"] == "late_submission_accepted")
    listed = _cli(home, "received", "list", "--year", "2024")
    assert "已接受（秘书处张三）" in listed.output and "2024-06-03 10:00" in listed.output


def test_the_whole_roster_and_coverage_in_a_run(runs) -> None:
    _, _, (_, second, _), home, statistics = runs
    units = second["units"]
    listed = [u for u in units if u["listed"]]
    assert len(listed) == 65 and all("submitted" in u for u in units)
    silent = [u for u in listed if not u["submitted"]]
    assert all(u["source_file"] is None and "unit_not_submitted" in codes(u["problems"]) for u in silent)
    sent = {u["unit"] for u in listed if u["submitted"]}
    assert sent and len(silent) == 65 - len(sent)
    assert statistics["coverage"] == {"listed": 65, "reported": len(statistics["units"])}
    assert {u["unit"] for u in statistics["units"]} <= sent
    runs_listed = _cli(home, "runs", "--year", "2024")
    assert runs_listed.exit_code == 0 and runs_listed.output.count("已完成") == 3
