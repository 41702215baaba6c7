"""The report's cross-checks on hand-made documents: names, duplicates, lateness, award lists, roles."""

from __future__ import annotations

from datetime import UTC, datetime

from checks.completeness import check_completeness
from core.codes import BLOCKING, CODES, WARNINGS, is_blocking
from core.model import Document, Inbox, InboxFile, Page, Problem, TeamPackage
from core.reference import recommending_units, year_rules

from .test_parsers import AWARD, AWARD_2, LETTER, OCR_TABLE

RULES = year_rules(2024)
UNITS = recommending_units()
ON_TIME = datetime(2024, 5, 20, 8, 0, tzinfo=UTC)


def _doc(path: str, *texts: str, fmt: str = "pdf") -> Document:
    return Document(path=path, format=fmt, pages=[Page(page=i + 1, source="ocr", text=t) for i, t in enumerate(texts)])


def _file(path: str, role: str, group: str | None, sha: str, when: datetime = ON_TIME, **kw: object) -> InboxFile:
    return InboxFile(path=path, sha256=sha, size=100, role=role, group=group, received_at=when, **kw)


FORM = """2024年工程建设质量信得过班组活动报名表
班组名称 江苏盛信建工集团有限责任公司深圳大桥项目钢结构安装班组
所在单位 江苏盛信建工集团有限责任公司
推荐单位 江苏省建筑行业协会
班组长 王强 班组人数 12
成果名称 确保钢结构安装关键工序一次合格率
"""


def _inbox(unit_name: str = "推荐材料/江苏省建筑行业协会推荐材料.pdf", letter: str = LETTER,
           award: tuple[str, ...] = (AWARD, AWARD_2), when: datetime = ON_TIME,
           via: str = "folder") -> tuple[Inbox, dict[str, Document]]:
    docs = {
        "u1": _doc(unit_name, letter, OCR_TABLE, *award),
        "f1": _doc("班组申报/A0001-钢结构安装班组/报名表.pdf", FORM),
        "r1": _doc("班组申报/A0001-钢结构安装班组/成果报告.pdf", "成果报告", "一、班组概况", "二、活动过程", "三、成果", "四、总结"),
        "p1": _doc("班组申报/A0001-钢结构安装班组/成果报告.pptx", "幻灯片", fmt="pptx"),
        "r2": _doc("班组申报/B0002-测量班组/测量班组成果报告.pdf", "江苏宏达建设工程有限公司测量班组 成果报告"),
    }
    inbox = Inbox(root="/inbox", units=[_file(unit_name, "unit", "x", "u1", when, received_via=via)], teams=[
        TeamPackage(team_id="A0001-钢结构安装班组", source="班组申报/A0001-钢结构安装班组", files=[
            _file(docs[s].path, "team", "A0001-钢结构安装班组", s) for s in ("f1", "r1", "p1")]),
        TeamPackage(team_id="B0002-测量班组", source="班组申报/B0002-测量班组", files=[
            _file(docs["r2"].path, "team", "B0002-测量班组", "r2")]),
    ])
    return inbox, docs


def test_letter_teams_matched_to_packages_and_the_rest_reported() -> None:
    inbox, docs = _inbox()
    report = check_completeness(inbox, docs, RULES, UNITS)
    unit = report.units[0]
    assert unit.unit == "江苏省建筑行业协会" and unit.listed
    assert unit.matched_teams["江苏盛信建工集团有限责任公司深圳大桥项目钢结构安装班组"] == "A0001-钢结构安装班组"
    ghost = [p for p in unit.problems if p.code == "recommended_team_without_submission"]
    assert len(ghost) == 1 and "江苏兴祥建设工程有限公司防水班组" in ghost[0].message and ghost[0].page == 1
    teams = {t.team_id: t for t in report.teams}
    a, b = teams["A0001-钢结构安装班组"], teams["B0002-测量班组"]
    assert a.recommender == "江苏省建筑行业协会" and a.complete and a.problems == []
    assert a.files == {"registration_form": "班组申报/A0001-钢结构安装班组/报名表.pdf",
                       "report_pdf": "班组申报/A0001-钢结构安装班组/成果报告.pdf",
                       "report_ppt": "班组申报/A0001-钢结构安装班组/成果报告.pptx"}
    assert a.form_fields["班组长"] == "王强" and a.company == "江苏盛信建工集团有限责任公司"
    assert b.team == "测量班组" and b.recommender is None and not b.complete
    assert {p.code for p in b.problems} == {"missing_registration_form", "missing_report_ppt", "team_not_recommended"}
    # statistics table says 3 recommended teams, the letter names 2; published 25 > registered 20
    codes = {p.code for p in unit.problems}
    assert {"statistics_recommended_count_mismatch", "statistics_published_exceeds_registered"} <= codes
    assert unit.complete  # only warnings
    # the award list holds both teams of the letter; the second one is not marked with ★
    not_marked = [p for p in unit.problems if p.code == "recommended_team_not_marked"]
    assert len(not_marked) == 1 and not_marked[0].page == 4


