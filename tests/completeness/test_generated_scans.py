"""The generator's `tiny` inbox with scanned unit files: the same answers as born-digital."""

from __future__ import annotations

import re

from .conftest import Checked


def _flat(value: object) -> object:
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value  # OCR does not see spaces


def test_scanned_units_documents_fields_and_codes(tiny_scanned: Checked) -> None:
    units = {u.source_file: u for u in tiny_scanned.report.units if u.submitted}
    assert sorted(units) == sorted(u.file for u in tiny_scanned.truth.units)
    assert any(u.scanned for u in tiny_scanned.truth.units)
    for truth in tiny_scanned.truth.units:
        unit = units[truth.file]
        assert (unit.unit, unit.listed) == (truth.unit, truth.listed)
        for kind in ("recommendation_letter", "statistics_table", "award_list"):
            assert unit.documents[kind].pages == truth.documents.get(kind, []), (truth.file, unit.page_kinds)
        assert unit.recommended_teams == truth.recommended_teams
        fields = unit.documents["statistics_table"].fields or {}
        blank_named = " ".join(p.message for p in unit.problems if p.code == "incomplete_statistics_table")
        for key, value in (truth.fields or {}).items():
            got = fields.get(key)
            if got is None and value is not None and truth.scanned:
                assert key in blank_named, (truth.file, key)  # a digit OCR lost is named, never guessed
            else:
                assert _flat(got) == _flat(value), (truth.file, key)
        contract = {p.code for p in unit.problems} & {
            "missing_recommendation_letter", "missing_statistics_table", "missing_award_list",
            "unlisted_recommender", "recommended_team_without_submission"}
        assert contract == set(truth.problems) - {"incomplete_statistics_table", "late_submission"}


def test_scanned_inbox_teams(tiny_scanned: Checked) -> None:
    teams = {t.team_id: t for t in tiny_scanned.report.teams}
    for truth in tiny_scanned.truth.teams:
        team = teams[truth.team_id]
        assert (team.team, team.recommender, team.files) == (truth.team, truth.recommender, truth.files)
        assert {p.code for p in team.problems if p.code.startswith("missing_") or p.code == "team_not_recommended"} \
            == {c for c in truth.problems if c.startswith("missing_") or c == "team_not_recommended"}
