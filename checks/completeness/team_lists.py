"""Team lists: the teams a letter recommends and the teams an award notice lists.

Both are rows of 序号 / 班组名称 / 所在单位 (in any column order, with extra columns such as
班组长 or 成果名称), printed as a table or as numbered lines. A row's cells are told apart by
what they look like (a company ends in 公司, a team in 班组/项目部/队…), so the column order
of the header does not matter and OCR lines without a grid work as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Page

from .text import CHECKED_MARKS, STAR_MARKS, nfkc, squash

COMPANY_END = r"(有限公司|有限责任公司|股份公司|公司|集团|工程局|局|研究院|设计院|院|厂|协会|分公司|事业部)"
TEAM_END = r"(班组|小组|班|组|项目经理部|项目部|部|队|室|站|中心|车间|工区|科|所|处|分部)"
_COMPANY = re.compile(COMPANY_END + r"$")
_TEAM = re.compile(TEAM_END + r"$")
_JOINED = re.compile(r"^(.{4,}?" + COMPANY_END + r")(.{2,}" + TEAM_END + r")$")
_JOINED_GREEDY = re.compile(r"^(.{4,}" + COMPANY_END + r")(.{2,}" + TEAM_END + r")$")
_HEADER = re.compile(r"序号|名称|单位|班组长|成果|备注|推荐|姓名|获奖")
_SERIAL = re.compile(r"^[(（]?(\d{1,4})[)）.、．]?$")
_SERIAL_LEAD = re.compile(r"^\s*[(（]?(\d{1,4})[)）.、．]?\s*")
_TOPIC = re.compile(r"^(提高|降低|确保|研制|缩短|减少|提升|攻克|解决|优化|基于|浅谈|创新)")
_MARKS = STAR_MARKS + CHECKED_MARKS + "√"
_MARK_WORDS = {"推荐", "推荐班组", "拟推荐", "是", "√"}


@dataclass
class TeamRow:
    team: str  # the team's own name (钢筋班组) or the full name when it cannot be split
    company: str  # 所在单位, '' when not given
    page: int
    marked: bool = False  # ★ or another mark on the row
    written: str = ""  # the team's name as the document writes it (one cell, or company+team joined)

    @property
    def full(self) -> str:
        if self.company and not self.team.startswith(self.company):
            return self.company + self.team
        return self.team


def _clean_cell(cell: str) -> tuple[str, bool]:
    t = squash(cell)
    marked = any(m in t for m in _MARKS)
    t = re.sub(f"[{re.escape(_MARKS)}]", "", t)
    return t.strip("：:;；,，、.。"), marked


def _split_joined(text: str) -> tuple[str, str] | None:
    """"中建八局第三建设有限公司钢筋班组" → (company, team)."""
    m = _JOINED_GREEDY.match(text) or _JOINED.match(text)
    if m and not _TEAM.search(m.group(1)[-2:] or ""):
        return m.group(1), m.group(3)
    return None


_COMPANY_TOPIC = re.compile(r"^(.{4,}?(?:有限公司|有限责任公司|股份公司|公司))(" + _TOPIC.pattern[1:] + ".*)$")


def _split_cells(cells: Sequence[str]) -> list[str]:
    """A company and the achievement's title read as one cell ("…有限公司提升…合格率") become two."""
    out: list[str] = []
    for c in cells:
        m = _COMPANY_TOPIC.match(squash(c))
        out.extend([m.group(1), m.group(2)] if m else [c])
    return out


