"""`banzu received`: the secretariat's record of when each unit's or team's material came (Beijing time)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commands.years import YearOption
from core.beijing import show

received_app = typer.Typer(no_args_is_help=True, help="收到时间登记：导入收到时间表、接受逾期材料")
console = Console()
err = Console(stderr=True)
KINDS = {"unit": "推荐单位", "team": "班组"}

ByOption = Annotated[str | None, typer.Option("--by", help="操作人姓名，默认为当前系统用户")]


def _actor(by: str | None):
    from pipeline.store import review

    return review.Actor(by or getpass.getuser(), "secretariat", "cli")


def _store():
    from core.settings import get_settings
    from pipeline.store import Store

    return Store(get_settings())


@received_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="文件", help="收到时间表（xlsx 或 csv）：单位或班组、收到时间（北京时间）")],
    year: YearOption = None,
    by: ByOption = None,
) -> None:
    """导入收到时间表：每行一个推荐单位或班组及其材料的收到时间（北京时间）；之后的运行据此判断是否逾期。"""
    from pipeline.store.received import import_sheet

    if not file.is_file():
        err.print(f"[red]{'是一个目录，请给出收到时间表文件' if file.is_dir() else '文件不存在'}：{file}[/red]")
        raise typer.Exit(2)
    try:
        count, problems = import_sheet(_store(), year, file, _actor(by))
    except ValueError as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    for p in problems:
        err.print(f"[yellow]{p}[/yellow]")
    console.print(f"已登记 {year} 年度 {count} 条收到时间（来自 {file.name}）。")
    if count == 0:
        raise typer.Exit(1)


@received_app.command("list")
def list_(year: YearOption = None) -> None:
    """列出已登记的收到时间和已接受的逾期材料（北京时间）。"""
    from pipeline.store.received import received_records

    records = received_records(_store(), year)
    if not records:
        console.print(f"{year} 年度还没有登记任何收到时间。")
        return
    typer.echo("类别\t名称\t收到时间（北京时间）\t逾期材料\t理由")
    for r in records:
        accepted = f"已接受（{r.accepted_by}）" if r.accepted else ""
        typer.echo(f"{KINDS[r.kind]}\t{r.subject}\t{show(r.received_at)}\t{accepted}\t{r.reason or ''}")


@received_app.command("accept")
def accept(
    name: Annotated[str, typer.Argument(metavar="名称", help="推荐单位名称，或班组编号/名称")],
    reason: Annotated[str, typer.Option("--reason", help="接受逾期材料的理由（必填）")],
    year: YearOption = None,
    by: ByOption = None,
    undo: Annotated[bool, typer.Option("--undo", help="撤销此前的接受")] = False,
) -> None:
    """接受某推荐单位或班组的逾期材料（写明理由）；之后每次运行都显示为“已接受”。"""
    from pipeline.store import review
    from pipeline.store.received import accept_late, subject_of, withdraw_acceptance

    kind, subject = subject_of(name)
    store = _store()
    try:
        if undo:
            if not withdraw_acceptance(store, year, kind, subject, reason, _actor(by)):
                err.print(f"[red]{KINDS[kind]}“{subject}”没有已接受的逾期材料。[/red]")
                raise typer.Exit(1)
            console.print(f"已撤销：{KINDS[kind]}“{subject}”的逾期材料不再视为已接受。")
            return
        accept_late(store, year, kind, subject, reason, _actor(by))
    except (review.ReviewError, review.NotAllowed) as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    console.print(f"已记录：接受{KINDS[kind]}“{subject}”的逾期材料（理由：{reason}）。")