def test_team_missing_from_award_list() -> None:
    inbox, docs = _inbox(award=(AWARD,))
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    missing = [p for p in unit.problems if p.code == "recommended_team_not_in_award_list"]
    assert len(missing) == 1 and "江苏兴祥建设工程有限公司防水班组" in missing[0].message and missing[0].page == 3


def test_file_name_and_letter_disagree() -> None:
    inbox, docs = _inbox(unit_name="推荐材料/山东省建筑业协会.pdf")
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    assert unit.unit == "山东省建筑业协会"
    assert unit.unit_in_letter == "江苏省建筑行业协会"
    problem = next(p for p in unit.problems if p.code == "unit_name_mismatch")
    assert problem.page == 1 and "江苏省建筑行业协会" in problem.message


def test_unlisted_unit_keeps_its_name_and_is_blocking() -> None:
    letter = LETTER.replace("江苏省建筑行业协会", "苏州市建筑行业协会")
    inbox, docs = _inbox(unit_name="推荐材料/苏州市建筑行业协会推荐材料.pdf", letter=letter)
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    report = check_completeness(inbox, docs, RULES, UNITS)
    assert (unit.unit, unit.listed) == ("苏州市建筑行业协会", False)
    assert "unlisted_recommender" in {p.code for p in unit.problems} and not unit.complete
    team = next(t for t in report.teams if t.team_id.startswith("A0001"))
    assert team.recommender == "苏州市建筑行业协会"
    assert "team_recommender_unlisted" in {p.code for p in team.problems} and team.complete  # a warning


def test_late_submission_uses_the_deadline_day_in_china() -> None:
    just_in = datetime(2024, 5, 30, 15, 59, tzinfo=UTC)  # 23:59 in Beijing
    late = datetime(2024, 5, 30, 16, 1, tzinfo=UTC)  # 00:01 on 31 May in Beijing
    for when, expected in ((just_in, False), (late, True)):
        inbox, docs = _inbox(when=when, via="mail")
        report = check_completeness(inbox, docs, RULES, UNITS)
        assert ("late_submission" in {p.code for p in report.units[0].problems}) is expected
        assert "late_submission" not in {p.code for p in report.files[0].problems}  # once, on the unit
    assert not is_blocking("late_submission")
    inbox, docs = _inbox(when=late)  # the same time from a folder (when it was copied) claims nothing
    assert "late_submission" not in {p.code for p in check_completeness(inbox, docs, RULES, UNITS).units[0].problems}


def test_unreadable_and_duplicate_unit_files() -> None:
    inbox, docs = _inbox()
    copy = inbox.units[0].model_copy(update={"path": "推荐材料/江苏省建筑行业协会推荐材料(1).pdf",
                                             "duplicate_of": inbox.units[0].path})
    broken = _file("推荐材料/天津市建筑业协会.pdf", "unit", "x", "bad")
    docs["bad"] = Document(path=broken.path, format="pdf", problems=[
        Problem(code="unreadable_file", message="PDF 文件已损坏，无法打开。")])
    inbox.units += [copy, broken]
    report = check_completeness(inbox, docs, RULES, UNITS)
    units = {u.source_file: u for u in report.units}
    assert "duplicate_unit_file" in {p.code for p in units[copy.path].problems}
    bad = units[broken.path]
    assert bad.unit == "天津市建筑业协会" and not bad.complete
    assert [p.code for p in bad.problems] == ["unreadable_file"]
    files = {f.path: f for f in report.files}
    assert files[copy.path].status == "duplicate" and files[broken.path].status == "error"
    # the copy's letter is not counted twice: the team has one recommender and no warning about it
    team = next(t for t in report.teams if t.team_id == "A0001-钢结构安装班组")
    assert team.recommender == "江苏省建筑行业协会" and team.problems == []


