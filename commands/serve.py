"""`banzu serve`: the nightly service (a Prefect deployment served by this process)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def serve(
    inbox: Annotated[Path | None, typer.Option(help="收件箱目录（邮件附件保存于此，每晚读取），默认 BANZU_INBOX 或 BANZU_HOME/inbox")] = None,
    year: Annotated[int | None, typer.Option(help="活动年度，默认为运行当天（北京时间）所在年度")] = None,
    cron: Annotated[str | None, typer.Option(help="运行时间（cron 表达式），默认 BANZU_SERVE_CRON 或 \"30 1 * * *\"")] = None,
    timezone: Annotated[str | None, typer.Option(help="cron 所用时区，默认 Asia/Shanghai")] = None,
    name: Annotated[str, typer.Option(help="部署名称")] = "nightly",
) -> None:
    """Register the nightly intake deployment on the Prefect server at PREFECT_API_URL and serve it."""
    from prefect.settings import PREFECT_API_URL

    if not (os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()):
        console.print("[red]未设置 PREFECT_API_URL：请先启动常驻的 Prefect 服务（prefect server start），"
                      "并将 PREFECT_API_URL 设为其地址（如 http://127.0.0.1:4200/api）。[/red]")
        raise typer.Exit(2)
    from core.settings import get_settings
    from flows.deploy import serve_nightly

    updates = {k: v for k, v in {"inbox": inbox, "serve_cron": cron, "serve_timezone": timezone}.items() if v}
    settings = get_settings().model_copy(update=updates)
    console.print(f"夜间任务：{settings.serve_cron}（{settings.serve_timezone}），收件箱 {settings.inbox_dir}；"
                  "按 Ctrl+C 停止（定时计划保持有效）。")
    serve_nightly(settings, year=year, name=name)
