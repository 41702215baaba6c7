"""`banzu users add NAME --role …`: accounts of the review workspace."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer
from rich.console import Console

users_app = typer.Typer(no_args_is_help=True, help="审核工作台的账户")
console = Console(stderr=True)


def _password() -> str:
    """From the terminal (asked twice), else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != first:
            console.print("[red]两次输入的密码不一致[/red]")
            raise typer.Exit(2)
        return first
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[
        str,
        typer.Option(
            help="角色：secretariat（秘书处）/ reviewer（初审）/ discipline（纪律审查）/ expert（评审专家）/ admin（管理员）"
        ),
    ],
) -> None:
    """创建一个账号并指定角色；在终端上询问密码，否则从标准输入读取。"""
    import web
    from pipeline.store import review
    from web.review.views import store

    web.setup()
    web.migrate()
    from web.accounts.users import UserError, add_user

    try:
        add_user(name, role, _password())
    except UserError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    review.record_audit(
        store(),
        review.Actor(getpass.getuser(), "admin", "cli"),
        "add_user",
        "user",
        name.strip(),
        after={"role": role},
    )
    console.print(f"已创建账户：{name.strip()}（{review.ROLES[role]}）")
