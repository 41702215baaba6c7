"""The real flow through Prefect on a generated inbox, checked against the generator's ground truth;
then a second run over the unchanged inbox, which must extract nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.settings import Settings
from pipeline.samples import generate_inbox
from pipeline.store import Store
from pipeline.store.tables import Run
from tests.flow.helpers import codes, read_json, run_intake

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

CONTRACT_CODES = {
    "missing_recommendation_letter",
    "missing_statistics_table",
    "missing_award_list",
    "incomplete_statistics_table",
    "unlisted_recommender",
    "recommended_team_without_submission",
    "missing_registration_form",
    "missing_report_pdf",
    "missing_report_ppt",
    "team_not_recommended",
    "unreadable_file",
    "unrecognized_file",
    "duplicate_file",
}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("e2e")
    inbox, home = base / "inbox", base / "home"
    truth = generate_inbox(inbox, year=2024, seed=7, profile="tiny")
    first = run_intake(inbox, base / "out1", home)
    assert first.exit_code == 0, first.output
    second = run_intake(inbox, base / "out2", home)
    assert second.exit_code == 0, second.output
    store = Store(Settings(home=home))
    with store.session() as s:
        runs = list(s.scalars(select(Run).order_by(Run.id)))
    return truth, base / "out1", base / "out2", runs, store


def test_units_match_the_ground_truth(two_runs) -> None:
    truth, out, _, _, _ = two_runs
    found = {u["source_file"]: u for u in read_json(out, "completeness.json")["units"]}
    for expected in truth.units:
        unit = found[expected.file]
        assert unit["unit"] == expected.unit
        assert unit["listed"] is expected.listed
        for kind, pages in expected.documents.items():
            assert unit["documents"][kind]["present"] is bool(pages), (expected.file, kind)
            assert unit["documents"][kind]["pages"] == pages, (expected.file, kind)
        # the letter may give the team and its company in two columns: the report joins them
        found_teams = unit["recommended_teams"]
        assert len(found_teams) == len(expected.recommended_teams), expected.file
        for name in expected.recommended_teams:
            assert any(name in team for team in found_teams), (expected.file, name)
        got = codes(unit["problems"]) & CONTRACT_CODES
        assert got == set(expected.problems) & CONTRACT_CODES, expected.file


def test_teams_match_the_ground_truth(two_runs) -> None:
    truth, out, _, _, _ = two_runs
    found = {t["team_id"]: t for t in read_json(out, "completeness.json")["teams"]}
    assert set(found) == {t.team_id for t in truth.teams}
    for expected in truth.teams:
        team = found[expected.team_id]
        assert team["files"] == {k: expected.files.get(k) for k in team["files"]}, expected.team_id
        assert team["recommender"] == expected.recommender
        assert codes(team["problems"]) & CONTRACT_CODES == set(expected.problems) & CONTRACT_CODES


def test_odd_files_get_their_codes(two_runs) -> None:
    truth, out, _, _, _ = two_runs
    files = {f["path"]: f for f in read_json(out, "completeness.json")["files"]}
    assert truth.odd_files, "the tiny profile must contain broken files"
    for odd in truth.odd_files:
        assert odd.code in codes(files[odd.path]["problems"]), odd.path


def test_reports_have_the_contract_shapes(two_runs) -> None:
    truth, out, _, _, _ = two_runs
    flags = read_json(out, "flags.json")
    assert flags["year"] == 2024 and isinstance(flags["flags"], list)
    for flag in flags["flags"]:
        assert {"a", "b", "kind", "similarity", "copy_ratio_a", "copy_ratio_b", "evidence"} <= set(flag)
        assert flag["a"]["year"] == 2024
    statistics = read_json(out, "statistics.json")
    assert statistics["year"] == 2024
    completeness = read_json(out, "completeness.json")
    assert completeness["year"] == 2024
    for unit in completeness["units"]:
        assert set(unit["documents"]) == {"recommendation_letter", "statistics_table", "award_list"}
        for problem in unit["problems"]:
            assert set(problem) >= {"code", "message"}


def test_second_run_over_an_unchanged_inbox_extracts_nothing(two_runs) -> None:
    _, out1, out2, runs, store = two_runs
    assert [r.status for r in runs] == ["completed", "completed"]
    assert runs[0].summary["extracted"] > 0
    assert runs[1].summary["extracted"] == 0
    assert runs[1].summary["extraction_cache_hits"] == runs[0].summary["extracted"]
    assert runs[1].summary["files_new"] == 0
    assert read_json(out1, "completeness.json") == read_json(out2, "completeness.json")


def test_each_run_leaves_prefect_artifacts(two_runs) -> None:
    import httpx
    from prefect.settings import PREFECT_API_URL

    _, _, _, runs, _ = two_runs
    expected = {
        "banzu-intake-2024": "markdown",
        "banzu-intake-2024-counts": "table",
        "banzu-intake-2024-report": "markdown",  # Prefect stores a link as markdown: [text](url)
        "banzu-intake-2024-portable": "markdown",
    }
    for key, kind in expected.items():
        response = httpx.get(f"{PREFECT_API_URL.value()}/artifacts/{key}/latest", timeout=30)
        response.raise_for_status()
        artifact = response.json()
        assert artifact["type"] == kind
        assert artifact["flow_run_id"] == runs[1].flow_run_id  # the latest run wrote it
    summary = httpx.get(f"{PREFECT_API_URL.value()}/artifacts/banzu-intake-2024/latest", timeout=30).json()
    assert "推荐单位" in summary["data"]
    link = httpx.get(
        f"{PREFECT_API_URL.value()}/artifacts/banzu-intake-2024-report/latest", timeout=30
    ).json()
    assert "index.html" in link["data"] and "file://" in link["data"]


def test_each_run_also_writes_reports_that_travel(two_runs, tmp_path) -> None:
    """The run's travelling folder, copied elsewhere, has every link inside it, originals named by owner."""
    import shutil
    from urllib.parse import unquote

    from tests.reports.test_portable import broken_links, links_of

    _, _, out2, _, _ = two_runs
    moved = tmp_path / "mailed" / "2024年初选报告包"
    shutil.copytree(out2 / "2024年初选报告包", moved)
    broken, checked = broken_links(moved)
    assert broken == [] and checked > 10
    originals = [unquote(x) for x in links_of(moved / "index.html") if unquote(x).startswith("原件/")]
    assert originals and (out2 / "2024年初选报告包.zip").is_file()

