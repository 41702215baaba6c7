"""The achievement report as PPTX, as teams make them for the 发布会: more than plain text boxes.

A title slide, text slides, a data table, grouped shapes (a PDCA diagram), speaker notes and one
slide that is only a picture of text (OCR is the only way to read it). Saved with fixed zip
timestamps and core properties so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime

import pymupdf
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Pt

from pipeline.samples.pdfdraw import new_page

FIXED_TIME = datetime(2024, 5, 1, 9, 0, 0)
ZIP_TIME = (2024, 5, 1, 9, 0, 0)


def text_picture(text: str, *, width: float = 640, height: float = 360, font: str = "china-s",
                 dpi: int = 110) -> bytes:
    """A PNG of text lines (a pasted screenshot); drawn with PyMuPDF so it is deterministic."""
    doc = pymupdf.open()
    pen = new_page(doc, font, (width, height))
    pen.rect(pen.page.rect, color=None, fill=(0.96, 0.97, 1.0))
    y = 40.0
    for i, line in enumerate(text.splitlines()):
        size = 20 if i == 0 else 14
        for part in pen.wrap(line, size, width - 60):
            pen.text(30, y, part, size)
            y += size * 1.6
            if y > height - 10:
                break
    pen.commit()
    return pen.page.get_pixmap(dpi=dpi).tobytes("png")


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps and member order (python-pptx stamps 'now')."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _text_slide(prs: Presentation, title: str, lines: list[str], notes: str = "") -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.clear()
    for i, line in enumerate(lines):
        para = body.paragraphs[0] if i == 0 else body.add_paragraph()
        para.text = line
        para.font.size = Pt(16)
    if notes:
        slide.notes_slide.notes_text_frame.text = notes


def _table_slide(prs: Presentation, rng: random.Random, title: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    problems = ["尺寸偏差", "表面缺陷", "连接不牢", "位置偏移", "其他"]
    counts = sorted((rng.randint(3, 60) for _ in problems), reverse=True)
    total = sum(counts)
    rows = len(problems) + 2
    shape = slide.shapes.add_table(rows, 4, Emu(600000), Emu(1500000), Emu(7900000), Emu(400000 * rows))
    table = shape.table
    for c, h in enumerate(("序号", "问题类型", "频数（点）", "累计频率")):
        table.cell(0, c).text = h
    acc = 0
    for r, (p, n) in enumerate(zip(problems, counts, strict=True), start=1):
        acc += n
        for c, v in enumerate((str(r), p, str(n), f"{acc / total * 100:.1f}%")):
            table.cell(r, c).text = v
    for c, v in enumerate(("合计", "", str(total), "100%")):
        table.cell(rows - 1, c).text = v


def _group_slide(prs: Presentation, title: str, steps: list[str]) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = title
    group = slide.shapes.add_group_shape()
    for i, step in enumerate(steps):
        box = group.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(500000 + i * 2100000), Emu(2400000),
                                     Emu(1900000), Emu(1300000))
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0x1F, 0x5F, 0xAF)
        box.text_frame.text = step
        box.text_frame.paragraphs[0].font.size = Pt(18)
        box.text_frame.paragraphs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def build_report_pptx(slides: list[str], *, team: str, company: str, rng: random.Random,
                      picture_slide: int | None = None, font: str = "china-s") -> bytes:
    """The PPT version: slide texts (first = title slide) plus a table, a diagram and a picture slide."""
    prs = Presentation()
    prs.core_properties.created = FIXED_TIME
    prs.core_properties.modified = FIXED_TIME
    prs.core_properties.last_modified_by = company
    prs.core_properties.author = team
    prs.core_properties.revision = 1
    title_lines = slides[0].splitlines() if slides else [team]
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title_lines[-1] if len(title_lines) > 1 else title_lines[0]
    first.placeholders[1].text = "\n".join(title_lines[:-1]) if len(title_lines) > 1 else company
    first.notes_slide.notes_text_frame.text = f"各位专家、各位同仁：大家好！我代表{team}发布本次活动成果。"
    body = slides[1:]
    if picture_slide is None and body:
        picture_slide = rng.randrange(len(body))
    for i, text in enumerate(body):
        lines = text.splitlines()
        heading, rest = lines[0], lines[1:]
        if i == picture_slide:
            slide = prs.slides.add_slide(prs.slide_layouts[6])
            png = text_picture(text, font=font)
            slide.shapes.add_picture(io.BytesIO(png), Emu(300000), Emu(300000), width=Emu(8500000))
            continue
        notes = rest[0] if rest and rng.random() < 0.5 else ""
        _text_slide(prs, heading, rest, notes)
        if "现状调查" in heading:
            _table_slide(prs, rng, "现状调查统计表")
        if "制定对策" in heading:
            _group_slide(prs, "PDCA循环", ["计划 P", "实施 D", "检查 C", "处置 A"])
    thanks = prs.slides.add_slide(prs.slide_layouts[0])
    thanks.shapes.title.text = "谢谢！"
    thanks.placeholders[1].text = company
    buf = io.BytesIO()
    prs.save(buf)
    return normalize_zip(buf.getvalue())
