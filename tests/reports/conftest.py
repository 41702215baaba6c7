"""Fixtures of the reports tests: realistic results of a run, with real PDFs as archived originals.

The unit files are PDFs drawn with PyMuPDF's Chinese font (one page stored upside down, as a
crooked scan would be), plus a real third-party scan from ../shared/realdata/; the results cover
every problem code of the contract, flags of both kinds with evidence, and hostile text.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pymupdf
import pytest

from checks.statistics import roll_up
from core.model import (
    CompletenessReport,
    DocumentFinding,
    Evidence,
    FileResult,
    Flag,
    FlagSide,
    FlagsReport,
    Problem,
    RunSummary,
    StatisticsReport,
    TeamResult,
    UnitResult,
)
from core.reference import year_rules
from pipeline.reports import write_reports
from tests.conftest import REALDATA

REPO = Path(__file__).resolve().parents[2]
HOSTILE = '<img src="http://evil.example/x.png" onerror="alert(1)">'


def draw_pdf(path: Path, pages: list[str], upside_down: set[int] = frozenset()) -> Path:
    """A born-digital PDF, one text per page; pages in `upside_down` (1-based) are stored turned 180°."""
    doc = pymupdf.open()
    for i, text in enumerate(pages, 1):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 780), text, fontname="china-s", fontsize=15)
        if i in upside_down:
            page.set_rotation(180)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


FIELDS_FULL = {
    "本年度开展质量信得过班组活动企业数": 36,
    "本年度开展质量信得过班组活动班组数": 412,
    "历年质量信得过班组累计数": 2870,
    "本年度参与质量信得过班组活动员工数": 5120,
    "本年度推荐工程建设质量信得过班组数": 12,
    "本年度对质量信得过班组活动投入费用": 12.5,
    "本年度对质量信得过班组活动奖励费用": 3.35,
    "本年度开展质量信得过班组活动主要特点及存在的问题": "以质量问题为导向，班组自主管理。",
    "质量信得过班组活动评审及交流形式": ["发表评审", "单独举办"],
    "是否组织发布会": True,
    "发布会报名班组数": 20,
    "发布班组数": 18,
    "发布会时间": "2024年4月18日",
    "发布会地点": "南京",
    "参会人数": 260,
    "质量信得过班组工作归口部门及负责人": "质量部 王建国",
    "联系人": "李明",
    "手机": "13800000000",
    "邮箱": "liming@example.com",
}


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def archive(run_dir: Path) -> dict[str, Path]:
    """The archived originals: two drawn unit files and one real scanned letter."""
    arc = run_dir / "var" / "archive"
    js = draw_pdf(arc / "js.pdf", [
        "江苏省建筑行业协会\n关于推荐2024年工程建设质量信得过班组的函\n中国施工企业管理协会：\n现推荐以下班组……",
        "工程建设质量信得过班组活动统计表\n推荐单位：江苏省建筑行业协会\n本年度开展质量信得过班组活动企业数 36 个",
        "关于公布2023年度江苏省建筑业质量信得过班组名单的通知",
        "获奖名单（续）\n中建八局第三建设有限公司钢筋班组",
    ])
    cscec = draw_pdf(arc / "cscec.pdf", [
        "中国建筑股份有限公司\n关于推荐工程建设质量信得过班组的函",
        "工程建设质量信得过班组活动统计表\n本年度对质量信得过班组活动投入费用：（空白）\n是否组织发布会：（空白）",
        "关于公布中建集团2023年度质量信得过班组的通知",
    ], upside_down={2})
    form = draw_pdf(arc / "form.pdf", ["工程建设质量信得过班组报名表\n班组名称：中建八局第三建设有限公司钢筋班组"])
    scan = arc / "scan.pdf"
    shutil.copy(REALDATA / "issue-203-decimalize.pdf", scan)
    photo = arc / "photo.jpg"
    shutil.copy(REALDATA / "ch_en_num.jpg", photo)
    bad = arc / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj <<")
    return {"js": js, "cscec": cscec, "scan": scan, "bad": bad, "form": form, "photo": photo}


@pytest.fixture(scope="session")
def completeness(archive: dict[str, Path]) -> CompletenessReport:
    """A run's completeness results with every contract problem code, late and unreadable files."""
    def unit_file(key: str, path: str, pages: int, rotations: list[int] | None = None, **kw) -> FileResult:
        return FileResult(path=path, sha256=_sha(archive[key]), format="pdf", pages=pages, role="unit",
                          archive_path=str(archive[key]), page_rotations=rotations or [], **kw)

    js_file = "推荐材料/江苏省建筑行业协会推荐材料.pdf"
    cscec_file = "推荐材料/中国建筑股份有限公司.pdf"
    sh_file = "推荐材料/上海市市政公路行业协会推荐材料.pdf"
    xx_file = "推荐材料/某某市建筑业联合会.pdf"
    cscec_fields = {**FIELDS_FULL, "本年度开展质量信得过班组活动企业数": 120, "本年度对质量信得过班组活动投入费用": None,
                    "本年度对质量信得过班组活动奖励费用": 0.3, "是否组织发布会": None,
                    "质量信得过班组活动评审及交流形式": "资料评审、与QC小组合开"}
    sh_fields = {**FIELDS_FULL, "本年度开展质量信得过班组活动企业数": 7, "本年度对质量信得过班组活动投入费用": 0.45,
                 "是否组织发布会": False, "发布会报名班组数": None, "发布班组数": None, "发布会时间": None,
                 "发布会地点": None, "参会人数": None, "质量信得过班组活动评审及交流形式": ["资料评审"], "邮箱": None}
    units = [
        UnitResult(
            unit="江苏省建筑行业协会", source_file=js_file, listed=True, complete=True,
            documents={
                "recommendation_letter": DocumentFinding(present=True, pages=[1]),
                "statistics_table": DocumentFinding(present=True, pages=[2], fields=FIELDS_FULL),
                "award_list": DocumentFinding(present=True, pages=[3, 4]),
            },
            recommended_teams=["中建八局第三建设有限公司钢筋班组"],
            matched_teams={"中建八局第三建设有限公司钢筋班组": "A0137-钢筋班组"},
        ),
        UnitResult(
            unit="中国建筑股份有限公司", source_file=cscec_file, listed=True, complete=False,
            documents={
                "recommendation_letter": DocumentFinding(present=True, pages=[1]),
                "statistics_table": DocumentFinding(present=True, pages=[2], fields=cscec_fields),
                "award_list": DocumentFinding(present=True, pages=[3]),
            },
            recommended_teams=["中建三局测量班组", "中建一局木工班组"],
            problems=[
                Problem(code="incomplete_statistics_table", page=2,
                        message="统计表第2页中“本年度对质量信得过班组活动投入费用”“是否组织发布会”未填写，请推荐单位补填。"),
                Problem(code="recommended_team_without_submission", page=1,
                        message="推荐函第1页推荐的“中建一局木工班组”没有提交申报材料。"),
            ],
        ),
        UnitResult(
            unit="上海市市政公路行业协会", source_file=sh_file, listed=True, complete=False,
            documents={
                "recommendation_letter": DocumentFinding(present=False),
                "statistics_table": DocumentFinding(present=True, pages=[2], fields=sh_fields),
                "award_list": DocumentFinding(present=False),
            },
            problems=[
                Problem(code="missing_recommendation_letter", message="文件中没有找到推荐函，请推荐单位补交盖章的推荐函。"),
                Problem(code="missing_award_list", message="文件中没有找到本行业（地区）获奖名单的公布通知。"),
                Problem(code="late_submission", page=1, message="该文件于2024年6月3日收到，晚于5月30日的截止时间。"),
            ],
        ),
        UnitResult(
            unit="某某市建筑业联合会", source_file=xx_file, listed=False, complete=False,
            documents={
                "recommendation_letter": DocumentFinding(present=True, pages=[1]),
                "statistics_table": DocumentFinding(present=False),
                "award_list": DocumentFinding(present=True, pages=[2]),
            },
            problems=[
                Problem(code="unlisted_recommender", message="“某某市建筑业联合会”不在2024年推荐单位名单（附件2）内。"),
                Problem(code="missing_statistics_table", message="文件中没有找到工程建设质量信得过班组活动统计表（附件3）。"),
            ],
        ),
    ]
    team = "班组申报/{}/{}"
    teams = [
        TeamResult(team_id="A0137-钢筋班组", team="中建八局第三建设有限公司钢筋班组", company="中建八局第三建设有限公司",
                   recommender="江苏省建筑行业协会", complete=True,
                   files={"registration_form": team.format("A0137-钢筋班组", "报名表.pdf"),
                          "report_pdf": team.format("A0137-钢筋班组", "成果报告.pdf"),
                          "report_ppt": team.format("A0137-钢筋班组", "成果报告.pptx")}),
        TeamResult(team_id="A0201-测量班组", team="中建三局测量班组", company="中建三局集团有限公司",
                   recommender="中国建筑股份有限公司", complete=False,
                   files={"registration_form": team.format("A0201-测量班组", "报名表.jpg"),
                          "report_pdf": team.format("A0201-测量班组", "成果.pdf"), "report_ppt": None},
                   problems=[Problem(code="missing_report_ppt", message="班组申报材料中没有PPT版成果报告。"),
                             Problem(code="registration_form_incomplete", page=1,
                                     file=team.format("A0201-测量班组", "报名表.jpg"),
                                     message="报名表照片中读不到“班组长”和“联系电话”，请班组补填。")]),
        TeamResult(team_id="B0042-混凝土班组", team="北京城建混凝土班组", recommender=None, complete=False,
                   files={"registration_form": None, "report_pdf": team.format("B0042-混凝土班组", "报告.pdf"),
                          "report_ppt": team.format("B0042-混凝土班组", "报告.ppt")},
                   problems=[Problem(code="missing_registration_form", message="班组申报材料中没有报名表。"),
                             Problem(code="team_not_recommended", message="没有任何推荐单位的推荐函推荐该班组。")]),
        TeamResult(team_id="C0009-模板班组", team=f"模板班组{HOSTILE}", recommender="江苏省建筑行业协会",
                   complete=False,
                   files={"registration_form": team.format("C0009-模板班组", "报名表.pdf"), "report_pdf": None,
                          "report_ppt": team.format("C0009-模板班组", "汇报.pptx")},
                   problems=[Problem(code="missing_report_pdf", message=f"班组申报材料中没有PDF版成果报告。{HOSTILE}"),
                             Problem(code="some_future_code", message="一个报告模块不认识的新问题。")]),
    ]
    late = datetime(2024, 6, 3, 2, 0, tzinfo=UTC)
    files = [
        unit_file("js", js_file, 4),
        unit_file("cscec", cscec_file, 3, [0, 180, 0]),
        unit_file("scan", sh_file, 3, received_at=late),
        FileResult(path=xx_file, sha256="f" * 64, format="pdf", pages=2, role="unit"),
        FileResult(path="班组申报/A0201-测量班组/报名表.jpg", sha256=_sha(archive["photo"]), format="image", pages=1,
                   role="team", archive_path=str(archive["photo"]), page_rotations=[0]),
        FileResult(path="班组申报/A0137-钢筋班组/报名表.pdf", sha256=_sha(archive["form"]), format="pdf", pages=1,
                   role="team", archive_path=str(archive["form"])),
        FileResult(path="推荐材料/坏文件.pdf", sha256=_sha(archive["bad"]), status="error", format="pdf",
                   archive_path=str(archive["bad"]),
                   problems=[Problem(code="unreadable_file", message="文件已损坏或不完整，无法打开，请重新发送。")]),
        FileResult(path="其他/说明.docx", sha256="e" * 64, status="unrecognized", format="docx", role="unrecognized",
                   problems=[Problem(code="unrecognized_file", message="该文件不属于任何推荐单位或班组，请人工确认。")]),
        FileResult(path="推荐材料/江苏省建筑行业协会推荐材料(1).pdf", sha256=_sha(archive["js"]), status="duplicate",
                   format="pdf", archive_path=str(archive["js"]),
                   problems=[Problem(code="duplicate_file",
                                     message="与“推荐材料/江苏省建筑行业协会推荐材料.pdf”内容完全相同，已忽略。")]),
    ]
    return CompletenessReport(year=2024, units=units, teams=teams, files=files)


