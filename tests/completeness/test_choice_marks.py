"""Choices of 附件3 marked the other ways people mark them, read from the marks' place on the page:
a box drawn as lines with a tick drawn in it, the word circled, the word underlined (born-digital
and scanned, several typefaces), a typed ☑ on a scan; both or neither option marked is 无法识别."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from checks.completeness.statistics_table import read_statistics
from core.reference import year_rules
from extractors import extract
from pipeline.samples.pdfdraw import typefaces
from pipeline.samples.statistics_form import (
    FORM,
    MEETING,
    build_statistics_table_pdf,
    build_statistics_table_scan,
    make_statistics_fields,
)

RULES = year_rules(2024)
UNIT = "江苏省建筑行业协会"
DRAWN = ("drawn_box", "circle", "underline")
FONTS = ("song", "kai")


def _fields(seed: int, meeting: bool = True) -> dict[str, Any]:
    return make_statistics_fields(random.Random(seed), RULES, recommended=3, unit=UNIT, holds_meeting=meeting)


def _read(pdf: bytes, tmp_path: Path):
    path = tmp_path / "统计表.pdf"
    path.write_bytes(pdf)
    return read_statistics(extract(path, name=path.name).pages, RULES)


def _font(font: str) -> str:
    if font not in typefaces():
        pytest.fail(f"font {font} missing: run scripts/system-deps.sh")
    return font


def _choices_read(reading, fields: dict[str, Any]) -> None:
    assert reading.fields[MEETING] == fields[MEETING]
    assert reading.fields[FORM] == fields[FORM]
    assert reading.blank == [] and reading.unreadable == []


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("marking", DRAWN)
def test_born_digital_marks_are_read(marking: str, font: str, tmp_path: Path) -> None:
    for seed, meeting in ((11, True), (12, False)):  # 是 and 否 each marked once
        fields = _fields(seed, meeting)
        reading = _read(build_statistics_table_pdf(fields, RULES, UNIT, font=_font(font), marking=marking), tmp_path)
        _choices_read(reading, fields)
        assert all(reading.fields[k] is not None for k in fields if fields[k] is not None)


@pytest.mark.parametrize("marking", DRAWN)
@pytest.mark.parametrize("chosen", [["是", "否"], []], ids=["both", "neither"])
def test_both_or_neither_marked_is_unreadable_never_blank(marking: str, chosen: list[str], tmp_path: Path) -> None:
    fields = _fields(5, meeting=False)  # no meeting numbers: nothing else tells the answer
    marks = {MEETING: chosen, FORM: ["资料评审"] if chosen else []}
    pdf = build_statistics_table_pdf(fields, RULES, UNIT, font=_font("song"), marking=marking, chosen=marks)
    reading = _read(pdf, tmp_path)
    assert reading.fields[MEETING] is None
    assert MEETING in reading.unreadable and MEETING not in reading.blank
    if chosen:
        assert reading.fields[FORM] == ["资料评审"]
    else:
        assert FORM in reading.unreadable and FORM not in reading.blank


@pytest.mark.ocr
@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("marking", [*DRAWN, "glyph"])
def test_scanned_marks_are_read(marking: str, font: str, tmp_path: Path) -> None:
    """Circles and underlines made with a pen on the printed sheet, a drawn box with its tick, a
    typed ☑: the scanned form's choices are all read (a scanned ☑ used to come out 无法识别)."""
    fields = _fields(3 if font == "song" else 4, meeting=font == "song")
    reading = _read(build_statistics_table_scan(fields, RULES, UNIT, font=_font(font), marking=marking), tmp_path)
    assert reading.fields[MEETING] == fields[MEETING]
    assert reading.fields[FORM] == fields[FORM]
    assert MEETING not in reading.unreadable and FORM not in reading.unreadable
    assert reading.blank == []


@pytest.mark.ocr
def test_scan_with_both_circled_is_unreadable(tmp_path: Path) -> None:
    fields = _fields(6, meeting=False)
    marks = {MEETING: ["是", "否"], FORM: ["单独举办"]}
    pdf = build_statistics_table_scan(fields, RULES, UNIT, font=_font("kai"), marking="circle", chosen=marks)
    reading = _read(pdf, tmp_path)
    assert reading.fields[FORM] == ["单独举办"]
    assert reading.fields[MEETING] is None and MEETING in reading.unreadable


@pytest.mark.parametrize(("cell", "value"), [
    ("⟦是⟧ 否", True), ("是 ⟦否⟧", False), ("⟦是⟧ ⟦否⟧", None), ("□是 □否", None), ("是 否", None),
])
def test_yes_no_from_marks_in_the_text(cell: str, value: bool | None) -> None:
    """The checker's half: a circled or underlined word is the answer; two or none is 无法识别."""
    from core.model import Page

    text = f"是否组织发布会 {cell} 发布会报名班组数 发布班组数"
    reading = read_statistics([Page(page=1, source="ocr", text=text)], RULES)
    assert reading.fields[MEETING] is value
    assert (MEETING in reading.unreadable) is (value is None)
    assert MEETING not in reading.blank
