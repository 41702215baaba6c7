"""The whole check on the generator's `small` inbox (born-digital), against its ground truth."""

from __future__ import annotations

import json

import pytest

from core.codes import CODES

from .conftest import Checked

UNIT_DOCS = ("recommendation_letter", "statistics_table", "award_list")


def _unit(checked: Checked, file: str):
    return next(u for u in checked.report.units if u.source_file == file)


def test_every_unit_file_has_one_result(small_born_digital: Checked) -> None:
    got = sorted(u.source_file for u in small_born_digital.report.units if u.submitted)
    assert got == sorted(u.file for u in small_born_digital.truth.units)
    unsent = [u for u in small_born_digital.report.units if not u.submitted]
    sent = {u.unit for u in small_born_digital.report.units if u.submitted and u.listed}
    assert len(unsent) + len(sent) == 65 and all(u.source_file is None and u.listed for u in unsent)


@pytest.mark.parametrize("index", range(4))
def test_unit_documents_pages_and_codes(small_born_digital: Checked, index: int) -> None:
    truth = small_born_digital.truth.units[index]
    unit = _unit(small_born_digital, truth.file)
    assert unit.unit == truth.unit
    assert unit.listed == truth.listed
    for kind in UNIT_DOCS:
        expected = truth.documents.get(kind, [])
        assert unit.documents[kind].present == bool(expected), (kind, unit.page_kinds)
        assert unit.documents[kind].pages == expected, (kind, unit.page_kinds)
    contract_codes = {p.code for p in unit.problems if p.code in _CONTRACT_UNIT_CODES}
    assert contract_codes == set(truth.problems) & _CONTRACT_UNIT_CODES | {"late_submission"} & set(truth.problems)
    assert unit.recommended_teams == truth.recommended_teams
    for p in unit.problems:
        assert p.message and any("\u4e00" <= c <= "\u9fff" for c in p.message)
        assert p.file == truth.file


_CONTRACT_UNIT_CODES = {
    "missing_recommendation_letter", "missing_statistics_table", "missing_award_list",
    "incomplete_statistics_table", "unlisted_recommender", "recommended_team_without_submission",
    "late_submission",
}


def test_statistics_fields_exact(small_born_digital: Checked) -> None:
    for truth in small_born_digital.truth.units:
        unit = _unit(small_born_digital, truth.file)
        fields = unit.documents["statistics_table"].fields
        if truth.fields is None:
            assert fields is None
            continue
        assert fields == truth.fields


def test_blank_items_are_named_with_their_page(small_born_digital: Checked) -> None:
    blanks = [u for u in small_born_digital.truth.units if u.blank_fields]
    assert blanks, "the small profile has a unit with blank statistics items"
    for truth in blanks:
        unit = _unit(small_born_digital, truth.file)
        problem = next(p for p in unit.problems if p.code == "incomplete_statistics_table")
        assert problem.page == truth.documents["statistics_table"][0]
        assert f"第{problem.page}页" in problem.message
        for item in truth.blank_fields:
            assert item in problem.message


def test_ghost_team_is_reported_on_the_letter_page(small_born_digital: Checked) -> None:
    truth = next(u for u in small_born_digital.truth.units if "recommended_team_without_submission" in u.problems)
    unit = _unit(small_born_digital, truth.file)
    submitted = {t.team for t in small_born_digital.truth.teams}
    ghosts = [n for n in truth.recommended_teams if n not in submitted]
    found = [p for p in unit.problems if p.code == "recommended_team_without_submission"]
    assert len(found) == len(ghosts)
    for name in ghosts:
        p = next(p for p in found if name in p.message)
        assert p.page in truth.documents["recommendation_letter"]
    assert [n for n, tid in unit.matched_teams.items() if tid is None] == ghosts


def test_teams_roles_names_recommenders_and_codes(small_born_digital: Checked) -> None:
    results = {t.team_id: t for t in small_born_digital.report.teams}
    assert sorted(results) == sorted(t.team_id for t in small_born_digital.truth.teams)
    for truth in small_born_digital.truth.teams:
        team = results[truth.team_id]
        assert team.team == truth.team
        assert team.recommender == truth.recommender
        assert team.files == truth.files
        team_codes = {p.code for p in team.problems if p.code in CODES}
        expected = set(truth.problems)
        assert expected <= team_codes, (truth.team_id, team_codes)
        assert {c for c in team_codes if c.startswith("missing_") or c == "team_not_recommended"} == {
            c for c in expected if c.startswith("missing_") or c == "team_not_recommended"}
        assert team.complete == (not any(c in expected for c in (
            "missing_registration_form", "missing_report_pdf", "missing_report_ppt", "team_not_recommended")))


def test_registration_form_fields_read(small_born_digital: Checked) -> None:
    results = {t.team_id: t for t in small_born_digital.report.teams}
    checked = 0
    for truth in small_born_digital.truth.teams:
        if not truth.files.get("registration_form") or truth.form_format != "pdf":
            continue
        form = results[truth.team_id].form_fields
        for k in ("班组名称", "所在单位", "推荐单位", "班组长", "成果名称"):
            assert form.get(k) == truth.form_fields[k], (truth.team_id, k)
        checked += 1
    assert checked >= 3


def test_file_level_codes(small_born_digital: Checked) -> None:
    files = {f.path: f for f in small_born_digital.report.files}
    assert sorted(files) == sorted(f.path for f in small_born_digital.inbox.all_files())
    for odd in small_born_digital.truth.odd_files:
        result = files[odd.path]
        assert odd.code in {p.code for p in result.problems}, (odd.path, result.problems)
        status = {"unreadable_file": "error", "duplicate_file": "duplicate", "unrecognized_file": "unrecognized"}
        assert result.status == status[odd.code]
    odd_paths = {o.path for o in small_born_digital.truth.odd_files}
    for path, result in files.items():
        if path not in odd_paths:
            assert result.status == "ok", (path, result.problems)
    for path, result in files.items():  # lateness is the unit's or team's finding, once, never a file's
        assert "late_submission" not in {p.code for p in result.problems}, path
        if result.role in ("unit", "team"):  # every unit's and team's file has the sheet's time
            assert result.received_via == "record" and result.received_at is not None, path


def test_report_is_contract_json(small_born_digital: Checked) -> None:
    data = json.loads(json.dumps(small_born_digital.report.contract(), ensure_ascii=False, default=str))
    unit = data["units"][0]
    assert set(unit) >= {"unit", "source_file", "listed", "documents", "recommended_teams", "complete", "problems"}
    assert set(unit["documents"]) == set(UNIT_DOCS)
    for u in data["units"]:
        for p in u["problems"]:
            assert set(p) >= {"code", "message"}
    complete = {u["source_file"]: u["complete"] for u in data["units"]}
    for truth in small_born_digital.truth.units:
        blocking = {"missing_recommendation_letter", "missing_statistics_table", "missing_award_list",
                    "incomplete_statistics_table", "unlisted_recommender"}
        assert complete[truth.file] == (not (set(truth.problems) & blocking))
