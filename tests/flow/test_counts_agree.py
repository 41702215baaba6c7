"""One count, four views: the CLI's summary line, the Prefect artifacts, index.html and the workbook agree.

The inbox has what made them disagree before: a reader that crashes (counted by the reports, not by
the CLI line), an unreadable file, a duplicate. (Late files, which the cards counted as files and the
chips as problems, are counted once per file: a folder's time no longer makes a file late, so this
inbox has none; pipeline.reports.common.problem_counts is the one count.)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import pipeline.intake
from commands.main import app
from core.codes import Code
from pipeline.reports import problem_title
from tests.flow.helpers import read_json, run_intake, text_pdf, write

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

LETTER = "关于推荐2024年工程建设质量信得过班组的函\n中国施工企业管理协会：\n现推荐以下班组参加2024年工程建设质量信得过班组活动。"
EARLY = 1709251200  # 2024-03-01: before the deadline of 2024
LATE = 1735700000  # 2025-01-01: after it


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    inbox = tmp_path_factory.mktemp("inbox")
    write(inbox / "推荐材料" / "中国安装协会.pdf", text_pdf([LETTER]))
    write(inbox / "推荐材料" / "山东省建筑业协会.pdf", text_pdf([LETTER + "\n山东"]))
    write(inbox / "推荐材料" / "河南省工程建设协会.pdf", text_pdf([LETTER])[:700])  # truncated
    team = inbox / "班组申报" / "A0001-钢筋班组"
    write(team / "报名表.pdf", text_pdf(["质量信得过班组报名表\n班组名称：钢筋班组"]))
    write(team / "成果报告.pdf", text_pdf(["一、班组概况\n钢筋加工。"]))
    write(inbox / "班组申报" / "A0002-测量班组" / "成果报告.pdf", text_pdf(["一、班组概况\n测量放线。"]))
    write(inbox / "班组申报" / "A0002-测量班组" / "成果报告（副本）.pdf", text_pdf(["一、班组概况\n测量放线。"]))
    for path in inbox.rglob("*.pdf"):  # in time, but for two
        os.utime(path, (EARLY, EARLY))
    for path in (inbox / "推荐材料" / "山东省建筑业协会.pdf", team / "成果报告.pdf"):
        os.utime(path, (LATE, LATE))  # a folder time is not trusted: the record below makes them late
    home = tmp_path_factory.mktemp("home")
    sheet = write(inbox.parent / "收到时间.csv",
                  "推荐单位或班组,收到时间\n山东省建筑业协会,2024-06-03 10:00\nA0001-钢筋班组,2024-06-04 9:00\n"
                  .encode("utf-8-sig"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BANZU_HOME", str(home))
        imported = CliRunner().invoke(app, ["received", "import", str(sheet), "--year", "2024", "--by", "秘书处"])
    assert imported.exit_code == 0, imported.output
    real_extract = pipeline.intake.read_with_deadline

    def crashing(path, name, options, seconds=None):
        if name.endswith("A0002-测量班组/成果报告.pdf"):
            raise MemoryError("simulated crash inside the OCR engine")
        return real_extract(path, name, options, seconds)

    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline.intake, "read_with_deadline", crashing)
        result = run_intake(inbox, out, home)
    assert result.exit_code == 0, result.output
    return out, result.output, read_json(out, "completeness.json")


def _artifact_counts(year: int) -> dict[str, int]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"banzu-intake-{year}-counts"]))
        )
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    return {row["项目"]: int(row["数量"]) for row in rows}


def test_the_four_views_count_the_same(run) -> None:
    out, output, completeness = run
    line = re.search(
        r"推荐单位 (\d+) 家（完整 (\d+)，不完整 (\d+)）；班组 (\d+) 个（完整 (\d+)，不完整 (\d+)）；"
        r"无法读取文件 (\d+) 个；查重标记 (\d+) 条", output.replace("\n", ""))
    assert line, output
    cli = dict(zip(["units", "units_complete", "units_incomplete", "teams", "teams_complete", "teams_incomplete",
                    "unreadable", "flags"], map(int, line.groups()), strict=True))

    # what the run contains, counted from completeness.json by hand
    files = completeness["files"]
    unreadable = sum(f["status"] == "error" for f in files)
    assert unreadable >= 2  # the truncated bundle and the crashed report
    assert any(p["code"] == Code.EXTRACTION_FAILED for f in files for p in f["problems"])
    expected = {
        "units": len(completeness["units"]), "units_complete": sum(u["complete"] for u in completeness["units"]),
        "teams": len(completeness["teams"]), "teams_complete": sum(t["complete"] for t in completeness["teams"]),
        "unreadable": unreadable,
    }
    assert {k: cli[k] for k in expected} == expected

    art = _artifact_counts(2024)
    assert (art["推荐单位"], art["推荐单位：完整"], art["推荐单位：不完整"]) == (
        cli["units"], cli["units_complete"], cli["units_incomplete"])
    assert (art["班组"], art["班组：完整"], art["班组：不完整"]) == (
        cli["teams"], cli["teams_complete"], cli["teams_incomplete"])
    assert art["无法读取的文件"] == cli["unreadable"]
    assert art["抄袭嫌疑（跨班组）"] + art["本班组往年材料重复使用"] == cli["flags"]

    html = (out / "index.html").read_text(encoding="utf-8")
    cards = {label: int(n) for label, n in
             re.findall(r'<div class="label">([^<]+)</div>\s*<div class="big[^"]*">(\d+)</div>', html)}
    passed = sum((t.get("review") or {}).get("decision") == "passed" for t in completeness["teams"])
    assert cards == {
        "推荐单位": cli["units"], "申报班组": cli["teams"], "无法读取的文件": cli["unreadable"],
        "逾期提交的文件": art["逾期提交的文件"], "初选通过": passed, "抄袭嫌疑": art["抄袭嫌疑（跨班组）"]}
    chips = {c: int(n) for c, n in re.findall(r'class="chip" data-code="([a-z_]+)"[^>]*>[^<]*<b>(\d+)</b>', html)}
    assert chips == {c: art[f"问题：{problem_title(c)}"] for c in chips}
    assert chips.get(Code.LATE_SUBMISSION, 0) == art["逾期提交的文件"]  # one late file is one, however many say so
    assert chips[Code.UNREADABLE_FILE] <= cli["unreadable"]

    wb = load_workbook(out / "completeness.xlsx")
    unit_rows = list(wb["推荐单位"].iter_rows(min_row=2, values_only=True))
    team_rows = list(wb["班组"].iter_rows(min_row=2, values_only=True))
    file_rows = list(wb["文件"].iter_rows(min_row=2, values_only=True))
    assert (len(unit_rows), sum(r[2] == "是" for r in unit_rows)) == (cli["units"], cli["units_complete"])
    assert (len(team_rows), sum(r[4] == "是" for r in team_rows)) == (cli["teams"], cli["teams_complete"])
    assert sum(r[1] == "无法读取" for r in file_rows) == cli["unreadable"]
