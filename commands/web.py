"""`banzu web`: serve the review workspace (Django) on the intake's database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def web(
    host: Annotated[str, typer.Option(help="监听地址（默认仅本机）")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口（0 表示由系统分配空闲端口）")] = 8000,
) -> None:
    """启动审核工作台：未登录的访问者先看到登录页，登录后看到本年度推荐单位名册。"""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        hosts = os.environ.get("BANZU_WEB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
        os.environ["BANZU_WEB_ALLOWED_HOSTS"] = f"{hosts},{host}"
    from web.server import serve

    try:
        serve(
            host,
            port,
            on_ready=lambda url: (
                console.print(f"审核工作台已启动：{url}（Ctrl+C 停止）"),
                print(url, flush=True),
            ),
        )
    except OSError as error:
        console.print(f"[red]无法在 {host}:{port} 上启动：{error}[/red]")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print("审核工作台已停止")
