"""附件3 as units really fill it in: reworked layouts, every tick glyph, several typefaces; where a
reading is uncertain the item is 无法识别 (a person checks), never 未填写 (a request to the unit)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from checks.completeness.statistics_table import read_statistics
from core.reference import year_rules
from extractors import extract
from pipeline.samples.pdfdraw import typefaces
from pipeline.samples.scan import scan_pdf
from pipeline.samples.statistics_form import (
    LAYOUTS,
    MARKS,
    build_statistics_table_pdf,
    make_statistics_fields,
)

RULES = year_rules(2024)
UNIT = "江苏省建筑行业协会"


def _fields(seed: int) -> dict[str, Any]:
    return make_statistics_fields(random.Random(seed), RULES, recommended=3, unit=UNIT, holds_meeting=True)


def _same(read: Any, written: Any) -> bool:
    if isinstance(written, float) or isinstance(read, float):
        return read is not None and written is not None and abs(float(read) - float(written)) < 1e-6
    if isinstance(written, str) and isinstance(read, str):
        return re.sub(r"\s+", "", read) == re.sub(r"\s+", "", written)  # a typed space is not a value
    return read == written


def _read(pdf: bytes, tmp_path: Path):
    path = tmp_path / "统计表.pdf"
    path.write_bytes(pdf)
    return read_statistics(extract(path, name=path.name).pages, RULES)


def _wrong(reading, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (v, reading.fields.get(k)) for k, v in fields.items() if not _same(reading.fields.get(k), v)}


@pytest.mark.parametrize("font", typefaces())
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_item_read_in_every_layout_and_typeface(layout: str, font: str, tmp_path: Path) -> None:
    fields = _fields(LAYOUTS.index(layout))
    reading = _read(build_statistics_table_pdf(fields, RULES, UNIT, font=font, layout=layout), tmp_path)
    assert _wrong(reading, fields) == {}
    assert reading.blank == [] and reading.unreadable == []


@pytest.mark.parametrize("font", ["china-s", "song"])
@pytest.mark.parametrize(("tick", "empty"), MARKS)
def test_every_tick_glyph_is_read(tick: str, empty: str, font: str, tmp_path: Path) -> None:
    fields = _fields(7)
    for meeting in (True, False):
        fields["是否组织发布会"] = meeting
        if not meeting:
            fields.update({k: None for k in ("发布会报名班组数", "发布班组数", "发布会时间", "发布会地点", "参会人数")})
        pdf = build_statistics_table_pdf(fields, RULES, UNIT, font=font, tick=tick, empty=empty)
        reading = _read(pdf, tmp_path)
        assert _wrong(reading, fields) == {}, (tick, meeting)


@pytest.mark.ocr
@pytest.mark.parametrize(("layout", "font", "tick", "empty"), [
    ("standard", "song", "☑", "□"),
    ("combined_contacts", "kai", "√", "□"),
])
def test_a_scan_is_read_or_said_unreadable_never_blank(layout: str, font: str, tick: str, empty: str,
                                                        tmp_path: Path) -> None:
    if font not in typefaces():
        pytest.fail(f"font {font} missing: run scripts/system-deps.sh")
    fields = _fields(3)
    pdf = build_statistics_table_pdf(fields, RULES, UNIT, font=font, tick=tick, empty=empty, layout=layout)
    reading = _read(scan_pdf(pdf, dpi=200), tmp_path)
    wrong = _wrong(reading, fields)
    assert reading.blank == []  # everything was written: nothing may be reported as 未填写
    assert set(wrong) <= set(reading.unreadable), wrong  # a value not read right is 无法识别, never a guess
    numbers = [i.key for i in RULES.statistics_items if i.numeric]
    assert not set(wrong) & set(numbers)  # the figures the roll-up adds are all read
