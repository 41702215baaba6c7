"""The born-digital fast path: words grouped into lines, rotation, and the content-stream prechecks."""

from __future__ import annotations

import pymupdf

from extractors import ExtractOptions, extract
from extractors.tables import _may_have_rules, draws_xobjects


def _pdf(tmp_path, rotate: int = 0):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "班组名称 质量信得过 2024", fontname="china-s", fontsize=12)
    page.insert_text((72, 140), "第二行文字", fontname="china-s", fontsize=12)
    page.set_rotation(rotate)
    path = tmp_path / f"r{rotate}.pdf"
    doc.save(path)
    return path


def test_multi_word_line_kept_whole_with_its_box(tmp_path):
    page = extract(_pdf(tmp_path), options=ExtractOptions(ocr=False)).pages[0]
    assert [ln.text for ln in page.lines] == ["班组名称 质量信得过 2024", "第二行文字"]
    x0, y0, x1, y1 = page.lines[0].bbox
    assert 70 <= x0 < 80 and 85 < y0 < y1 <= 106 and x1 > 72 + 10 * 12
    assert page.text == "班组名称 质量信得过 2024\n第二行文字"


def test_rotated_born_digital_page_reads_upright(tmp_path):
    upright = extract(_pdf(tmp_path, 0), options=ExtractOptions(ocr=False)).pages[0]
    turned = extract(_pdf(tmp_path, 90), options=ExtractOptions(ocr=False)).pages[0]
    # the turned page shows the lines sideways: same lines, boxes in the upright (shown) page
    assert sorted(ln.text for ln in turned.lines) == sorted(ln.text for ln in upright.lines)
    assert (turned.width, turned.height) == (842, 595)
    assert all(0 <= v <= 842 for ln in turned.lines for v in ln.bbox)
    x0, y0, x1, y1 = next(ln.bbox for ln in turned.lines if ln.text == "第二行文字")
    assert y1 - y0 > 3 * (x1 - x0)  # turned to the shown page: the line runs down it


def test_stream_prechecks():
    assert not draws_xobjects(b"BT /F1 12 Tf (abc) Tj ET")
    assert draws_xobjects(b"q 100 0 0 100 0 0 cm /Im1 Do Q")
    assert draws_xobjects(b"BI /W 1 /H 1 ID x EI")
    text_only = b"BT /F1 12 Tf <4e2d> Tj ET"
    ruled = b"0 0 m 10 0 l S 0 10 m 10 10 l S 0 0 10 10 re S 5 5 10 10 re S"
    assert not _may_have_rules(None, text_only, False)  # type: ignore[arg-type]
    assert _may_have_rules(None, ruled, False)  # type: ignore[arg-type]
