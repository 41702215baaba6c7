"""The born-digital text layer in one pass: lines from blocks or words, rotation, what else a page paints."""

from __future__ import annotations

import pymupdf

from extractors import ExtractOptions, extract
from extractors.tables import may_hold_table
from extractors.textlayer import read_text_layer


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


LINES = ["第一条　本办法适用于  质量信得过班组", "申报材料\u00a0应当真实 完整", "第三行 abc  12.5 万元"]


def test_block_lines_and_word_lines_agree(tmp_path):
    """One line per block (read from MuPDF's blocks) and paragraph blocks (read from its words)
    give the same line texts, spaced as MuPDF's words are."""
    doc = pymupdf.open()
    spaced = doc.new_page()
    for i, text in enumerate(LINES):
        spaced.insert_text((72, 100 + 60 * i), text, fontname="china-s", fontsize=12)
    para = doc.new_page()
    para.insert_textbox(pymupdf.Rect(72, 72, 540, 400), "\n".join(LINES), fontname="china-s", fontsize=12,
                        lineheight=1.15)
    spaced, para = doc[0], doc[1]  # adding pages drops PyMuPDF's earlier page objects
    kinds = [[b[4].count("\n") for b in p.get_textpage(flags=pymupdf.TEXT_MEDIABOX_CLIP).extractBLOCKS()]
             for p in (spaced, para)]
    assert max(kinds[0]) == 1 and max(kinds[1]) > 1  # both ways are exercised
    a, b = (read_text_layer(p) for p in (spaced, para))
    expected = ["第一条 本办法适用于 质量信得过班组", "申报材料 应当真实 完整", "第三行 abc 12.5 万元"]
    assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines] == expected
    assert all(x0 < x1 and y0 < y1 for ln in a.lines + b.lines for x0, y0, x1, y1 in [ln.bbox])
    assert (a.width, a.height, a.images, a.vectors) == (595, 842, 0, [])


def _ruled_page(doc: pymupdf.Document) -> pymupdf.Page:
    page = doc.new_page()
    xs, ys = [72, 250, 400], [100, 130, 160]
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]))
    for y in ys:
        page.draw_line((xs[0], y), (xs[-1], y))
    for r, (a, b) in enumerate([("企业数", "36"), ("班组数", "108")]):
        page.insert_text((xs[0] + 4, ys[r] + 20), a, fontname="china-s", fontsize=11)
        page.insert_text((xs[1] + 4, ys[r] + 20), b, fontname="china-s", fontsize=11)
    return page


def test_what_a_page_paints_besides_text(tmp_path):
    doc = pymupdf.open()
    _ruled_page(doc)
    rule = doc.new_page()
    rule.insert_text((72, 80), "页眉", fontname="china-s")
    rule.draw_line((72, 90), (520, 90))
    logo = doc.new_page()  # after this, doc[i] for earlier pages
    logo.insert_text((72, 80), "文字", fontname="china-s")
    logo.insert_image(pymupdf.Rect(400, 40, 440, 80), pixmap=pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), 0))
    layers = [read_text_layer(p) for p in doc]
    assert len(layers[0].vectors) == 6 and layers[0].images == 0 and may_hold_table(layers[0].vectors)
    assert len(layers[1].vectors) == 1 and not may_hold_table(layers[1].vectors)
    assert layers[2].images == 1 and layers[2].vectors == []
    assert may_hold_table([(72, 100, 400, 160)])  # a grid drawn as one path


def test_born_digital_pages_with_and_without_rules(tmp_path):
    doc = pymupdf.open()
    plain = doc.new_page()
    plain.insert_textbox(pymupdf.Rect(72, 72, 500, 300), "第一段文字。\n第二段文字。", fontname="china-s", fontsize=12)
    _ruled_page(doc)
    doc.save(tmp_path / "born.pdf")
    p1, p2 = extract(tmp_path / "born.pdf", options=ExtractOptions(ocr=False)).pages
    assert p1.source == "text_layer" and p1.text == "第一段文字。\n第二段文字。" and not p1.tables
    assert [ln.text for ln in p1.lines] == ["第一段文字。", "第二段文字。"]
    assert p2.tables and p2.tables[0].rows == [["企业数", "36"], ["班组数", "108"]]
    assert p2.text.splitlines() == ["企业数 36", "班组数 108"]


def test_rules_inside_a_form_xobject_still_make_a_table(tmp_path):
    src = pymupdf.open()
    _ruled_page(src)
    doc = pymupdf.open()
    page = doc.new_page()
    page.show_pdf_page(page.rect, src, 0)  # the whole page, rules and text, drawn as one form XObject
    path = tmp_path / "form.pdf"
    doc.save(path)
    assert b"Do" in pymupdf.open(path)[0].read_contents()
    out = extract(path, options=ExtractOptions(ocr=False)).pages[0]
    assert out.source == "text_layer" and out.tables
    assert out.tables[0].rows == [["企业数", "36"], ["班组数", "108"]]


def _mixed_pdf(tmp_path, rotate: int):
    """Spaced lines, a paragraph, a rule and text off the page (read without MuPDF's clip flag)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, text in enumerate(LINES):
        page.insert_text((72, 100 + 60 * i), text, fontname="china-s", fontsize=12)
    page.insert_textbox(pymupdf.Rect(72, 400, 540, 600), "\n".join(LINES), fontname="china-s", fontsize=12,
                        lineheight=1.15)
    page.draw_line((72, 620), (520, 620))
    page.insert_text((700, 100), "页面之外的文字", fontname="china-s", fontsize=12)
    page.insert_text((72, -40), "页面上方之外", fontname="china-s", fontsize=12)
    page.set_rotation(rotate)
    path = tmp_path / f"mixed{rotate}.pdf"
    doc.save(path)
    return path


def test_pymupdf_public_api_fallback_reads_the_same(tmp_path, monkeypatch):
    """Without PyMuPDF's C helpers (another PyMuPDF version) the public API gives the same layer."""
    import extractors.textlayer as textlayer

    for rotate in (0, 90, 270):
        page = pymupdf.open(_mixed_pdf(tmp_path, rotate))[0]
        fast = read_text_layer(page)
        monkeypatch.setattr(textlayer, "_LOW", None)
        slow = read_text_layer(page)
        monkeypatch.undo()
        assert [ln.text for ln in fast.lines] == [ln.text for ln in slow.lines]
        assert [ln.text for ln in fast.lines].count("第三行 abc 12.5 万元") == 2
        assert not any("之外" in ln.text for ln in fast.lines)  # off-page text is not read
        assert (fast.width, fast.height) == (slow.width, slow.height) == ((595, 842) if rotate == 0 else (842, 595))
        for a, b in zip(fast.lines, slow.lines, strict=True):
            assert max(abs(u - v) for u, v in zip(a.bbox, b.bbox, strict=True)) < 0.5
        assert len(fast.vectors) == len(slow.vectors) == 1
        assert max(abs(u - v) for u, v in zip(fast.vectors[0], slow.vectors[0], strict=True)) < 0.5
