"""`banzu export …` makes the three documents from a run's reports folder."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from commands.main import app
from core.settings import get_settings
from pipeline.reports import write_reports
from pipeline.store import Store
from pipeline.store.review import Actor, decide_team, dismiss_finding


def test_export_commands_read_the_run_reports(tmp_path: Path, completeness, flags, statistics):
    reports = tmp_path / "reports"
    write_reports(reports, completeness, flags, statistics, portable=False)
    # decisions recorded in the workspace after the run count in the exports
    store = Store(get_settings())
    reviewer = Actor("初审甲", "reviewer", "cli")
    decide_team(store, 2024, "A0201-测量班组", "passed", None, reviewer)
    sh = next(u for u in completeness.units if u.unit == "上海市市政公路行业协会")
    wrong = next(p for p in sh.problems if p.code == "missing_award_list")
    dismiss_finding(store, 2024, "unit", sh.unit, wrong, "获奖名单在第3页，系识别遗漏", reviewer)
    runner = CliRunner()
    base = ["--year", "2024", "--reports", str(reports)]

    r = runner.invoke(app, ["export", "shortlist", *base, "--out", str(tmp_path / "名单.xlsx")])
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "名单.xlsx").active
    assert [row[4] for row in ws.iter_rows(min_row=4, values_only=True)] == ["A0201-测量班组"]

    r = runner.invoke(app, ["export", "followup", *base, "--by", "2024-06-15", "--out", str(tmp_path / "通知"),
                            "--mailbox", "xzhd@cacem.com.cn"])
    assert r.exit_code == 0, r.output
    doc = docx.Document(tmp_path / "通知" / "补交通知-上海市市政公路行业协会.docx")
    assert "2024年6月15日前" in "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "缺少推荐函" in cells and "缺少获奖名单公布通知" not in cells  # the dismissed finding is left out
    assert (tmp_path / "通知" / "补交通知-邮件合并.xlsx").is_file()

    r = runner.invoke(app, ["export", "statistics", *base, "--out", str(tmp_path / "附件3.xlsx")])
    assert r.exit_code == 0, r.output
    wb = load_workbook(io.BytesIO((tmp_path / "附件3.xlsx").read_bytes()))
    assert "已汇总 3/65" in wb["统计汇总"]["A2"].value

    r = runner.invoke(app, ["export", "followup", "--by", "6月15日", *base])
    assert r.exit_code == 2 and "日期格式" in r.output
    r = runner.invoke(app, ["export", "shortlist", "--year", "2024", "--reports", str(tmp_path / "nothing")])
    assert r.exit_code == 2 and "banzu intake" in r.output


def test_load_results_reads_back_what_a_run_wrote_mail_origin_included(tmp_path: Path, completeness, flags,
                                                                        statistics):
    from core.model import MailOrigin
    from pipeline.exports.load import load_results

    mailed = completeness.model_copy(deep=True)
    mailed.files[0].received_via = "mail"
    mailed.files[0].mail = MailOrigin(sender="js@example.com", subject="推荐材料", message_id="<1@x>")
    write_reports(tmp_path, mailed, flags, statistics, portable=False)
    loaded, stats = load_results(tmp_path)
    assert loaded.files[0].mail == mailed.files[0].mail
    assert [t.team_id for t in loaded.teams] == [t.team_id for t in completeness.teams]
    assert stats.totals == statistics.totals
