"""The statistics table (附件3): every item read into a typed value, blanks and unreadables named.

Items come from the year's rules (data/years/YYYY.toml), so a new form is a data change. Values
are read from the table cells when the page has tables and from the lines otherwise; when both
exist the table wins item by item and the lines fill its gaps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from core.marks import MARKED_OPEN, marked_spans, unmarked
from core.model import BBox, Page
from core.reference import StatisticsItem, YearRules

from .labels import Value, pieces_from_pages, read_labelled, regroup, strip_unit
from .text import CHECKED_MARKS, UNCHECKED_MARKS, is_blank_value, parse_number, squash

# Shorter spellings seen on real forms (OCR drops or merges words; units rephrase).
_ALIASES: dict[str, list[str]] = {
    "质量信得过班组活动评审及交流形式": ["评审及交流形式"],
    "质量信得过班组工作归口部门及负责人": ["归口部门及负责人"],
    "本年度开展质量信得过班组活动主要特点及存在的问题": ["主要特点及存在的问题"],
    "手机": ["手机号码", "联系电话"],
    "邮箱": ["电子邮箱", "E-mail", "Email"],
}
_STOPS = ["注:1", "注:"]  # the notes under the form end the last item's value
_MARK_RE = f"[{CHECKED_MARKS}{UNCHECKED_MARKS}{MARKED_OPEN}]"
_OCR_MARKS = {"V": "☑", "v": "☑", "R": "☑", "þ": "☑", "区": "☑", "回": "☑", "O": "□", "o": "□"}


@dataclass
class StatisticsReading:
    fields: dict[str, Any] = field(default_factory=dict)
    blank: list[str] = field(default_factory=list)  # required items with nothing written
    unreadable: list[str] = field(default_factory=list)  # required items whose writing is not a value
    pages: dict[str, int] = field(default_factory=dict)  # item -> page it was read on
    unit_name: str | None = None  # the "推荐单位：" header, when filled in
    places: dict[str, tuple[int, BBox]] = field(default_factory=dict)  # item -> page and box of its row


def _number(value_: Value, item: StatisticsItem) -> tuple[Any, bool]:
    """The first piece after the label holding a number (a neighbour cell's number never joins it)."""
    text = value_.text
    for part in value_.parts:
        if not re.search(r"[0-9０-９]", part):
            continue
        v, w = parse_number(strip_unit(part, item.unit))
        if w:
            text = part
            break
    value, written = parse_number(strip_unit(text, item.unit))
    if value is None:
        return None, written and not is_blank_value(text)
    if item.type == "int":
        if value != value.to_integral_value():
            return None, True
        return int(value), True
    return _decimal(value), True


def _decimal(value: Decimal) -> float | int:
    return float(value)


def _marked(text: str, options: Sequence[str], marks_before: bool = False) -> tuple[list[str], bool]:
    """Ticked, circled or underlined options in `text` and whether any mark (ticked or empty box,
    circle, underline) was seen: a circled or underlined word (⟦资料评审⟧) is that option marked."""
    spans = [squash(w) for w in marked_spans(text)]
    ticked, had = _boxed(unmarked(text), options, marks_before)
    if spans:
        ticked = [o for o in options if o in ticked or any(squash(o) in w for w in spans)]
    return ticked, had or bool(spans)


def _boxed(text: str, options: Sequence[str], marks_before: bool = False) -> tuple[list[str], bool]:
    """Ticked options in `text` and whether any checkbox mark (ticked or empty) was seen.

    A mark belongs to the option on one side of it: the side that gives the most options a mark,
    on a tie the form's own layout (`marks_before`: 附件3 prints "□是 □否" but "发表评审□").
    A mark read inside a word (发表评☑审) belongs to that word.
    """
    t = squash(text)
    for k, v in _OCR_MARKS.items():
        t = t.replace(k, v) if k not in "".join(options) else t
    all_marks = CHECKED_MARKS + UNCHECKED_MARKS
    plain, where = "", []
    for i, c in enumerate(t):
        if c not in all_marks:
            plain += c
            where.append(i)
    spans = []
    for opt in options:
        i = plain.find(squash(opt))
        if i >= 0:
            spans.append((where[i], where[i + len(squash(opt)) - 1] + 1, opt))
    marks = [i for i, c in enumerate(t) if c in all_marks]
    if not spans or not marks:
        return [], bool(marks)
    spans.sort()

    def regions(before: bool) -> list[str]:
        out = []
        for idx, (start, end, _) in enumerate(spans):
            if before:
                lo = spans[idx - 1][1] if idx else 0
                out.append(t[lo:end])
            else:
                hi = spans[idx + 1][0] if idx + 1 < len(spans) else len(t)
                out.append(t[start:hi])
        return out

    cover = {b: sum(any(c in all_marks for c in r) for r in regions(b)) for b in (True, False)}
    before = marks_before if cover[True] == cover[False] else cover[True] > cover[False]
    ticked = []
    for (_, _, opt), region in zip(spans, regions(before), strict=True):
        if any(c in CHECKED_MARKS for c in region):
            ticked.append(opt)
    return ticked, True


def _only_empty_box(text: str) -> str | None:
    """The option (是/否) whose box is the only mark read, when exactly one empty box was read.

    A yes/no item has two printed boxes; a tick drawn over one box can hide it from OCR, so a
    single empty box read means the other option was ticked. The box goes with the option it
    precedes (□是 □否, the layout of 附件3), or follows when nothing comes after it.
    """
    t = squash(text)
    marks = [i for i, c in enumerate(t) if c in CHECKED_MARKS + UNCHECKED_MARKS]
    if len(marks) != 1 or t[marks[0]] not in UNCHECKED_MARKS:
        return None
    i = marks[0]
    after = t[i + 1 : i + 2]
    before = t[i - 1 : i] if i else ""
    if after in ("是", "否"):
        return after
    if before in ("是", "否"):
        return before
    return None


def _bool(text: str) -> tuple[bool | None, bool]:
    ticked, had_marks = _marked(text, ["是", "否"], marks_before=True)
    if had_marks:
        if len(ticked) == 1:
            return ticked[0] == "是", True
        empty = _only_empty_box(text)
        if empty is not None and not ticked:
            return empty == "否", True  # one box read empty, the other's tick lost: the other is ticked
        return None, True  # both marked, or neither (a lost tick looks like none): a person looks, the unit is not asked
    t = squash(text)
    if t in ("是", "有", "已组织"):
        return True, True
    if t in ("否", "无", "未组织"):
        return False, True
    return None, not is_blank_value(t)


_PATTERNS = {
    "手机": re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)"),
    "邮箱": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
}
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)} | {
    chr(c): chr(c - 0xFEE0) for c in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_WIDE_TABLE = str.maketrans(_WIDE | {"\u3000": " ", "＠": "@", "．": "."})


def _text(text: str) -> str | None:
    """A free-text value as written: full-width letters and digits made plain, Chinese punctuation kept."""
    t = re.sub(f"[{CHECKED_MARKS}{UNCHECKED_MARKS}]", "", text.translate(_WIDE_TABLE))
    t = re.sub(r"\s+", " ", t).strip().lstrip("：:").strip()
    return None if is_blank_value(t) else t


def _pattern_value(key: str, texts: Sequence[str]) -> str | None:
    """Phone and e-mail by their shape: the first match in the candidate texts (spaces removed)."""
    pattern = _PATTERNS[key]
    for t in texts:
        m = pattern.search(re.sub(r"\s+", "", t.translate(_WIDE_TABLE)))
        if m:
            return m.group(0)
    return None


def _item_value(item: StatisticsItem, value: Value | None) -> tuple[Any, bool]:
    """(typed value or None, something was written)."""
    if value is None or not value.text:
        return None, False
    if item.type not in ("choices", "bool"):  # a number or a name underlined is the number or the name
        value = replace(value, text=unmarked(value.text), parts=[unmarked(p) for p in value.parts])
    if item.numeric:
        return _number(value, item)
    if item.type == "choices":
        ticked, had = _marked(value.text, item.choices)
        return (ticked or None), had or not is_blank_value(value.text)
    if item.type == "bool":
        return _bool(value.text)
    return _text(value.text), not is_blank_value(value.text)


def _header_unit(pages: Sequence[Page]) -> str | None:
    for page in pages:
        for line in page.text.splitlines():
            t = squash(line)
            m = re.search(r"推荐单位[：:]?(?:[（(]盖章[)）])?(.+)", t)
            if m:
                name = re.sub(r"[（(]盖章[)）]|盖章", "", m.group(1)).strip("：: ")
                if len(name) >= 4:
                    return name
    return None


def _prefer(item: StatisticsItem, candidates: list[tuple[Any, Value]]) -> tuple[Any, Value | None]:
    """Between the table's and the lines' reading of one item, the fuller one.

    A table cell can clip what overflows it and a line can lose a wrapped half; the reading that
    holds more (more digits, more ticked options, more text) is the one that saw all of it.
    """
    if not candidates:
        return None, None
    if item.type == "bool":  # a reading that saw the marks beats one that saw a bare word
        marked = [c for c in candidates if c[1] is not None and re.search(_MARK_RE, c[1].text)]
        return (marked or candidates)[0]
    if item.type == "choices":
        return candidates[-1]  # a rebuilt grid may place a detected box inside a word; lines keep the order
    if item.numeric:
        return candidates[-1]  # the lines' reading: a rebuilt grid can shift a number into the next row
    if item.type == "text" and len(candidates) == 2:
        table, lines = str(candidates[0][0]), str(candidates[1][0])
        if lines.startswith(table + " "):
            return candidates[0]  # the line ran on into a neighbour cell's text

    def size(v: Any) -> int:
        if isinstance(v, list):
            return len(v)
        return len(str(v).replace(".0", "")) if isinstance(v, float) else len(str(v))

    return max(candidates, key=lambda c: size(c[0]))


def _wrapped_email(text: str) -> str | None:
    """An address whose domain wrapped onto a line of its own (`name@` … `126.com`)."""
    m = re.search(r"([A-Za-z0-9._%+-]+@)\s*$", text, flags=re.M)
    d = re.search(r"^\s*([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\s*$", text, flags=re.M)
    return m.group(1) + d.group(1) if m and d else None


def _infer_meeting(reading: StatisticsReading, items: Sequence[StatisticsItem], written: dict[str, bool]) -> None:
    """A yes/no item whose dependent numbers are filled in is "yes", whatever its ticks read as.

    Scans lose thin ticks and misread empty boxes far more often than a unit reports the numbers
    of a meeting it says it did not hold.
    """
    for item in items:
        if item.type != "bool" or reading.fields.get(item.key) is True:
            continue
        numbers = [i.key for i in items if i.when == item.key and i.numeric]
        if sum(reading.fields.get(k) is not None for k in numbers) >= 2:
            reading.fields[item.key] = True


def is_required(item: StatisticsItem, fields: dict[str, Any]) -> bool:
    """Whether a blank `item` counts as missing: items asked `when` a yes/no item is "yes" (the
    发布会 numbers) only when the unit answered yes; a blank answer asks nothing more."""
    if not item.required:
        return False
    return not item.when or fields.get(item.when) is True


def read_statistics(pages: Sequence[Page], rules: YearRules) -> StatisticsReading:
    """All items of the year's form from the statistics-table pages."""
    items = rules.statistics_items
    labels = [i.key for i in items]
    aliases = {k: v for k, v in _ALIASES.items() if k in labels}
    labels = [*labels, *_STOPS]
    from_tables = regroup(read_labelled(pieces_from_pages(pages, use_tables=True), labels, aliases))
    from_lines = regroup(read_labelled(pieces_from_pages(pages, use_tables=False), labels, aliases))
    reading = StatisticsReading(unit_name=_header_unit(pages))
    written: dict[str, bool] = {}
    page_text = "\n".join(p.text for p in pages)
    for item in items:
        got = [(_item_value(item, src.get(item.key)), src.get(item.key)) for src in (from_tables, from_lines)]
        written[item.key] = any(g[0][1] for g in got)
        if item.key in _PATTERNS:
            texts = [v.text for _, v in got if v is not None]
            value = _pattern_value(item.key, texts) or (_wrapped_email(page_text) if item.key == "邮箱" else None)
            written[item.key] = written[item.key] or value is not None
            src_value = next((v for _, v in got if v is not None), None)
        else:
            candidates = [(g[0], v) for g, v in got if g[0] is not None]
            value, src_value = _prefer(item, candidates)
        reading.fields[item.key] = value
        if value is not None and src_value is not None:
            reading.pages[item.key] = src_value.page
    _infer_meeting(reading, items, written)
    held = {i.key: reading.fields.get(i.key) for i in items}
    for item in items:
        if reading.fields[item.key] is not None or not is_required(item, held):
            continue
        (reading.unreadable if written[item.key] else reading.blank).append(item.key)
    for key in reading.unreadable + reading.blank:
        place = item_place(pages, [key, *aliases.get(key, [])])
        if place is not None:
            reading.places[key] = place
    return reading


MIN_LABEL_PIECE = 4  # characters of a label a line must hold to be taken for (a wrapped part of) it


def item_place(pages: Sequence[Page], labels: Sequence[str]) -> tuple[int, BBox] | None:
    """The page and box of an item's row: its label's line(s) (a label may wrap inside its cell) and
    everything beside them, across the table holding them, so the picture shows label and value."""
    keys = [squash(k) for k in labels]
    for page in pages:
        hits = [ln for ln in page.lines
                if (t := squash(unmarked(ln.text))) and any(k in t or (len(t) >= MIN_LABEL_PIECE and t in k) for k in keys)]
        if not hits:
            continue
        y0, y1 = min(ln.bbox[1] for ln in hits), max(ln.bbox[3] for ln in hits)
        if y1 - y0 > 4 * max(ln.bbox[3] - ln.bbox[1] for ln in hits):  # labels far apart: the first one
            hits = hits[:1]
            y0, y1 = hits[0].bbox[1], hits[0].bbox[3]
        band = [ln for ln in page.lines if y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1]
        x0, x1 = min(ln.bbox[0] for ln in band), max(ln.bbox[2] for ln in band)
        for table in page.tables:
            if table.bbox and table.bbox[1] <= y0 and y1 <= table.bbox[3]:
                x0, x1 = min(x0, table.bbox[0]), max(x1, table.bbox[2])
        pad = 0.5 * max(ln.bbox[3] - ln.bbox[1] for ln in hits)
        return page.page, (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    return None
