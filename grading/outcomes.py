"""From the scores to the graded list: who is graded, each team's scores, rank and grade."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from grading.grades import assign_grades, competition_ranks, quotas
from grading.model import GradedList, Group, MaterialScore, PresentationScore, Team, TeamOutcome
from grading.rules import GradingRules
from grading.scores import quantize, team_score


def graded_list(
    year: int,
    teams: Iterable[Team],
    groups: list[Group],
    material: Iterable[MaterialScore],
    presentation: Iterable[PresentationScore],
    absent: set[str],
    rules: GradingRules,
) -> GradedList:
    """Every team with its outcome: graded, 视同放弃 (did not present), disqualified (第十五条) or unscored.

    `absent` holds the teams recorded as not presenting; a team without any presentation score did not
    present either. Only the graded teams count for the quotas.
    """
    group_of = {t: g.no for g in groups for t in g.teams}
    members_of = {g.no: set(g.experts) for g in groups}
    mat: dict[str, list] = defaultdict(list)
    for s in material:
        if s.expert in members_of.get(group_of.get(s.team_id, -1), set()):  # only the team's own group counts
            mat[s.team_id].append(s.total)
    pres: dict[str, list] = defaultdict(list)
    for p in presentation:
        pres[p.team_id].append(p.score)
    outcomes: list[TeamOutcome] = []
    for team in sorted(teams, key=lambda t: t.team_id):
        out = TeamOutcome(team=team, group=group_of.get(team.team_id))
        out.material = team_score(mat.get(team.team_id, []), rules)
        if team.team_id not in absent:
            out.presentation = team_score(pres.get(team.team_id, []), rules)
        if team.disqualified:
            out.status, out.note = "disqualified", "经查实存在剽窃、弄虚作假，取消活动资格（第十五条）"
        elif team.team_id in absent or out.presentation is None:
            out.status, out.note = "no_show", "未参与发布，视同放弃（第十条）"
        elif out.material is None or len(mat[team.team_id]) < len(members_of.get(out.group or -1, ())):
            out.status, out.note = "unscored", "申报材料评分未完成"
        else:
            out.total = quantize(out.material + out.presentation, rules.round_to)
        outcomes.append(out)
    graded = sorted((o for o in outcomes if o.status == "graded"), key=lambda o: (-o.total, o.team.team_id))
    totals = [o.total for o in graded]
    for o, rank, grade in zip(graded, competition_ranks(totals), assign_grades(totals, rules), strict=True):
        o.rank, o.grade = rank, grade
    order = {id(o): i for i, o in enumerate(graded)}
    outcomes.sort(key=lambda o: (order.get(id(o), len(order)), o.status, o.team.team_id))
    return GradedList(year=year, outcomes=outcomes, quotas=quotas(rules, len(graded)), graded_count=len(graded))
