"""A whole intake over a healthy inbox plus every kind of hostile input: it finishes, says the right
thing about each kind, keeps every original byte, reads nothing outside the inbox, and leaves the
healthy part exactly as a run without the hostile files reports it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.samples.hostile import KINDS
from pipeline.samples.hostile_check import check_run
from tests.hostile.conftest import report

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def _regular_files(root: Path) -> list[Path]:
    found = []
    for dirpath, _dirs, filenames in os.walk(root, followlinks=False):
        for name in filenames:
            p = Path(dirpath) / name
            if not p.is_symlink() and p.is_file():
                found.append(p)
    return found


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_run_finishes_with_every_kind_reported(hostile_run):
    out, _, result = hostile_run
    assert result.returncode == 0, result.stderr[-3000:]
    assert check_run(KINDS, out) == []


def test_every_original_is_archived_byte_identically_and_nothing_outside_is_read(hostile_run, hostile_inbox):
    _, home, _ = hostile_run
    archived = {p.name.split(".", 1)[0]: p for p in (home / "archive").rglob("*") if p.is_file()}
    for p in _regular_files(hostile_inbox):
        sha = _sha(p)
        assert sha in archived, p
        assert archived[sha].read_bytes() == p.read_bytes()
    outside = hostile_inbox.parent / f"{hostile_inbox.name}-outside"
    assert outside.is_dir()
    assert not {_sha(p) for p in _regular_files(outside)} & set(archived)
    assert not (home / "work" / "unpacked").exists()  # unpacked members are not kept twice


def test_healthy_part_is_unaffected(hostile_run, healthy_run):
    out, _, _ = hostile_run
    healthy, hostile = report(healthy_run), report(out)
    assert hostile["units"] == healthy["units"]
    ids = {t["team_id"] for t in healthy["teams"]}
    assert [t for t in hostile["teams"] if t["team_id"] in ids] == healthy["teams"]
    paths = {f["path"] for f in healthy["files"]}
    assert [f for f in hostile["files"] if f["path"] in paths] == healthy["files"]


def test_workbook_holds_no_formula(hostile_run):
    out, _, _ = hostile_run
    wb = load_workbook(out / "completeness.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
