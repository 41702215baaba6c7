"""Registration-form fields end where their value ends: the pledge under the contact line never joins
联系电话, in every installed typeface, born-digital and scanned."""

from __future__ import annotations

import pytest

from checks.completeness.team_package import form_value, read_form_fields
from core.reference import year_rules
from extractors import extract
from pipeline.samples.pdfdraw import typefaces
from pipeline.samples.scan import scan_pdf
from pipeline.samples.team_docs import PLEDGE, build_registration_form

RULES = year_rules(2024)
FORM = {
    "班组名称": "中建八局第三建设有限公司钢筋班组",
    "所在单位": "中建八局第三建设有限公司",
    "推荐单位": "中国建筑股份有限公司",
    "班组长": "王强",
    "班组人数": "12",
    "成果名称": "提高超高层钢结构安装一次验收合格率",
    "联系人": "李明",
    "联系电话": "13912345678",
}


def _read(pdf: bytes, tmp_path, name: str = "报名表.pdf") -> dict[str, str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    fields = read_form_fields(extract(path, name=name), RULES)
    fields.pop("报名编号", None)
    return fields


@pytest.mark.parametrize("font", typefaces())
def test_every_field_read_whole_and_alone(font: str, tmp_path) -> None:
    assert len(typefaces()) >= 3  # Song, Kai, Noto and WenQuanYi are installed by scripts/system-deps.sh
    assert _read(build_registration_form(FORM, year=2024, font=font), tmp_path) == FORM


@pytest.mark.ocr
@pytest.mark.parametrize("font", ["song", "kai"])
def test_scanned_form_fields_do_not_run_into_the_pledge(font: str, tmp_path) -> None:
    if font not in typefaces():
        pytest.fail(f"font {font} missing: run scripts/system-deps.sh")
    scanned = scan_pdf(build_registration_form(FORM, year=2024, font=font), dpi=200)
    got = _read(scanned, tmp_path)
    assert got["联系电话"] == FORM["联系电话"]
    assert all("承诺" not in v for v in got.values()), got


def test_form_value_rules() -> None:
    assert form_value("联系电话", ["13800000000 " + PLEDGE]) == "13800000000"
    assert form_value("联系电话", ["0571-87654321"]) == "0571-87654321"
    assert form_value("成果名称", ["提高超高层钢结构", "安装一次验收合格率"]) == "提高超高层钢结构安装一次验收合格率"
    assert form_value("联系人", ["李明", PLEDGE]) == "李明"
    assert form_value("联系人", [PLEDGE]) == ""  # left blank, the pledge follows: no value
