"""The year is explicit: no run on a year without its rules; `banzu runs` lists and deletes a year's data."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from commands.main import app
from core.model import Flag, FlagSide
from core.reference import UnknownYear, available_years, default_year, year_rules
from core.settings import get_settings
from pipeline.store import Store
from pipeline.store.years import list_runs, year_rows
from tests.flow.helpers import add_year_rules

runner = CliRunner()


def test_unknown_year_is_refused_in_chinese(tmp_path: Path) -> None:
    try:
        year_rules(2031)
    except UnknownYear as error:
        assert "没有 2031 年度的活动规则" in str(error) and "2024" in str(error)
    else:
        raise AssertionError("a year without rules must be refused")
    (tmp_path / "inbox").mkdir()
    result = runner.invoke(app, ["intake", str(tmp_path / "inbox"), "--year", "2031", "--quiet"])
    assert result.exit_code == 2
    assert "没有 2031 年度的活动规则" in result.output
    assert not (get_settings().home_dir / "banzu.sqlite3").exists()  # nothing was created for 2031


def test_default_year_is_the_newest_rules_file_not_the_calendar(_banzu_home: Path) -> None:
    assert default_year() == max(available_years()) == 2024
    add_year_rules(_banzu_home, 2025)  # the secretariat adds next year's rules in BANZU_HOME/years/
    assert default_year() == 2025
    rules = year_rules(2025)
    assert rules.year == 2025 and rules.deadline.year == 2025


def _flag(year: int, team: str) -> Flag:
    return Flag(a=FlagSide(year=year, team_id=team, file="a.pdf"), b=FlagSide(year=year, team_id="B", file="b.pdf"),
                kind="cross_team", similarity=0.8, copy_ratio_a=0.5, copy_ratio_b=0.5)


def test_runs_lists_and_deletes_a_year_after_confirmation(_banzu_home: Path) -> None:
    add_year_rules(_banzu_home, 2026)
    store = Store(get_settings())
    for year in (2024, 2026):
        run = store.start_run(year, f"/inbox/{year}", f"/out/{year}")
        store.finish_run(run, "completed", {"units": 3, "units_complete": 1, "teams": 5, "teams_complete": 4,
                                            "flags": 1})
        store.save_flags(year, [_flag(year, f"A{year}")])
    reports = get_settings().reports_dir(2026)
    reports.mkdir(parents=True)

    listed = runner.invoke(app, ["runs"])
    assert listed.exit_code == 0, listed.output
    assert "2024" in listed.output and "2026" in listed.output and "已完成" in listed.output
    only = runner.invoke(app, ["runs", "--year", "2024"])
    assert "/inbox/2024" in only.output and "/inbox/2026" not in only.output

    cancelled = runner.invoke(app, ["runs", "delete", "--year", "2026"], input="n\n")
    assert cancelled.exit_code == 1 and "已取消" in cancelled.output
    assert year_rows(store, 2026) == {"runs": 1, "flags": 1}

    done = runner.invoke(app, ["runs", "delete", "--year", "2026"], input="y\n")
    assert done.exit_code == 0, done.output
    assert "已删除 2026 年度的数据" in done.output
    assert year_rows(store, 2026) == {} and not reports.exists()
    assert [r.year for r in list_runs(store)] == [2024] and year_rows(store, 2024) == {"runs": 1, "flags": 1}

    again = runner.invoke(app, ["runs", "delete", "--year", "2026", "--yes"])
    assert again.exit_code == 1 and "没有 2026 年度的数据" in again.output
