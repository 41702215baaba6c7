"""Plagiarism across years through the store: last year's reports are this year's corpus.

A team copying another team's 2023 report is flagged `cross_team` against 2023; a team reusing its
own 2023 report is `self_prior_year`; an original report raises nothing; flag ids survive a re-run.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.samples.report_text import make_report
from pipeline.samples.team_docs import build_registration_form, build_report_pdf
from tests.flow.helpers import add_year_rules, read_json, run_intake, write

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

TEAMS = {
    "A0101-钢筋班组": ("钢筋班组", "中建八局第三建设有限公司", "钢筋"),
    "A0102-测量班组": ("测量班组", "中铁十二局集团第一工程有限公司", "测量"),
    "B0201-防水班组": ("防水班组", "江苏南通二建集团有限公司", "防水"),
    "B0202-幕墙班组": ("幕墙班组", "浙江精工钢结构集团有限公司", "幕墙"),
}
# Other teams of each year: a realistic corpus is dozens of reports, and the wording every report shares
# (the activity's template, the QC method's formulas) only shows as common across many of them.
FILLER = [
    ("混凝土班组", "中建三局集团有限公司", "混凝土"),
    ("机电安装班组", "中国化学工程第六建设有限公司", "机电安装"),
    ("隧道班组", "中铁隧道局集团有限公司", "隧道"),
    ("桥梁班组", "中交第二航务工程局有限公司", "桥梁"),
    ("钢结构班组", "上海宝冶集团有限公司", "钢结构"),
    ("装饰班组", "北京港源建筑装饰工程有限公司", "装饰"),
]
for i, (team, company, topic) in enumerate(FILLER):
    TEAMS[f"C03{i:02d}-{team}"] = (team, company, topic)
    TEAMS[f"D04{i:02d}-{team}"] = (team, f"{company[:-6]}第{i + 2}工程有限公司", topic)


def _team(inbox: Path, team_id: str, year: int, pages: list[str]) -> None:
    team, company, _ = TEAMS[team_id]
    folder = inbox / "班组申报" / team_id
    (inbox / "推荐材料").mkdir(parents=True, exist_ok=True)  # the units' folder, empty here
    form = {
        "班组名称": team,
        "所在单位": company,
        "推荐单位": "中国建筑股份有限公司",
        "班组长": "王强",
        "成果名称": f"提高{team}施工质量",
        "班组人数": "12",
        "联系人": "李明",
        "联系电话": "13800000000",
    }
    write(folder / "报名表.pdf", build_registration_form(form, year=year))
    write(folder / "成果报告.pdf", build_report_pdf(pages, team=team, company=company))


def _report(team_id: str, year: int, seed: int) -> list[str]:
    team, company, topic = TEAMS[team_id]
    return make_report(random.Random(seed), team=team, company=company, year=year, topic=topic)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("years")
    home = base / "home"
    add_year_rules(home, 2023)  # a year is run only on its own rules
    steel_2023 = _report("A0101-钢筋班组", 2023, 1)
    survey_2023 = _report("A0102-测量班组", 2023, 2)
    inbox_2023 = base / "inbox2023"
    _team(inbox_2023, "A0101-钢筋班组", 2023, steel_2023)
    _team(inbox_2023, "A0102-测量班组", 2023, survey_2023)
    for seed, team_id in enumerate(t for t in TEAMS if t.startswith("C03")):
        _team(inbox_2023, team_id, 2023, _report(team_id, 2023, 100 + seed))
    inbox_2024 = base / "inbox2024"
    _team(inbox_2024, "B0201-防水班组", 2024, [_report("B0201-防水班组", 2024, 3)[0], *steel_2023[1:]])
    _team(inbox_2024, "A0102-测量班组", 2024, survey_2023)  # the same team, last year's report again
    _team(inbox_2024, "B0202-幕墙班组", 2024, _report("B0202-幕墙班组", 2024, 4))
    for seed, team_id in enumerate(t for t in TEAMS if t.startswith("D04")):
        _team(inbox_2024, team_id, 2024, _report(team_id, 2024, 200 + seed))
    results = []
    for inbox, year, out in [
        (inbox_2023, 2023, "out2023"),
        (inbox_2024, 2024, "out2024"),
        (inbox_2024, 2024, "rerun"),
    ]:
        result = run_intake(inbox, base / out, home, "--year", str(year))
        assert result.exit_code == 0, result.output
        results.append(read_json(base / out, "flags.json"))
    return results


def test_copy_of_another_teams_earlier_report_is_flagged_across_years(runs) -> None:
    flags_2024 = runs[1]["flags"]
    cross = [f for f in flags_2024 if f["kind"] == "cross_team"]
    assert [(f["a"]["team_id"], f["b"]["team_id"], f["b"]["year"]) for f in cross] == [
        ("B0201-防水班组", "A0101-钢筋班组", 2023)
    ]
    flag = cross[0]
    assert flag["copy_ratio_a"] > 0.5 and flag["evidence"]
    assert all(e["a_text"] and e["b_text"] for e in flag["evidence"])


def test_reuse_of_own_earlier_report_is_self_prior_year(runs) -> None:
    own = [f for f in runs[1]["flags"] if f["kind"] == "self_prior_year"]
    assert [(f["a"]["team_id"], f["b"]["team_id"], f["b"]["year"]) for f in own] == [
        ("A0102-测量班组", "A0102-测量班组", 2023)
    ]


def test_original_reports_raise_nothing(runs) -> None:
    assert runs[0]["flags"] == []  # 2023 alone: independent reports that share only the template
    assert len(runs[1]["flags"]) == 2  # just the copy and the reuse above
    assert all(f["a"]["year"] == 2024 for f in runs[1]["flags"])


def test_flag_ids_are_stable_across_reruns(runs) -> None:
    ids = [f["id"] for f in runs[1]["flags"]]
    assert ids and ids == [f["id"] for f in runs[2]["flags"]]
