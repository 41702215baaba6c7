"""The draw (第十二条): expert groups of one 组长 and several 组员, drawn at random with a recorded seed.

Fair and reproducible: the experts eligible on the day and the teams are put in key order, one
`random.Random(seed)` makes every choice, so the same seed and the same inputs always give the same
groups (`redraw` proves it). An arrangement is accepted only when no expert of a group has a conflict
of interest with any of its teams and the teams are spread evenly (group loads differ by at most one);
otherwise the same generator tries the next arrangement, up to `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter

from grading.conflicts import conflict_reason
from grading.model import Draw, DrawRequest, Expert, Group, Team
from grading.pool import eligible
from grading.rules import ConflictRule

MAX_ATTEMPTS = 200


class DrawInfeasible(ValueError):
    """The draw cannot satisfy the rules; the message says why, in Chinese."""


def request_fingerprint(request: DrawRequest) -> str:
    """SHA-256 of the request (seed, day, sizes, pool and teams): shows a draw was made from these inputs."""
    data = request.model_dump(mode="json")
    data["experts"] = sorted(data["experts"], key=lambda e: e["key"])
    data["teams"] = sorted(data["teams"], key=lambda t: t["team_id"])
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def draw_groups(request: DrawRequest, rules: list[ConflictRule]) -> Draw:
    """Draw `group_count` groups of `group_size` experts and assign every team that is not disqualified."""
    pool = eligible(request.experts, request.drawn_on)
    teams = sorted((t for t in request.teams if not t.disqualified), key=lambda t: t.team_id)
    g_count, size = request.group_count, request.group_size
    _check_sizes(request, pool, teams)
    allowed_any = _diagnose_teams(pool, teams, rules, size)
    rng = random.Random(request.seed)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        groups = _deal_experts(rng.sample(pool, g_count * size), g_count, rng)
        placed = _assign_teams(groups, teams, rules, rng)
        if placed is not None:
            return Draw(request=request, groups=placed, attempts=attempt)
    raise DrawInfeasible(
        f"尝试 {MAX_ATTEMPTS} 次随机分组，均无法在回避与均衡分配的条件下安排全部 {len(teams)} 个班组"
        f"（回避最多的班组：{allowed_any}）。可减少每组人数、增加组数或扩充专家库后重新抽取。"
    )


def redraw(draw: Draw, rules: list[ConflictRule]) -> bool:
    """Repeat a recorded draw from its request: True when it gives exactly the recorded groups."""
    try:
        again = draw_groups(draw.request, rules)
    except DrawInfeasible:
        return False
    return [g.model_dump() for g in again.groups] == [g.model_dump() for g in draw.groups]


def _check_sizes(request: DrawRequest, pool: list[Expert], teams: list[Team]) -> None:
    g_count, size = request.group_count, request.group_size
    if g_count < 1:
        raise DrawInfeasible("专家组数至少为 1")
    if size < 2:
        raise DrawInfeasible("每组须有组长 1 人和至少 1 名组员（每组人数至少为 2）")
    if len(pool) < g_count * size:
        raise DrawInfeasible(
            f"抽取日 {request.drawn_on} 在库且在聘任期内的专家只有 {len(pool)} 人，"
            f"不足 {g_count} 组 × 每组 {size} 人 = {g_count * size} 人"
        )
    if not teams:
        raise DrawInfeasible("没有需要评审的班组（初选合格且未取消资格的班组为 0）")
    if len(teams) < g_count:
        raise DrawInfeasible(f"班组只有 {len(teams)} 个，少于专家组数 {g_count}，有的组将无班组可评")


def _diagnose_teams(pool: list[Expert], teams: list[Team], rules: list[ConflictRule], size: int) -> str:
    """Refuse at once when a team conflicts with so many experts that no group could ever review it."""
    free = {t.team_id: sum(1 for e in pool if conflict_reason(e, t, rules) is None) for t in teams}
    for t in teams:
        if free[t.team_id] < size:
            raise DrawInfeasible(
                f"班组 {t.team_id}（{t.team or '未命名'}，推荐单位：{t.recommender or '未知'}）"
                f"与多数合格专家有回避关系，无回避关系的专家只有 {free[t.team_id]} 人，不足一组 {size} 人"
            )
    worst = sorted(teams, key=lambda t: (free[t.team_id], t.team_id))[:3]
    return "、".join(f"{t.team_id}（可评专家 {free[t.team_id]} 人）" for t in worst)


def _deal_experts(chosen: list[Expert], g_count: int, rng: random.Random) -> list[tuple[Expert, list[Expert]]]:
    """Deal the chosen experts into groups so experts of one recommending unit land in different groups.

    A group of experts from many units can review more teams; the leader is then drawn in each group.
    """
    by_unit: dict[str, list[Expert]] = {}
    for e in chosen:
        by_unit.setdefault(e.unit, []).append(e)
    units = sorted(by_unit, key=lambda u: (-len(by_unit[u]), u))
    dealt = [e for u in units for e in by_unit[u]]
    groups: list[list[Expert]] = [[] for _ in range(g_count)]
    for i, e in enumerate(dealt):
        groups[i % g_count].append(e)
    rng.shuffle(groups)
    result = []
    for members in groups:
        members = sorted(members, key=lambda e: e.key)
        leader = rng.choice(members)
        result.append((leader, [m for m in members if m.key != leader.key]))
    return result


def _assign_teams(
    groups: list[tuple[Expert, list[Expert]]], teams: list[Team], rules: list[ConflictRule], rng: random.Random
) -> list[Group] | None:
    """Every team to a group without conflicts, loads differing by at most one; None when impossible."""
    g_count = len(groups)
    allowed = {
        t.team_id: [
            g for g, (leader, members) in enumerate(groups)
            if all(conflict_reason(e, t, rules) is None for e in (leader, *members))
        ]
        for t in teams
    }
    if any(not opts for opts in allowed.values()):
        return None
    base, extra = divmod(len(teams), g_count)
    bigger = set(rng.sample(range(g_count), extra))
    capacity = [base + (1 if g in bigger else 0) for g in range(g_count)]
    unit_of = {t.team_id: t.recommender for t in teams}
    members: list[list[str]] = [[] for _ in range(g_count)]
    units_in: list[Counter[str]] = [Counter() for _ in range(g_count)]
    tiebreak = {t.team_id: rng.random() for t in teams}
    group_tiebreak = [rng.random() for _ in range(g_count)]

    def place(team_id: str, g: int) -> None:
        members[g].append(team_id)
        units_in[g][unit_of[team_id]] += 1

    def unplace(team_id: str, g: int) -> None:
        members[g].remove(team_id)
        units_in[g][unit_of[team_id]] -= 1

    def try_place(team_id: str, visited: set[int]) -> bool:
        options = sorted(
            allowed[team_id],
            key=lambda g: (units_in[g][unit_of[team_id]], len(members[g]), group_tiebreak[g]),
        )
        for g in options:
            if g not in visited and len(members[g]) < capacity[g]:
                visited.add(g)
                place(team_id, g)
                return True
        for g in options:
            if g in visited:
                continue
            visited.add(g)
            for other in list(members[g]):
                unplace(other, g)
                if try_place(other, visited):
                    place(team_id, g)
                    return True
                place(other, g)
        return False

    for team_id in sorted(allowed, key=lambda t: (len(allowed[t]), tiebreak[t])):
        if not try_place(team_id, set()):
            return None
    return [
        Group(no=i + 1, leader=leader.key, members=[m.key for m in others], teams=sorted(members[i]))
        for i, (leader, others) in enumerate(groups)
    ]


def draw_protocol(draw: Draw) -> str:
    """The draw as the secretariat shows it: seed, day, fingerprint, who could be drawn and the groups."""
    req = draw.request
    names = {e.key: e for e in req.experts}
    pool = eligible(req.experts, req.drawn_on)
    lines = [
        f"{req.year} 年专家抽取记录",
        f"抽取日：{req.drawn_on}　随机种子：{req.seed}　输入指纹：{request_fingerprint(req)}",
        f"专家库 {len(req.experts)} 人，抽取日在库且在聘任期内 {len(pool)} 人；"
        f"{req.group_count} 组 × 每组 {req.group_size} 人；班组 {sum(len(g.teams) for g in draw.groups)} 个"
        f"（第 {draw.attempts} 次排列满足全部回避与均衡条件）",
    ]
    for g in draw.groups:
        leader = names[g.leader]
        members = "、".join(names[k].name for k in g.members)
        lines.append(f"第 {g.no} 组　组长：{leader.name}（{leader.unit}）　组员：{members}　班组 {len(g.teams)} 个")
    lines.append("用相同种子与相同输入重新抽取，结果完全相同（banzu grading draw-verify）。")
    return "\n".join(lines)
