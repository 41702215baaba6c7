"""`banzu flags decide`: a discipline officer's decision from the command line, on the web's audit trail."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console

from commands.years import YearOption

flags_app = typer.Typer(no_args_is_help=True, help="查重标记的复核结论")
console = Console(stderr=True)

DECISION_WORDS = {
    "confirmed": "confirmed",
    "确认抄袭": "confirmed",
    "dismissed": "dismissed",
    "排除": "dismissed",
}


@flags_app.command("decide")
def decide_flag(
    flag_id: Annotated[str, typer.Argument(metavar="标记编号", help="标记编号（flags.json 中的 id）")],
    decision: Annotated[str, typer.Argument(metavar="结论", help="confirmed（确认抄袭）或 dismissed（排除）")],
    year: YearOption = None,
    reason: Annotated[str | None, typer.Option("--reason", "--note", help="复核理由（必填）")] = None,
    by: Annotated[str | None, typer.Option(help="复核人姓名，默认为当前系统用户")] = None,
) -> None:
    """记录纪律审查人员对一条查重标记的结论和理由；之后的运行会保留该结论。"""
    from core.settings import get_settings
    from pipeline.store import Store, review

    verdict = DECISION_WORDS.get(decision.strip())
    if verdict is None:
        console.print("[red]结论只能是 confirmed（确认抄袭）或 dismissed（排除）[/red]")
        raise typer.Exit(2)
    if not (reason or "").strip():
        console.print("[red]请用 --reason 写明复核理由[/red]")
        raise typer.Exit(2)
    try:
        actor = review.Actor(by or getpass.getuser(), "discipline", "cli")
        found = review.decide_flag(Store(get_settings()), year, flag_id, verdict, reason, actor) is not None
    except review.ReviewError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    if not found:
        console.print(f"[red]{year} 年没有编号为 {flag_id} 的查重标记[/red]")
        raise typer.Exit(1)
    console.print(f"已记录：{flag_id} → {verdict}（复核人：{by or getpass.getuser()}）")
