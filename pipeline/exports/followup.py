"""补交通知: what each recommending unit still has to send, with whom to write to and by when.

One .docx per unit: the clerk forwards it by mail as it is, or opens it in Word/WPS to add the
letterhead, a stamp or a sentence first, which a PDF would not allow; plus one workbook of rows for a
WPS/Word mail merge (header in row 1, one row per unit). Both list the unit's own open findings and
its teams' (dismissed findings left out), in Chinese, and the date to resubmit by.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.model import CompletenessReport, Problem, UnitResult
from core.reference import DATA_DIR
from pipeline.exports.cells import put
from pipeline.exports.sheets import text_width, workbook_bytes
from pipeline.exports.shortlist import activity_name
from pipeline.reports.common import atomic_write_bytes, file_owners, problem_title
from pipeline.reports.names import NameAllocator
from pipeline.store.review import finding_key

# Findings the unit cannot act on: the system's own reading troubles, bytes sent twice (ignored
# anyway), files nobody owns, and lateness (a fact, not something to resubmit).
NOT_FOR_SENDER = frozenset({
    "duplicate_file", "extraction_failed", "ocr_timeout", "ocr_failed", "ocr_disabled", "unrecognized_file",
    "late_submission", "late_submission_accepted", "statistics_unreadable",
})
CONTACT_ITEMS = {"contact": "联系人", "phone": "手机", "email": "邮箱", "department": "质量信得过班组工作归口部门及负责人"}
COLUMN_CM = (1.4, 3.6, 3.4, 7.6)  # 序号, 涉及对象, 问题, 说明 on A4 with Word's default margins
MERGE_HEADERS = ["序号", "推荐单位", "联系人", "手机", "邮箱", "归口部门及负责人", "补交截止日期", "本单位问题数",
                 "班组问题数", "涉及班组", "问题清单"]


@dataclass(frozen=True)
class Finding:
    """One problem as the review workspace keys it: the unit or team it is shown under, and the problem
    (a file's problem belongs to the unit or team the file came from)."""

    level: str  # "unit" or "team": the workspace's object type
    subject: str  # unit name or team id: the workspace's object id
    problem: Problem


def dismissed_in(dismissals: Mapping[tuple[str, str], Collection[str]]) -> Callable[[Finding], bool]:
    """The predicate for `followup_notices` from the workspace's dismissals in force
    ((object type, object id) -> finding keys, as `pipeline.store.review.dismissed_findings` gives)."""
    return lambda f: finding_key(f.problem) in dismissals.get((f.level, f.subject), ())


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class NoticeItem:
    who: str  # "本单位" or the team's name and id
    title: str
    message: str
    where: str = ""


@dataclass
class FollowUpNotice:
    year: int
    unit: str
    listed: bool
    contact: Contact
    resubmit_by: date
    unit_items: list[NoticeItem] = field(default_factory=list)
    team_items: list[NoticeItem] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)  # "name（id）" of the teams with open findings

    @property
    def items(self) -> list[NoticeItem]:
        return [*self.unit_items, *self.team_items]


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _listed_contacts() -> dict[str, Contact]:
    """Contacts the secretariat keeps in data/recommending_units.toml (`contact`, `phone`, `email`), if any."""
    try:
        with (DATA_DIR / "recommending_units.toml").open("rb") as fh:
            units = tomllib.load(fh).get("unit", [])
    except (OSError, ValueError):
        return {}
    return {
        u["name"]: Contact(_text(u.get("contact")), _text(u.get("phone")), _text(u.get("email")),
                           _text(u.get("department")))
        for u in units if isinstance(u, dict) and u.get("name")
    }


def unit_contact(files: list[UnitResult], kept: Contact | None = None) -> Contact:
    """This year's statistics table (联系人/手机/邮箱; of any file the unit sent) first; what data/ keeps
    fills the blanks."""
    tables = [u.documents["statistics_table"].fields or {} for u in files if "statistics_table" in u.documents]

    def first(item: str) -> str | None:
        return next((v for fields in tables if (v := _text(fields.get(CONTACT_ITEMS[item])))), None)

    kept = kept or Contact()
    return Contact(
        name=first("contact") or kept.name,
        phone=first("phone") or kept.phone,
        email=first("email") or kept.email,
        department=first("department") or kept.department,
    )


def _where(p: Problem, default_file: str | None) -> str:
    file = p.file or default_file
    parts = [f"文件“{PurePosixPath(file).name}”" if file else "", f"第{p.page}页" if p.page else ""]
    return "".join(parts)


