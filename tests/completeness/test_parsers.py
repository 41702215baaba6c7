"""Parsers on text as OCR and text layers deliver it: errors, full-width digits, wrapped labels."""

from __future__ import annotations

import pytest

from checks.completeness.plausibility import check_statistics
from checks.completeness.segment import segment
from checks.completeness.statistics_table import read_statistics
from checks.completeness.team_lists import team_rows
from checks.completeness.text import parse_number
from checks.completeness.units import clean_file_stem, unit_from_file_name, unit_from_letter
from core.model import Page, Table
from core.reference import recommending_units, year_rules

RULES = year_rules(2024)
UNITS = recommending_units()


def page(text: str, no: int = 1, tables: list[list[list[str]]] | None = None) -> Page:
    return Page(page=no, source="ocr", text=text.strip("\n"), tables=[Table(rows=t) for t in tables or []])


OCR_TABLE = """
工程建设质量信得过班组活动统计表
推荐单位：江苏省建筑行业协会（盖章）
统计项目 单位 数量
本年度开展质量信得过班组活动企业数 个 ３６
本年度开展质量信得过班组活动班组教 个 1O8
历年质量信得过班组累计数 个 4l2
本年度参与质量信得过班组活动员工数 人次 2,136
本年度推荐工程建设质量信得过班组数 个 3
本年度对质量信得过班组活动投入费用（培训、交流、规范化等） 万元 12.5
本年度对质量信得过班组活动奖励费用 万元 4. .5
本年度开展质量信得过班组活动主要特点及存在的问题：活动覆盖面扩大。
质量信得过班组活动评
审及交流形式 ☑发表评审 □资料评审 ☑与QC小组合开 □单独举办
是否组织发布会 ☑是 □否 发布会报名班组数 20 发布班组数 25
发布会时间 2024年4月12日 发布会地点 南京国际会议中心 参会人数 180
质量信得过班组工作归口部门及负责人：质量安全部 王强
联系人：李明 手机：13912345678 邮箱：abc12@163.com
"""


def test_statistics_from_ocr_lines_with_errors() -> None:
    st = read_statistics([page(OCR_TABLE, 2)], RULES)
    f = st.fields
    assert f["本年度开展质量信得过班组活动企业数"] == 36  # full-width digits
    assert f["本年度开展质量信得过班组活动班组数"] == 108  # 教 for 数 in the label, O for 0
    assert f["历年质量信得过班组累计数"] == 412  # l for 1
    assert f["本年度参与质量信得过班组活动员工数"] == 2136
    assert f["本年度对质量信得过班组活动投入费用"] == 12.5
    assert f["本年度对质量信得过班组活动奖励费用"] == 4.5
    assert f["质量信得过班组活动评审及交流形式"] == ["发表评审", "与QC小组合开"]  # marks before the words
    assert f["是否组织发布会"] is True
    assert f["发布会报名班组数"] == 20 and f["发布班组数"] == 25
    assert f["发布会地点"] == "南京国际会议中心"
    assert f["质量信得过班组工作归口部门及负责人"] == "质量安全部 王强"
    assert f["手机"] == "13912345678" and f["邮箱"] == "abc12@163.com"
    assert st.blank == [] and st.unreadable == []
    assert st.unit_name == "江苏省建筑行业协会"
    codes = {p.code for p in check_statistics(st, "a.pdf", 2, letter_count=2)}
    assert codes == {"statistics_published_exceeds_registered", "statistics_recommended_count_mismatch"}


def test_statistics_blank_and_unreadable_items_are_named() -> None:
    text = OCR_TABLE.replace("个 1O8", "个").replace("万元 12.5", "万元 约十万").replace("手机：13912345678", "手机：")
    st = read_statistics([page(text)], RULES)
    assert "本年度开展质量信得过班组活动班组数" in st.blank
    assert "手机" in st.blank
    assert st.unreadable == ["本年度对质量信得过班组活动投入费用"]
    assert st.fields["本年度开展质量信得过班组活动班组数"] is None


def test_statistics_without_meeting_needs_no_meeting_items() -> None:
    text = OCR_TABLE.replace("☑是 □否", "□是 ☑否")
    for item in ("20", "25", "2024年4月12日", "南京国际会议中心", "180"):
        text = text.replace(f" {item}", " ")
    st = read_statistics([page(text)], RULES)
    assert st.fields["是否组织发布会"] is False
    assert st.blank == []


def test_statistics_from_table_cells_marks_after_words() -> None:
    rows = [
        ["统 计 项 目", "", "单 位", "数 量"],
        ["本年度开展质量信得过班组活动企业数", "", "个", "12"],
        ["质量信得过班组活动评审及交流形式", "发表评审□ 资料评审√ 与 QC 小组合开□ 单独举办√", "", ""],
        ["是否组织发布会", "□是 √否", "发布会报名班组数", "", "发布班组数", ""],
    ]
    st = read_statistics([page("统计表", tables=[rows])], RULES)
    assert st.fields["本年度开展质量信得过班组活动企业数"] == 12
    assert st.fields["质量信得过班组活动评审及交流形式"] == ["资料评审", "单独举办"]
    assert st.fields["是否组织发布会"] is False


