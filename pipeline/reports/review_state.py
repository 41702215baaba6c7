"""The reviewers' and discipline officers' decisions, carried into a run's results before the reports.

Decisions live in the store (初选 per team, 确认抄袭/排除 per flag); the completeness results of a run
know nothing of them. `apply_review_state` joins the two so index.html, the workbook and
completeness.json all show the same 初选 decision and the same 取消资格（第十五条）.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.model import CompletenessReport, Flag, FlagsReport, TeamReview, implicated_teams

CONFIRMED = "confirmed"


def disqualified_teams(flags: FlagsReport | Iterable[Flag], year: int) -> dict[str, list[Flag]]:
    """Team id -> the confirmed cross_team flags that disqualify it (第十五条).

    Side A is always a team of `year`; side B is too when both reports are of the same year, and then
    both teams are implicated: the flag says the two share copied text, not which one copied.
    """
    found: dict[str, list[Flag]] = {}
    for f in flags.flags if isinstance(flags, FlagsReport) else flags:
        if f.decision != CONFIRMED or f.a.year != year:
            continue
        for team in implicated_teams(f.kind, year, f.a.team_id, f.b.year, f.b.team_id):
            found.setdefault(team, []).append(f)
    return found


def apply_review_state(
    completeness: CompletenessReport,
    team_reviews: Mapping[str, TeamReview],
    flags: FlagsReport | Iterable[Flag],
) -> CompletenessReport:
    """A copy of `completeness` with each team's 初选 decision and 第十五条 disqualification filled in.

    `team_reviews` maps team id -> its latest decision; a team not in it keeps the review it has.
    A team already marked disqualified stays so: the store also counts confirmed flags this run no
    longer raises (pipeline/store/review `with_reviews`); a run's fresh results start undisqualified,
    so a decision reversed to 排除 shows in the next run.
    """
    disqualified = disqualified_teams(flags, completeness.year)
    teams = [
        t.model_copy(update={
            "review": (team_reviews.get(t.team_id) or t.review).model_copy(),
            "disqualified": t.disqualified or t.team_id in disqualified,
        })
        for t in completeness.teams
    ]
    return completeness.model_copy(update={"teams": teams})