def test_codes_cover_the_contract_and_split_blocking_from_warnings() -> None:
    contract = {"missing_recommendation_letter", "missing_statistics_table", "missing_award_list",
                "incomplete_statistics_table", "unlisted_recommender", "recommended_team_without_submission",
                "missing_registration_form", "missing_report_pdf", "missing_report_ppt", "team_not_recommended",
                "unreadable_file", "unrecognized_file", "duplicate_file"}
    assert contract <= set(CODES)
    assert set(CODES) == BLOCKING | WARNINGS and not BLOCKING & WARNINGS
    assert all(any("\u4e00" <= c <= "\u9fff" for c in t) for t in CODES.values())


def test_missing_extraction_and_garbage_never_crash() -> None:
    inbox, docs = _inbox()
    del docs["u1"]  # extraction failed: the unit file is unreadable, not a crash
    docs["r1"] = _doc(docs["r1"].path, "", "□☑★ 1 2 3 ：：", "\x00\ufffd" * 50)
    report = check_completeness(inbox, docs, RULES, UNITS)
    unit = report.units[0]
    assert [p.code for p in unit.problems] == ["unreadable_file"]
    assert report.files[0].status == "error"
    empty = check_completeness(Inbox(root="/x"), {}, RULES, UNITS)
    assert [u.unit for u in empty.units] == [u.name for u in UNITS]  # the whole roster, nothing sent
    assert not any(u.submitted for u in empty.units) and empty.teams == [] and empty.files == []


def test_registration_form_without_team_leader_is_a_warning() -> None:
    inbox, docs = _inbox()
    docs["f1"] = _doc(docs["f1"].path, FORM.replace("班组长 王强 ", "班组长 "))
    team = next(t for t in check_completeness(inbox, docs, RULES, UNITS).teams if t.team_id.startswith("A0001"))
    problem = next(p for p in team.problems if p.code == "registration_form_incomplete")
    assert "班组长" in problem.message and problem.page == 1
    assert team.complete


def test_unit_from_the_letter_when_the_file_name_names_nobody() -> None:
    inbox, docs = _inbox(unit_name="推荐材料/扫描全能王 2024-05-20 10.23.pdf")
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    assert (unit.unit, unit.listed, unit.unit_in_file_name) == ("江苏省建筑行业协会", True, None)
    assert not {"unit_name_mismatch", "unlisted_recommender"} & {p.code for p in unit.problems}
    letter = LETTER.replace("江苏省建筑行业协会", "")
    inbox, docs = _inbox(unit_name="推荐材料/扫描全能王 2024-05-20 10.23.pdf", letter=letter)
    docs["u1"].pages[1].text = docs["u1"].pages[1].text.replace("江苏省建筑行业协会", "")
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    assert "unit_not_identified" in {p.code for p in unit.problems} and not unit.complete


def test_unreadable_statistics_items_ask_a_person_not_the_unit() -> None:
    text = OCR_TABLE.replace("个 1O8", "个").replace("万元 12.5", "万元 约十万")  # one blank, one unreadable
    inbox, docs = _inbox()
    docs["u1"] = _doc(docs["u1"].path, LETTER, text, AWARD, AWARD_2)
    unit = check_completeness(inbox, docs, RULES, UNITS).units[0]
    blank = next(p for p in unit.problems if p.code == "incomplete_statistics_table")
    assert "本年度开展质量信得过班组活动班组数" in blank.message and "请推荐单位补填" in blank.message
    assert "投入费用" not in blank.message
    doubt = next(p for p in unit.problems if p.code == "statistics_unreadable")
    assert "本年度对质量信得过班组活动投入费用" in doubt.message and "无法识别，请人工核对" in doubt.message
    assert "补填" not in doubt.message and doubt.page == 2 and not is_blocking(doubt.code)
