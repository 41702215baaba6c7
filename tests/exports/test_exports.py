"""初选合格名单, 补交通知 and the 附件3 sheet, read back the way the secretariat's tools read them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import docx
import pytest
from openpyxl import load_workbook

from checks.statistics import roll_up
from core.model import CompletenessReport, DocumentFinding, TeamResult, TeamReview, UnitResult
from core.reference import recommending_units, year_rules
from pipeline.exports.attachment3 import NOT_SENT, REPORTED, attachment3_workbook
from pipeline.exports.followup import (
    Finding,
    followup_notices,
    mail_merge_workbook,
    notice_docx,
    write_followup,
)
from pipeline.exports.shortlist import passed_teams, shortlist_workbook
from pipeline.reports.review_state import apply_review_state
from tests.reports.conftest import FIELDS_FULL

FORMULA = '=HYPERLINK("http://evil.example/steal","点此查看")'
AT = datetime(2024, 6, 5, 9, 30, tzinfo=UTC)


def _review(decision: str, reason: str | None = None) -> TeamReview:
    return TeamReview(decision=decision, by="reviewer1", at=AT, reason=reason)  # type: ignore[arg-type]


@pytest.fixture
def reviewed(completeness: CompletenessReport, flags) -> CompletenessReport:
    """A0137 passed but its strong flag is confirmed (第十五条); A0201 and a formula-named team passed."""
    c = completeness.model_copy(deep=True)
    c.teams.append(TeamResult(team_id=FORMULA, team=FORMULA, company="@SUM(1+1)", recommender="江苏省建筑行业协会",
                              complete=True))
    confirmed = flags.model_copy(deep=True)
    for f in confirmed.flags:
        if f.flag_id == "f-strong":
            f.decision = "confirmed"
    reviews = {"A0137-钢筋班组": _review("passed"), "A0201-测量班组": _review("passed"),
               "B0042-混凝土班组": _review("failed", "未获推荐"), FORMULA: _review("passed")}
    return apply_review_state(c, reviews, confirmed)


def test_shortlist_lists_passed_teams_not_disqualified_with_title_and_text_cells(reviewed):
    assert [t.team_id for t in passed_teams(reviewed)] == ["A0201-测量班组", FORMULA]  # 附件2 order: 中国建筑 is no. 1
    wb = load_workbook(io.BytesIO(shortlist_workbook(reviewed, today=date(2024, 6, 20))))
    ws = wb["初选合格名单"]
    assert ws["A1"].value == "2024年工程建设质量信得过班组活动初选合格名单"
    assert "共 2 个班组" in ws["A2"].value and "2024年6月20日" in ws["A2"].value
    assert [c.value for c in ws[3]] == ["序号", "推荐单位", "班组名称", "所在单位", "班组编号"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert rows[0] == [1, "中国建筑股份有限公司", "中建三局测量班组", "中建三局集团有限公司", "A0201-测量班组"]
    assert rows[1] == [2, "江苏省建筑行业协会", FORMULA, "@SUM(1+1)", FORMULA]
    for cell in ws[5][2:]:  # sender text stays text: never a formula Excel or WPS would run
        assert cell.data_type == "s"
    assert "A0137-钢筋班组" not in {r[4] for r in rows}  # passed, but disqualified (第十五条)


def test_followup_notices_per_unit_with_contact_open_findings_and_date(completeness):
    def dismiss(f: Finding) -> bool:  # as the workspace records it: per team, one finding
        return (f.level, f.subject, f.problem.code) == ("team", "A0201-测量班组", "registration_form_incomplete")

    notices = followup_notices(completeness, date(2024, 6, 15), dismissed=dismiss)
    by_unit = {n.unit: n for n in notices}
    assert set(by_unit) == {"江苏省建筑行业协会", "中国建筑股份有限公司", "上海市市政公路行业协会", "某某市建筑业联合会"}
    cscec = by_unit["中国建筑股份有限公司"]
    assert cscec.contact.name == "李明" and cscec.contact.email == "liming@example.com"
    assert [i.title for i in cscec.unit_items] == ["统计表填写不完整", "推荐的班组未提交申报材料"]
    assert [(i.who, i.title) for i in cscec.team_items] == [("中建三局测量班组（A0201-测量班组）", "缺少成果报告（PPT版）")]
    sh = by_unit["上海市市政公路行业协会"]
    assert sh.contact.email is None and sh.contact.phone == FIELDS_FULL["手机"]
    assert "逾期提交" not in {i.title for i in sh.items}  # lateness is a fact, nothing to resubmit
    assert by_unit["江苏省建筑行业协会"].unit_items == []  # complete itself; its team C0009 is not
    assert by_unit["江苏省建筑行业协会"].teams[0].endswith("（C0009-模板班组）")
    assert followup_notices(completeness, date(2024, 6, 15), dismissed=lambda f: True) == []


def test_notice_docx_reads_back_with_everything_the_unit_needs(completeness):
    dismiss = lambda f: f.problem.code == "registration_form_incomplete"  # noqa: E731
    notice = next(n for n in followup_notices(completeness, date(2024, 6, 15), dismissed=dismiss)
                  if n.unit == "中国建筑股份有限公司")
    d = docx.Document(io.BytesIO(notice_docx(notice, mailbox="xzhd@cacem.com.cn", today=date(2024, 6, 6))))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "关于补交2024年工程建设质量信得过班组活动材料的通知" in text
    assert "中国建筑股份有限公司：" in text and "2024年6月15日前" in text and "xzhd@cacem.com.cn" in text
    assert "联系人：李明" in text and "2024年6月6日" in text
    assert "统计表填写不完整" in cells and "缺少成果报告（PPT版）" in cells
    assert any("第2页" in c for c in cells)
    assert not any("报名表照片" in c for c in cells)  # dismissed: left out


def test_mail_merge_rows_and_written_files(completeness, tmp_path):
    notices = followup_notices(completeness, date(2024, 6, 15))
    ws = load_workbook(io.BytesIO(mail_merge_workbook(notices))).active
    header = [c.value for c in ws[1]]
    assert header[:7] == ["序号", "推荐单位", "联系人", "手机", "邮箱", "归口部门及负责人", "补交截止日期"]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["中国建筑股份有限公司"]["邮箱"] == "liming@example.com"
    assert rows["中国建筑股份有限公司"]["补交截止日期"] == "2024年6月15日"
    assert "【本单位】统计表填写不完整" in rows["中国建筑股份有限公司"]["问题清单"]
    assert "<img" in rows["江苏省建筑行业协会"]["问题清单"]  # sender text kept verbatim, as text
    paths = write_followup(tmp_path, notices, today=date(2024, 6, 6))
    assert sorted(p.name for p in paths) == sorted(
        [f"补交通知-{n.unit}.docx" for n in notices] + ["补交通知-邮件合并.xlsx"])
    assert all(p.parent == tmp_path for p in paths)


def test_attachment3_listed_units_as_rows_totals_and_coverage(completeness, statistics):
    c = completeness.model_copy(deep=True)
    c.units.append(UnitResult(unit="某某省外单位", source_file="推荐材料/某某省外单位.pdf", listed=False,
                              documents={"statistics_table": DocumentFinding(present=True, pages=[1], fields={
                                  **FIELDS_FULL, "本年度开展质量信得过班组活动企业数": 1000})}))
    c.units.append(UnitResult(unit=FORMULA, source_file="推荐材料/x.pdf", listed=False,
                              documents={"statistics_table": DocumentFinding(present=True, pages=[1], fields={
                                  "联系人": "@SUM(A1)", "本年度开展质量信得过班组活动企业数": 1})}))
    stats = roll_up(c, year_rules(2024))
    wb = load_workbook(io.BytesIO(attachment3_workbook(stats, c)))
    ws = wb["统计汇总"]
    assert ws["A1"].value == "2024年工程建设质量信得过班组活动统计表（汇总）"
    assert "已汇总 3/65 个推荐单位" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header[:4] == ["序号", "推荐单位", "报送情况", "本年度开展质量信得过班组活动企业数（个）"]
    assert "质量信得过班组活动评审及交流形式：发表评审" in header and "邮箱" in header
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert len(rows) == 66 and [r[1] for r in rows[:65]] == [u.name for u in recommending_units()]
    by_unit = {r[1]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_unit["江苏省建筑行业协会"]["报送情况"] == REPORTED
    assert by_unit["中国中铁股份有限公司"]["报送情况"] == NOT_SENT
    total = by_unit["合计"]
    assert total["本年度开展质量信得过班组活动企业数（个）"] == 36 + 120 + 7  # the unlisted 1000 not added
    assert total["本年度对质量信得过班组活动投入费用（万元）"] == pytest.approx(12.95)
    assert total["报送情况"] == "3 家"
    assert total["质量信得过班组活动评审及交流形式：资料评审"] == "2 家"
    other = wb["名单外单位"]
    assert [r[0] for r in other.iter_rows(min_row=4, values_only=True)] == ["某某省外单位", FORMULA]
    assert all(cell.data_type == "s" for cell in other[5] if isinstance(cell.value, str))  # text, never formulas
    assert "@SUM(A1)" in [cell.value for cell in other[5]]


def test_contact_kept_in_data_fills_what_the_table_leaves_blank(completeness, tmp_path, monkeypatch):
    import pipeline.exports.followup as followup

    (tmp_path / "recommending_units.toml").write_text(
        '[[unit]]\nno = 99\nname = "某某市建筑业联合会"\nkind = "x"\ncontact = "赵六"\nemail = "zl@example.com"\n'
        '[[unit]]\nno = 9\nname = "上海市市政公路行业协会"\nkind = "x"\nemail = "kept@example.com"\n'
        'contact = "不该用到"\n', "utf-8")
    monkeypatch.setattr(followup, "DATA_DIR", tmp_path)
    by_unit = {n.unit: n for n in followup_notices(completeness, date(2024, 6, 15))}
    assert by_unit["某某市建筑业联合会"].contact.email == "zl@example.com"  # no table: the kept contact
    sh = by_unit["上海市市政公路行业协会"].contact
    assert sh.email == "kept@example.com" and sh.name == FIELDS_FULL["联系人"]  # the table wins where filled
