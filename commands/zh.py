"""Chinese for the command line's own words: usage errors, help headings, the help option.

typer (and the click it carries) writes these in English and, since typer 0.2x, without gettext, so
the locale cannot change them. banzu speaks Chinese to its users whatever the server's locale: the
final message of each usage error is translated here by pattern, and the headings typer takes from
module constants are set in Chinese. A message no pattern knows stays as written.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import ModuleType

# (pattern over the whole English message, Chinese); applied in order, each at most once
PATTERNS: list[tuple[str, str]] = [
    (r"Missing argument '?([^'.]*)'?\.", r"缺少参数 \1。"),
    (r"Missing option '?([^'.]*)'?\.", r"缺少选项 \1。"),
    (r"Missing parameter: ?'?([^'.]*)'?\.?", r"缺少参数 \1。"),
    (r"Missing command\.", "缺少子命令。"),
    (r"No such command '([^']*)'\.", r"没有名为“\1”的命令。"),
    (r"No such option: (\S+)", r"没有名为“\1”的选项"),
    (r"\(Possible options: ([^)]*)\)", r"（可用的选项：\1）"),
    (r"Did you mean ([^?]*)\?", r"您是不是要输入 \1？"),
    (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数（\1）"),
    (r"Option '([^']*)' requires an argument\.", r"选项“\1”需要一个取值。"),
    (r"Option '([^']*)' requires (\d+) arguments\.", r"选项“\1”需要 \2 个取值。"),
    (r"Option '([^']*)' does not take a value\.", r"选项“\1”不接受取值。"),
    (r"Invalid value for (.*?): ", r"\1 的取值无效："),
    (r"Invalid value: ", "取值无效："),
    (r"Input should be a valid integer.*", "应为整数。"),
    (r"Input should be a valid number.*", "应为数字。"),
    (r"Input should be a valid boolean.*", "应为是/否（true/false）。"),
    (r"Value '([^']*)' is not a valid (\w+)\.", r"“\1”不是有效的取值。"),
    (r"'([^']*)' is not a valid (integer|float|number)\.", r"“\1”不是有效的数字。"),
    (r"'([^']*)' is not one of (.*)\.", r"“\1”不是可选值之一：\2。"),
    (r"(\d+) is not in the range (.*)\.", r"\1 不在允许范围 \2 内。"),
    (r"(File|Directory|Path) '([^']*)' does not exist\.", r"“\2”不存在。"),
    (r"(File|Directory|Path) '([^']*)' is a directory\.", r"“\2”是一个目录，这里需要文件。"),
    (r"(File|Directory|Path) '([^']*)' is a file\.", r"“\2”是一个文件，这里需要目录。"),
    (r"(File|Directory|Path) '([^']*)' is not readable\.", r"“\2”不可读。"),
    (r"(File|Directory|Path) '([^']*)' is not writable\.", r"“\2”不可写。"),
    (r"Error: The two entered values do not match\.", "错误：两次输入不一致。"),
    (r"Error: invalid input", "错误：输入无效"),
]
COMPILED = [(re.compile(p), r) for p, r in PATTERNS]

HEADINGS = {
    "DEPRECATED_STRING": "（已弃用）",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "用 [blue]“{command_path} {help_option}”[/] 查看帮助。",
}
HELP_OPTION = "显示本帮助并退出。"
USAGE = "用法："
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]...", "[ARGS]...": "[参数]..."}


def translate(message: str) -> str:
    """MESSAGE with every known English phrase put into Chinese."""
    for pattern, chinese in COMPILED:
        message = pattern.sub(chinese, message, count=1)
    return message


def _click() -> ModuleType:
    """The click typer runs on: its own copy (typer ≥ 0.2x) or the click package."""
    try:
        return importlib.import_module("typer._click")
    except ImportError:  # pragma: no cover - older typer
        return importlib.import_module("click")


def _translated(method: Callable[..., str]) -> Callable[..., str]:
    if getattr(method, "banzu_zh", False):
        return method

    def format_message(self) -> str:  # noqa: ANN001
        return translate(method(self))

    format_message.banzu_zh = True  # type: ignore[attr-defined]
    return format_message


def install() -> None:
    """Put typer's own words into Chinese (idempotent)."""
    click = _click()
    exceptions = importlib.import_module(f"{click.__name__}.exceptions")
    for value in vars(exceptions).values():
        if isinstance(value, type) and "format_message" in vars(value):
            value.format_message = _translated(value.format_message)
    core = importlib.import_module(f"{click.__name__}.core")
    command = core.Command
    if not getattr(command.get_help_option, "banzu_zh", False):
        original = command.get_help_option

        def get_help_option(self, ctx):  # noqa: ANN001, ANN202
            option = original(self, ctx)
            if option is not None:
                option.help = HELP_OPTION
            return option

        get_help_option.banzu_zh = True  # type: ignore[attr-defined]
        command.get_help_option = get_help_option
    formatting = importlib.import_module(f"{click.__name__}.formatting")
    writer = formatting.HelpFormatter.write_usage
    if not getattr(writer, "banzu_zh", False):

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
            for english, chinese in USAGE_WORDS.items():
                args = args.replace(english, chinese)
            writer(self, prog, args, USAGE if prefix is None else prefix)

        write_usage.banzu_zh = True  # type: ignore[attr-defined]
        formatting.HelpFormatter.write_usage = write_usage
    rich_utils = importlib.import_module("typer.rich_utils")
    for constant, chinese in HEADINGS.items():
        if hasattr(rich_utils, constant):
            setattr(rich_utils, constant, chinese)


install()
