"""The year a command works on: explicit, or the newest year with rules; never a year without rules."""

from __future__ import annotations

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
