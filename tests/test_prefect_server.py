"""Prefect's own server works with the project's pins (fastapi<0.151, SQLAlchemy<2.1): deployments can be read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]


def test_deployment_ls_answers(prefect_server: str, tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path)}
    done = subprocess.run([str(Path(sys.executable).with_name("prefect")), "deployment", "ls"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "422" not in done.stdout + done.stderr and "Error" not in done.stdout + done.stderr


def test_pins_hold() -> None:
    from importlib.metadata import version

    fastapi = tuple(int(p) for p in version("fastapi").split(".")[:2])
    sqlalchemy = tuple(int(p) for p in version("SQLAlchemy").split(".")[:2])
    assert fastapi < (0, 151) and sqlalchemy < (2, 1)
