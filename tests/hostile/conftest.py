"""One healthy generated inbox and one with the hostile corpus beside it, shared by the session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.samples import generate_inbox
from pipeline.samples.hostile import KINDS, write_hostile


@pytest.fixture(scope="session")
def prefect_api(prefect_harness: str) -> str:
    """The session's temporary Prefect server (tests/conftest.py), for runs in child processes too."""
    return prefect_harness


@pytest.fixture(scope="session")
def healthy_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("healthy") / "inbox"
    generate_inbox(root, year=2024, seed=16, profile="tiny", scanned=False)
    return root


@pytest.fixture(scope="session")
def hostile_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "inbox"
    generate_inbox(root, year=2024, seed=16, profile="tiny", scanned=False)  # the same bytes as healthy_inbox
    write_hostile(root)
    assert len(KINDS) >= 60
    return root


def intake_process(inbox: Path, out: Path, home: Path, api: str, **env: str) -> subprocess.Popen:
    """`banzu intake` in its own process (so it can be killed), against the session's Prefect server."""
    environ = {**os.environ, "BANZU_HOME": str(home), "PREFECT_API_URL": api, **env}
    environ.pop("BANZU_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "commands.main", "intake", str(inbox), "--year", "2024", "--out", str(out),
         "--quiet"], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2])


def run(inbox: Path, out: Path, home: Path, api: str, **env: str) -> subprocess.CompletedProcess:
    proc = intake_process(inbox, out, home, api, **env)
    stdout, stderr = proc.communicate(timeout=900)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


VOLATILE = {"archive_path", "generated_at", "started_at", "finished_at", "seconds", "first_seen"}


def stable(value):
    """A report with what differs between two homes or two clocks taken out (paths, times)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def report(out: Path, name: str = "completeness.json") -> dict:
    return stable(json.loads((out / name).read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def healthy_home(healthy_inbox: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BANZU_HOME of one uninterrupted run over the healthy inbox; its reports are in home/out."""
    home = tmp_path_factory.mktemp("healthy-home")
    result = run(healthy_inbox, home / "out", home, prefect_api)
    assert result.returncode == 0, result.stderr[-3000:]
    return home


@pytest.fixture(scope="session")
def healthy_run(healthy_home: Path) -> Path:
    return healthy_home / "out"


@pytest.fixture(scope="session")
def hostile_run(hostile_inbox: Path, prefect_api: str, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, Path, subprocess.CompletedProcess]:
    out, home = tmp_path_factory.mktemp("hostile-out"), tmp_path_factory.mktemp("hostile-home")
    return out, home, run(hostile_inbox, out, home, prefect_api)
