"""A short scanned bundle (3 pages at 200 dpi, shuffled, one upside down, one sideways), read end to end."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from checks.completeness import check_completeness
from core.model import Document, Inbox, InboxFile, UnitResult
from core.reference import recommending_units, year_rules
from extractors import extract
from pipeline.samples import names
from pipeline.samples.bundle import build_unit_bundle
from pipeline.samples.truth import UnitTruth
from pipeline.samples.unit_docs import TeamLine

RULES = year_rules(2024)


def _team(rng: random.Random, unit: object) -> TeamLine:
    company = names.company(rng, unit)
    full, kind = names.team_name(rng, company)
    return TeamLine(full, company, names.achievement(rng, kind))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, doc_cache: dict[str, Document]) -> tuple[UnitTruth, UnitResult]:
    rng = random.Random(7)
    unit = next(u for u in recommending_units() if u.name == "山东省建筑业协会")
    recommended = [_team(rng, unit) for _ in range(2)]
    others = [_team(rng, unit) for _ in range(2)]
    pdf, truth = build_unit_bundle(
        rng, unit.name, RULES, recommended=recommended, award_others=others,
        order=("award_list", "recommendation_letter", "statistics_table"), scanned=True,
        rotations={1: 180, 3: 90}, letter_style="list", mark="star", blank=["本年度对质量信得过班组活动奖励费用"],
        scan_options={"dpi": 200},
    )
    rel = f"推荐材料/2024年{unit.name}推荐材料（扫描件）.pdf"
    path = tmp_path_factory.mktemp("scan") / "bundle.pdf"
    path.write_bytes(pdf)
    sha = hashlib.sha256(pdf).hexdigest()
    if sha not in doc_cache:
        doc_cache[sha] = extract(Path(path), name=rel)
    f = InboxFile(path=rel, sha256=sha, size=len(pdf), role="unit", group=unit.name)
    report = check_completeness(Inbox(root=str(path.parent), units=[f]), {sha: doc_cache[sha]}, RULES,
                                recommending_units())
    return truth, report.units[0]


def test_scanned_documents_and_pages(scanned: tuple[UnitTruth, UnitResult]) -> None:
    truth, unit = scanned
    assert truth.page_rotations == [180, 0, 90]
    for kind in ("recommendation_letter", "statistics_table", "award_list"):
        assert unit.documents[kind].present
        assert unit.documents[kind].pages == truth.documents[kind]
    assert unit.unit == "山东省建筑业协会" and unit.listed
    assert unit.unit_in_letter == "山东省建筑业协会"


def test_scanned_statistics_fields(scanned: tuple[UnitTruth, UnitResult]) -> None:
    truth, unit = scanned
    fields = unit.documents["statistics_table"].fields
    assert fields is not None and truth.fields is not None
    problem = next(p for p in unit.problems if p.code == "incomplete_statistics_table")
    assert problem.page == truth.documents["statistics_table"][0]
    assert "本年度对质量信得过班组活动奖励费用" in problem.message
    for key, value in truth.fields.items():
        got = fields[key]
        if isinstance(value, str):
            assert re.sub(r"\s+", "", got or "") == re.sub(r"\s+", "", value), key
        elif key == "本年度推荐工程建设质量信得过班组数" and got is None:
            # RapidOCR's detector often misses a lone one-digit number in a cell (reported to the
            # extraction engineer); then the item must at least be named blank, never guessed
            assert key in problem.message
        else:
            assert got == value, key


def test_scanned_letter_teams_and_codes(scanned: tuple[UnitTruth, UnitResult]) -> None:
    truth, unit = scanned
    assert unit.recommended_teams == truth.recommended_teams
    codes = [p.code for p in unit.problems]
    # no team package arrived in this inbox: each team of the letter is reported on the letter's page
    missing = [p for p in unit.problems if p.code == "recommended_team_without_submission"]
    assert len(missing) == 2 and {p.page for p in missing} == set(truth.documents["recommendation_letter"])
    assert "recommended_team_not_in_award_list" not in codes
    assert not unit.complete
