"""A team's own documents: the registration form (报名表) and the achievement report as PDF.

The form is the online system's printout, a ruled two-column table; the report is set page by page
from the report text (pipeline.samples.report_text), headings larger, with a running header and folio.
"""

from __future__ import annotations

import pymupdf

from pipeline.samples.pdfdraw import A4, Pen, new_page, pdf_bytes

FORM_LAYOUT = (  # rows of (label, key) pairs; one pair spans the row
    (("班组名称", "班组名称"),),
    (("所在单位", "所在单位"),),
    (("推荐单位", "推荐单位"),),
    (("班组长", "班组长"), ("班组人数", "班组人数")),
    (("成果名称", "成果名称"),),
    (("联系人", "联系人"), ("联系电话", "联系电话")),
)


PLEDGE = "本班组承诺：所填信息及申报材料真实、准确、完整，如有不实，自愿承担相应责任并接受取消资格处理。"


def build_registration_form(fields: dict[str, str], *, year: int, font: str = "china-s",
                            intro: str = "", pledge: str | None = PLEDGE) -> bytes:
    """报名表 as printed from the registration system: a ruled table of the form's fields, and the
    team's pledge in a row of its own under the contact line (without a label: it is read as the text
    after 联系电话 unless the reader knows where a value ends)."""
    doc = pymupdf.open()
    pen = new_page(doc, font)
    pen.centered(90, f"{year}年工程建设质量信得过班组活动报名表", 17)
    pen.text(66, 122, f"报名编号：{fields.get('报名编号', '')}", 10.5)
    widths = [95.0, 150.0, 85.0, 133.0]
    rows: list[list[str | None]] = []
    heights: list[float] = []
    for row in FORM_LAYOUT:
        if len(row) == 1:
            (label, key), = row
            rows.append([label, fields.get(key, ""), None, None])
        else:
            (l1, k1), (l2, k2) = row
            rows.append([l1, fields.get(k1, ""), l2, fields.get(k2, "")])
        heights.append(36.0)
    if pledge:
        rows.append([pledge, None, None, None])
        heights.append(40.0)
    rows.append(["班组简介", intro, None, None])
    heights.append(150.0)
    rows.append(["所在单位意见", "\n\n（盖章）\n年    月    日", None, None])
    heights.append(110.0)
    rows.append(["推荐单位意见", "\n\n（盖章）\n年    月    日", None, None])
    heights.append(110.0)
    pen.grid(66, 132, widths, heights, rows, size=11, aligns=["center", "left", "center", "left"])
    return pdf_bytes(doc)


def _blocks(text: str, headings: set[str]) -> list[tuple[str, object]]:
    """Headings, paragraphs and tables: a header line of field names ("caption：序号 姓名 …")
    followed by rows with as many space-separated fields is set as a ruled table."""
    lines = [x.strip() for x in text.splitlines()]
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        caption, _, fields = line.rpartition("：")
        head = fields.split()
        nxt = lines[i + 1].split() if i + 1 < len(lines) else []
        if line in headings:
            out.append(("heading", line))
        elif len(head) >= 3 and len(nxt) == len(head) and not any(h.replace(".", "").isdigit() for h in head):
            if caption:
                out.append(("para", caption + "："))
            rows = [head]
            while i + 1 < len(lines) and len(lines[i + 1].split()) == len(head):
                i += 1
                rows.append(lines[i].split())
            out.append(("table", rows))
        elif line:
            out.append(("para", line))
        i += 1
    return out


def build_report_pdf(pages: list[str], *, team: str, company: str, font: str = "china-s") -> bytes:
    """The achievement report: a title page, then the text set continuously, tables ruled."""
    from pipeline.samples.report_text import HEADINGS

    doc = pymupdf.open()
    pen = new_page(doc, font)
    y = 220.0
    for j, line in enumerate(pages[0].splitlines() if pages else [team]):
        size = 22 if j == 2 else 18 if j == 3 else 14
        for part in pen.wrap(line, size, pen.width - 120):
            pen.centered(y, part, size)
            y += size * 2.2
    bottom = A4[1] - 80
    pen, y = new_page(doc, font), 80.0
    for kind, payload in _blocks("\n".join(pages[1:]), set(HEADINGS)):
        if kind == "heading":
            if y > bottom - 60:
                pen, y = new_page(doc, font), 80.0
            pen.text(72, y + 6, str(payload), 14)
            y += 32
        elif kind == "table":
            rows = payload
            cols = len(rows[0])
            widths = [40.0] + [(pen.width - 144 - 40) / (cols - 1)] * (cols - 1)
            height = 22.0 * len(rows)
            if y + height > bottom:
                pen, y = new_page(doc, font), 80.0
            y = pen.grid(72, y - 8, widths, [22.0] * len(rows), rows, size=10) + 22
        else:
            for line in pen.wrap("\u3000\u3000" + str(payload), 11.5, pen.width - 144):
                if y > bottom:
                    pen, y = new_page(doc, font), 80.0
                pen.text(72, y, line, 11.5)
                y += 11.5 * 1.75
    for n, page in enumerate(doc, start=1):
        if n > 1:
            pen = Pen(page, font)
            pen.text(72, 48, team, 8.5, color=(0.4, 0.4, 0.4))
            pen.line((72, 54), (page.rect.width - 72, 54), color=(0.6, 0.6, 0.6), width=0.5)
            pen.centered(page.rect.height - 40, f"— {n} —", 9)
            pen.commit()
    return pdf_bytes(doc)
