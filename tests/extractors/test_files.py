"""Bad and disguised inputs never crash: they become unreadable_file problems in Chinese (no OCR)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from extractors import EXTRACTOR_VERSION, ExtractOptions, extract
from extractors.render_text import format_document
from extractors.sniff import sniff_format
from tests.conftest import REALDATA

REAL = REALDATA


def _pdf(path: Path, text: str = "关于推荐质量信得过班组的函", **save) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), text, fontname="china-s", fontsize=14)
    doc.save(path, **save)
    return path


def _unreadable(doc) -> str:
    assert doc.pages == []
    codes = [p.code for p in doc.problems]
    assert codes == ["unreadable_file"], codes
    return doc.problems[0].message


def test_born_digital_pdf_uses_text_layer(tmp_path):
    doc = extract(_pdf(tmp_path / "a.pdf"), name="推荐材料/a.pdf")
    assert doc.path == "推荐材料/a.pdf" and doc.format == "pdf" and doc.extractor_version == EXTRACTOR_VERSION
    page = doc.pages[0]
    assert page.source == "text_layer" and page.reason == "good_text_layer"
    assert page.text == "关于推荐质量信得过班组的函"
    assert page.lines[0].confidence is None and page.lines[0].bbox[0] == pytest.approx(72, abs=2)
    assert doc.contract()["pages"][0]["source"] == "text_layer"


def test_empty_file(tmp_path):
    (tmp_path / "e.pdf").write_bytes(b"")
    doc = extract(tmp_path / "e.pdf")
    assert doc.format == "empty" and "文件为空" in _unreadable(doc)


def test_truncated_pdf(tmp_path):
    data = _pdf(tmp_path / "full.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[:200])
    doc = extract(tmp_path / "cut.pdf")
    assert doc.format == "pdf" and "已损坏或不完整" in _unreadable(doc)


def test_truncated_image(tmp_path):
    shutil.copy(REAL / "ch_en_num.jpg", tmp_path / "x.jpg")
    data = (tmp_path / "x.jpg").read_bytes()
    (tmp_path / "x.jpg").write_bytes(data[:300])
    doc = extract(tmp_path / "x.jpg", options=ExtractOptions(ocr=False))
    assert doc.format == "image" and "已损坏" in _unreadable(doc)


def test_encrypted_pdf_with_user_password(tmp_path):
    path = _pdf(tmp_path / "lock.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    assert "文件已加密" in _unreadable(extract(path))


def test_encrypted_pdf_with_empty_user_password_opens(tmp_path):
    path = _pdf(tmp_path / "owner.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="", owner_pw="owner",
                permissions=0)
    doc = extract(path)
    assert doc.readable and doc.pages[0].text == "关于推荐质量信得过班组的函"


def test_extension_lies_pdf_named_pptx(tmp_path):
    path = _pdf(tmp_path / "报告.pptx")
    doc = extract(path)
    assert doc.format == "pdf" and doc.readable
    assert doc.pages[0].source == "text_layer"
    assert [p.code for p in doc.problems] == ["extension_mismatch"]
    assert "扩展名" in doc.problems[0].message


def test_extension_lies_text_named_pdf(tmp_path):
    (tmp_path / "报名表.pdf").write_text("<html>登录已过期</html>", encoding="utf-8")
    doc = extract(tmp_path / "报名表.pdf")
    assert doc.format == "unknown"
    assert "文件内容与扩展名不符" in _unreadable(doc)


def test_zip_given_as_document(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.pdf", "w") as zf:
        zf.writestr("x.txt", "x")
    doc = extract(tmp_path / "a.pdf")
    assert doc.format == "zip" and not doc.readable


def test_legacy_ppt_without_libreoffice(tmp_path, monkeypatch):
    import extractors.legacy as legacy

    monkeypatch.setattr(legacy, "soffice_path", lambda: None)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"  # a sound header
    ole = header + b"\0" * (512 - len(header)) + "PowerPoint Document".encode("utf-16-le") + b"\0" * 600
    (tmp_path / "报告.ppt").write_bytes(ole)
    assert sniff_format(tmp_path / "报告.ppt") == "ppt"
    doc = extract(tmp_path / "报告.ppt")
    assert doc.format == "ppt" and "PPTX" in _unreadable(doc)


def test_corrupt_pptx(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "r.pptx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("ppt/presentation.xml", "not xml at all")
    doc = extract(tmp_path / "r.pptx")
    assert doc.format == "pptx" and "已损坏" in _unreadable(doc)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("ocr_test.pptx", "pptx"), ("ocr_test.pdf", "pdf"), ("ch_en_num.jpg", "image"), ("small_ocr.pdf", "pdf")],
)
def test_sniff_real_files_regardless_of_name(tmp_path, name, fmt):
    target = tmp_path / "renamed.dat"
    shutil.copy(REAL / name, target)
    assert sniff_format(target) == fmt


def test_born_digital_table_keeps_rows():
    doc = extract(REAL / "issue-336-example.pdf")
    page = doc.pages[0]
    assert page.source == "text_layer"
    assert [len(t.rows) for t in page.tables] == [8, 11, 2]  # what pdfplumber's own test expects
    first = page.tables[0]
    assert any("高速公路" in cell for row in first.rows for cell in row)
    assert all(len(row) == len(first.rows[0]) for row in first.rows)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("".join(chr(0xE000 + i) for i in range(40)), "garbled_text_layer"),  # private-use glyph codes
        ("质量" + "\ufffd" * 30, "garbled_text_layer"),  # replacement characters
        ("(cid:12)(cid:845)(cid:77) 班组", "garbled_text_layer"),  # unmapped CID glyphs
        ("ÖÐ¹ú½¨Öþ¹¤³Ì" * 3, "garbled_text_layer"),  # GBK bytes read as Latin-1
        ("", "no_text_layer"),
    ],
)
def test_bad_text_layers_are_rejected(text, reason):
    from extractors.quality import judge_layer

    verdict = judge_layer(text, 0.0, False, 0.0, None)
    assert not verdict.use_text and verdict.reason == reason


def test_good_scanner_layer_is_kept_and_hidden_text_is_not():
    from extractors.quality import judge_layer

    good = judge_layer(_notice(), 1.0, True, 0.0, 0.9)
    assert good.use_text and good.reason == "scanner_text_layer"
    assert judge_layer(_notice(), 0.0, True, 0.0, 0.2).reason == "sparse_text_layer"
    assert judge_layer(_notice(), 0.0, False, 0.9, None).reason == "text_covered_by_image"


def _notice() -> str:
    return (REAL.parent / "seed" / "cacem-2024-notice.txt").read_text(encoding="utf-8")[200:900]


def test_page_without_text_and_ocr_off_gets_problem(tmp_path):
    doc = pymupdf.open()
    doc.new_page().draw_rect(pymupdf.Rect(50, 50, 200, 200))
    doc.save(tmp_path / "blank.pdf")
    out = extract(tmp_path / "blank.pdf", options=ExtractOptions(ocr=False))
    page = out.pages[0]
    assert page.source == "ocr" and page.reason == "no_text_layer"
    assert page.problems[0].code == "ocr_disabled"


def test_format_document_names_source_and_rotation():
    doc = extract(REAL / "issue12823.pdf")
    text = format_document(doc)
    assert "第 1 页" in text and "来源：文字层" in text and "描述团队的共同目标" in text


def test_truncated_pdf_from_sample_generator(tmp_path):
    """The generator's way of cutting a file (keeps the first 45 %): a clean problem, no exception text."""
    from pipeline.samples.files import truncated

    doc = pymupdf.open()
    for i in range(6):
        doc.new_page().insert_text((72, 100), f"第{i + 1}页 质量信得过班组成果报告", fontname="china-s")
    full = doc.tobytes()
    (tmp_path / "cut.pdf").write_bytes(truncated(full))
    out = extract(tmp_path / "cut.pdf")
    if out.readable:  # MuPDF may repair what is left; then whatever pages it recovers are real text
        assert out.pages and all("质量信得过班组" in p.text for p in out.pages if p.text)
    else:
        assert _unreadable(out) == "文件已损坏或不完整，无法打开，请重新提交完整文件。"


