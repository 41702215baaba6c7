"""Real OCR (marked `ocr`): scans, turned pages, fake text layers, pictures in slides, scanned tables.

About 8 OCR'd pages in all; every fixture is small so the file stays well under a minute.
"""

from __future__ import annotations

import time

import numpy as np
import pymupdf
import pytest

from extractors import ExtractOptions, extract
from extractors.ocr import rotate_image
from extractors.quality import is_cjk
from tests.conftest import REALDATA

from .helpers import compact, notice_text, scan_pdf, text_page_image

pytestmark = pytest.mark.ocr
REAL = REALDATA


def _cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(map(is_cjk, chars)) / max(len(chars), 1)


def _similar(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return 1 - Levenshtein.normalized_distance(compact(a), compact(b))


@pytest.mark.parametrize(("name", "page", "expect"), [("issue-203-decimalize.pdf", 1, "行政处罚决定书"),
                                                      ("small_ocr.pdf", 2, None)])
def test_real_image_only_scans_come_out_as_chinese(name, page, expect):
    doc = extract(REAL / name, options=ExtractOptions(pages=[page]))
    assert doc.readable and len(doc.pages) == 1
    p = doc.pages[0]
    assert p.source == "ocr" and p.reason == "no_text_layer" and p.images >= 1
    assert len(p.text) > 100 and _cjk_share(p.text) > 0.6
    assert all(ln.confidence is not None and 0 < ln.confidence <= 1 for ln in p.lines)
    assert all(0 <= ln.bbox[0] < ln.bbox[2] <= p.width + 1 for ln in p.lines)
    if expect:
        assert expect in compact(p.text)


def test_pptx_picture_text_is_read():
    doc = extract(REAL / "ocr_test.pptx")
    slide = doc.pages[0]
    assert doc.format == "pptx" and slide.kind == "slide"
    assert "我是文字" in compact(slide.text)
    assert slide.source == "mixed" and slide.images >= 1
    assert slide.tables and slide.tables[0].rows[0][0] == "我是表格1"


def test_garbage_invisible_layer_over_scan_is_ocred(tmp_path):
    truth = notice_text(200, 120)
    rng = np.random.default_rng(3)
    garbage = "".join(chr(int(c)) for c in rng.integers(0x4E00, 0x9FA5, 300))
    path = scan_pdf(tmp_path / "scan.pdf", [text_page_image(truth)], hidden_text=garbage)
    page = extract(path).pages[0]
    assert page.source == "ocr" and page.reason == "implausible_text_layer"
    assert _similar(page.text, truth) > 0.9


@pytest.mark.parametrize(("turn", "expected"), [(90, 270), (180, 180)])
def test_turned_pages_are_set_upright(tmp_path, turn, expected):
    truth = notice_text(560, 110)
    img = rotate_image(text_page_image(truth), turn)
    page = extract(scan_pdf(tmp_path / "t.pdf", [img])).pages[0]
    assert page.rotation == expected
    assert _similar(page.text, truth) > 0.9
    assert page.width < page.height or turn == 180 or page.width == pytest.approx(420, abs=2)
    ys = [ln.bbox[1] for ln in page.lines]
    assert ys == sorted(ys) or len(set(map(round, ys))) < len(ys)  # reading order: top to bottom


def _form_image() -> np.ndarray:
    """A ruled statistics form (label / unit / value) with a ticked and an empty check box."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=200)
    xs, ys = [20, 250, 310, 400], [20, 60, 100, 140]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=1)
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y), width=1)
    cells = [("企业开展活动数", "个", "36"), ("活动投入费用", "万元", "12.5"), ("是否组织发布会", "", "")]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text:
                page.insert_text((xs[c] + 6, ys[r] + 26), text, fontname="china-s", fontsize=12)
    y = ys[2] + 13
    page.draw_rect(pymupdf.Rect(258, y, 270, y + 12), width=1)
    page.draw_line((260, y + 6), (264, y + 10), width=1.5)
    page.draw_line((264, y + 10), (269, y + 2), width=1.5)
    page.insert_text((273, y + 11), "是", fontname="china-s", fontsize=12)
    page.draw_rect(pymupdf.Rect(330, y, 342, y + 12), width=1)
    page.insert_text((345, y + 11), "否", fontname="china-s", fontsize=12)
    pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w].copy()


def test_scanned_table_keeps_label_and_value_in_one_row(tmp_path):
    page = extract(scan_pdf(tmp_path / "form.pdf", [_form_image()])).pages[0]
    assert page.source == "ocr" and page.tables
    rows = page.tables[0].rows
    assert len(rows) == 3
    assert compact(rows[0][0]) == "企业开展活动数" and rows[0][-1] == "36"
    assert compact(rows[1][0]) == "活动投入费用" and rows[1][-1] == "12.5"
    joined = "".join(rows[2])
    assert "☑" in joined and "□" in joined and joined.index("☑") < joined.index("□")


def test_crashing_engine_becomes_page_problem(tmp_path):
    def crash(img):
        raise RuntimeError("模型崩溃")

    path = scan_pdf(tmp_path / "two.pdf", [text_page_image("一"), text_page_image("二")])
    doc = extract(path, options=ExtractOptions(engine=crash))
    assert doc.readable and len(doc.pages) == 2
    assert [p.problems[0].code for p in doc.pages] == ["ocr_failed", "ocr_failed"]
    assert "文字识别失败" in doc.pages[0].problems[0].message


def test_hanging_engine_times_out_and_run_goes_on(tmp_path):
    calls = []

    def engine(img):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(30)
        return [([[0, 0], [60, 0], [60, 20], [0, 20]], "第二页", 0.99)]

    path = scan_pdf(tmp_path / "two.pdf", [text_page_image("一"), text_page_image("二")])
    started = time.monotonic()
    doc = extract(path, options=ExtractOptions(engine=engine, page_timeout=1.0))
    assert time.monotonic() - started < 10
    assert doc.pages[0].problems[0].code == "ocr_timeout" and "超时" in doc.pages[0].problems[0].message
    assert doc.pages[1].text == "第二页" and not doc.pages[1].problems


def test_photo_is_one_image_page():
    doc = extract(REAL / "ch_en_num.jpg")
    assert doc.format == "image" and len(doc.pages) == 1 and doc.pages[0].kind == "image"
    assert doc.pages[0].source == "ocr" and len(doc.pages[0].lines) > 5


def test_scanned_statistics_form_rows_from_sample_generator(tmp_path):
    """附件3 as the sample generator draws it, scanned crooked: every label keeps its unit and value."""
    import random

    from core.reference import year_rules
    from pipeline.samples.scan import scan_pdf as degrade_pdf
    from pipeline.samples.statistics_form import build_statistics_table_pdf, make_statistics_fields

    rules = year_rules(2024)
    fields = make_statistics_fields(random.Random(5), rules, recommended=3, unit="江苏省建筑行业协会")
    pdf = build_statistics_table_pdf(fields, rules, "江苏省建筑行业协会")
    path = tmp_path / "stat.pdf"
    path.write_bytes(degrade_pdf(pdf, dpi=200, rng=random.Random(1)))
    page = extract(path).pages[0]
    assert page.source == "ocr" and page.tables
    rows = {compact(r[0]): r for t in page.tables for r in t.rows if r}
    for key in ("本年度开展质量信得过班组活动企业数", "历年质量信得过班组累计数", "本年度对质量信得过班组活动奖励费用",
                "本年度推荐工程建设质量信得过班组数"):  # the last is a lone digit ("3") in a wide cell
        assert key in rows, sorted(rows)
        assert rows[key][-1] == str(fields[key]) or float(rows[key][-1]) == pytest.approx(fields[key])
    meeting = rows["是否组织发布会"]
    assert meeting[2] == "发布会报名班组数" and meeting[3] == str(fields["发布会报名班组数"])


def test_worker_processes_read_pages_in_order(tmp_path):
    """workers=2: pages go to two OCR processes (file path + page number only) and come back in order."""
    texts = [notice_text(200, 40), notice_text(560, 40)]
    born = pymupdf.open()
    born.new_page().insert_text((72, 72), "第一页文字层", fontname="china-s", fontsize=12)
    born.save(tmp_path / "born.pdf")
    scans = scan_pdf(tmp_path / "s.pdf", [text_page_image(t, size=(420, 200)) for t in texts])
    merged = pymupdf.open(tmp_path / "born.pdf")
    merged.insert_pdf(pymupdf.open(scans))
    merged.save(tmp_path / "bundle.pdf")
    doc = extract(tmp_path / "bundle.pdf", options=ExtractOptions(workers=2))
    assert [p.page for p in doc.pages] == [1, 2, 3]
    assert [p.source for p in doc.pages] == ["text_layer", "ocr", "ocr"]
    for page, truth in zip(doc.pages[1:], texts, strict=True):
        assert _similar(page.text, truth) > 0.85 and not page.problems


def test_photographed_registration_form_turned_sideways(tmp_path):
    """报名表 photographed (perspective, uneven light) and stored sideways: upright, rows kept."""
    import random

    from core.reference import year_rules
    from pipeline.samples.scan import scan_image
    from pipeline.samples.team_docs import build_registration_form

    rules = year_rules(2024)
    fields = {k: "" for k in rules.registration_form_fields}
    fields.update({"班组名称": "中建八局第三建设有限公司钢筋班组"})
    pdf = build_registration_form(fields, year=2024)
    path = tmp_path / "报名表.jpg"
    path.write_bytes(scan_image(pdf, rotation=90, photo=True, rng=random.Random(2)))
    doc = extract(path)
    page = doc.pages[0]
    assert doc.format == "image" and page.kind == "image" and page.rotation == 90
    assert page.height > page.width  # upright A4 portrait
    assert "2024年工程建设质量信得过班组活动报名表" in compact(page.text)
    rows = [r for t in page.tables for r in t.rows]
    assert ["班组名称", "中建八局第三建设有限公司钢筋班组"] in rows
    assert not any("☑" in c for r in rows for c in r)  # nothing on this form is ticked