@pytest.mark.parametrize(("raw", "value"), [("３６", 36), ("1O8", 108), ("12.5万元", 12.5), ("", None), ("-", None), (".3", None), ("7 .3", 7.3)])
def test_parse_number(raw: str, value: float | None) -> None:
    got, _ = parse_number(raw)
    assert (float(got) if got is not None else None) == value


@pytest.mark.parametrize(("stem", "unit", "listed"), [
    ("江苏省建筑行业协会推荐材料", "江苏省建筑行业协会", True),
    ("关于推荐质量信得过班组的函-天津市建筑业协会", "天津市建筑业协会", True),
    ("辽宁省建筑业协会（2024年质量信得过班组推荐）", "辽宁省建筑业协会", True),
    ("2024.05.20 中国交通建设集团 推荐材料(最终版)", "中国交通建设集团有限公司", True),
    ("中国建筑业协会石化分会", "中国建筑业协会石化建设分会", True),  # short form, not 中国建筑
    ("中国建筑推荐材料", "中国建筑股份有限公司", True),
    ("江苏省建筑行业协全", "江苏省建筑行业协会", True),  # OCR/typing error
    ("湖北省建筑业协会", "湖北省建筑业协会", False),  # not 湖南省建筑业协会
    ("苏州市建筑行业协会", "苏州市建筑行业协会", False),
])
def test_unit_from_file_name(stem: str, unit: str, listed: bool) -> None:
    m = unit_from_file_name(stem, UNITS)
    assert m is not None and (m.name, m.listed) == (unit, listed)


def test_clean_file_stem_keeps_the_name() -> None:
    assert clean_file_stem("宁波市建筑业协会-推荐函及统计表") == "宁波市建筑业协会"


def test_unit_from_letter_reads_the_signature_not_the_team_rows() -> None:
    lines = ["关于推荐2024年工程建设质量信得过班组的函", "中国施工企业管理协会：", "现推荐以下1个班组：",
             "1. 中建八局第三建设有限公司钢筋班组（中国建筑第八工程局有限公司）", "特此函告。",
             "江苏省建筑行业协会", "2024年5月20日"]
    m = unit_from_letter(lines, UNITS)
    assert m is not None and m.name == "江苏省建筑行业协会"


LETTER = """
江苏省建筑行业协会
关于推荐2024年工程建设质量信得过班组的函
中国施工企业管理协会：
根据贵会通知要求，现推荐以下2个班组参加2024年工程建设质量信得过班组活动，请予审核。
1. 江苏盛信建工集团有限责任公司深圳大桥项目钢结构安装班组（江苏盛信建
工集团有限责任公司）：《确保钢结构安装关键工序一次合格率》
2.江苏兴祥建设工程有限公司防水班组（江苏兴祥建设工程有限
公司）：《确保防水关键工序一次合格率》
特此函告。
江苏省建筑行业协会
2024年5月17日
"""

AWARD = """
江苏省建筑行业协会文件
关于公布2023年度本地区工程建设质量信得过班组活动成果的通知
各会员单位、有关单位：
现予以公布（名单见附件）。标注★的班组推荐参加。
序号 班组名称 所在单位 成果名称 等级
1 ★江苏盛信建工集团有限责任公司深圳大桥项目钢结构安装班组 江苏盛信建工集团有限责任公司 确保钢结构安装合格率 一等成果
2 江苏宏达建设工程有限公司测量班组 江苏宏达建设工程有限公司 提高测量精度 二等成果
"""

AWARD_2 = """
3 江苏兴祥建设工程有限公司防水班组 江苏兴祥建设工程有限公司 确保防水合格率 二等成果
4 江苏恒信建设工程有限公司钢筋班组 江苏恒信建设工程有限公司 提高钢筋合格率 三等成果
"""

TABLE = OCR_TABLE


def test_letter_list_rows_wrapped_over_lines() -> None:
    rows = team_rows([page(LETTER)])
    assert [r.full for r in rows] == ["江苏盛信建工集团有限责任公司深圳大桥项目钢结构安装班组",
                                      "江苏兴祥建设工程有限公司防水班组"]
    assert rows[1].company == "江苏兴祥建设工程有限公司"


def test_award_rows_and_marks() -> None:
    rows = team_rows([page(AWARD, 3), page(AWARD_2, 4)])
    assert len(rows) == 4
    assert [r.marked for r in rows] == [True, False, False, False]
    assert rows[2].page == 4


def test_segment_shuffled_pages_with_continuation() -> None:
    pages = [page(AWARD_2, 1), page(TABLE, 2), page(LETTER, 3), page("", 4), page(AWARD, 5)]
    assert segment(pages, RULES) == ["award_list", "statistics_table", "recommendation_letter", "other", "award_list"]


@pytest.mark.parametrize(("text", "value"), [
    ("☑是 □否", True), ("□是 ☑否", False), ("是√ 否□", True),
    ("□是否", False),  # the tick over 否's box was lost by OCR: the one empty box belongs to 是
    ("是口否", True), ("□是 □否", None), ("否", False),
])
def test_meeting_yes_no(text: str, value: bool | None) -> None:
    base = OCR_TABLE.replace("☑是 □否", text)
    for item in ("20", "25"):  # without the meeting's numbers the tick alone decides
        base = base.replace(f" {item}", " ")
    st = read_statistics([page(base)], RULES)
    assert st.fields["是否组织发布会"] is value
