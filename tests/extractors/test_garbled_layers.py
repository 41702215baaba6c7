"""Text layers that print right but read wrong: unmapped glyphs, codes mapped to unrelated scripts,
and a font whose codes map to the wrong Chinese characters (乱码 when copied)."""

from __future__ import annotations

import pymupdf
import pytest
from rapidfuzz.distance import Levenshtein

from extractors import ExtractOptions, extract
from extractors.quality import judge_layer

from .helpers import notice_text

SHIFTED_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Shifted def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
4 beginbfrange <4E00> <9FA4> <4E01> <0020> <007E> <0020> <3000> <303F> <3000> <FF00> <FFEF> <FF00> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _page_pdf(path, text: str, pages: int = 1):
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 770), text, fontname="china-s", fontsize=12)
    doc.save(path)
    return path


def _shifted_font_pdf(tmp_path, text: str, pages: int = 1):
    """The glyphs print the text; the font's ToUnicode maps each ideograph to the next code point
    (punctuation and ASCII stay right, so only the characters' sense gives the layer away)."""
    doc = pymupdf.open(_page_pdf(tmp_path / "plain.pdf", text, pages))
    cmap = doc.get_new_xref()
    doc.update_object(cmap, "<<>>")
    doc.update_stream(cmap, SHIFTED_TO_UNICODE)
    for xref, *_ in doc[0].get_fonts():
        doc.xref_set_key(xref, "ToUnicode", f"{cmap} 0 R")
    doc.save(tmp_path / "shifted.pdf")
    return tmp_path / "shifted.pdf"


@pytest.mark.parametrize(
    ("text", "unmapped", "reason"),
    [
        ("质量", 30, "garbled_text_layer"),  # glyphs MuPDF could not map, already dropped from the text
        ("Ă̄ Ԇ܈ऊଌഎ༐ᄒጔᔖ ჭᏎᓍᘋ ᙊᚒᛐ" * 4, 0, "garbled_text_layer"),  # codes read as unrelated scripts
        ("本班组 2024 年 QC 成果：α 系数 0.85，面积 120 ㎡，温度 25 ℃，★ 推荐 ① ☑ 是 □ 否 — “优秀”" * 3, 0,
         "good_text_layer"),  # what Chinese office documents do contain
        ("质量信得过班组" * 20, 2, "good_text_layer"),  # a couple of unmapped glyphs are tolerated
    ],
)
def test_layer_characters_decide(text, unmapped, reason):
    verdict = judge_layer(text, 0.0, False, 0.0, None, unmapped)
    assert verdict.reason == reason and verdict.use_text == (reason == "good_text_layer")


def test_font_mapping_to_wrong_characters_is_not_trusted(tmp_path):
    text = notice_text(300, 400)
    good = extract(_page_pdf(tmp_path / "good.pdf", text, pages=2), options=ExtractOptions(ocr=False))
    assert [p.reason for p in good.pages] == ["good_text_layer"] * 2
    bad = extract(_shifted_font_pdf(tmp_path, text, pages=2), options=ExtractOptions(ocr=False))
    assert [(p.source, p.reason) for p in bad.pages] == [("ocr", "implausible_text_layer")] * 2
    assert all(not p.text and [pr.code for pr in p.problems] == ["ocr_disabled"] for p in bad.pages)


@pytest.mark.ocr
def test_wrong_character_layer_is_read_by_ocr(tmp_path):
    text = notice_text(300, 400)
    page = extract(_shifted_font_pdf(tmp_path, text)).pages[0]
    assert (page.source, page.reason) == ("ocr", "implausible_text_layer")
    squeeze = str.maketrans("", "", " \n")
    ref, got = text.translate(squeeze), page.text.translate(squeeze)
    assert Levenshtein.distance(got, ref) / len(ref) < 0.03
