"""Review decisions and the append-only audit trail in the store (SQLite here; PostgreSQL in test_postgres)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from commands.main import app
from core.codes import Code
from core.model import CompletenessReport, Flag, FlagSide, Problem, TeamResult, UnitResult
from core.settings import Settings
from pipeline.store import Store
from pipeline.store import review as rv

REVIEWER = rv.Actor("王审", "reviewer")
SECRETARIAT = rv.Actor("李秘", "secretariat")
OFFICER = rv.Actor("赵纪", "discipline")


def _flag(flag_id: str, a: str, b: str, b_year: int, kind: str = "cross_team") -> Flag:
    return Flag(
        a=FlagSide(year=2024, team_id=a, file=f"{a}.pdf"),
        b=FlagSide(year=b_year, team_id=b, file=f"{b}.pdf"),
        kind=kind,  # type: ignore[arg-type]
        similarity=0.9,
        copy_ratio_a=0.6,
        copy_ratio_b=0.5,
        flag_id=flag_id,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(Settings(home=tmp_path / "home"))


def test_team_decisions_need_role_and_reason_and_leave_a_trail(store: Store) -> None:
    with pytest.raises(rv.ReviewError, match="理由"):
        rv.decide_team(store, 2024, "A1", "failed", "  ", REVIEWER)
    with pytest.raises(rv.NotAllowed):
        rv.decide_team(store, 2024, "A1", "passed", None, OFFICER)
    with pytest.raises(rv.ReviewError):
        rv.decide_team(store, 2024, "A1", "maybe", "x", REVIEWER)
    assert rv.team_reviews(store, 2024) == {}  # refused changes leave nothing

    rv.decide_team(store, 2024, "A1", "passed", None, REVIEWER)
    review = rv.decide_team(store, 2024, "A1", "failed", "成果报告与报名表单位不符", REVIEWER)
    assert (review.decision, review.by, review.reason) == ("failed", "王审", "成果报告与报名表单位不符")
    assert rv.team_reviews(store, 2024)["A1"].decision == "failed"
    assert rv.team_reviews(store, 2023) == {}

    latest, first = rv.audit_entries(store, "team", "A1")
    assert (first.before, first.after) == (None, {"decision": "passed", "reason": None})
    assert latest.before == {"decision": "passed", "reason": None}
    assert latest.after == {"decision": "failed", "reason": "成果报告与报名表单位不符"}
    assert (latest.actor, latest.role, latest.via, latest.year) == ("王审", "reviewer", "web", 2024)
    assert latest.at.tzinfo is not None
    assert rv.audit_entries(store, "team", "A2") == []


def test_unit_followup_and_dismissed_findings(store: Store) -> None:
    with pytest.raises(rv.NotAllowed):
        rv.set_unit_followup(store, 2024, "中国安装协会", "notified", REVIEWER)
    f = rv.set_unit_followup(
        store, 2024, "中国安装协会", "notified", SECRETARIAT, notified_on=date(2024, 3, 5)
    )
    assert f.label == "已通知（2024-03-05）"
    rv.set_unit_followup(store, 2024, "中国安装协会", "resubmitted", SECRETARIAT)
    state = rv.unit_followups(store, 2024)["中国安装协会"]
    assert (state.status, state.notified_on, state.label) == ("resubmitted", date(2024, 3, 5), "已补交")

    problem = Problem(code="missing_document", message="缺少推荐函", file="推荐材料/x.pdf")
    with pytest.raises(rv.ReviewError):
        rv.dismiss_finding(store, 2024, "unit", "中国安装协会", problem, "", REVIEWER)
    d = rv.dismiss_finding(store, 2024, "unit", "中国安装协会", problem, "推荐函在第 3 页", REVIEWER)
    assert rv.dismissed_findings(store, 2024)[("unit", "中国安装协会")][d.key].reason == "推荐函在第 3 页"
    assert rv.restore_finding(store, 2024, "unit", "中国安装协会", d.key, "看错了", REVIEWER)
    assert rv.dismissed_findings(store, 2024) == {}
    actions = [e.action for e in rv.audit_entries(store, "unit", "中国安装协会")]
    assert actions == ["restore_finding", "dismiss_finding", "unit_followup", "unit_followup"]
    assert [e.action for e in rv.audit_entries(store, "finding", d.key)] == [
        "restore_finding",
        "dismiss_finding",
    ]


def test_flag_decisions_disqualify_this_years_teams(store: Store) -> None:
    store.save_flags(
        2024,
        [
            _flag("prior", "A1", "Z9", 2023),
            _flag("pair", "A2", "A3", 2024),
            _flag("self", "A4", "A4", 2023, kind="self_prior_year"),
            _flag("other", "A5", "A6", 2024),
        ],
    )
    with pytest.raises(rv.NotAllowed):
        rv.decide_flag(store, 2024, "prior", "confirmed", "逐段相同", REVIEWER)
    with pytest.raises(rv.ReviewError):
        rv.decide_flag(store, 2024, "prior", "confirmed", None, OFFICER)
    assert rv.decide_flag(store, 2024, "missing", "confirmed", "x", OFFICER) is None

    assert rv.decide_flag(store, 2024, "prior", "confirmed", "与2023年报告逐段相同", OFFICER).implicated == (
        "A1",
    )
    assert rv.decide_flag(store, 2024, "pair", "confirmed", "两队报告雷同", OFFICER).implicated == (
        "A2",
        "A3",
    )
    rv.decide_flag(store, 2024, "self", "confirmed", "沿用本队旧报告", OFFICER)
    rv.decide_flag(store, 2024, "other", "dismissed", "共同引用标准条文", OFFICER)
    assert rv.disqualified_teams(store, 2024) == {"A1": ["prior"], "A2": ["pair"], "A3": ["pair"]}

    report = CompletenessReport(
        year=2024, teams=[TeamResult(team_id=t, team=f"{t}班组") for t in ("A1", "A3", "A5")]
    )
    rv.decide_team(store, 2024, "A5", "passed", None, REVIEWER)
    annotated = rv.with_reviews(store, report)
    assert [t.disqualified for t in annotated.teams] == [True, True, False]
    assert annotated.teams[2].review.decision == "passed" and report.teams[2].review.decision is None

    flags = rv.with_flag_decisions(store, 2024, [_flag("pair", "A2", "A3", 2024)])
    assert (flags[0].decision, flags[0].decided_by) == ("confirmed", "赵纪") and flags[0].decided_at
    # the flag's trail also shows on both implicated teams
    assert [e.object_id for e in rv.audit_entries(store, "team", "A3")] == ["pair"]


def test_a_dismissed_finding_stays_marked_and_no_longer_keeps_a_team_incomplete(store: Store) -> None:
    wrong = Problem(code=Code.MISSING_REPORT_PPT, message="缺少成果报告（PPT）", file="班组申报/A1/报告.pdf")
    late = Problem(code=Code.LATE_SUBMISSION, message="逾期提交")
    letter = Problem(code=Code.MISSING_RECOMMENDATION_LETTER, message="缺少推荐函", page=1)
    report = CompletenessReport(
        year=2024,
        teams=[TeamResult(team_id="A1", team="钢筋班组", problems=[wrong, late]),
               TeamResult(team_id="A2", team="木工班组", problems=[wrong])],
        units=[UnitResult(unit="中国安装协会", source_file="中国安装协会.pdf", listed=True, problems=[letter])],
    )
    rv.dismiss_finding(store, 2024, "team", "A1", wrong, "PPT 在压缩包里，已核对", REVIEWER)
    rv.dismiss_finding(store, 2024, "unit", "中国安装协会", letter, "推荐函在第 3 页", REVIEWER)

    reviewed = rv.with_reviews(store, report)
    a1, a2 = reviewed.teams
    assert a1.complete and [p.dismissed for p in a1.problems] == ["PPT 在压缩包里，已核对", None]
    assert not a2.complete and a2.problems[0].dismissed is None  # the same wording on another team still counts
    assert reviewed.units[0].complete and reviewed.units[0].problems[0].contract()["dismissed"] == "推荐函在第 3 页"
    assert report.teams[0].problems[0].dismissed is None  # a new value; what it was given is untouched

    key = rv.finding_key(wrong)
    rv.restore_finding(store, 2024, "team", "A1", key, "再次核对：PPT 是 PDF 改名", REVIEWER)
    assert not rv.with_reviews(store, report).teams[0].complete


def test_audit_trail_refuses_update_and_delete_in_the_database(store: Store) -> None:
    entry = rv.record_audit(
        store, rv.Actor("admin", "admin", "cli"), "add_user", "user", "王审", after={"role": "reviewer"}
    )
    for sql in (
        "UPDATE audit_entries SET actor = 'x'",
        "DELETE FROM audit_entries",
        "UPDATE audit_subjects SET object_id = 'x'",
        "DELETE FROM audit_subjects",
    ):
        with pytest.raises(DBAPIError, match="只能追加"), store.engine.begin() as conn:
            conn.execute(text(sql))
    (kept,) = rv.audit_entries(store)
    assert (kept.id, kept.actor, kept.after) == (entry, "admin", {"role": "reviewer"})


def test_cli_flags_decide_writes_the_same_trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "cli-home"
    monkeypatch.setenv("BANZU_HOME", str(home))
    store = Store(Settings(home=home))
    store.save_flags(2024, [_flag("f1", "A1", "B1", 2024)])
    runner = CliRunner()
    refused = runner.invoke(app, ["flags", "decide", "f1", "confirmed", "--year", "2024", "--by", "赵纪"])
    assert refused.exit_code == 2 and "理由" in refused.output
    done = runner.invoke(
        app, ["flags", "decide", "f1", "确认抄袭", "--year", "2024", "--by", "赵纪", "--reason", "逐段相同"]
    )
    assert done.exit_code == 0, done.output
    (entry,) = rv.audit_entries(store, "flag", "f1")
    assert (entry.actor, entry.role, entry.via, entry.reason) == ("赵纪", "discipline", "cli", "逐段相同")
    assert rv.disqualified_teams(store, 2024) == {"A1": ["f1"], "B1": ["f1"]}