def _side(year: int, team_id: str, team: str, company: str = "") -> FlagSide:
    return FlagSide(year=year, team_id=team_id, team=team, company=company, file=f"班组申报/{team_id}/成果报告.pdf")


COPIED = "通过优化钢筋绑扎工艺，一次验收合格率由92.3%提高到98.6%"


@pytest.fixture(scope="session")
def flags(archive: dict[str, Path]) -> FlagsReport:
    """Flags of both kinds, deliberately out of order, with spans inside the evidence texts."""
    a_text = f"本班组针对梁柱节点钢筋密集的问题，{COPIED}，并形成了作业指导书。"
    b_text = f"我们班组{COPIED}。活动取得明显成效。"
    ev = Evidence(a_page=3, a_text=a_text, b_page=5, b_text=b_text, chars=len(COPIED),
                  a_spans=[(a_text.index(COPIED), a_text.index(COPIED) + len(COPIED))],
                  b_spans=[(b_text.index(COPIED), b_text.index(COPIED) + len(COPIED))])
    hostile = Evidence(a_page=7, a_text=f"现场照片说明{HOSTILE}混凝土养护", b_page=2, b_text="混凝土养护七天",
                       chars=5, a_spans=[(0, 4), (2, 6), (90, 200)], b_spans=[(0, 5)],
                       a_file="班组申报/A0201-测量班组/汇报.pptx")
    weak = Flag(a=_side(2024, "A0201-测量班组", "中建三局测量班组"), b=_side(2024, "B0042-混凝土班组", "北京城建混凝土班组"),
                kind="cross_team", similarity=0.42, copy_ratio_a=0.18, copy_ratio_b=0.21, evidence=[hostile],
                flag_id="f-weak", decision="dismissed", decision_note="两班组引用同一份施工规范，不构成抄袭。")
    strong = Flag(a=_side(2024, "A0137-钢筋班组", "中建八局第三建设有限公司钢筋班组", "中建八局第三建设有限公司"),
                  b=_side(2023, "B0042-测量班组", "中铁一局测量班组").model_copy(
                      update={"archive_path": str(archive["js"])}), kind="cross_team", similarity=0.71,
                  copy_ratio_a=0.38, copy_ratio_b=0.41, evidence=[ev], flag_id="f-strong")
    self_prior = Flag(a=_side(2024, "C0009-模板班组", "模板班组"), b=_side(2022, "C0009-模板班组", "模板班组"),
                      kind="self_prior_year", similarity=0.88, copy_ratio_a=0.66, copy_ratio_b=0.7,
                      evidence=[Evidence(a_page=p, a_text="模板支设一次成型", b_page=p, b_text="模板支设一次成型",
                                         chars=8, a_spans=[(0, 8)], b_spans=[(0, 8)]) for p in range(1, 8)],
                      flag_id="f-self")
    return FlagsReport(year=2024, flags=[weak, self_prior, strong])


@pytest.fixture(scope="session")
def statistics(completeness: CompletenessReport) -> StatisticsReport:
    return roll_up(completeness, year_rules(2024))


@pytest.fixture(scope="session")
def summary(run_dir: Path) -> RunSummary:
    return RunSummary(year=2024, out_dir=str(run_dir / "out"), files_seen=14, files_new=14, extracted=14, units=4,
                      units_complete=1, teams=4, teams_complete=1, unreadable=1, flags=2,
                      started_at=datetime(2024, 6, 4, 1, 0, 0, tzinfo=UTC),
                      finished_at=datetime(2024, 6, 4, 1, 2, 5, tzinfo=UTC))


@pytest.fixture(scope="session")
def reports(run_dir: Path, completeness, flags, statistics, summary) -> dict[str, Path]:
    """The reports written once for the whole session."""
    return write_reports(run_dir / "out", completeness, flags, statistics, summary=summary)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = REPO / "test-output" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
