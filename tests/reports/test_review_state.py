"""Decisions recorded before a run show in its reports: 初选 per team, 取消资格（第十五条） from a confirmed flag."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from openpyxl import load_workbook

from core.codes import BLOCKING
from core.model import Flag, FlagSide, FlagsReport, TeamReview
from pipeline.reports import write_reports
from pipeline.reports.review_state import apply_review_state, disqualified_teams

AT = datetime(2024, 6, 5, 9, 30, tzinfo=UTC)


def _decided(flags: FlagsReport, **decisions: str) -> FlagsReport:
    out = flags.model_copy(deep=True)
    for f in out.flags:
        f.decision = decisions.get(f.flag_id.replace("-", "_"), f.decision)
    return out


def _flag(a: str, b_year: int, b: str, kind: str = "cross_team", decision: str | None = "confirmed") -> Flag:
    return Flag(a=FlagSide(year=2024, team_id=a, file="a.pdf"), b=FlagSide(year=b_year, team_id=b, file="b.pdf"),
                kind=kind, similarity=0.7, copy_ratio_a=0.3, copy_ratio_b=0.3, decision=decision)  # type: ignore[arg-type]


def test_disqualification_follows_confirmed_cross_team_flags_only():
    flags = [
        _flag("A", 2023, "X"),  # earlier year's team: only this year's side is disqualified
        _flag("B", 2024, "C"),  # same year: both implicated
        _flag("D", 2024, "E", decision="dismissed"),
        _flag("F", 2024, "G", decision=None),
        _flag("H", 2022, "H", kind="self_prior_year"),  # own earlier material: shown apart, not 第十五条
    ]
    assert set(disqualified_teams(flags, 2024)) == {"A", "B", "C"}


def test_apply_review_state_returns_a_new_value_with_reviews_and_disqualified(completeness, flags):
    reviews = {"A0201-测量班组": TeamReview(decision="failed", by="reviewer1", at=AT, reason="缺少PPT版成果报告，逾期未补交")}
    result = apply_review_state(completeness, reviews, _decided(flags, f_strong="confirmed"))
    assert result is not completeness
    assert all(t.review.decision is None and not t.disqualified for t in completeness.teams)  # input untouched
    by_id = {t.team_id: t for t in result.teams}
    assert by_id["A0201-测量班组"].review.reason == "缺少PPT版成果报告，逾期未补交"
    assert by_id["A0137-钢筋班组"].disqualified  # f-strong: A0137 vs a 2023 team, confirmed
    assert not by_id["B0042-混凝土班组"].disqualified  # f-weak is dismissed
    # reversed to 排除 later: the next run's fresh results are not disqualified; reviews are kept
    again = apply_review_state(completeness, reviews, _decided(flags, f_strong="dismissed"))
    assert not any(t.disqualified for t in again.teams)
    assert {t.team_id: t.review for t in again.teams}["A0201-测量班组"].decision == "failed"
    # a disqualification the store found (a confirmed flag this run no longer raises) is kept
    kept = apply_review_state(result, {}, _decided(flags, f_strong="dismissed"))
    assert {t.team_id: t.disqualified for t in kept.teams}["A0137-钢筋班组"]
    assert {t.team_id: t.review for t in kept.teams}["A0201-测量班组"].decision == "failed"


def test_reports_show_review_and_disqualification_everywhere(run_dir, completeness, flags, statistics):
    reviews = {"A0137-钢筋班组": TeamReview(decision="passed", by="reviewer1", at=AT),
               "B0042-混凝土班组": TeamReview(decision="failed", by="reviewer2", at=AT, reason="未获任何单位推荐")}
    out = run_dir / "reviewed"
    written = write_reports(out, completeness, _decided(flags, f_strong="confirmed"), statistics,
                            team_reviews=reviews, portable=False)
    data = json.loads(written["completeness.json"].read_text("utf-8"))
    for team in data["teams"]:
        assert set(team["review"]) == {"decision", "by", "at", "reason"} and isinstance(team["disqualified"], bool)
    by_id = {t["team_id"]: t for t in data["teams"]}
    assert by_id["A0137-钢筋班组"]["disqualified"] is True
    assert by_id["A0137-钢筋班组"]["review"]["decision"] == "passed"
    assert by_id["B0042-混凝土班组"]["review"] == {"decision": "failed", "by": "reviewer2",
                                                  "at": "2024-06-05T09:30:00Z", "reason": "未获任何单位推荐"}
    assert by_id["A0201-测量班组"]["review"]["decision"] is None
    html = written["index.html"].read_text("utf-8")
    section = html[html.index('<section class="entity incomplete" id="team-1"'):]
    section = section[: section.index("</section>")]
    assert "取消资格（第十五条）" in section and "初选通过" in section
    assert "初选不通过" in html and "未获任何单位推荐" in html
    assert "reviewer2　·　2024-06-05 17:30" in html  # who, and when in Beijing time
    ws = load_workbook(io.BytesIO(written["completeness.xlsx"].read_bytes()))["班组"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["A0137-钢筋班组"]["取消资格（第十五条）"] == "是"
    assert rows["B0042-混凝土班组"]["初选结论"] == "不通过" and rows["B0042-混凝土班组"]["初选意见"] == "未获任何单位推荐"
    assert rows["A0201-测量班组"]["初选结论"] == "待初选"


def test_decisions_recorded_before_a_run_show_in_its_reports(tmp_path, completeness, flags, statistics):
    """The run's own steps after the checks (flows/intake.py): flags saved and annotated from the store,
    completeness joined with the store's decisions, reports written; a real SQLite store."""
    from core.settings import get_settings
    from pipeline.intake import annotate_flags
    from pipeline.store import Store
    from pipeline.store.review import Actor, decide_flag, decide_team, dismiss_finding, with_reviews

    store = Store(get_settings())
    raw = [f.model_copy(update={"decision": None, "decision_note": None}) for f in flags.flags]
    store.save_flags(2024, raw)
    decide_flag(store, 2024, "f-strong", "confirmed", "与2023年成果报告大段雷同", Actor("纪检甲", "discipline", "web"))
    decide_team(store, 2024, "B0042-混凝土班组", "failed", "未获任何单位推荐", Actor("初审甲", "reviewer", "web"))
    wrong = next(t for t in completeness.teams if not t.complete)  # every finding that blocks it judged wrong
    for p in wrong.problems:
        if p.blocks:
            dismiss_finding(store, 2024, "team", wrong.team_id, p, "经核对材料齐全", Actor("初审甲", "reviewer", "web"))
    # the next run
    again = [f.model_copy(deep=True) for f in raw]
    store.save_flags(2024, again)
    annotate_flags(store, 2024, again, [])
    reviewed = with_reviews(store, completeness)
    written = write_reports(tmp_path / "out", reviewed, FlagsReport(year=2024, flags=again), statistics,
                            portable=False)
    data = {t["team_id"]: t for t in json.loads(written["completeness.json"].read_text("utf-8"))["teams"]}
    assert data["A0137-钢筋班组"]["disqualified"] is True
    assert data["B0042-混凝土班组"]["review"]["decision"] == "failed"
    assert data["B0042-混凝土班组"]["review"]["by"] == "初审甲"
    flags_json = json.loads(written["flags.json"].read_text("utf-8"))["flags"]
    strong = next(f for f in flags_json if f["id"] == "f-strong")
    assert strong["decision"] == "confirmed" and strong["decided_by"] == "纪检甲" and strong["decided_at"]
    html = written["index.html"].read_text("utf-8")
    assert html.count("取消资格（第十五条）") >= 2  # the summary card and the team's badge
    assert data[wrong.team_id]["complete"] is True  # the dismissed findings are kept, marked, not counted
    assert {p.get("dismissed") for p in data[wrong.team_id]["problems"] if p["code"] in BLOCKING} == {"经核对材料齐全"}
    assert "理由：经核对材料齐全" in html
    ws = load_workbook(io.BytesIO(written["completeness.xlsx"].read_bytes()))["班组"]
    assert any("（已排除：经核对材料齐全）" in str(c.value) for row in ws.iter_rows() for c in row)
