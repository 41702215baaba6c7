"""On scans a typed space between two words is kept ("部门 姓名", not "部门姓名"): the recogniser's
decoding positions show the gap, compared with the steady pitch of the line's ideographs."""

from __future__ import annotations

import random

import numpy as np
import pymupdf
import pytest

from extractors.ocr import default_engine, spaced
from pipeline.samples.pdfdraw import new_page, pdf_bytes, typefaces
from pipeline.samples.scan import scan_pdf

SPACED = ["科技质量部 石立思", "部门 姓名", "归口部门及负责人：工程技术部 张伟"]
SOLID = "以发布会和现场观摩相结合的方式推进活动，涌现出一批典型经验"


def test_a_wide_step_between_ideographs_is_a_space() -> None:
    words = [["部", "门"], ["姓", "名"]]
    assert spaced("部门姓名", [24, words, [[3, 8], [15, 20]], ["cn", "cn"]]) == "部门 姓名"
    assert spaced("部门姓名", [24, [["部", "门", "姓", "名"]], [[3, 8, 13, 18]], ["cn"]]) == "部门姓名"
    assert spaced("部门姓名", None) == "部门姓名"  # no positions: the text as read


@pytest.mark.ocr
@pytest.mark.parametrize("font", ["song", "kai"])
def test_scanned_words_keep_their_space(font: str) -> None:
    if font not in typefaces():
        pytest.fail(f"font {font} missing: run scripts/system-deps.sh")
    doc = pymupdf.open()
    pen = new_page(doc, font)
    for i, t in enumerate([*SPACED, SOLID]):
        pen.text(72, 100 + i * 40, t, 10.5)
    scan = pymupdf.open("pdf", scan_pdf(pdf_bytes(doc), dpi=200, rng=random.Random(1)))
    pix = scan[0].get_pixmap(dpi=200)
    img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)[:, :, :3].copy()
    read = [b.text for b in default_engine(1).read(img).boxes]
    for t in SPACED:
        assert t in read, read
    assert SOLID in read  # a line of running text gets no space
