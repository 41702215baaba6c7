"""A generated grading year: an expert pool (with its workbook) and the teams that passed 初选.

Experts come from the recommending units of 附件2; some work at a company that also has a team under
another unit (so the company rule matters on its own), some are out of their appointment period on
the draw day or no longer registered (第十二条). Same seed, same pool and teams.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from core.reference import recommending_units
from grading.model import Expert, Team
from pipeline.samples.names import company, mobile, person, team_id, team_name

SPECIALTIES = ("房屋建筑", "市政工程", "铁路工程", "公路工程", "水利水电", "机电安装", "冶金工程", "石油化工",
               "电力工程", "港口航道", "通信工程", "质量管理")
POOL_HEADER = ["专家编号", "姓名", "推荐单位", "所在单位", "专业", "聘任开始", "聘任结束", "联系方式", "回避单位", "状态"]


def passed_teams(seed: int, count: int = 120, units: int = 30) -> list[Team]:
    """`count` teams from `units` recommending units, a few units with many teams (as in a real year)."""
    rng = random.Random(seed)
    chosen = rng.sample(list(recommending_units()), units)
    weights = [rng.choice((1, 1, 2, 3, 6)) for _ in chosen]
    used: set[str] = set()
    teams = []
    for i in range(count):
        unit = chosen[i] if i < len(chosen) else rng.choices(chosen, weights)[0]
        firm = company(rng, unit)
        name, kind = team_name(rng, firm)
        teams.append(Team(team_id=team_id(rng, kind, used), team=name, recommender=unit.name, company=firm))
    return sorted(teams, key=lambda t: t.team_id)


def expert_pool(seed: int, teams: list[Team], day: date, count: int = 40, out_of_period: int = 4) -> list[Expert]:
    """`count` experts; `out_of_period` of them cannot be drawn on `day` (expired, not yet started, deregistered)."""
    rng = random.Random(seed + 1)
    units = list(recommending_units())
    known = {u.name: u for u in units}
    team_units = sorted({t.recommender for t in teams if t.recommender in known}) or sorted(known)
    experts = []
    for i in range(count):
        unit = known[rng.choice(team_units)] if rng.random() < 0.6 else rng.choice(units)
        firm = rng.choice(teams).company if rng.random() < 0.2 else company(rng, unit)
        start = day - timedelta(days=rng.randint(30, 900))
        end = day + timedelta(days=rng.randint(30, 900))
        registered = True
        if i < out_of_period:
            kind = i % 3
            if kind == 0:
                end = day - timedelta(days=rng.randint(1, 200))
                start = end - timedelta(days=1095)
            elif kind == 1:
                start = day + timedelta(days=rng.randint(1, 60))
                end = start + timedelta(days=1095)
            else:
                registered = False
        experts.append(
            Expert(
                key=f"ZJ{i + 1:03d}",
                name=person(rng),
                unit=unit.name,
                company=firm,
                specialty=rng.choice(SPECIALTIES),
                appointed_from=start,
                appointed_to=end,
                contact=mobile(rng),
                registered=registered,
            )
        )
    return experts


def write_pool_workbook(path: Path, experts: list[Expert], bad_rows: bool = False) -> Path:
    """The pool as the secretariat keeps it; `bad_rows` adds rows the import must refuse with a reason."""
    wb = Workbook()
    ws = wb.active
    ws.title = "专家库"
    ws.append(["中施企协工程建设质量信得过班组活动专家库"])
    ws.append(POOL_HEADER)
    for e in experts:
        ws.append([e.key, e.name, e.unit, e.company, e.specialty, e.appointed_from, e.appointed_to, e.contact,
                   "；".join(e.avoid), "在库" if e.registered else "注销"])
    if bad_rows:
        ws.append(["ZJ900", "", "中国安装协会", "某公司", "机电安装", date(2024, 1, 1), date(2026, 1, 1), "", "", ""])
        ws.append(["ZJ901", "钱多", "中国安装协会", "某公司", "机电安装", "明年", "后年", "", "", ""])
        ws.append(["ZJ902", "孙少", "", "某公司", "机电安装", date(2024, 1, 1), date(2026, 1, 1), "", "", ""])
        ws.append(["ZJ903", "周全", "中国安装协会", "某公司", "机电安装", date(2026, 1, 1), date(2024, 1, 1), "", "", ""])
        if experts:
            e = experts[0]
            ws.append([e.key, e.name, e.unit, e.company, e.specialty, e.appointed_from, e.appointed_to, "", "", ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_teams_workbook(path: Path, teams: list[Team]) -> Path:
    """The teams that passed 初选, one per row (the columns of the 初选合格名单)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["班组编号", "班组名称", "推荐单位", "所在单位", "取消资格"])
    for t in teams:
        ws.append([t.team_id, t.team, t.recommender, t.company, "是" if t.disqualified else ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
