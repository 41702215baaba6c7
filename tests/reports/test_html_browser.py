"""index.html and flags.html as people see them: headless Chromium, opened from disk, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.reports.common import problem_title
from tests.reports.conftest import COPIED, HOSTILE

pytestmark = [pytest.mark.browser]


class Watched:
    """A page that records console errors, page errors, failed loads and every non-file request."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        self.context.set_default_timeout(5000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):  # a load cut short by leaving the page is no defect
            self.errors.append(f"failed: {request.url} {request.failure}")

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file:") or url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: Path) -> object:
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        return self.page

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left the machine: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def watched(browser) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.context.close()


def _visible_sections(page) -> list[str]:
    return page.eval_on_selector_all("section.entity:not(.hidden)", "els => els.map(e => e.querySelector('h3').innerText)")


def test_index_shows_summary_units_teams_problems_offline(watched, reports, completeness, screenshot_dir):
    page = watched.open(reports["index.html"])
    page.screenshot(path=str(screenshot_dir / "index-first-screen.png"))

    cards = page.locator("#summary .card")
    assert "推荐单位" in cards.nth(0).inner_text() and "4" in cards.nth(0).inner_text()
    assert "完整 1" in cards.nth(0).inner_text() and "不完整 3" in cards.nth(0).inner_text()
    assert "完整 1" in cards.nth(1).inner_text() and "不完整 3" in cards.nth(1).inner_text()
    assert cards.nth(2).locator(".big").inner_text() == "1"  # the one unreadable file
    assert cards.nth(3).locator(".big").inner_text() == "1"  # the one late file
    # the summary is what a reviewer sees first
    assert page.locator("#summary").bounding_box()["y"] < 200

    body = page.locator("main").inner_text()
    for u in completeness.units:
        assert page.get_by_role("heading", name=u.unit).is_visible()
    for t in completeness.teams:
        assert t.team_id in body
    for items in [*(u.problems for u in completeness.units), *(t.problems for t in completeness.teams),
                  *(f.problems for f in completeness.files)]:
        for p in items:
            assert p.message in body, p.code
    assert "some_future_code" in body  # an unknown code falls back to itself
    assert problem_title("missing_report_ppt") in body and problem_title("missing_report_ppt") != "missing_report_ppt"
    # uploaded text is shown as text, never as markup
    assert HOSTILE in body
    assert page.locator('img[src*="evil"]').count() == 0
    # each problem pointing at a page has a loaded thumbnail and a link to the original's page
    thumbs = page.locator(".problems img")
    assert thumbs.count() == 4  # cscec p1, cscec p2 (stored upside down), the real scan p1, the photo
    for i in range(thumbs.count()):
        thumbs.nth(i).scroll_into_view_if_needed()  # they load lazily
        assert thumbs.nth(i).evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir / "index-full.png"), full_page=True)
    link = page.locator("#unit-2 .problems a", has_text="打开原件该页").first
    assert link.get_attribute("href").endswith("cscec.pdf#page=2")
    assert not link.get_attribute("href").startswith(("http", "/"))
    watched.assert_clean()


def test_index_filters(watched, reports):
    page = watched.open(reports["index.html"])
    all_sections = _visible_sections(page)
    assert len(all_sections) == 8
    page.locator("#only-incomplete").check()
    shown = _visible_sections(page)
    assert "江苏省建筑行业协会" not in shown and "中国建筑股份有限公司" in shown and len(shown) == 6
    page.locator("#only-incomplete").uncheck()
    page.select_option("#code-filter", "missing_report_ppt")
    assert _visible_sections(page) == ["中建三局测量班组"]
    page.select_option("#code-filter", "")
    page.locator("#code-chips .chip[data-code='unlisted_recommender']").click()
    assert _visible_sections(page) == ["某某市建筑业联合会"]
    assert page.locator("#code-filter").input_value() == "unlisted_recommender"
    page.screenshot(path=str(Path(reports["index.html"]).parent / "filtered.png"))
    watched.assert_clean()


def test_flags_strongest_first_kinds_apart_evidence_highlighted(watched, reports, screenshot_dir):
    page = watched.open(reports["flags.html"])
    page.screenshot(path=str(screenshot_dir / "flags-first-screen.png"))
    page.screenshot(path=str(screenshot_dir / "flags-full.png"), full_page=True)

    cross = page.eval_on_selector_all("article.flag[data-kind='cross_team']", "els => els.map(e => e.id)")
    assert cross == ["flag-f-strong", "flag-f-weak"]
    self_ids = page.eval_on_selector_all("article.flag[data-kind='self_prior_year']", "els => els.map(e => e.id)")
    assert self_ids == ["flag-f-self"]
    # the self-reuse section comes after every cross-team flag
    assert page.locator("#self").bounding_box()["y"] > page.locator("#flag-f-weak").bounding_box()["y"]

    strong = page.locator("#flag-f-strong")
    text = strong.inner_text()
    for expected in ("71.0%", "38.0%", "41.0%", "文字复制比", "2024年", "2023年", "中铁一局测量班组",
                     "A 第 3 页", "B 第 5 页"):
        assert expected in text, expected
    marks = strong.locator("mark")
    assert marks.count() == 2 and marks.nth(0).inner_text() == COPIED and marks.nth(1).inner_text() == COPIED
    b_link = strong.locator(".ev > div").nth(1).locator("a")  # B is of 2023: linked by its own archive path
    assert b_link.get_attribute("href").endswith("js.pdf#page=5")
    self_flag = page.locator("#flag-f-self")
    assert self_flag.locator("details summary").inner_text() == "另有 2 段证据，点击展开"
    assert not self_flag.locator("details .ev").first.is_visible()
    self_flag.locator("details summary").click()
    assert self_flag.locator("details .ev").nth(1).is_visible()
    weak = page.locator("#flag-f-weak")
    # two teams of the same year: both implicated, neither called the source
    assert "甲 第 7 张幻灯片（汇报.pptx）" in weak.inner_text() and "乙 第 2 页" in weak.inner_text()
    assert "均涉嫌" in weak.inner_text() and "相似来源" not in weak.inner_text()
    assert "复核：已排除" in weak.inner_text() and "引用同一份施工规范" in weak.inner_text()
    assert "待复核" in strong.inner_text() and "标记编号 f-strong" in strong.inner_text()
    assert HOSTILE in weak.inner_text()
    assert weak.locator("mark").first.inner_text() == "现场照片说明"[:6]  # overlapping spans merged
    assert page.locator('img[src*="evil"]').count() == 0

    def shown() -> list[str]:
        return page.eval_on_selector_all("article.flag:not(.hidden)", "els => els.map(e => e.id)")

    page.locator("#only-open").check()
    assert shown() == ["flag-f-strong", "flag-f-self"]  # the dismissed flag is hidden
    page.locator("#only-open").uncheck()
    page.fill("#team-search", "混凝土")
    assert shown() == ["flag-f-weak"]
    page.fill("#team-search", "")
    assert len(shown()) == 3
    watched.assert_clean()


def test_team_links_to_its_flags(watched, reports):
    page = watched.open(reports["index.html"])
    team = page.locator("section.entity", has=page.get_by_role("heading", name="中建八局第三建设有限公司钢筋班组"))
    link = team.locator("a[href^='flags.html#']")
    assert link.count() == 1 and "71.0%" in link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("flags.html#flag-f-strong")
    assert page.locator("#flag-f-strong").is_visible()
    watched.assert_clean()
