"""Test-wide environment: nothing leaks between runs or into the developer's home."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports prefect: its home (database, cached results) lives in a fresh temp dir.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="banzu-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """../shared beside the clone (CI, /work/main), or two levels up from a worktree in /work/wt/<name>."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared").is_dir():
            return base / "shared"
    return REPO.parent / "shared"


SHARED = _shared()
REALDATA = SHARED / "realdata"
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


def require_tool(name: str, present: bool | Callable[[], object], hint: str = "") -> None:
    """Skip a test whose outside tool (Chromium, PostgreSQL, LibreOffice…) is missing; under CI=true, fail.

    CI installs every tool (make test), so a missing one there is a broken setup, never a reason to skip.
    """
    found = present() if callable(present) else present
    if found:
        return
    message = f"{name} is not installed" + (f" ({hint})" if hint else "")
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """A throw-away PostgreSQL cluster on a Unix socket only (no network); one database per caller."""

    def __init__(self, bindir: Path, base: Path, run_as: list[str]) -> None:
        self.bindir, self.sock, self.run_as = bindir, base / "sock", run_as
        self.port = _free_port()  # names the socket file only: listen_addresses is empty

    def new_database(self, name: str) -> str:
        """Create database `name` and return its SQLAlchemy URL."""
        subprocess.run(
            [*self.run_as, str(self.bindir / "createdb"), "-h", str(self.sock), "-p", str(self.port), "-U",
             "postgres", name],
            check=True,
            capture_output=True,
        )
        return f"postgresql+psycopg://postgres@/{name}?host={self.sock}&port={self.port}"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start one PostgreSQL server for the whole test session; stopped and removed at the end."""
    bindir = _pg_bin()
    require_tool("PostgreSQL server", bindir is not None, "apt-get install postgresql")
    assert bindir is not None
    run_as: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # postgres refuses root
    base = Path(tempfile.mkdtemp(prefix="banzu-pg-"))
    cluster = PostgresCluster(bindir, base, run_as)
    data = base / "data"
    cluster.sock.mkdir()
    if run_as:
        shutil.chown(base, "postgres")
        shutil.chown(cluster.sock, "postgres")
    subprocess.run(
        [*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [*run_as, str(bindir / "postgres"), "-D", str(data), "-k", str(cluster.sock), "-c", "listen_addresses=",
         "-p", str(cluster.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            if (cluster.sock / f".s.PGSQL.{cluster.port}").exists():
                break
            time.sleep(0.1)
        yield cluster
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the whole session (Playwright allows one sync driver at a time)."""
    require_tool("Debian's chromium", CHROMIUM.exists, "make test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()
