"""A real copy found by the similarity check, shown to the officer: CNKI-style ratios, the regions of the
archived original pages beside the text (in Chromium), and a printable case file holding every passage."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pymupdf
import pytest

from checks.similarity import find_flags
from core.model import CompletenessReport, Evidence, FileResult, Flag, FlagSide, FlagsReport, StatisticsReport
from pipeline.reports import write_reports
from pipeline.reports.casefile import write_case_file
from pipeline.samples.plagiarism import make_corpus

CHROMIUM = Path("/usr/bin/chromium")


def _draw(path: Path, pages: list[str]) -> Path:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontname="china-s", fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A small corpus with one verbatim copy; the copy's two reports archived as real PDFs."""
    base = tmp_path_factory.mktemp("flag-evidence")
    corpus = make_corpus(random.Random(11), background=45, prior=0, counts={"verbatim": 1}, min_fraction=0.5)
    case = corpus.cases[0]
    flags = [f for f in find_flags(corpus.reports(), corpus.year)
             if {f.a.team_id, f.b.team_id} == {corpus.teams[case.copier].team_id, corpus.teams[case.source].team_id}]
    assert len(flags) == 1
    files = []
    for i in (case.copier, case.source):
        t = corpus.teams[i]
        path = f"{t.team_id}/成果报告.pdf"
        arc = _draw(base / "archive" / f"{i}.pdf", corpus.pdf_pages[i])
        files.append(FileResult(path=path, sha256=f"sha-{i}", format="pdf", pages=len(corpus.pdf_pages[i]),
                                role="team", archive_path=str(arc)))
    completeness = CompletenessReport(year=corpus.year, files=files)
    report = FlagsReport(year=corpus.year, flags=flags)
    written = write_reports(base / "out", completeness, report, StatisticsReport(year=corpus.year))
    return {"flag": flags[0], "written": written, "out": base / "out"}


def test_flags_json_carries_cnki_ratios_as_extensions(run):
    data = json.loads(run["written"]["flags.json"].read_text(encoding="utf-8"))
    f = data["flags"][0]
    for key in ("a", "b", "kind", "similarity", "copy_ratio_a", "copy_ratio_b", "evidence", "id"):
        assert key in f  # the contract's fields stay
    for side in ("ratios_a", "ratios_b"):
        r = f[side]
        assert 0 <= r["without_self"] <= r["without_template"] <= r["total"] <= 1
        assert 0 < r["largest"] <= r["without_template"]
        assert len(r["sections"]) >= 5 and r["sections"][0]["heading"].startswith("一、")
        assert all(r["notes"][k] for k in ("total", "without_template", "without_self", "largest", "sections"))
        assert "去除引用" in r["notes"]["without_template"] and "去除本人" in r["notes"]["without_self"]
    # the copy lies in some sections: those are high, others low
    ratios = [s["ratio"] for s in f["ratios_a"]["sections"]]
    assert max(ratios) > 0.5 and min(ratios) < 0.2


def test_every_passage_has_pictures_of_both_originals_and_a_case_file(run):
    out: Path = run["out"]
    flag: Flag = run["flag"]
    pics = sorted((out / "evidence").glob("*.png"))
    pdf_pairs = [e for e in flag.evidence if (e.a_file or "").endswith(".pdf") and (e.b_file or "").endswith(".pdf")]
    assert len(pics) >= 2 * len(pdf_pairs) > 0
    full_page = 842 * 900 / 595  # a whole page rendered 900 px wide
    for k, e in enumerate(flag.evidence, 1):
        for side, end in (("a", e.a_page_end), ("b", e.b_page_end)):
            for p in (out / "evidence").glob(f"{flag.flag_id}-{k}-{side}-*.png"):
                pix = pymupdf.Pixmap(str(p))
                pages = end - (e.a_page if side == "a" else e.b_page) + 1 if end else 1
                # the region of the page(s), not whole pages (a passage over a page break: regions stacked)
                assert pix.width >= 300 and 20 < pix.height < full_page * pages, (p, pages)
    case = out / "casefiles" / f"{flag.flag_id}.pdf"
    doc = pymupdf.open(case)
    text = "".join(page.get_text() for page in doc)
    assert f"证据 {len(flag.evidence)}/{len(flag.evidence)}" in text and "去除引用" in text
    assert sum(len(page.get_images()) for page in doc) >= 2 * len(pdf_pairs)


def _passage(k: int) -> Evidence:
    body = f"第{k:02d}号段落：钢筋间距合格率由{70 + k % 20}%提高到{90 + k % 9}%，复制标记KZ{k:03d}。"
    return Evidence(a_page=k % 9 + 1, a_text="前文说明。" + body + "后文说明。", b_page=k % 7 + 1, b_text=body,
                    chars=len(body), a_spans=[(5, 5 + len(body))], b_spans=[(0, len(body))],
                    a_file="A/成果报告.pdf", b_file="B/成果报告.pptx" if k % 3 == 0 else "B/成果报告.pdf")


def test_case_file_of_fifty_passages_holds_all_fifty(tmp_path):
    flag = Flag(a=FlagSide(year=2024, team_id="A0001-钢筋班组", team="钢筋班组", company="甲建设有限公司", file="A/成果报告.pdf"),
                b=FlagSide(year=2024, team_id="B0002-测量班组", team="测量班组", company="乙工程有限公司", file="B/成果报告.pdf"),
                kind="cross_team", similarity=0.62, copy_ratio_a=0.55, copy_ratio_b=0.48,
                evidence=[_passage(k) for k in range(1, 51)], flag_id="fifty")
    path = write_case_file(flag, tmp_path / "fifty.pdf", year=2024)
    doc = pymupdf.open(path)
    text = "".join(page.get_text(sort=False) for page in doc).replace("\n", "")
    for k in range(1, 51):
        assert text.count(f"KZ{k:03d}") == 2, k  # both sides of every passage, none folded away
        assert f"证据 {k}/50" in text
    assert "均涉嫌" in text and "甲建设有限公司" in text and "乙工程有限公司" in text  # same year: both implicated
    assert "抄袭了" not in text
    assert "第 3 张幻灯片" in text  # a slide is named as a slide
    assert f"共 {doc.page_count} 页" in doc[-1].get_text()


@pytest.mark.browser
def test_flags_html_shows_ratios_and_page_images(browser, run):
    page = browser.new_page()
    try:
        page.goto(run["written"]["flags.html"].resolve().as_uri(), wait_until="load")
        card = page.locator(f"#flag-{run['flag'].flag_id}")
        text = card.inner_text()
        for expected in ("总文字复制比", "去除引用", "去除本人", "单篇最大", "各部分文字复制比", "均涉嫌"):
            assert expected in text, expected
        notes = card.locator(".cnki .notes li")
        assert notes.count() == 8  # one line per number, both sides
        card.locator(".cnki details summary").first.click()
        assert "一、班组概况" in card.locator(".cnki details").first.inner_text()
        images = card.locator("img.region")
        assert images.count() >= 2
        images.first.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.first.element_handle())
        assert images.first.evaluate("e => e.naturalWidth") >= 300
        href = card.locator("a.casefile").get_attribute("href")
        assert (run["out"] / href).is_file()
    finally:
        page.close()
