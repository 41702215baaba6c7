"""The statistics table (附件3 of the notice) as a unit fills it in: the ruled form, values, some blank.

`make_statistics_fields` draws plausible values (numbers as numbers, blanks as None, the bool and
the ticked choices) keyed exactly like the contract's statistics_table.fields;
`build_statistics_table_pdf` draws the form of the notice with those values.
"""

from __future__ import annotations

import random
from typing import Any

import pymupdf

from core.reference import YearRules
from pipeline.samples import names
from pipeline.samples.choice_marks import MARKINGS, ON_PAPER, choice_text, draw_vectors, marks_for
from pipeline.samples.pdfdraw import Pen, new_page, pdf_bytes
from pipeline.samples.scan import scan_pdf

FEATURES = (
    "活动覆盖面持续扩大，一线班组参与积极性明显提高；存在问题是部分班组活动记录不够规范，数据分析方法运用不足。",
    "以发布会和现场观摩相结合的方式推进活动，涌现出一批典型经验；部分企业对活动投入不足，基层培训有待加强。",
    "各会员单位将质量信得过班组活动与QC小组活动、技能竞赛相结合，成效明显；个别班组成果总结提炼不够。",
)
VENUES = ("市建设大厦会议中心", "省建筑科技馆报告厅", "国际会议中心", "建设培训中心", "大酒店会议厅")
DEPARTMENTS = ("质量安全部", "质量管理部", "工程技术部", "行业发展部", "会员服务部", "科技质量部")