def row_from_cells(cells: Sequence[str], page: int) -> TeamRow | None:
    """A team row from its cells (serial number first or not), or None for headers and prose."""
    parts: list[str] = []
    marked = False
    for c in _split_cells(cells):
        t, m = _clean_cell(c)
        marked = marked or m
        if t in _MARK_WORDS:
            marked = True
        elif t:
            parts.append(t)
    if parts and _SERIAL.match(parts[0]):
        parts = parts[1:]
    if not parts or any(_HEADER.fullmatch(p) or p in ("班组名称", "所在单位", "企业名称", "单位名称") for p in parts):
        return None
    if sum(1 for p in parts if _HEADER.search(p) and len(p) <= 6) >= 2:
        return None
    team_at = next((i for i, p in enumerate(parts) if _TEAM.search(p) and not _TOPIC.match(p)), None)
    firms = [i for i, p in enumerate(parts) if _COMPANY.search(p) and len(p) >= 4 and i != team_at]
    after = [i for i in firms if team_at is not None and i > team_at]
    company = parts[(after or firms)[0]] if firms else ""
    rest = [p for p in parts if p != company and not _TOPIC.match(p) and len(p) >= 2]
    team = parts[team_at] if team_at is not None else ""
    written = team
    if not team:
        for p in parts:
            split = _split_joined(p)
            if split:
                company, team = split
                written = p
                break
    if not team:
        longer = [p for p in rest if len(p) >= 4 and not re.fullmatch(r"[\d\-—./年月日]+", p)]
        team = longer[0] if longer and company else ""
        written = team
    if not team:
        return None
    if not company:
        split = _split_joined(team)
        if split:
            company, team = split
    if "班组" not in team and not _TEAM.search(team):
        return None
    return TeamRow(team=team, company=company, page=page, marked=marked, written=written or team)


def _table_rows(page: Page) -> list[TeamRow]:
    """Rows of the page's tables; a serial number read twice (a rebuilt grid can repeat a row with
    a neighbour's cells) keeps its row with the fewest cells, the one without borrowed text."""
    rows: list[TeamRow] = []
    by_serial: dict[str, tuple[int, int]] = {}
    for table in page.tables:
        for cells in table.rows:
            r = row_from_cells(cells, page.page)
            if not r:
                continue
            filled = [squash(c) for c in cells if squash(c)]
            serial = filled[0] if filled and filled[0].isdigit() else None
            if serial is not None and serial in by_serial:
                at, size = by_serial[serial]
                if len(filled) < size:
                    rows[at] = r
                    by_serial[serial] = (at, len(filled))
                continue
            if serial is not None:
                by_serial[serial] = (len(rows), len(filled))
            rows.append(r)
    return rows


def _items(lines: Sequence[str]) -> list[str]:
    """Numbered items of the lines, a wrapped item joined with its continuation lines."""
    items: list[str] = []
    open_item = False
    for line in lines:
        text = nfkc(line).strip()
        lead = _SERIAL_LEAD.match(text)
        if lead and lead.group(1) and len(text) > lead.end():
            items.append(text[lead.end() :])
            open_item = not re.search(r"[》。]$|(班组|项目部)$", text)
        elif open_item and text and not re.search(r"特此|联系人|电话|此函|盖章|\d{4}年", squash(text)):
            items[-1] += text
            open_item = not re.search(r"[》。]$", text)
        else:
            open_item = False
    return items


def _line_rows(page: Page) -> list[TeamRow]:
    rows: list[TeamRow] = []
    lines = page.text.splitlines() or [ln.text for ln in page.lines]
    for body in _items(lines):
        body = re.sub(r"[：:]?《[^》]*》?.*$", "", body)  # the achievement's title and what follows
        body = re.sub(r"[（(]([^（）()]{4,})[)）]", r" \1 ", body)  # 班组（所在单位）
        cells = re.split(r"\s+|\t", body.strip())
        r = row_from_cells(cells, page.page)
        if r is None and len(cells) > 1:
            r = row_from_cells(["".join(cells)], page.page)
        if r:
            rows.append(r)
    return rows


def team_rows(pages: Sequence[Page]) -> list[TeamRow]:
    """All team rows of the pages: from the tables where the page has them, else from its lines."""
    out: list[TeamRow] = []
    for page in pages:
        rows = _table_rows(page)
        if not rows:
            rows = _line_rows(page)
        out.extend(rows)
    seen: set[str] = set()
    unique = []
    for r in out:
        k = squash(r.full)
        if k not in seen:
            seen.add(k)
            unique.append(r)
    return unique


def prose_teams(pages: Sequence[Page]) -> list[TeamRow]:
    """Teams named in running text ("推荐中建八局第三建设有限公司钢筋班组、…参加"), for letters without a list."""
    out: list[TeamRow] = []
    for page in pages:
        text = squash(page.text)
        for m in re.finditer(r"推荐(.{6,400}?)(参加|参与|为20|申报)", text):
            for part in re.split(r"[、，,；;和及]", m.group(1)):
                part = re.sub(r"^(以下|如下|我会|本会|我单位)?的?", "", part)
                split = _split_joined(part)
                if split:
                    out.append(TeamRow(team=split[1], company=split[0], page=page.page, written=part))
    return out
