"""Each role does its part in real Chromium; every page is photographed at 1400 px and 390 px.

The secretariat finds the units that sent nothing and marks one notified; a reviewer passes one team and
fails another with a reason; a discipline officer confirms one flag and dismisses another; the
implicated teams then show 取消资格 in the workspace and in the next run's reports; the audit trail
shows every step with who and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.conftest import TEST_OUTPUT
from tests.web.conftest import PASSWORD, YEAR, Served

pytestmark = pytest.mark.browser
SHOTS = TEST_OUTPUT / "workspace"
WIDTHS = (1400, 390)


class Role:
    """One person, logged in twice (desktop and phone), watching for script errors and dialogs."""

    def __init__(self, chromium, served: Served, name: str) -> None:
        self.served, self.name = served, name
        self.errors: list[str] = []
        self.pages = {}
        for width in WIDTHS:
            context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            context.set_default_timeout(30000)
            page = context.new_page()
            page.on("pageerror", lambda e: self.errors.append(str(e)))
            page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(served.url + "login/")
            page.fill("#username", name)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(served.url)
            self.pages[width] = page

    @property
    def page(self):  # the desktop page does the work
        return self.pages[1400]

    def open(self, path: str, shot: str | None = None):
        """Open `path` at both widths: no horizontal scrolling on the phone, a screenshot of each."""
        for width, page in self.pages.items():
            response = page.goto(self.served.url + path.lstrip("/"))
            assert response.status == 200, (path, response.status)
            page.evaluate(
                "document.querySelectorAll('details img').forEach(i => i.closest('details').open = true)"
            )
            page.evaluate(
                "document.querySelectorAll('details[open] img, .pages img').forEach(i => i.loading = 'eager')"
            )
            page.wait_for_load_state("networkidle")
            for img in page.locator("img").all()[:6]:
                assert page.evaluate("(i) => i.complete && i.naturalWidth > 0", img.element_handle()), path
            overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            if shot:
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{shot}-{width}.png"), full_page=True)
        return self.page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()
        assert not self.errors, self.errors


@pytest.fixture
def role(chromium, served: Served) -> Iterator:
    made: list[Role] = []

    def make(name: str) -> Role:
        made.append(Role(chromium, served, name))
        return made[-1]

    yield make
    for r in made:
        r.close()


def _report(served: Served) -> dict:
    return json.loads((served.out_dir / "completeness.json").read_text(encoding="utf-8"))


def test_login_form_is_the_front_door(chromium, served: Served) -> None:
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(served.url)
        assert page.url.startswith(served.url + "login/") and page.locator("#password").is_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"login-{width}.png"), full_page=True)
        context.close()


def test_secretariat_finds_silent_units_and_marks_one_notified(role, served: Served) -> None:
    me = role("李秘")
    page = me.open("/", "roster")
    rows = page.locator("#units tbody tr")
    assert rows.count() >= 65  # every listed unit, those that sent nothing included
    silent = page.locator("#units tbody tr[data-status='未提交']")
    assert silent.count() >= 60
    silent_count = silent.count()
    page.click(".summary a:has-text('未提交')")  # the status filter
    page.wait_for_load_state()
    statuses = page.locator("#units tbody tr").evaluate_all("rs => rs.map(r => r.dataset.status)")
    assert len(statuses) == silent_count and set(statuses) == {"未提交"}
    silent_unit = page.locator("#units tbody tr td a").first.inner_text()
    me.open(f"/?year={YEAR}&q={quote('建筑业协会')}", "roster-search")
    assert 0 < page.locator("#units tbody tr").count() < 65
    page = me.open(f"/{YEAR}/units/{quote(silent_unit)}/", "unit-silent")
    page.check("input[name=status][value=notified]")
    page.fill("input[name=notified_on]", "2024-06-01")
    page.fill("input[name=note]", "电话并邮件通知联系人")
    page.click("text=记录跟进")
    assert "已记录跟进状态" in page.content()
    assert "已通知（2024-06-01）" in page.locator("main").inner_text()
    assert "李秘" in page.locator("table.trail").inner_text()

    sent = next(u for u in _report(served)["units"] if u["source_file"] and not u["complete"])
    page = me.open(f"/{YEAR}/units/{quote(sent['unit'])}/", "unit")
    assert page.locator(".pages img").count() >= 1  # pages rendered from the archived original
    page.check("input[name=status][value=notified]")
    page.click("text=记录跟进")
    me.open(f"/?year={YEAR}&status={quote('待补交')}")
    assert sent["unit"] in page.locator("#units").inner_text()
    me.open(f"/{YEAR}/teams/", "teams")

    from web.review.integrations import exports_available

    if exports_available:  # the exports helper's documents, once on main
        page = me.open("/")
        for link in ("补交通知（邮件合并，xlsx）", "附件3 统计汇总（xlsx）", "初选合格名单（xlsx）"):
            page.click("summary:has-text('导出')") if not page.locator(f"text={link}").is_visible() else None
            with page.expect_download() as download:
                page.click(f"text={link}")
            assert download.value.suggested_filename.endswith(".xlsx")


def test_reviewer_passes_one_team_and_fails_another(role, served: Served) -> None:
    me = role("王审")
    teams = _report(served)["teams"]
    good, bad = teams[0]["team_id"], teams[1]["team_id"]
    page = me.open(f"/{YEAR}/teams/{quote(good)}/", "team")
    page.check("input[name=decision][value=passed]")
    page.click("text=记录初选结论")
    assert "已记录初选结论" in page.content()

    page = me.open(f"/{YEAR}/teams/{quote(bad)}/")
    page.check("input[name=decision][value=failed]")
    page.click("text=记录初选结论")  # without a reason: refused, nothing recorded
    assert "初选不通过必须填写理由" in page.content()
    assert "初选结论" not in page.locator("table.trail").inner_text()
    page.check("input[name=decision][value=failed]")
    page.fill("textarea[name=reason]", "成果报告与报名表所在单位不一致")
    page.click("text=记录初选结论")
    assert "初选不通过" in page.locator("main").inner_text()

    with_findings = next(t for t in teams if t["problems"])
    page = me.open(f"/{YEAR}/teams/{quote(with_findings['team_id'])}/")
    finding = page.locator("#findings li").first
    finding.locator("summary").click()
    finding.locator("textarea[name=reason]").fill("材料在压缩包第二层目录中，已核实")
    finding.locator("button").click()
    assert page.locator("#findings li.dismissed").count() == 1
    assert (
        page.locator("#findings li.dismissed .msg").evaluate("e => getComputedStyle(e).textDecorationLine")
        == "line-through"
    )
    me.open(f"/{YEAR}/teams/?status={quote('初选通过')}")
    assert good in me.page.locator("#teams").inner_text()


def test_discipline_officer_confirms_one_flag_and_dismisses_another(role, served: Served) -> None:
    me = role("赵纪")
    page = me.open(f"/{YEAR}/flags/", "flags")
    links = page.locator("#flags tbody tr td:first-child a")
    assert links.count() == 2
    assert served.strong_flag in links.first.get_attribute("href")  # strongest first
    page = me.open(f"/{YEAR}/flags/{served.strong_flag}/", "flag")
    assert "两队均涉及" in page.locator("main").inner_text()  # same-year pair: no "A copied B"
    assert page.locator(".sides").count() >= 1 and page.locator(".sides img").count() >= 2
    page.check("input[name=decision][value=confirmed]")
    page.fill("textarea[name=reason]", "第2页班组概况与对方逐句相同，仅替换名称")
    page.click("text=记录结论")
    assert "确认抄袭" in page.locator("main .card").first.inner_text()

    page = me.open(f"/{YEAR}/flags/{served.weak_flag}/")
    page.check("input[name=decision][value=dismissed]")
    page.fill("textarea[name=reason]", "共同引用的是规范条文，不构成抄袭")
    page.click("text=记录结论")
    me.open(f"/{YEAR}/flags/?state=decided")
    assert me.page.locator("#flags tbody tr").count() == 2

    flag = next(
        f
        for f in json.loads((served.out_dir / "flags.json").read_text(encoding="utf-8"))["flags"]
        if f["id"] == served.strong_flag
    )
    for team in (flag["a"]["team_id"], flag["b"]["team_id"]):  # both teams of the pair are implicated
        page = me.open(f"/{YEAR}/teams/{quote(team)}/")
        assert "取消资格（第十五条）" in page.locator("main").inner_text()


def test_audit_trail_and_next_runs_reports(role, served: Served) -> None:
    me = role("管理员")
    page = me.open(f"/{YEAR}/audit/", "audit")
    trail = page.locator("table.trail").inner_text()
    for who, what in (("李秘", "跟进状态"), ("王审", "初选结论"), ("王审", "排除问题"), ("赵纪", "查重复核")):
        assert who in trail and what in trail, (who, what)
    assert trail.count("网页") >= 6 and f"{YEAR}-" in trail
    flag = json.loads((served.out_dir / "flags.json").read_text(encoding="utf-8"))["flags"][0]
    page = me.open(f"/{YEAR}/audit/flag/{served.strong_flag}/", "audit-flag")
    assert "赵纪（纪律审查，网页）" in page.locator("table.trail").inner_text()
    page = me.open(f"/{YEAR}/audit/team/{quote(flag['b']['team_id'])}/")
    assert "查重复核" in page.locator("table.trail").inner_text()  # the flag's trail shows on both teams

    out = served.rerun()  # the next run's reports carry the decisions
    report = json.loads((out / "completeness.json").read_text(encoding="utf-8"))
    teams = {t["team_id"]: t for t in report["teams"]}
    assert teams[flag["a"]["team_id"]]["disqualified"] and teams[flag["b"]["team_id"]]["disqualified"]
    assert sum(t["disqualified"] for t in teams.values()) == 2
    decided = {t["review"]["decision"] for t in teams.values()} - {None}
    assert decided == {"passed", "failed"}
    flags = json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"]
    strong = next(f for f in flags if f["id"] == served.strong_flag)
    assert (strong["decision"], strong["decided_by"]) == ("confirmed", "赵纪") and strong["decided_at"]
