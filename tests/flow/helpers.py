"""Small real inputs for flow tests: PDFs written with PyMuPDF's built-in CJK font."""

from __future__ import annotations

import json
from pathlib import Path

import fitz
import pytest


def text_pdf(pages: list[str], *, password: str | None = None) -> bytes:
    doc = fitz.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(fitz.Rect(60, 60, 535, 780), text, fontname="china-s", fontsize=12)
    kwargs = {}
    if password:
        kwargs = dict(encryption=fitz.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "-owner")
    data = doc.tobytes(**kwargs)
    doc.close()
    return data


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_json(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def codes(problems: list[dict]) -> set[str]:
    return {p["code"] for p in problems}


def run_intake(inbox: Path, out: Path, home: Path, *extra: str, env: dict[str, str] | None = None):
    """`banzu intake` through the real CLI, with its own BANZU_HOME (module-scoped fixtures need this);
    `env`: further variables for this run (BANZU_DATABASE_URL, BANZU_DASK_ADDRESS…)."""
    from typer.testing import CliRunner

    from commands.main import app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BANZU_HOME", str(home))
        mp.delenv("BANZU_DATABASE_URL", raising=False)
        for key, value in (env or {}).items():
            mp.setenv(key, value)
        return CliRunner().invoke(
            app, ["intake", str(inbox), "--year", "2024", "--out", str(out), "--quiet", *extra]
        )


def add_year_rules(home: Path, year: int) -> Path:
    """The secretariat's own rules file for another year (BANZU_HOME/years/), here 2024's moved to YEAR."""
    from core.reference import DATA_DIR

    text = (DATA_DIR / "years" / "2024.toml").read_text(encoding="utf-8")
    text = text.replace("year = 2024", f"year = {year}").replace("deadline = 2024-", f"deadline = {year}-")
    return write(home / "years" / f"{year}.toml", text.encode("utf-8"))
