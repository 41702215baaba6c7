"""The lower-level builders other components use in their own tests."""

from __future__ import annotations

import io
import random
import zipfile

import pymupdf
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from core.reference import year_rules
from pipeline.samples import (
    TeamLine,
    build_registration_form,
    build_report_pdf,
    build_report_pptx,
    build_statistics_table_pdf,
    build_unit_bundle,
    encrypted_pdf,
    gbk_member_names,
    make_statistics_fields,
    scan_image,
    scan_pdf,
    truncated,
    write_gbk_zip,
)
from pipeline.samples.report_text import HEADINGS, make_report, make_slides

RULES = year_rules(2024)
TEAMS = [
    TeamLine("中建八局第三建设有限公司钢筋班组", "中建八局第三建设有限公司", "提高钢筋直螺纹连接一次验收合格率"),
    TeamLine("江苏华建建设集团有限公司测量班组", "江苏华建建设集团有限公司", "提升测量放线精度达标率"),
]

OTHERS = [TeamLine(f"江苏第{i}建设有限公司第{i}项目部模板班组", f"江苏第{i}建设有限公司", "提高模板安装合格率")
          for i in range(1, 41)]


def _form_pdf() -> bytes:
    fields = {"班组名称": "中建八局第三建设有限公司钢筋班组", "所在单位": "中建八局第三建设有限公司",
              "推荐单位": "江苏省建筑行业协会", "班组长": "王建国", "班组人数": "12", "成果名称": "提高钢筋合格率",
              "联系人": "李明", "联系电话": "13812345678"}
    return build_registration_form(fields, year=2024)


def test_registration_form_has_its_fields_in_the_text_layer():
    text = pymupdf.open("pdf", _form_pdf())[0].get_text().replace("\n", "")
    for word in ("报名表", "班组名称", "中建八局第三建设有限公司钢筋班组", "班组人数", "12", "13812345678"):
        assert word in text


def test_scan_pdf_turns_pages_and_leaves_only_images():
    pdf = build_statistics_table_pdf(make_statistics_fields(random.Random(1), RULES, recommended=2, unit="江苏省建筑行业协会"),
                                     RULES, "江苏省建筑行业协会")
    two = pymupdf.open()
    two.insert_pdf(pymupdf.open("pdf", pdf))
    two.insert_pdf(pymupdf.open("pdf", pdf))
    src = two.tobytes()
    scanned = scan_pdf(src, dpi=100, rotations={2: 90}, rng=random.Random(5))
    doc = pymupdf.open("pdf", scanned)
    assert doc.page_count == 2
    assert doc[0].rect.width < doc[0].rect.height and doc[1].rect.width > doc[1].rect.height
    assert all(p.get_text().strip() == "" and len(p.get_images()) == 1 for p in doc)
    assert scanned == scan_pdf(src, dpi=100, rotations={2: 90}, rng=random.Random(5))
    assert scanned != scan_pdf(src, dpi=100, rotations={2: 90}, rng=random.Random(6))
    # the scan is still the page: dark ink where the table is, not a blank or black sheet
    pix = doc[0].get_pixmap(dpi=30)
    mean = sum(pix.samples) / len(pix.samples)
    assert 150 < mean < 250


def test_scan_image_formats():
    pdf = _form_pdf()
    jpg = scan_image(pdf, fmt="jpg", dpi=60, rng=random.Random(1), photo=True)
    png = scan_image(pdf, fmt="png", dpi=60, rng=random.Random(1), rotation=180)
    assert jpg[:3] == b"\xff\xd8\xff" and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert jpg == scan_image(pdf, fmt="jpg", dpi=60, rng=random.Random(1), photo=True)


def test_encrypted_pdf_needs_the_password_and_keeps_the_text():
    pdf = _form_pdf()
    enc = encrypted_pdf(pdf, user_pw="secret")
    assert enc == encrypted_pdf(pdf, user_pw="secret")
    doc = pymupdf.open("pdf", enc)
    assert doc.needs_pass
    assert not doc.authenticate("wrong")
    assert doc.authenticate("secret")
    assert "13812345678" in doc[0].get_text()


def test_truncated_is_shorter_and_lacks_the_trailer():
    pdf = _form_pdf()
    cut = truncated(pdf)
    assert len(cut) < len(pdf) and b"%%EOF" not in cut[-64:]


def test_gbk_zip_member_names():
    data = write_gbk_zip({"A0137-钢筋班组/报名表.pdf": b"x", "A0137-钢筋班组/申报材料/成果报告.pptx": b"y"},
                         folders=["A0137-钢筋班组"])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        raw = [i.filename.encode("cp437") for i in zf.infolist()]
        assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
    assert "报名表".encode("gbk") in raw[1]
    assert gbk_member_names(data) == ["A0137-钢筋班组/", "A0137-钢筋班组/报名表.pdf", "A0137-钢筋班组/申报材料/成果报告.pptx"]


