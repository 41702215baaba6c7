"""`banzu mail check`: try the mailbox settings (BANZU_MAIL_*) without fetching anything."""

from __future__ import annotations

import typer
from rich.console import Console

mail_app = typer.Typer(no_args_is_help=True, help="邮箱收件（BANZU_MAIL_*）")
console = Console(stderr=True)


@mail_app.command("check")
def check() -> None:
    """登录已配置的邮箱，显示下次运行将收取多少封邮件。"""
    from core.settings import get_settings
    from pipeline.mail.check import check_mailbox
    from pipeline.store import Store

    settings = get_settings()
    if not settings.mail_enabled:
        console.print("[red]未设置 BANZU_MAIL_HOST，夜间运行不会收取邮件。[/red]")
        raise typer.Exit(2)
    try:
        status = check_mailbox(settings, Store(settings))
    except Exception as error:  # noqa: BLE001 - wrong host, password or folder: say which
        console.print(f"[red]无法登录邮箱 {settings.mail_user}@{settings.mail_host}：{type(error).__name__}: {error}[/red]")
        raise typer.Exit(1) from error
    typer.echo(f"邮箱可用：{status.mailbox}（UIDVALIDITY {status.uidvalidity}），共 {status.messages} 封，"
               f"下次运行将收取 {status.waiting} 封新邮件。")
