"""The command line speaks Chinese: its help, its usage errors, and what it refuses and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.main import app

runner = CliRunner()
ENGLISH = re.compile(r"Missing|No such|Invalid value|Usage:|Try '|Show this message|Error|is not a valid|should be")


def _run(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "160", "LANG": "C", "LC_ALL": "C"})
    return result, result.output


def _says(out: str, *texts: str) -> bool:
    """Every text in `out`, however the terminal wrapped it (a long temporary path wraps a message
    anywhere, at a space or inside a word)."""
    flat = re.sub(r"[\s│]+", "", out)
    return all(re.sub(r"\s+", "", t) in flat for t in texts)


@pytest.mark.parametrize(("args", "expected"), [
    (["intake"], "缺少参数 收件箱目录"),
    (["nosuch"], "没有名为“nosuch”的命令"),
    (["intake", ".", "--year", "abc"], "'--year' 的取值无效：应为整数"),
    (["intake", ".", "--bogus"], "没有名为“--bogus”的选项"),
    (["runs", "delete"], "缺少选项 --year"),
    (["extract"], "缺少参数 文件"),
])
def test_usage_errors_are_chinese_and_fail(args: list[str], expected: str) -> None:
    result, out = _run(*args)
    assert result.exit_code == 2
    assert expected in out
    assert "用法：" in out and not ENGLISH.search(out), out


def _command_paths() -> list[list[str]]:
    """Every command and group of `banzu`, so a command added later is held to the same rule."""
    import typer

    paths: list[list[str]] = []

    def walk(command, path: list[str]) -> None:  # noqa: ANN001
        paths.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("args", _command_paths(), ids=lambda p: " ".join(p) or "banzu")
def test_help_is_chinese(args: list[str]) -> None:
    result, out = _run(*args, "--help")
    assert result.exit_code == 0
    assert "用法：" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out
    lines = [ln for ln in out.splitlines() if re.search(r"[A-Za-z]{4,}", ln) and not re.search(r"[\u4e00-\u9fff]", ln)]
    assert all("--" in ln or "banzu" in ln for ln in lines), lines  # only option names and the command stay Latin


def test_wrong_paths_say_what_is_wrong(tmp_path: Path) -> None:
    a_file = tmp_path / "推荐材料.pdf"
    a_file.write_bytes(b"%PDF-1.4")
    result, out = _run("intake", str(a_file))
    assert result.exit_code == 2 and _says(out, "是一个文件，这里需要收件箱目录")

    no_units = tmp_path / "inbox"
    (no_units / "班组申报").mkdir(parents=True)
    result, out = _run("intake", str(no_units))
    assert result.exit_code == 2 and _says(out, "没有 推荐材料/ 文件夹", "班组申报")

    result, out = _run("intake", str(no_units / "班组申报"))
    assert result.exit_code == 2 and _says(out, "请给出它的上一级目录")

    result, out = _run("extract", str(tmp_path))
    assert result.exit_code == 2 and _says(out, "是一个目录", "单个文件")

    result, out = _run("extract", str(tmp_path / "无此文件.pdf"))
    assert result.exit_code == 2 and _says(out, "文件不存在")