def followup_notices(
    completeness: CompletenessReport,
    resubmit_by: date,
    *,
    dismissed: Callable[[Finding], bool] | None = None,
    include_without_findings: bool = False,
) -> list[FollowUpNotice]:
    """One notice per unit that has open findings of its own or of its teams, in the results' order.

    `dismissed` tells the findings a reviewer dismissed (the workspace keeps them per unit/team with
    its own finding key): they are left out. Teams no unit recommended have no unit to tell.
    """
    is_dismissed = dismissed or (lambda _f: False)
    kept = _listed_contacts()
    file_problems: dict[tuple[str, str], list[tuple[str, Problem]]] = {}  # owner -> (path, problem)
    owners = file_owners(completeness)
    for f in completeness.files:
        if f.path in owners:
            file_problems.setdefault(owners[f.path], []).extend((f.path, p) for p in f.problems)

    def open_items(object_type: str, object_id: str, who: str, default_file: str | None,
                   problems: list[Problem]) -> list[NoticeItem]:
        """The object's own problems, then those of its files; without what it cannot act on or was dismissed."""
        found = [(default_file, p) for p in problems] + file_problems.get((object_type, object_id), [])
        return [
            NoticeItem(who, problem_title(p.code), p.message, _where(p, file))
            for file, p in found
            if p.code not in NOT_FOR_SENDER and not is_dismissed(Finding(object_type, object_id, p))
        ]

    notices: list[FollowUpNotice] = []
    seen_units: set[str] = set()
    for u in completeness.units:
        if u.unit in seen_units:  # a unit that sent two files: one notice, both files' findings
            continue
        seen_units.add(u.unit)
        same = [x for x in completeness.units if x.unit == u.unit]
        unit_items = open_items("unit", u.unit, "本单位", u.source_file, [p for x in same for p in x.problems])
        team_items: list[NoticeItem] = []
        teams: list[str] = []
        for t in completeness.teams:
            if t.recommender != u.unit:
                continue
            who = f"{t.team or t.team_id}（{t.team_id}）"
            items = open_items("team", t.team_id, who, None, t.problems)
            if items:
                teams.append(who)
                team_items += items
        if not (unit_items or team_items or include_without_findings):
            continue
        notices.append(FollowUpNotice(
            year=completeness.year, unit=u.unit, listed=u.listed, contact=unit_contact(same, kept.get(u.unit)),
            resubmit_by=resubmit_by, unit_items=unit_items, team_items=team_items, teams=teams,
        ))
    return notices


# ---------------------------------------------------------------- the .docx per unit


def _east_asian(run_or_style: Any, font: str = "宋体") -> None:
    """Word picks CJK glyphs from the eastAsia font slot; python-docx only sets the Latin one."""
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)


def notice_docx(notice: FollowUpNotice, *, sender: str = "中国施工企业管理协会", mailbox: str | None = None,
                today: date | None = None) -> bytes:
    """The notice as a Word document (bytes) the clerk can forward or edit first."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    _east_asian(normal, "宋体")
    activity = activity_name(notice.year)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"关于补交{activity}材料的通知")
    run.bold, run.font.size = True, Pt(16)
    _east_asian(run, "黑体")
    doc.add_paragraph(f"{notice.unit}：")
    where_to = f"发送至 {mailbox}" if mailbox else "按原报送方式重新发送"
    doc.add_paragraph(
        f"贵单位报送的{activity}材料经初选审核，发现以下{len(notice.items)}项问题需要补充或更正。"
        f"请于{cn_date(notice.resubmit_by)}前将补充或更正后的材料{where_to}，逾期未补交的，按材料不完整处理。"
    )
    c = notice.contact
    contact = "；".join(x for x in [f"联系人：{c.name}" if c.name else "", f"手机：{c.phone}" if c.phone else "",
                                    f"邮箱：{c.email}" if c.email else ""] if x)
    if contact:
        doc.add_paragraph(f"贵单位统计表所填{contact}。")
    for heading, items in (("一、本单位材料", notice.unit_items), ("二、推荐班组材料", notice.team_items)):
        if not items:
            continue
        h = doc.add_paragraph()
        hr = h.add_run(heading)
        hr.bold = True
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ["序号", "涉及对象", "问题", "说明"], strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for i, item in enumerate(items, 1):
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(i), item.who, item.title
            cells[3].text = item.message + (f"（{item.where}）" if item.where else "")
        table.autofit = False
        for column, width in zip(table.columns, COLUMN_CM, strict=True):  # the grid (LibreOffice, WPS)
            column.width = Cm(width)
        for row in table.rows:  # the explanation gets the room; Word reads widths per cell
            for cell, width in zip(row.cells, COLUMN_CM, strict=True):
                cell.width = Cm(width)
    doc.add_paragraph()
    for line in (sender, cn_date(today or date.today())):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- mail merge rows


def merge_rows(notices: list[FollowUpNotice]) -> list[list[Any]]:
    rows = []
    for i, n in enumerate(notices, 1):
        listing = "\n".join(
            f"{k}. 【{item.who}】{item.title}：{item.message}" + (f"（{item.where}）" if item.where else "")
            for k, item in enumerate(n.items, 1)
        )
        rows.append([i, n.unit, n.contact.name, n.contact.phone, n.contact.email, n.contact.department,
                     cn_date(n.resubmit_by), len(n.unit_items), len(n.team_items), "、".join(n.teams), listing])
    return rows


def mail_merge_workbook(notices: list[FollowUpNotice]) -> bytes:
    """Rows for a WPS/Word mail merge: field names in row 1, one unit per row, nothing merged."""
    wb = Workbook()
    ws = wb.active
    ws.title = "补交通知"
    rows = merge_rows(notices)
    for c, header in enumerate(MERGE_HEADERS, 1):
        cell = put(ws.cell(1, c), header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            put(ws.cell(r, c), value).alignment = Alignment(wrap_text=True, vertical="top")
    for c, header in enumerate(MERGE_HEADERS, 1):
        width = max([text_width(header), *(text_width(r[c - 1]) for r in rows)])
        ws.column_dimensions[get_column_letter(c)].width = min(max(8.0, width), 80)
    ws.freeze_panes = "C2"
    return workbook_bytes(wb)


def write_followup(folder: Path, notices: list[FollowUpNotice], *, mailbox: str | None = None,
                   today: date | None = None) -> list[Path]:
    """Write `补交通知-<unit>.docx` per unit and `补交通知-邮件合并.xlsx` into `folder`; returns the paths."""
    folder = Path(folder)
    names = NameAllocator()
    written = [atomic_write_bytes(folder / names.claim(f"补交通知-{n.unit}", ".docx"),
                                  notice_docx(n, mailbox=mailbox, today=today)) for n in notices]
    written.append(atomic_write_bytes(folder / names.claim("补交通知-邮件合并", ".xlsx"), mail_merge_workbook(notices)))
    return written
