"""The year a command works on: explicit, or the newest year with rules; never a year without rules."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def check_year(year: int | None) -> int:
    """YEAR, or the newest year with a rules file; an unknown year ends the command with exit code 2."""
    from core.reference import UnknownYear, default_year, year_rules

    try:
        year = default_year() if year is None else year
        year_rules(year)
    except UnknownYear as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    return year


def _year_callback(value: int | None) -> int:
    return check_year(value)


# `--year` of every command that works on one year's data: the newest year with rules by default
YearOption = Annotated[
    int | None, typer.Option(help="活动年度，默认为已有规则的最新年度", callback=_year_callback, show_default=False)
]
