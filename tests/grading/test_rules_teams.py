"""The year file's grading rules are checked when read; the teams to grade come from 初选."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.model import CompletenessReport, TeamResult, TeamReview
from core.reference import DATA_DIR
from grading.rules import rules_from_dict
from grading.teams import read_teams_workbook, teams_from_report
from pipeline.samples.experts import write_teams_workbook


def _year_file() -> dict:
    return tomllib.loads((DATA_DIR / "years" / "2024.toml").read_text("utf-8"))


def test_items_must_add_up_to_the_material_maximum() -> None:
    d = _year_file()
    assert rules_from_dict(2024, d).total_max == 100
    d["scoring"]["material_items"][0]["max"] += 1
    with pytest.raises(ValidationError, match="评分项满分合计 81"):
        rules_from_dict(2024, d)


def test_teams_that_passed_first_selection(tmp_path: Path) -> None:
    report = CompletenessReport(year=2024, teams=[
        TeamResult(team_id="A1", team="钢筋班组", recommender="中国安装协会", company="中安公司", complete=True,
                   review=TeamReview(decision="passed")),
        TeamResult(team_id="A2", team="测量班组", complete=True, review=TeamReview(decision="failed")),
        TeamResult(team_id="A3", team="防水班组", complete=True, disqualified=True,
                   review=TeamReview(decision="passed")),
        TeamResult(team_id="A4", team="模板班组", complete=True, form_fields={"所在单位": "某建设公司"}),
        TeamResult(team_id="A5", team="焊接班组", complete=False),
    ])
    assert [t.team_id for t in teams_from_report(report)] == ["A1", "A3"]
    assert teams_from_report(report)[1].disqualified
    loose = teams_from_report(report, complete_passes=True)
    assert [t.team_id for t in loose] == ["A1", "A3", "A4"] and loose[2].company == "某建设公司"
    teams, problems = read_teams_workbook(write_teams_workbook(tmp_path / "名单.xlsx", loose + loose[:1]))
    assert teams == loose and "班组编号重复" in problems[0].message