def test_report_pdf_and_pptx():
    rng = random.Random(2)
    pages = make_report(rng, team=TEAMS[0].name, company=TEAMS[0].company, year=2024)
    pdf = pymupdf.open("pdf", build_report_pdf(pages, team=TEAMS[0].name, company=TEAMS[0].company))
    assert pdf.page_count >= 5
    body = "".join(p.get_text() for p in pdf)
    assert "成果报告" in pdf[0].get_text() and all(h in body for h in HEADINGS)
    assert any(p.find_tables().tables for p in pdf), "the report's tables are ruled tables"
    pptx = build_report_pptx(make_slides(pages), team=TEAMS[0].name, company=TEAMS[0].company, rng=random.Random(3))
    assert pptx == build_report_pptx(make_slides(pages), team=TEAMS[0].name, company=TEAMS[0].company,
                                     rng=random.Random(3))
    prs = Presentation(io.BytesIO(pptx))
    kinds = [s.shape_type for slide in prs.slides for s in slide.shapes]
    assert any(getattr(s, "has_table", False) for slide in prs.slides for s in slide.shapes)
    assert MSO_SHAPE_TYPE.GROUP in kinds
    picture_only = [slide for slide in prs.slides
                    if slide.shapes and all(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)]
    assert len(picture_only) == 1
    assert any(slide.has_notes_slide and slide.notes_slide.notes_text_frame.text for slide in prs.slides)
    assert TEAMS[0].name in "".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)


def test_statistics_table_blanks_and_ticks():
    fields = make_statistics_fields(random.Random(4), RULES, recommended=2, unit="江苏省建筑行业协会",
                                    blank=["历年质量信得过班组累计数"], holds_meeting=True)
    assert fields["历年质量信得过班组累计数"] is None and fields["是否组织发布会"] is True
    assert isinstance(fields["本年度对质量信得过班组活动投入费用"], float)
    text = pymupdf.open("pdf", build_statistics_table_pdf(fields, RULES, "江苏省建筑行业协会", tick="■"))[0].get_text()
    flat = text.replace("\n", "")
    assert "■是" in flat and "□否" in flat
    for option in fields["质量信得过班组活动评审及交流形式"]:
        assert f"{option.replace('QC', ' QC ')}■" in flat
    assert str(fields["参会人数"]) in flat


def test_unit_bundle_pages_order_and_omissions():
    data, truth = build_unit_bundle(random.Random(9), "江苏省建筑行业协会", RULES, recommended=TEAMS,
                                    award_others=OTHERS, omit=("award_list",),
                                    order=("statistics_table", "recommendation_letter"))
    doc = pymupdf.open("pdf", data)
    assert truth.documents == {"statistics_table": [1], "recommendation_letter": [2]}
    assert doc.page_count == truth.pages == 2
    assert "统计表" in doc[0].get_text() and "推荐" in doc[1].get_text()
    assert truth.problems == ["missing_award_list"]
    assert truth.recommended_teams == [t.name for t in TEAMS]
    data, truth = build_unit_bundle(random.Random(9), "江苏省建筑行业协会", RULES, recommended=TEAMS,
                                    award_others=OTHERS, mark="star")
    doc = pymupdf.open("pdf", data)
    assert len(truth.documents["award_list"]) >= 2, "a long award list spans pages"
    award = "".join(doc[p - 1].get_text() for p in truth.documents["award_list"]).replace("\n", "")
    assert all(award.count("★" + t.name) == 1 for t in TEAMS)
    assert award.count("★") == len(TEAMS) + 1  # the marked rows and the notice's sentence explaining the mark


def test_mac_zip_has_utf8_names_and_resource_forks():
    data = write_gbk_zip({"成果报告.pdf": b"x"}, mac=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    assert all(i.flag_bits & 0x800 for i in infos)
    assert [i.filename for i in infos] == ["成果报告.pdf", "__MACOSX/._成果报告.pdf"]


def test_statistics_number_styles():
    fields = make_statistics_fields(random.Random(4), RULES, recommended=2, unit="江苏省建筑行业协会",
                                    holds_meeting=True)
    fields["本年度参与质量信得过班组活动员工数"] = 1650
    text = {style: pymupdf.open("pdf", build_statistics_table_pdf(fields, RULES, "江苏省建筑行业协会",
                                                                  numbers=style))[0].get_text()
            for style in ("plain", "grouped", "with_unit")}
    assert "1650" in text["plain"] and "1,650" in text["grouped"] and "1650人次" in text["with_unit"]
    money = fields["本年度对质量信得过班组活动投入费用"]
    assert f"{money:.2f}万元" in text["with_unit"]


def test_unit_bundle_with_a_photographed_table():
    data, truth = build_unit_bundle(random.Random(3), "江苏省建筑行业协会", RULES, recommended=TEAMS,
                                    award_others=OTHERS[:5], photo_kinds=("statistics_table",),
                                    scan_options={"dpi": 60})
    doc = pymupdf.open("pdf", data)
    assert truth.photo_pages == truth.scanned_pages == truth.documents["statistics_table"] == [2]
    assert doc[0].get_text().strip() and doc[2].get_text().strip()  # letter and award list born-digital
    photo = doc[1]
    assert not photo.get_text().strip() and len(photo.get_images()) == 1
    assert photo.rect.width > doc[0].rect.width, "the desk around the sheet is in the picture"