def test_pptx_groups_tables_and_notes(tmp_path):
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    group = slide.shapes.add_group_shape()
    inner = group.shapes.add_group_shape()
    box = inner.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    box.text_frame.text = "现状调查：钢筋保护层合格率82%"
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(3), Inches(4), Inches(1)).table
    for (r, c), text in {(0, 0): "项目", (0, 1): "目标值", (1, 0): "合格率", (1, 1): "95%"}.items():
        table.cell(r, c).text = text
    slide.notes_slide.notes_text_frame.text = "讲解时强调对策实施"
    prs.slides.add_slide(prs.slide_layouts[6])  # an empty slide stays a page
    prs.save(tmp_path / "r.pptx")
    doc = extract(tmp_path / "r.pptx")
    first, second = doc.pages
    assert first.kind == "slide" and first.source == "text_layer"
    assert first.text.splitlines()[0] == "现状调查：钢筋保护层合格率82%"
    assert first.tables[0].rows == [["项目", "目标值"], ["合格率", "95%"]]
    assert first.notes == "讲解时强调对策实施"
    assert second.text == "" and second.reason == "empty_slide"
    assert first.width == pytest.approx(720) and first.lines[0].bbox[0] == pytest.approx(72)


def _scan_with_layer(path: Path, layer: str, render_mode: int, image_on_top: bool) -> Path:
    """A page image (text drawn into a picture) plus a text layer below or above it."""
    src = pymupdf.open()
    src.new_page(width=420, height=300).insert_textbox(pymupdf.Rect(24, 24, 396, 276), _notice()[:150],
                                                       fontname="china-s", fontsize=12)
    png = src[0].get_pixmap(dpi=100).tobytes("png")
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=300)
    if image_on_top:
        page.insert_textbox(pymupdf.Rect(24, 24, 396, 276), layer, fontname="china-s", fontsize=12,
                            render_mode=render_mode)
        page.insert_image(page.rect, stream=png)
    else:
        page.insert_image(page.rect, stream=png)
        page.insert_textbox(pymupdf.Rect(24, 24, 396, 276), layer, fontname="china-s", fontsize=12,
                            render_mode=render_mode)
    doc.save(path)
    return path


