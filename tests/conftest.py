"""Test-wide environment: nothing leaks between runs or into the developer's home."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports prefect: its home (database, cached results) lives in a fresh temp dir.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="banzu-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
REALDATA = REPO.parent / "shared" / "realdata"
TEST_OUTPUT = REPO / "test-output"


@pytest.fixture(autouse=True)
def _banzu_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own BANZU_HOME (database, archive, work files)."""
    home = tmp_path / "banzu-home"
    monkeypatch.setenv("BANZU_HOME", str(home))
    monkeypatch.delenv("BANZU_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.fail(f"the real third-party documents are missing: {REALDATA}")
    return REALDATA
