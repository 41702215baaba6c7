"""The `banzu` command: intake (the nightly flow), extract (one file), sample (a generated inbox)."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commands import store as store_commands
from commands.exports import export_app

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="banzu：工程建设质量信得过班组材料受理与审核流水线"
)
store_commands.register(app)
app.add_typer(export_app, name="export")
console = Console(stderr=True)

from commands.flags import flags_app  # noqa: E402

app.add_typer(flags_app, name="flags")


@app.command()
def intake(
    inbox: Annotated[Path, typer.Argument(help="收件箱目录（含 推荐材料/ 与 班组申报/）")],
    year: Annotated[int, typer.Option(help="活动年度，默认为今年")] = date.today().year,
    out: Annotated[Path | None, typer.Option(help="报告输出目录，默认 BANZU_HOME/reports/YYYY")] = None,
    quiet: Annotated[bool, typer.Option(help="不显示进度")] = False,
) -> None:
    """Run the nightly intake flow once over INBOX (a real Prefect flow run)."""
    if not inbox.is_dir():
        console.print(f"[red]收件箱目录不存在：{inbox}[/red]")
        raise typer.Exit(2)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # its telemetry locks SQLite
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # slow on a busy night
    from commands.progress import rich_progress
    from flows.intake import intake_flow
    from pipeline.reports import format_summary_line
    from pipeline.store.safety import StoreProblem

    store_commands.stop_on_sigterm()
    if not store_commands.store_is_usable(console):  # a damaged store is said before any flow run starts
        raise typer.Exit(3)
    try:
        with rich_progress(console, enabled=not quiet):
            summary = intake_flow(str(inbox), year, str(out) if out else None)
    except StoreProblem as error:  # locked, damaged or emptied store: said in Chinese, with the way out
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(3) from None
    except KeyboardInterrupt:
        console.print("[red]本次运行已被终止（收到停止信号）；已完成的登记和读取都已保存，下次运行会补齐其余部分。[/red]")
        raise typer.Exit(130) from None
    except Exception as error:  # noqa: BLE001 - the run itself failed: say so, exit non-zero
        console.print(f"[red]本次运行失败：{type(error).__name__}: {error}[/red]")
        raise typer.Exit(1) from error
    console.print(format_summary_line(summary))
    typer.echo(str(Path(summary.out_dir).resolve()))


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="要读取的文件")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """Print what the extractors read from FILE, page by page."""
    from extractors import extract as run_extract
    from extractors.render_text import format_document

    if not file.exists():
        console.print(f"[red]文件不存在：{file}[/red]")
        raise typer.Exit(2)
    doc = run_extract(file, name=str(file))
    if as_json:
        sys.stdout.write(json.dumps(doc.contract(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_document(doc) + "\n")


@app.command()
def sample(
    root: Annotated[Path, typer.Argument(help="生成示例收件箱的目录")],
    profile: Annotated[str, typer.Option(help="tiny / small / demo")] = "demo",
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同文件）")] = 0,
    year: Annotated[int, typer.Option(help="活动年度")] = 2024,
    truth: Annotated[Path | None, typer.Option(help="写出标准答案 JSON 的路径")] = None,
) -> None:
    """Write a realistic sample inbox (with broken files) and its ground truth."""
    from pipeline.samples import generate_inbox

    try:
        ground_truth = generate_inbox(root, year=year, seed=seed, profile=profile)
    except FileExistsError:
        console.print(f"[red]{root} 中已有其他文件，请换一个空目录或先清空该目录。[/red]")
        raise typer.Exit(2) from None
    except ValueError as error:
        console.print(f"[red]无法生成示例：{error}[/red]")
        raise typer.Exit(2) from None
    truth_path = truth or root.parent / f"{root.name}.truth.json"
    ground_truth.write(truth_path)
    console.print(f"示例收件箱：{root}（标准答案：{truth_path}）")
    typer.echo(str(root.resolve()))


if __name__ == "__main__":
    app()
