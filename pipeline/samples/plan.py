"""What goes into an inbox of each profile: units, teams and the situations each one carries.

A plan is pure data drawn from the seed; `generate.py` turns it into files. Situations are named
(e.g. "scanned", "omit_award_list", "missing_report_ppt") so that each profile covers its list of
cases deliberately instead of hoping the dice produce them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from core.reference import recommending_units
from pipeline.samples import names

UNLISTED_UNITS = ("苏州市建筑行业协会", "华东建设工程质量促进会", "宁波市建筑业协会")
EXTRA_WORDS = ("{u}推荐材料", "{u}（2024年质量信得过班组推荐）", "关于推荐质量信得过班组的函-{u}", "{u}-推荐函及统计表")

# unit situations per profile, one set per unit (their count is the number of units)
UNIT_SITUATIONS: dict[str, list[set[str]]] = {
    "tiny": [set(), {"scanned"}],
    "small": [
        {"extra_words", "ghost", "star", "wqy"},
        {"scanned", "rotated", "shuffled", "blank"},
        {"omit_award_list", "list_style", "late", "partly_scanned"},
        {"unlisted", "omit_statistics_table", "highlight"},
    ],
    "demo": [
        {"extra_words", "star", "alias"},
        {"scanned", "rotated", "shuffled"},
        {"omit_award_list", "list_style", "wqy"},
        {"unlisted", "highlight", "partly_scanned", "photo_table"},
        {"blank", "ghost", "wqy", "late"},
        {"scanned", "omit_statistics_table", "rotated"},
    ],
}
TEAMS_PER_UNIT = {"tiny": [2, 1], "small": [2, 2, 2, 1], "demo": [3, 3, 2, 1, 2, 2]}
# team situations, assigned in order to the recommended teams (then the stray team)
TEAM_SITUATIONS: dict[str, list[set[str]]] = {
    "tiny": [{"zip_nested"}, set(), set()],
    "small": [
        {"zip_nested", "copy_source"},
        {"form_jpg_photo"},
        {"zip_flat", "copier"},
        {"missing_report_ppt"},
        {"form_png_scan", "wqy"},
        {"missing_registration_form"},
        {"late", "zip_flat", "form_scanned_pdf"},
    ],
    "demo": [
        {"zip_nested", "copy_source"},
        {"form_jpg_photo"},
        set(),
        {"wqy"},
        {"zip_flat", "copier"},
        {"missing_report_ppt"},
        {"zip_nested", "zip_mac", "wqy"},
        {"form_png_scan"},
        {"missing_registration_form"},
        set(),
        {"late"},
        {"zip_flat", "form_scanned_pdf"},
        {"wqy"},
    ],
}
ODD_FILES = {
    "tiny": ["empty", "truncated", "stray_unit_dir"],
    "small": ["empty", "truncated", "encrypted", "png_as_pdf", "docx_as_pdf", "duplicate", "stray_unit_dir",
              "stray_root"],
    "demo": ["empty", "truncated", "encrypted", "png_as_pdf", "docx_as_pdf", "duplicate", "stray_unit_dir",
             "stray_root"],
}


@dataclass
class TeamPlan:
    team_id: str
    name: str
    kind: str
    company: str
    claimed_unit: str  # the 推荐单位 the team wrote on its form
    recommender: str | None  # the unit whose letter names it (None: nobody's)
    achievement: str
    situations: set[str] = field(default_factory=set)
    form: dict[str, str] = field(default_factory=dict)
    prior_source: str | None = None  # team_id of the earlier year's team whose report this one reuses


@dataclass
class UnitPlan:
    unit: str
    listed: bool
    file_stem: str
    situations: set[str] = field(default_factory=set)
    teams: list[TeamPlan] = field(default_factory=list)
    ghosts: list[TeamPlan] = field(default_factory=list)  # named in the letter, never submitted


@dataclass
class InboxPlan:
    units: list[UnitPlan]
    stray_teams: list[TeamPlan]
    odd_files: list[str]

    @property
    def teams(self) -> list[TeamPlan]:
        return [t for u in self.units for t in u.teams] + self.stray_teams


def _team(rng: random.Random, unit: str, kind_of_unit: str, used: set[str], recommender: str | None) -> TeamPlan:
    company = names.company(rng, unit, kind_of_unit)
    name, kind = names.team_name(rng, company)
    tid = names.team_id(rng, kind, used)
    ach = names.achievement(rng, kind)
    form = {
        "报名编号": f"ZSQX{rng.randint(100000, 999999)}",
        "班组名称": name,
        "所在单位": company,
        "推荐单位": unit,
        "班组长": names.person(rng),
        "成果名称": ach,
        "班组人数": str(rng.randint(6, 30)),
        "联系人": names.person(rng),
        "联系电话": names.mobile(rng),
    }
    return TeamPlan(tid, name, kind, company, unit, recommender, ach, set(), form)


def make_plan(rng: random.Random, profile: str, scanned: bool | None = None) -> InboxPlan:
    """The units, teams and situations of one inbox of `profile` ("tiny", "small" or "demo")."""
    if profile not in UNIT_SITUATIONS:
        raise ValueError(f"unknown profile {profile!r}: use tiny, small or demo")
    listed = list(recommending_units())
    chosen = rng.sample(listed, len(UNIT_SITUATIONS[profile]))
    for i, sits in enumerate(UNIT_SITUATIONS[profile]):  # a file named by an alias needs a unit that has one
        if "alias" in sits and not chosen[i].aliases:
            spare = [u for u in listed if u.aliases and u not in chosen]
            if spare:
                chosen[i] = rng.choice(spare)
    used: set[str] = set()
    units: list[UnitPlan] = []
    for ru, sits, n in zip(chosen, UNIT_SITUATIONS[profile], TEAMS_PER_UNIT[profile], strict=True):
        sits = set(sits)
        if scanned is False:
            sits -= {"scanned", "rotated", "partly_scanned", "photo_table"}
        elif scanned is True:
            sits.add("scanned")
        name, kind, is_listed = ru.name, ru.kind, True
        if "unlisted" in sits:
            name, kind, is_listed = rng.choice(UNLISTED_UNITS), "regional_association", False
        in_name = rng.choice(ru.aliases) if "alias" in sits and ru.aliases and is_listed else name
        stem = rng.choice(EXTRA_WORDS).format(u=in_name) if "extra_words" in sits else in_name
        up = UnitPlan(name, is_listed, stem, sits)
        # without a letter nobody names the unit's teams: they are "team_not_recommended"
        recommender = None if "omit_recommendation_letter" in sits else name
        up.teams = [_team(rng, name, kind, used, recommender) for _ in range(n)]
        if "ghost" in sits and recommender:
            up.ghosts = [_team(rng, name, kind, used, name)]
        units.append(up)
    stray: list[TeamPlan] = []
    if profile != "tiny":
        host = units[0]
        stray.append(_team(rng, host.unit, "regional_association", used, None))
    plan = InboxPlan(units, stray, list(ODD_FILES[profile]))
    for team, sits in zip(plan.teams, TEAM_SITUATIONS[profile], strict=False):
        team.situations = set(sits)
        if scanned is False:
            team.situations -= {"form_jpg_photo", "form_png_scan", "form_scanned_pdf"}
    return plan