def make_statistics_fields(rng: random.Random, rules: YearRules, *, recommended: int, unit: str,
                           blank: list[str] | None = None, holds_meeting: bool | None = None) -> dict[str, Any]:
    """Values of 附件3 for one unit; the items named in `blank` are left empty (None)."""
    companies = rng.randint(8, 120)
    teams = companies * rng.randint(2, 6)
    meeting = rng.random() < 0.75 if holds_meeting is None else holds_meeting
    signups = rng.randint(max(recommended, 5), max(recommended, 5) + 40)
    year = rules.year
    values: dict[str, Any] = {
        "本年度开展质量信得过班组活动企业数": companies,
        "本年度开展质量信得过班组活动班组数": teams,
        "历年质量信得过班组累计数": teams * rng.randint(3, 9),
        "本年度参与质量信得过班组活动员工数": teams * rng.randint(8, 25),
        "本年度推荐工程建设质量信得过班组数": recommended,
        "本年度对质量信得过班组活动投入费用": round(rng.uniform(3, 150), 1),
        "本年度对质量信得过班组活动奖励费用": round(rng.uniform(1, 60), 1),
        "本年度开展质量信得过班组活动主要特点及存在的问题": rng.choice(FEATURES),
        "质量信得过班组活动评审及交流形式": sorted(
            rng.sample(["发表评审", "资料评审", "与QC小组合开", "单独举办"], k=rng.randint(1, 3)),
            key=["发表评审", "资料评审", "与QC小组合开", "单独举办"].index,
        ),
        "是否组织发布会": meeting,
        "发布会报名班组数": signups if meeting else None,
        "发布班组数": rng.randint(max(1, signups // 2), signups) if meeting else None,
        "发布会时间": f"{year}年{rng.randint(3, 4)}月{rng.randint(1, 28)}日" if meeting else None,
        "发布会地点": f"{names.region_of(unit)}{rng.choice(VENUES)}" if meeting else None,
        "参会人数": rng.randint(60, 400) if meeting else None,
        "质量信得过班组工作归口部门及负责人": f"{rng.choice(DEPARTMENTS)} {names.person(rng)}",
        "联系人": names.person(rng),
        "手机": names.mobile(rng),
        "邮箱": names.email(rng),
    }
    for key in blank or []:
        values[key] = None
    return {i.key: values.get(i.key) for i in rules.statistics_items}


NUMBER_STYLES = ("plain", "grouped", "with_unit")


def _fmt(v: Any, style: str = "plain", unit: str | None = None) -> str:
    """A value as a person types it: 1650, 1,650 or 1650人次; 146.8 or 146.80 for money."""
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    if isinstance(v, float):
        text = f"{v:.2f}" if style != "plain" else f"{v:g}"
    else:
        text = f"{v:,}" if style == "grouped" else str(v)
    return text + (unit or "") if style == "with_unit" else text


def _choices_text(ticked: list[str] | None, options: list[str], tick: str, empty: str = "□") -> str:
    ticked = ticked or []
    return "  ".join(f"{o.replace('QC', ' QC ')}{tick if o in ticked else empty}" for o in options)


def _bool_text(v: bool | None, tick: str, empty: str = "□") -> str:
    return f"{tick if v is True else empty}是  {tick if v is False else empty}否"


# How units rework the form (each a real habit; `standard` is the notice's own layout):
LAYOUTS = (
    "standard",
    "label_in_cell",  # label and value typed into one cell: "本年度…企业数：36个"
    "combined_contacts",  # 联系人 / 手机 / 邮箱 in one cell, the values "张三 / 139… / a@b.cn" in the next
    "reordered",  # the numeric rows in another order, an extra row of the unit's own in between
    "beside",  # the contact items typed under the table instead of in it
)
# Ticked and empty marks as units type them; a pair is (ticked, empty).
MARKS = (("√", "□"), ("☑", "□"), ("☒", "□"), ("✓", "□"), ("■", "□"), ("●", "○"))


FORM, MEETING = "质量信得过班组活动评审及交流形式", "是否组织发布会"


def draw_statistics_table(pen: Pen, fields: dict[str, Any], rules: YearRules, unit: str, *,
                          tick: str = "√", seal: bool = True, numbers: str = "plain", empty: str = "□",
                          layout: str = "standard", marking: str = "glyph") -> None:
    """Draw the form of 附件3 on one page with the given values (`numbers`: one of NUMBER_STYLES,
    `layout`: one of LAYOUTS, `tick`/`empty`: the marks of a ticked and an empty choice; `marking`
    other than "glyph" leaves the choices unmarked for `choice_marks` to mark)."""
    items = {i.key: i for i in rules.statistics_items}
    x0, y = 62.0, 70.0
    pen.text(x0, y, "附件3", 14)
    y += 40
    pen.centered(y, "工程建设质量信得过班组活动统计表", 18)
    y += 34
    pen.text(x0, y, f"推荐单位：{unit}（盖章）", 12)
    y += 14
    widths = [118.0, 95.0, 85.0, 67.0, 60.0, 45.0]
    rows: list[list[str | None]] = [["统 计 项 目", None, None, "单 位", "数 量", None]]
    heights = [30.0]
    numeric = [k for k in items if items[k].numeric and not items[k].when]
    if layout == "reordered":
        numeric = numeric[1::2] + numeric[::2]
    for n, key in enumerate(numeric):
        note = f"（{items[key].note}）" if items[key].note else ""
        value = _fmt(fields.get(key), numbers, items[key].unit)
        if layout == "label_in_cell":
            unit_word = items[key].unit or ""
            shown = value + (unit_word if value and not value.endswith(unit_word) else "")
            rows.append([f"{key}{note}：{shown}", None, None, None, None, None])
        else:
            rows.append([key + note, None, None, items[key].unit or "", value, None])
        heights.append(32.0 if note else 28.0)
        if layout == "reordered" and n == 1:
            rows.append(["其中：获省部级以上质量信得过班组称号的班组", None, None, "个", "", None])
            heights.append(28.0)
    feat = "本年度开展质量信得过班组活动主要特点及存在的问题"
    rows.append([f"{feat}：{_fmt(fields.get(feat))}", None, None, None, None, None])
    heights.append(72.0)
    form = "质量信得过班组活动评审及交流形式"
    opts = next((i.choices for i in rules.statistics_items if i.key == form), [])
    glyphs = marking == "glyph"
    rows.append([form, _choices_text(fields.get(form), opts, tick, empty) if glyphs
                 else choice_text(opts, marking, before=False, empty=empty), None, None, None, None])
    heights.append(34.0)
    yes_no = _bool_text(fields.get(MEETING), tick, empty) if glyphs else choice_text(["是", "否"], marking, before=True,
                                                                                      empty=empty)
    rows.append([MEETING, yes_no, "发布会报名班组数",
                 _fmt(fields.get("发布会报名班组数"), numbers, "个"), "发布班组数",
                 _fmt(fields.get("发布班组数"), numbers, "个")])
    heights.append(34.0)
    rows.append(["发布会时间", _fmt(fields.get("发布会时间")), "发布会地点", _fmt(fields.get("发布会地点")),
                 "参会人数", _fmt(fields.get("参会人数"), numbers, "人")])
    heights.append(40.0)
    dept = "质量信得过班组工作归口部门及负责人"
    rows.append([f"{dept}：{_fmt(fields.get(dept))}", None, None, None, None, None])
    heights.append(30.0)
    contacts = [_fmt(fields.get(k)) for k in ("联系人", "手机", "邮箱")]
    if layout == "combined_contacts":
        rows.append(["联系人 / 手机 / 邮箱", " / ".join(contacts), None, None, None, None])
        heights.append(30.0)
    elif layout != "beside":
        rows.append([f"联系人：{contacts[0]}", f"手机：{contacts[1]}", None, f"邮箱：{contacts[2]}", None, None])
        heights.append(30.0)
    aligns = ["left", "center", "center", "center", "center", "center"]
    bottom = pen.grid(x0, y, widths, heights, rows, size=10.5, aligns=aligns)
    if layout == "beside":  # typed under the table, on one line
        bottom += 20
        pen.text(x0, bottom, f"联系人：{contacts[0]}    手机：{contacts[1]}    邮箱：{contacts[2]}", 10.5)
    start, end = rules.statistics_period.get("start", ""), rules.statistics_period.get("end", "")
    if end[:4].isdigit() and int(end[:4]) != rules.year:  # a year without its own rules file: shift the period
        shift = rules.year - int(end[:4])
        start, end = f"{int(start[:4]) + shift}{start[4:]}", f"{rules.year}{end[4:]}"
    y = bottom + 22
    pen.text(x0, y, "注：1. 本统计表由“推荐单位（见附件 2）”依据企业数据汇总填写。", 10.5)
    y += 18
    period = f"{start[:4]} 年 {int(start[5:] or 4)} 月至 {end[:4]} 年 {int(end[5:] or 4)} 月" if start else ""
    pen.text(x0 + 21, y, f"2. 统计数据的范围 {period}。", 10.5)
    if seal:
        pen.seal(x0 + 215, 146, unit, r=44)


def chosen_options(fields: dict[str, Any]) -> dict[str, list[str]]:
    """The options `fields` says are marked, by the label of their row."""
    meeting = fields.get(MEETING)
    return {FORM: list(fields.get(FORM) or []), MEETING: [] if meeting is None else ["是" if meeting else "否"]}


def build_statistics_table_pdf(fields: dict[str, Any], rules: YearRules, unit: str, *,
                               font: str = "china-s", tick: str = "√", numbers: str = "plain",
                               empty: str = "□", layout: str = "standard", marking: str = "glyph",
                               chosen: dict[str, list[str]] | None = None, seed: int = 0) -> bytes:
    """附件3 filled in with `fields` (a one-page PDF); `numbers` picks how values are typed, `layout`
    how the unit reworked the form, `tick`/`empty` its glyphs, `marking` (one of MARKINGS but the
    ones made on paper) how its choices are marked; `chosen` overrides which options are marked
    (by row label: both or none of 是/否, for instance)."""
    if marking not in MARKINGS or marking in ON_PAPER:
        raise ValueError(f"marking {marking!r} is made on paper: use build_statistics_table_scan")
    doc = pymupdf.open()
    draw_statistics_table(new_page(doc, font), fields, rules, unit, tick=tick, numbers=numbers, empty=empty,
                          layout=layout, marking=marking)
    pdf = pdf_bytes(doc)
    if marking == "glyph":
        return pdf
    return _marked(pdf, fields, rules, marking, chosen, random.Random(seed), hand=False, empty=empty)[0]


def _marked(pdf: bytes, fields: dict[str, Any], rules: YearRules, marking: str, chosen: dict[str, list[str]] | None,
            rng: random.Random, *, hand: bool, empty: str) -> tuple[bytes, list]:
    """The form with vector marks drawn in, and the strokes left for the pen on paper (`hand`)."""
    opts = next((i.choices for i in rules.statistics_items if i.key == FORM), [])
    with pymupdf.open("pdf", pdf) as doc:
        strokes, boxes = marks_for(doc[0], chosen if chosen is not None else chosen_options(fields),
                                   {FORM: list(opts), MEETING: ["是", "否"]}, {FORM: False, MEETING: True},
                                   {FORM: "交流形式", MEETING: MEETING}, marking, rng, hand=hand, empty=empty)
    if hand and marking != "drawn_box":
        return draw_vectors(pdf, [], boxes), strokes
    return draw_vectors(pdf, strokes, boxes), []


def build_statistics_table_scan(fields: dict[str, Any], rules: YearRules, unit: str, *, font: str = "china-s",
                                marking: str = "hand", tick: str = "☑", empty: str = "□",
                                chosen: dict[str, list[str]] | None = None, seed: int = 0, dpi: int = 200) -> bytes:
    """附件3 printed, marked and scanned: circles, underlines and hand ticks are pen strokes on the
    pixels (uneven, overshooting), a drawn box and its tick are printed vectors, glyphs are typed."""
    rng = random.Random(seed)
    doc = pymupdf.open()
    draw_statistics_table(new_page(doc, font), fields, rules, unit, tick=tick, empty=empty, marking=marking)
    pdf, strokes = pdf_bytes(doc), []
    if marking != "glyph":
        pdf, strokes = _marked(pdf, fields, rules, marking, chosen, rng, hand=True, empty=empty)
    return scan_pdf(pdf, dpi=dpi, rng=rng, strokes={1: strokes} if strokes else None)
