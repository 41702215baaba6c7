"""Bad input never crashes a run: empty, truncated, encrypted, lying and duplicate files are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flow.helpers import codes, read_json, run_intake, text_pdf, write

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

LETTER = "关于推荐2024年工程建设质量信得过班组的函\n中国施工企业管理协会：\n现推荐以下班组参加2024年工程建设质量信得过班组活动。"
REPORT = (
    "一、班组概况\n本班组成立于2015年，负责主体结构钢筋加工与绑扎。\n二、选题理由\n钢筋保护层厚度合格率偏低。"
)


@pytest.fixture(scope="module")
def bad_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("inbox")
    good = text_pdf([LETTER, REPORT])
    write(inbox / "推荐材料" / "中国安装协会.pdf", good)
    write(inbox / "推荐材料" / "中国安装协会（重发）.pdf", good)  # the same bytes again
    write(inbox / "推荐材料" / "山东省建筑业协会.pdf", b"")  # empty
    write(inbox / "推荐材料" / "河南省工程建设协会.pdf", text_pdf([LETTER])[:700])  # truncated
    write(inbox / "推荐材料" / "湖南省建筑业协会.pdf", text_pdf([LETTER], password="secret"))  # encrypted
    team = inbox / "班组申报" / "A0001-钢筋班组"
    write(
        team / "报名表.pdf",
        text_pdf(["质量信得过班组报名表\n班组名称：钢筋班组\n所在单位：中建八局第三建设有限公司"]),
    )
    write(team / "成果报告.pdf", text_pdf([REPORT]))
    write(team / "成果报告.pptx", b"%PDF-1.4 this is not a presentation")  # the extension lies
    write(inbox / "杂项.txt", "与活动无关的文件".encode())
    return inbox


@pytest.fixture(scope="module")
def bad_run(bad_inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("out")
    return out, run_intake(bad_inbox, out, tmp_path_factory.mktemp("home"))


def test_run_completes_with_exit_code_zero(bad_run) -> None:
    out, result = bad_run
    assert result.exit_code == 0, result.output
    for name in (
        "completeness.json",
        "flags.json",
        "statistics.json",
        "index.html",
        "flags.html",
        "completeness.xlsx",
    ):
        assert (out / name).is_file(), name


def test_unreadable_files_are_reported_in_chinese(bad_run) -> None:
    out, _ = bad_run
    files = {f["path"]: f for f in read_json(out, "completeness.json")["files"]}
    for name, hint in [
        ("山东省建筑业协会.pdf", "空"),
        ("河南省工程建设协会.pdf", ""),
        ("湖南省建筑业协会.pdf", "加密"),
    ]:
        entry = files[f"推荐材料/{name}"]
        assert entry["status"] == "error"
        problem = next(p for p in entry["problems"] if p["code"] == "unreadable_file")
        assert hint in problem["message"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["message"])
    lying = files["班组申报/A0001-钢筋班组/成果报告.pptx"]
    assert lying["format"] == "pdf"


def test_duplicates_and_strays(bad_run) -> None:
    out, _ = bad_run
    files = {f["path"]: f for f in read_json(out, "completeness.json")["files"]}
    assert "duplicate_file" in codes(files["推荐材料/中国安装协会（重发）.pdf"]["problems"])
    assert "duplicate_file" not in codes(files["推荐材料/中国安装协会.pdf"]["problems"])
    assert "unrecognized_file" in codes(files["杂项.txt"]["problems"])


def test_the_rest_of_the_run_goes_on(bad_run) -> None:
    out, _ = bad_run
    report = read_json(out, "completeness.json")
    units = {u["unit"]: u for u in report["units"]}
    assert "中国安装协会" in units and units["中国安装协会"]["listed"] is True
    assert units["中国安装协会"]["documents"]["recommendation_letter"]["present"] is True
    (team,) = report["teams"]
    assert team["files"]["registration_form"] and team["files"]["report_pdf"]
    assert "missing_report_ppt" in codes(team["problems"])


def test_originals_are_archived_byte_for_byte(bad_run, bad_inbox: Path) -> None:
    out, _ = bad_run
    for entry in read_json(out, "completeness.json")["files"]:
        archived = entry.get("archive_path")
        assert archived and Path(archived).read_bytes() == (bad_inbox / entry["path"]).read_bytes()