def test_plausible_scanner_layer_is_used_without_ocr(tmp_path):
    path = _scan_with_layer(tmp_path / "s.pdf", _notice()[:150], render_mode=3, image_on_top=False)
    page = extract(path, options=ExtractOptions(ocr=False)).pages[0]
    assert page.source == "text_layer" and page.reason == "scanner_text_layer" and page.images == 1
    assert "质量" in page.text


def test_text_hidden_under_an_image_is_not_trusted(tmp_path):
    path = _scan_with_layer(tmp_path / "h.pdf", "这段文字被图片盖住了，读者看不到它" * 3, render_mode=0, image_on_top=True)
    page = extract(path, options=ExtractOptions(ocr=False)).pages[0]
    assert page.source == "ocr" and page.reason == "text_covered_by_image"


def test_too_few_characters_for_the_ink_goes_to_ocr(tmp_path):
    path = _scan_with_layer(tmp_path / "f.pdf", "关于开展质量信得过班组活动的通知", render_mode=3, image_on_top=False)
    page = extract(path, options=ExtractOptions(ocr=False)).pages[0]
    assert page.source == "ocr" and page.reason == "sparse_text_layer"


def test_worker_count_policy(monkeypatch):
    import extractors.workers as workers
    from extractors.workers import AUTO_MIN_PAGES, resolve_workers

    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (0.1, 0.1, 0.1))  # an idle machine
    assert resolve_workers(ExtractOptions(), 1) == 1
    assert resolve_workers(ExtractOptions(), AUTO_MIN_PAGES - 1) == 1
    assert resolve_workers(ExtractOptions(), AUTO_MIN_PAGES) == 2
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (3.5, 3.0, 3.0))  # both cores busy elsewhere
    assert resolve_workers(ExtractOptions(), 100) == 1
    assert resolve_workers(ExtractOptions(engine=lambda img: []), 50) == 1  # injected engines stay here
    assert resolve_workers(ExtractOptions(workers=3), 5) == 3
    monkeypatch.setenv("BANZU_OCR_WORKERS", "1")  # reaches the extractors through Settings only
    from core.settings import Settings
    from pipeline.intake import extract_options

    assert resolve_workers(extract_options(Settings()), 100) == 1
    assert extract_options(Settings()).threads == 1
