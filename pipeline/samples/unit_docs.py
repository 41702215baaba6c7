"""A recommending unit's documents: the recommendation letter (推荐函) and the award-list notice.

Both are drawn as the units draw them: letterhead, title, body, a table or numbered list of teams,
signature, date and a red seal; the award list is a long ruled table over several pages with the
recommended teams marked by ★, by 推荐 in a remarks column, or by a highlighted row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pymupdf

from pipeline.samples import names
from pipeline.samples.pdfdraw import Pen, new_page, pdf_bytes

LEVELS = ("一等成果", "二等成果", "三等成果")
MARK_STYLES = ("star", "column", "highlight")
NOTICE_NO = "中施企协字〔{year}〕11号"


@dataclass
class TeamLine:
    """One team as a unit's documents list it."""

    name: str  # as written in the document
    company: str
    achievement: str
    level: str = ""


def _doc_no(rng: random.Random, unit: str, year: int) -> str:
    short = unit[:2] if not unit.startswith("中国") else unit[2:4]
    return f"{short}{rng.choice(('建协', '质协', '协'))}〔{year}〕{rng.randint(3, 60)}号"


def _date_cn(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


def _signature(pen: Pen, y: float, unit: str, date: str, seal: bool = True) -> float:
    right = pen.width - 80
    w = max(pen.length(unit, 12), pen.length(date, 12))
    x = right - w
    pen.text(x, y, unit, 12)
    pen.text(x + (w - pen.length(date, 12)) / 2, y + 24, date, 12)
    if seal:
        pen.seal(x + w / 2, y + 4, unit, r=46)
    return y + 40


def _table_pages(doc: pymupdf.Document, pen: Pen, y: float, widths: list[float], header: list[str],
                 rows: list[list[str]], font: str, highlight: set[int] | None = None,
                 size: float = 10) -> tuple[Pen, float]:
    """A ruled table that continues on new pages (header repeated), rows as tall as their text."""
    x0 = (pen.width - sum(widths)) / 2
    bottom = pen.page.rect.height - 70

    def row_height(cells: list[str]) -> float:
        lines = max(len(pen.wrap(c, size, w - 6)) for c, w in zip(cells, widths, strict=False))
        return max(22.0, lines * size * 1.3 + 8)

    pen.grid(x0, y, widths, [24.0], [header], size=size)
    y += 24
    for i, cells in enumerate(rows):
        h = row_height(cells)
        if y + h > bottom:
            pen = new_page(doc, font)
            y = 60.0
            pen.grid(x0, y, widths, [24.0], [header], size=size)
            y += 24
        if highlight and i in highlight:
            pen.rect(pymupdf.Rect(x0, y, x0 + sum(widths), y + h), color=None, fill=(1.0, 0.93, 0.35),
                     opacity=0.8)
        pen.grid(x0, y, widths, [h], [list(cells)], size=size)
        y += h
    return pen, y


def build_recommendation_letter(rng: random.Random, unit: str, teams: list[TeamLine], *, year: int,
                                font: str = "china-s", style: str = "table") -> bytes:
    """推荐函 of `unit` naming `teams` (as a table, or as a numbered list when style='list')."""
    doc = pymupdf.open()
    pen = new_page(doc, font)
    pen.centered(78, unit, 24, color=(0.8, 0.05, 0.05))
    pen.line((60, 96), (pen.width - 60, 96), color=(0.8, 0.05, 0.05), width=2)
    pen.centered(118, _doc_no(rng, unit, year), 11)
    pen.centered(160, f"关于推荐{year}年工程建设质量信得过班组的函", 17)
    y = 200.0
    pen.text(72, y, "中国施工企业管理协会：", 13)
    y += 28
    body = (
        f"根据贵会《关于开展{year}年工程建设质量信得过班组活动的通知》（{NOTICE_NO.format(year=year)}）要求，"
        f"我{'会' if '协会' in unit or '联合会' in unit else '单位'}组织开展了本{'地区' if '省' in unit or '市' in unit else '行业'}"
        f"质量信得过班组活动，经班组自愿申报、专家评审，"
        f"现推荐以下{len(teams)}个班组参加{year}年工程建设质量信得过班组活动，请予审核。"
    )
    y = pen.paragraph(72, y, body, 12.5)
    y += 6
    if style == "table":
        widths = [36.0, 170.0, 130.0, 115.0]
        rows = [[str(i + 1), t.name, t.company, t.achievement] for i, t in enumerate(teams)]
        pen, y = _table_pages(doc, pen, y, widths, ["序号", "班组名称", "所在单位", "成果名称"], rows, font)
        y += 24
    else:
        for i, t in enumerate(teams):
            y = pen.paragraph(84, y, f"{i + 1}. {t.name}（{t.company}）：《{t.achievement}》", 12, indent=False)
            if y > pen.page.rect.height - 180:
                pen, y = new_page(doc, font), 80.0
        y += 6
    if y > pen.page.rect.height - 170:
        pen, y = new_page(doc, font), 80.0
    y = pen.paragraph(72, y, "特此函告。", 12.5)
    area = rng.choice(("010", "022", "021", "023", "025", "0571", "027", "020", "028", "029", "0531"))
    contact = f"联系人：{names.person(rng)}    电话：{area}-{rng.randint(60000000, 89999999)}"
    y = pen.paragraph(72, y + 6, contact, 12, indent=False)
    _signature(pen, y + 40, unit, _date_cn(year, 5, rng.randint(6, 27)))
    return pdf_bytes(doc)


def build_award_list(rng: random.Random, unit: str, teams: list[TeamLine], marked: set[str], *, year: int,
                     font: str = "china-s", mark: str = "column") -> bytes:
    """关于公布<year-1>年度…质量信得过班组活动成果的通知, its table marking the teams in `marked`."""
    prev = year - 1
    doc = pymupdf.open()
    pen = new_page(doc, font)
    pen.centered(78, f"{unit}文件", 22, color=(0.8, 0.05, 0.05))
    pen.centered(108, _doc_no(rng, unit, year), 11)
    pen.line((60, 118), (pen.width - 60, 118), color=(0.8, 0.05, 0.05), width=1.5)
    region = "本地区" if ("省" in unit or "市" in unit) else "本行业"
    title = f"关于公布{prev}年度{region}工程建设质量信得过班组活动成果的通知"
    y = 150.0
    for line in pen.wrap(title, 16, pen.width - 150):
        pen.centered(y, line, 16)
        y += 24
    y += 8
    pen.text(72, y, "各会员单位、有关单位：", 12.5)
    y += 26
    body = (
        f"根据{prev}年度{region}工程建设质量信得过班组活动安排，经企业申报、资料审核和现场发布，"
        f"评选出{len(teams)}项质量信得过班组活动成果，现予以公布（名单见附件）。"
        f"标注{'★' if mark == 'star' else '“推荐”' if mark == 'column' else '底色'}的班组推荐参加中国施工企业管理协会"
        f"{year}年工程建设质量信得过班组活动。希望获奖班组再接再厉，持续提升质量管理水平。"
    )
    y = pen.paragraph(72, y, body, 12)
    y += 4
    pen.text(72, y, "附件：获奖成果名单", 12)
    y += 14
    highlight: set[int] = set()
    rows = []
    for i, t in enumerate(teams):
        is_marked = t.name in marked
        name = ("★" + t.name) if (mark == "star" and is_marked) else t.name
        row = [str(i + 1), name, t.company, t.achievement, t.level]
        if mark == "column":
            row.append("推荐" if is_marked else "")
        if mark == "highlight" and is_marked:
            highlight.add(i)
        rows.append(row)
    if mark == "column":
        widths = [30.0, 140.0, 120.0, 115.0, 50.0, 35.0]
        header = ["序号", "班组名称", "所在单位", "成果名称", "等级", "备注"]
    else:
        widths = [30.0, 150.0, 130.0, 125.0, 55.0]
        header = ["序号", "班组名称", "所在单位", "成果名称", "等级"]
    pen, y = _table_pages(doc, pen, y, widths, header, rows, font, highlight, size=9.5)
    if y > pen.page.rect.height - 130:
        pen, y = new_page(doc, font), 80.0
    _signature(pen, y + 50, unit, _date_cn(year, rng.randint(1, 4), rng.randint(1, 28)))
    return pdf_bytes(doc)
