"""The `banzu` command: intake (the nightly flow), extract (one file), sample (a generated inbox)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commands import store as store_commands
from commands import zh  # noqa: F401 - click's and typer's own messages in Chinese
from commands.checks import file_error, inbox_error
from commands.exports import export_app
from commands.received import received_app
from commands.runs import runs_app
from commands.years import YearOption

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="banzu：工程建设质量信得过班组材料受理与审核流水线"
)
store_commands.register(app)
app.add_typer(export_app, name="export")
app.add_typer(runs_app, name="runs")
app.add_typer(received_app, name="received")
console = Console(stderr=True)

from commands.flags import flags_app  # noqa: E402
from commands.grading import grading_app  # noqa: E402
from commands.users import users_app  # noqa: E402
from commands.web import web  # noqa: E402

app.add_typer(flags_app, name="flags")
app.add_typer(grading_app, name="grading")
app.add_typer(users_app, name="users")
app.command("web", help="启动审核工作台（网页）：未登录访客先到登录页，登录后首页是本年度推荐单位一览")(web)

from commands.mail import mail_app  # noqa: E402
from commands.serve import serve  # noqa: E402

app.add_typer(mail_app, name="mail")

app.command(help="注册并运行每晚定时任务（Prefect 部署，北京时间 01:30），直到 Ctrl+C")(serve)


@app.command()
def intake(
    inbox: Annotated[Path, typer.Argument(metavar="收件箱目录", help="收件箱目录（含 推荐材料/ 与 班组申报/）", show_default=False)],
    year: YearOption = None,
    out: Annotated[Path | None, typer.Option(help="报告输出目录，默认 BANZU_HOME/reports/YYYY")] = None,
    quiet: Annotated[bool, typer.Option(help="不显示进度")] = False,
) -> None:
    """对收件箱运行一次受理流程（与每晚自动运行的相同）：登记、读取、完整性检查、查重，生成报告。"""
    if (problem := inbox_error(inbox)) is not None:
        console.print(f"[red]{problem}[/red]")
        raise typer.Exit(2)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # its telemetry locks SQLite
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # slow on a busy night
    from commands.progress import rich_progress
    from flows.intake import run_intake
    from pipeline.reports import format_summary_line
    from pipeline.store.safety import StoreProblem

    store_commands.stop_on_sigterm()
    if not store_commands.store_is_usable(console):  # a damaged store is said before any flow run starts
        raise typer.Exit(3)
    try:
        with rich_progress(console, enabled=not quiet):
            summary = run_intake(str(inbox), year, str(out) if out else None)
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
    file: Annotated[Path, typer.Argument(metavar="文件", help="要读取的文件")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """逐页显示从单个文件读到的文字，以及每页来自文字层还是文字识别（OCR）。"""
    from extractors import extract as run_extract
    from extractors.render_text import format_document

    if (problem := file_error(file)) is not None:
        console.print(f"[red]{problem}[/red]")
        raise typer.Exit(2)
    doc = run_extract(file, name=str(file))
    if as_json:
        sys.stdout.write(json.dumps(doc.contract(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_document(doc) + "\n")


@app.command()
def sample(
    root: Annotated[Path, typer.Argument(metavar="目录", help="生成示例收件箱的目录")],
    profile: Annotated[str, typer.Option(help="tiny / small / demo")] = "demo",
    seed: Annotated[int, typer.Option(help="随机种子（相同种子生成相同文件）")] = 0,
    year: Annotated[int, typer.Option(help="活动年度")] = 2024,
    truth: Annotated[Path | None, typer.Option(help="写出标准答案 JSON 的路径")] = None,
) -> None:
    """生成一个示例收件箱（含损坏文件）及其标准答案，用于演示和测试。"""
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
    from pipeline.samples.received import write_received_sheet

    sheet = write_received_sheet(ground_truth, root.parent / f"{root.name}.收到时间.csv")
    console.print(f"示例收件箱：{root}（标准答案：{truth_path}；收到时间表：{sheet}，"
                  f"可用 banzu received import 导入）")
    typer.echo(str(root.resolve()))


if __name__ == "__main__":
    app()
