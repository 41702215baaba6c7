"""A turned page reads as well as the same page upright: same characters, same line order, the
punctuation at the end of each line kept (real OCR, marked `ocr`)."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import Levenshtein

from extractors import extract
from extractors.ocr import rotate_image

from .helpers import compact, notice_text, scan_pdf, text_page_image

pytestmark = pytest.mark.ocr


def _cer(text: str, truth: str) -> float:
    return Levenshtein.distance(compact(text), compact(truth)) / max(len(compact(truth)), 1)


@pytest.fixture(scope="module")
def page_and_upright(tmp_path_factory):
    truth = notice_text(700, 170)
    img = text_page_image(truth, size=(420, 420), fontsize=12)
    upright = extract(scan_pdf(tmp_path_factory.mktemp("up") / "up.pdf", [img])).pages[0]
    return truth, img, upright


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turned_page_reads_like_the_same_page_upright(page_and_upright, tmp_path, turn: int) -> None:
    truth, img, upright = page_and_upright
    page = extract(scan_pdf(tmp_path / "t.pdf", [rotate_image(img, turn)])).pages[0]
    assert page.rotation == (360 - turn) % 360
    assert _cer(page.text, truth) <= _cer(upright.text, truth) + 0.003
    assert [ln.text[-1:] for ln in page.lines] == [ln.text[-1:] for ln in upright.lines]  # line ends kept
    assert compact(page.text) == compact(upright.text) or _cer(page.text, upright.text) < 0.003
