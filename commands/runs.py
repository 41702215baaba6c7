"""`banzu runs`: the runs of each year, and removing a year's data set made by mistake."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from core.beijing import show

runs_app = typer.Typer(help="查看各年度的运行记录；删除误建的年度数据")
console = Console()
err = Console(stderr=True)

STATUS = {"completed": "已完成", "failed": "失败", "running": "运行中"}


def _store():
    from core.settings import get_settings
    from pipeline.store import Store

    return Store(get_settings())


@runs_app.callback(invoke_without_command=True)
def list_runs(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="只列出该年度的运行")] = None,
) -> None:
    """列出运行记录（最新的在前），时间为北京时间。"""
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.store.years import list_runs as runs_of

    runs = runs_of(_store(), year)
    if not runs:
        console.print(f"{year} 年度没有运行记录。" if year else "还没有任何运行记录。")
        return
    typer.echo("编号\t年度\t状态\t开始（北京时间）\t结束（北京时间）\t单位（完整）\t班组（完整）\t查重标记\t收件箱")
    for r in runs:
        s = r.summary or {}
        counts = (f"{s.get('units', 0)}（{s.get('units_complete', 0)}）\t{s.get('teams', 0)}（{s.get('teams_complete', 0)}）"
                  f"\t{s.get('flags', 0)}") if s else "\t\t"
        typer.echo(f"{r.id}\t{r.year}\t{STATUS.get(r.status, r.status)}\t{show(r.started_at)}\t{show(r.finished_at)}"
                   f"\t{counts}\t{r.inbox}")


@runs_app.command("delete")
def delete(
    year: Annotated[int, typer.Option(help="要删除数据的年度")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再询问，直接删除")] = False,
) -> None:
    """删除某一年度的全部数据（运行记录、文件登记、查重语料与标记、收到时间记录等）；原件归档保留。"""
    from pipeline.store.years import delete_year, year_rows

    store = _store()
    rows = year_rows(store, year)
    if not rows:
        err.print(f"[red]数据库中没有 {year} 年度的数据，无需删除。[/red]")
        raise typer.Exit(1)
    listing = "，".join(f"{TABLES.get(k, k)} {n} 条" for k, n in rows.items())
    console.print(f"{year} 年度的数据：{listing}。")
    if not yes and not typer.confirm(f"确定删除 {year} 年度的全部数据吗？此操作不能撤销", default=False):
        err.print("已取消，没有删除任何数据。")
        raise typer.Exit(1)
    removed = delete_year(store, year)
    console.print(f"已删除 {year} 年度的数据（共 {sum(removed.values())} 条记录）；原件归档和读取缓存保留。")


TABLES = {
    "runs": "运行记录",
    "sightings": "文件登记",
    "team_reports": "查重语料",
    "flags": "查重标记",
    "received_times": "收到时间记录",
}
