"""Expert review in a real Chromium: an expert scores only the group's teams (another group's team is
refused), the 组长 submits, the secretariat imports the 发布会 sheet, submits, another approves, and the
audit trail shows each step. Runs on the session's served workspace (a real intake of a generated inbox)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.model import CompletenessReport
from core.settings import Settings
from grading.model import MaterialScore
from grading.teams import teams_from_report
from pipeline.samples.experts import expert_pool
from pipeline.samples.served import add_user
from pipeline.store import Store
from pipeline.store.grading import GradingStore
from pipeline.store.review import Actor, audit_entries
from tests.conftest import REPO
from tests.grading.walk import write_presentation_sheet
from tests.web.conftest import PASSWORD, YEAR, Served

pytestmark = pytest.mark.browser
DAY = date(2024, 7, 1)
SECRETARY = Actor("李秘", "secretariat", "cli")


def _prepare(served: Served) -> tuple[GradingStore, list]:
    """The year's teams (complete ones count as passed), a generated pool, a seeded draw of 2 groups of 3;
    the 组长 of group 1 is the existing expert account 钱专, one 组员 gets the new account 周专."""
    gs = GradingStore(Store(Settings(home=served.home)))
    report = CompletenessReport.model_validate_json((served.out_dir / "completeness.json").read_text("utf-8"))
    teams = teams_from_report(report, complete_passes=True)
    if len(teams) < 4:
        teams = [t.model_copy(update={"disqualified": False}) for t in teams_from_report(
            report.model_copy(update={"teams": [t.model_copy(update={"complete": True}) for t in report.teams]}),
            complete_passes=True)]
    gs.import_experts(expert_pool(seed=3, teams=teams, day=DAY, count=20), SECRETARY)
    gs.import_teams(YEAR, teams, SECRETARY)
    gs.draw(YEAR, SECRETARY, seed=2024, drawn_on=DAY, group_count=2, group_size=3)
    g1, g2 = gs.groups(YEAR)
    gs.update_expert(g1.leader, SECRETARY, "开通账号", account="钱专")
    add_user(served.env, "周专", "expert", PASSWORD, cwd=REPO)
    gs.update_expert(g1.members[0], SECRETARY, "开通账号", account="周专")
    rules, rng = gs.rules(YEAR), random.Random(1)
    for key in (*g2.experts, g1.members[1]):  # everybody but the two who use the browser
        for team_id in (g2.teams if key in g2.experts else g1.teams):
            items = {i.key: Decimal(rng.randint(int(i.max) // 2, int(i.max))) for i in rules.material_items}
            gs.save_material(YEAR, MaterialScore(team_id=team_id, expert=key, items=items), Actor(key, "expert"))
    gs.submit_group(YEAR, 2, Actor(g2.leader, "expert"))
    return gs, [g1, g2]


def _login(page, url: str, name: str) -> None:  # noqa: ANN001 - a Playwright page
    page.goto(url + "login/")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _score_team(page, url: str, team_id: str, points: str) -> None:  # noqa: ANN001
    page.goto(f"{url}grading/{YEAR}/teams/{team_id}/")
    for field in page.locator("#score input[name^=item-]").all():
        field.fill(points)
    page.fill("#score textarea[name=comment]", "材料翔实，数据可信")
    page.click("#score button[type=submit]")
    assert "已保存" in page.inner_text(".messages")


def test_expert_scoring_to_approval_in_a_browser(served: Served, chromium, tmp_path: Path) -> None:  # noqa: ANN001
    gs, (g1, g2) = _prepare(served)
    url = served.url
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    # a 组员 sees the own group's teams only, scores them; another group's team is refused
    _login(page, url, "周专")
    page.click("text=专家评审")
    listed = page.inner_text("#my-teams")
    assert all(t in listed for t in g1.teams) and not any(t in listed for t in g2.teams)
    for team_id in g1.teams:
        _score_team(page, url, team_id, "7")
    refused = page.goto(f"{url}grading/{YEAR}/teams/{g2.teams[0]}/")
    assert refused.status == 403
    assert page.goto(f"{url}grading/{YEAR}/groups/1/").status == 403  # only the 组长 sees the group's scores
    context.clear_cookies()
    # the 组长 scores, sees the group's scores and submits them
    _login(page, url, "钱专")
    for team_id in g1.teams:
        _score_team(page, url, team_id, "8")
    page.goto(f"{url}grading/{YEAR}/groups/1/")
    assert page.locator("#group-scores tbody tr").count() == len(g1.teams)
    assert "未评" not in page.inner_text("#group-scores")
    page.click("button:has-text('提交本组评分')")
    assert "已提交" in page.inner_text(".messages")
    context.clear_cookies()
    # the secretariat imports the 发布会 sheet (one team did not present), submits; another approves
    reviewed = [*g1.teams, *g2.teams]
    rows = [[t, "", "" if i == 0 else 12 + i % 8, "未发布" if i == 0 else "是"] for i, t in enumerate(reviewed)]
    sheet = write_presentation_sheet(tmp_path / "发布会评分.xlsx", rows)
    _login(page, url, "李秘")
    page.goto(f"{url}grading/{YEAR}/")
    page.click("text=专家库")
    pool = page.inner_text("#pool")
    assert "聘任期已于" in pool and "已不在专家库中" in pool  # 第十二条: who may not be drawn, and why
    spare = next(e for e in gs.experts() if e.key not in {*g1.experts, *g2.experts})
    page.fill("#edit input[name=key]", spare.key)
    page.select_option("#edit select[name=registered]", "no")
    page.fill("#edit textarea[name=reason]", "本人申请退出专家库")
    page.click("#edit button[type=submit]")
    assert f"已修改专家 {spare.key}" in page.inner_text(".messages")
    assert not next(e for e in gs.experts() if e.key == spare.key).registered
    page.goto(f"{url}grading/{YEAR}/results/")
    page.set_input_files("input[name=sheet]", str(sheet))
    page.click("form[enctype] button[type=submit]")
    assert "未参与发布 1 个班组" in page.inner_text(".messages")
    page.click("button:has-text('提交审定')")
    assert "已提交待审定" in page.inner_text("#state")
    page.click("button:has-text('审定（第十条）')")
    assert "不能是提交人本人" in page.inner_text(".messages")
    context.clear_cookies()
    _login(page, url, "管理员")
    page.goto(f"{url}grading/{YEAR}/results/")
    page.click("button:has-text('审定（第十条）')")
    assert "已审定" in page.inner_text("#state")
    table = page.inner_text("#results")
    assert "视同放弃" in table and ("改进级" in table)
    page.click("text=审计记录")
    page.wait_for_url(f"**/{YEAR}/audit/")  # the click navigates: read the trail's page, not the one it left
    trail = page.inner_text("main")
    for step in ("抽取专家组", "申报材料评分", "组长提交本组评分", "现场发布评分", "提交评定结果", "审定评定结果"):
        assert step in trail, step
    assert gs.approved_list(YEAR) is not None
    edit = audit_entries(gs.store, "expert", spare.key)[0]  # the pool is not tied to a year: its own trail
    assert (edit.action, edit.actor, edit.via, edit.reason) == ("expert_update", "李秘", "web", "本人申请退出专家库")
    context.close()
