"""`banzu export …`: the documents the secretariat sends on, made from a run's reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commands.years import YearOption

export_app = typer.Typer(no_args_is_help=True, help="导出秘书处转发的文件：初选合格名单、补交通知、附件3统计汇总表")
console = Console(stderr=True)
THIS_YEAR = None  # the newest year with rules (commands.years)
ReportsOption = Annotated[Path | None, typer.Option(help="某次运行的报告目录，默认 BANZU_HOME/reports/YYYY")]


def _results(year: int, reports: Path | None):
    """The last run's results with the decisions recorded since (初选, 第十五条) from the store."""
    from core.settings import get_settings
    from pipeline.exports.load import MissingReports, load_results
    from pipeline.store import Store
    from pipeline.store.review import with_reviews

    settings = get_settings()
    try:
        completeness, statistics = load_results(reports or settings.reports_dir(year))
    except MissingReports as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    return with_reviews(Store(settings), completeness), statistics


def _dismissed(year: int):
    from core.settings import get_settings
    from pipeline.exports.followup import dismissed_in
    from pipeline.store import Store
    from pipeline.store.review import dismissed_findings

    return dismissed_in(dismissed_findings(Store(get_settings()), year))


def _write(path: Path, data: bytes) -> None:
    from pipeline.reports.common import atomic_write_bytes

    atomic_write_bytes(path, data)
    typer.echo(str(path.resolve()))


@export_app.command("shortlist")
def shortlist(
    year: YearOption = THIS_YEAR,
    reports: ReportsOption = None,
    out: Annotated[Path | None, typer.Option(help="输出文件，默认 ./YYYY年初选合格名单.xlsx")] = None,
) -> None:
    """初选合格名单（xlsx）：初选通过且未被取消资格的班组。"""
    from pipeline.exports.shortlist import passed_teams, shortlist_workbook

    completeness, _ = _results(year, reports)
    _write(out or Path(f"{year}年初选合格名单.xlsx"), shortlist_workbook(completeness))
    console.print(f"共 {len(passed_teams(completeness))} 个班组")


@export_app.command("followup")
def followup(
    by: Annotated[str, typer.Option(help="补交截止日期，如 2024-06-15")],
    year: YearOption = THIS_YEAR,
    reports: ReportsOption = None,
    out: Annotated[Path | None, typer.Option(help="输出目录，默认 ./YYYY年补交通知")] = None,
    mailbox: Annotated[str | None, typer.Option(help="补交材料的接收邮箱，写入通知")] = None,
) -> None:
    """补交通知：每个有未解决问题的推荐单位一份 Word 文档，另附邮件合并用的工作簿。"""
    from pipeline.exports.followup import followup_notices, write_followup

    try:
        deadline = date.fromisoformat(by)
    except ValueError as error:
        console.print(f"[red]日期格式应为 YYYY-MM-DD：{by}[/red]")
        raise typer.Exit(2) from error
    completeness, _ = _results(year, reports)
    notices = followup_notices(completeness, deadline, dismissed=_dismissed(completeness.year))
    for path in write_followup(out or Path(f"{year}年补交通知"), notices, mailbox=mailbox):
        typer.echo(str(path.resolve()))
    console.print(f"共 {len(notices)} 个推荐单位需要补交")


@export_app.command("statistics")
def statistics(
    year: YearOption = THIS_YEAR,
    reports: ReportsOption = None,
    out: Annotated[Path | None, typer.Option(help="输出文件，默认 ./YYYY年统计汇总表（附件3）.xlsx")] = None,
) -> None:
    """统计汇总表（附件3格式）：名单内单位逐行、合计行、汇总覆盖率；名单外单位另列。"""
    from pipeline.exports.attachment3 import attachment3_workbook

    completeness, stats = _results(year, reports)
    _write(out or Path(f"{year}年统计汇总表（附件3）.xlsx"), attachment3_workbook(stats, completeness))
