"""Short table cells read a second time, check boxes only where a box is, reading order of pieces.

One scanned form page is OCR'd (the test marked `ocr`); the rest uses the recogniser alone or no OCR.
"""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from core.model import Line
from extractors.cellread import CellRead, _better, needs_reread, reread_cells
from extractors.checkbox import merge_checkboxes
from extractors.layout import group_rows, join_row, new_line, reading_order
from extractors.tables import ruling_masks

DPI = 200
PX = DPI / 72


@pytest.mark.parametrize(("text", "score", "expected"), [
    ("", 0.0, True), ("1", 0.99, True), ("个", 0.5, True), ("个", 0.99, False), ("万元", 0.98, False),
    (".3", 0.99, True), ("15人", 0.99, True), ("1,650", 0.99, False), ("12.5万元", 0.99, False),
    ("约 3 个", 0.99, True), ("本年度开展活动企业数", 0.5, False), ("3150人次", 0.99, False),
])
def test_which_cells_are_read_again(text, score, expected):
    assert needs_reread(text, score) is expected


def test_second_reading_wins_only_when_confident_and_better():
    assert _better(".3", 0.99, "7.3", 0.97) == "7.3"  # the detector cut the digit off
    assert _better("", 0.0, "1", 0.95) == "1"
    assert _better("", 0.0, "1", 0.5) == ""  # a seal's stroke read as "1" with no confidence
    assert _better("个", 0.99, "Λ", 0.2) == "个"
    assert _better("36", 0.7, "35", 0.98) == "35"
    assert _better("36", 0.97, "35", 0.98) == "36"  # not clearly better: the first reading stands


def _cells_image(values: list[str]) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """One ruled row of wide cells, each holding a short value, rendered like a 200 dpi scan."""
    doc = pymupdf.open()
    page = doc.new_page(width=80 + 110 * len(values), height=90)
    xs = [40 + 110 * i for i in range(len(values) + 1)]
    y0, y1 = 30, 60
    for x in xs:
        page.draw_line((x, y0), (x, y1), width=1)
    for y in (y0, y1):
        page.draw_line((xs[0], y), (xs[-1], y), width=1)
    for i, value in enumerate(values):
        page.insert_text((xs[i] + 50, y0 + 20), value, fontname="china-s", fontsize=10.5)
    pix = page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.stride)[:, : pix.w].copy()
    noisy = img.astype(np.int16) + np.random.default_rng(3).normal(0, 8, img.shape).astype(np.int16)
    cells = [(int(xs[i] * PX) + 2, int(y0 * PX) + 2, int(xs[i + 1] * PX) - 2, int(y1 * PX) - 2)
             for i in range(len(values))]
    return np.clip(noisy, 0, 255).astype(np.uint8), cells


@pytest.mark.ocr
def test_clipped_and_missed_numbers_are_read_from_the_cell():
    from extractors.ocr import default_engine

    img, cells = _cells_image(["7.3", "1", "15", "个"])
    horiz, vert = ruling_masks(img, 72 / DPI)
    # what the page's detector made of them: ".3" (the 7 cut off), nothing, nothing, "个"
    x0, y0, x1, y1 = cells[0]
    dot3 = ((x0 + 152.0, y0 + 12.0, x0 + 185.0, y1 - 12.0), 0.99)
    items = [CellRead(0, 0, cells[0], ".3", [dot3]), CellRead(0, 1, cells[1], ""),
             CellRead(0, 2, cells[2], ""), CellRead(0, 3, cells[3], "个", [((0, 0, 1, 1), 0.99)])]
    line_h = 20 * PX
    out = reread_cells(img, horiz | vert, items, default_engine().recognize, line_h)
    assert out == ["7.3", "1", "15", "个"]


def test_ticked_box_on_a_read_character_is_that_character():
    # "国" looks like a box with ink inside; OCR read it, the word fills its box: no ☑
    r = (100.0, 0.0, 100.0 + 6 * 30, 30.0)
    mark = (100 + 15.0, 15.0, 26.0, True)
    assert merge_checkboxes([(r, "国际会议中心")], [mark]) == "国际会议中心"


def test_box_the_recogniser_dropped_goes_to_the_edge_with_room():
    # OCR read "是" in a box wide enough for two glyphs: the ticked box sat in the empty part
    r = (716.0, 311.0, 795.0, 354.0)
    assert merge_checkboxes([(r, "是")], [(733.0, 330.0, 37.0, True)]) == "☑是"


def test_inserted_box_never_splits_a_word():
    # an empty box found inside a box of text with room to spare: placed between words, not in 评审
    r = (0.0, 0.0, 400.0, 30.0)
    for mx in (95.0, 140.0, 160.0, 310.0):  # anywhere along the text
        text = merge_checkboxes([(r, "发表评审资料评审")], [(mx, 15.0, 26.0, False)])
        assert text.replace("□", "") == "发表评审资料评审"
        assert text.index("□") in (0, 2, 4, 6, 8), text  # 发表|评审|资料|评审


def test_stray_mark_between_halves_of_a_word_is_dropped_but_kept_in_a_gap():
    left, right = ((0.0, 0.0, 80.0, 30.0), "发表评"), ((100.0, 0.0, 130.0, 30.0), "审")
    assert merge_checkboxes([left, right], [(90.0, 15.0, 26.0, True)]) == "发表评 审"
    yes, no = ((0.0, 0.0, 30.0, 30.0), "是"), ((80.0, 0.0, 110.0, 30.0), "否")
    assert merge_checkboxes([yes, no], [(55.0, 15.0, 26.0, False)]) == "是 □ 否"


def _lines(specs: list[tuple[str, float, float, float, float]]) -> list[Line]:
    return [Line(text=t, bbox=(x0, y0, x1, y1)) for t, x0, y0, x1, y1 in specs]


@pytest.mark.parametrize("specs", [
    [("第一行", 72, 72, 300, 84), ("第二行", 72, 92, 300, 104), ("第三行", 72, 112, 200, 124)],
    [("标签", 72, 72, 120, 84), ("数值", 300, 73, 340, 85), ("下一行", 72, 92, 300, 104)],
    [("后", 72, 112, 200, 124), ("前", 72, 72, 300, 84)],
])
def test_fast_reading_order_matches_the_general_one(specs):
    lines = _lines(specs)
    rows = group_rows(lines)
    ordered, text = reading_order(lines)
    assert ordered == [ln for row in rows for ln in row]
    assert text == "\n".join(join_row(r) for r in rows)


def test_new_line_is_a_plain_line():
    ln = new_line("文字", (1.0, 2.0, 3.0, 4.0))
    assert ln == Line(text="文字", bbox=(1.0, 2.0, 3.0, 4.0)) and ln.confidence is None
    assert ln.model_dump() == {"text": "文字", "bbox": (1.0, 2.0, 3.0, 4.0), "confidence": None}
    ln.text = "改"
    assert ln.text == "改"
