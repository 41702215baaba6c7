"""`banzu backup`, `banzu restore`, `banzu verify`: keeping the store and the archive of originals whole."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def stop_on_sigterm() -> None:
    """SIGTERM (systemd stop, kill) ends a run like Ctrl-C: readers are killed, the run is marked
    interrupted, the lock released; the next run redoes what was not finished."""

    from extractors.deadline import halt_readers
    from pipeline.store.safety import STOP_REQUESTED

    def handler(_signum, _frame) -> None:  # noqa: ANN001
        STOP_REQUESTED.set()  # whatever exception Prefect turns this into, the run is "interrupted"
        halt_readers()  # the file being read is dropped, no other is started
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def store_is_usable(out: Console) -> bool:
    """Check the database before a run; print the Chinese reason and the way out when it is damaged."""
    from core.settings import get_settings
    from pipeline.store.safety import StoreProblem, check_database

    settings = get_settings()
    try:
        check_database(settings.db_url, settings.home_dir)
    except StoreProblem as error:
        out.print(f"[red]{error}[/red]")
        return False
    return True


def backup(dest: Annotated[Path, typer.Argument(help="备份目录（会写入数据库副本和 archive/ 原件）")]) -> None:
    """Back up the database (SQLite online backup) and the archive of originals into DEST."""
    from core.settings import get_settings
    from pipeline.store.safety import StoreProblem
    from pipeline.store.safety import backup as run_backup

    settings = get_settings()
    try:
        for line in run_backup(settings.db_url, settings.home_dir, dest):
            console.print(line)
    except StoreProblem as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(3) from None


def restore(backup_file: Annotated[Path, typer.Argument(help="banzu backup 写出的 .sqlite3 备份文件")]) -> None:
    """Restore the database from a backup file (the current one is kept aside) and missing originals."""
    from core.settings import get_settings
    from pipeline.store.safety import StoreProblem
    from pipeline.store.safety import restore as run_restore

    settings = get_settings()
    if not backup_file.is_file():
        console.print(f"[red]备份文件不存在：{backup_file}[/red]")
        raise typer.Exit(2)
    try:
        for line in run_restore(settings.db_url, settings.home_dir, backup_file):
            console.print(line)
    except StoreProblem as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(3) from None


def verify(
    inbox: Annotated[list[Path] | None, typer.Option(help="另外可用于补回原件的收件箱目录（可多次指定）")] = None,
) -> None:
    """Re-hash every archived original; put back missing or altered ones from the inbox. Exit 0 only when intact."""
    from core.settings import get_settings
    from pipeline.store import Store
    from pipeline.store.safety import StoreProblem

    try:
        result = Store(get_settings()).verify_archive(inbox or [])
    except StoreProblem as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(3) from None
    for rel in result.missing:
        state = "已从收件箱补回" if rel in result.restored else "无法补回（收件箱中已没有相同内容的文件）"
        console.print(f"缺失：{rel}，{state}")
    for rel in result.altered:
        state = "已从收件箱补回" if rel in result.restored else "无法补回（收件箱中已没有相同内容的文件）"
        console.print(f"内容被改动（哈希不符）：{rel}，{state}")
    verdict = "完好" if result.intact else "有原件缺失或被改动且无法补回"
    console.print(f"共核对 {result.checked} 个归档原件：{verdict}。")
    if not result.intact:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command(help="备份数据库（SQLite 在线备份；PostgreSQL 给出 pg_dump 命令）和归档原件到 DEST 目录")(backup)
    app.command(help="用 banzu backup 的备份文件恢复数据库（原数据库另存），并补回缺失的归档原件")(restore)
    app.command(help="重新计算全部归档原件的哈希，报告缺失或被改动的原件并尽量从收件箱补回；完好时退出码为 0")(verify)
