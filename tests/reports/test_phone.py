"""The static reports on a phone (390 px, officers read on the move): no horizontal scrolling, the
summary before the details. Real Chromium, opened from the travelling folder on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.model import TeamReview

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone(browser) -> Iterator[object]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def phone_reports(run_dir: Path, completeness, flags, statistics, summary) -> Path:
    from pipeline.reports import write_reports

    flags = flags.model_copy(deep=True)
    flags.flags[-1].decision = "confirmed"  # f-strong: A0137 is disqualified, as an officer would see it
    reviews = {"A0201-测量班组": TeamReview(decision="failed", by="初审甲", reason="缺少PPT版成果报告，逾期未补交")}
    written = write_reports(run_dir / "phone", completeness, flags, statistics, summary=summary, team_reviews=reviews)
    return written["portable"]


def _overflow(page) -> int:
    """How many CSS px the page is wider than the screen (0: no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("name", ["index.html", "flags.html"])
def test_reports_fit_a_390px_phone(phone, phone_reports, screenshot_dir, name):
    page = phone
    page.goto((phone_reports / name).as_uri(), wait_until="load")
    stem = name.removesuffix(".html")
    page.screenshot(path=str(screenshot_dir / f"{stem}-390-first-screen.png"))
    page.screenshot(path=str(screenshot_dir / f"{stem}-390-full.png"), full_page=True)
    assert _overflow(page) <= 0
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.offsetParent !== null)
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert wide == []
    cards = page.locator(".cards").first.bounding_box()
    assert cards is not None and cards["y"] < PHONE["height"]  # the summary is on the first screen


def test_index_on_a_phone_puts_the_summary_first_and_shows_decisions(phone, phone_reports):
    page = phone
    page.goto((phone_reports / "index.html").as_uri(), wait_until="load")
    summary_y = page.locator("#summary").bounding_box()["y"]
    units_y = page.locator("#units").bounding_box()["y"]
    assert summary_y < units_y
    card = page.locator(".card", has_text="初选通过").first
    assert "不通过 1" in card.inner_text() and "取消资格（第十五条） 1" in card.inner_text()
    team = page.locator("section.entity", has_text="A0137-钢筋班组").first
    assert team.locator(".badge.disq").inner_text() == "取消资格（第十五条）"


def test_national_scale_index_on_a_phone_keeps_lists_short(phone, tmp_path, screenshot_dir):
    """65 units and 150 teams: the link lists scroll in their own box, the details start within a few screens."""
    from benchmarks.reports import build
    from checks.statistics import roll_up
    from core.reference import year_rules
    from pipeline.reports import write_reports

    completeness, flags = build(tmp_path, n_teams=150, n_flags=5)
    out = tmp_path / "out"
    write_reports(out, completeness, flags, roll_up(completeness, year_rules(2024)), portable=False)
    page = phone
    page.goto((out / "index.html").as_uri(), wait_until="load")
    page.screenshot(path=str(screenshot_dir / "index-390-national-first-screen.png"))
    assert _overflow(page) <= 0
    heights = page.eval_on_selector_all(".toc", "els => els.map(e => e.getBoundingClientRect().height)")
    assert len(heights) == 2 and max(heights) < 260
    first_unit = page.locator("section.entity").first.bounding_box()
    assert first_unit is not None and first_unit["y"] < 4 * PHONE["height"]
