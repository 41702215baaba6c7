"""Test-wide environment: nothing leaks between runs or into the developer's home."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports prefect: its home (database, cached results) lives in a fresh temp dir.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="banzu-prefect-"))
if os.environ.get("PYTEST_XDIST_WORKER"):  # `make test` runs two workers: each gets a Prefect home of its own
    os.environ["PREFECT_HOME"] = os.path.join(os.environ["PREFECT_HOME"], os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

from tests.pg import PostgresCluster, free_port, pg_bin  # noqa: E402

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


# `make test` runs the suite on two pytest-xdist workers (--dist loadgroup). Tests that share an
# expensive session fixture (a generated intake, a served workspace, a Prefect server) go to one worker
# together, so it is built once; a file's tests stay together (its module fixtures, its order).
STARTED_ONCE = {"prefect_server"}  # session fixtures of this file too slow to start on both workers
# Longest groups first, so the two workers end together (by --durations on this machine); the rest follow.
HEAVIEST_FIRST = ("tests/hostile/", "tests/flow/test_intake_end_to_end.py", "tests/completeness/test_generated",
                  "tests/web/", "tests/flow/test_cross_year.py", "tests/completeness/test_choice_marks.py",
                  "tests/nightly/", "tests/flow/", "tests/reports/", "tests/completeness/", "tests/extractors/")


def xdist_groups(items: list[pytest.Item]) -> dict[str, str]:
    """nodeid -> worker group: test files joined when they use one expensive session fixture."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for item in items:
        for name, defs in item._fixtureinfo.name2fixturedefs.items():
            fixture = defs[-1]
            # a directory's own session fixture (this file's are cheap to start twice, but for STARTED_ONCE)
            if fixture.scope == "session" and (fixture.baseid not in ("", "tests") or name in STARTED_ONCE):
                a, b = root(_file(item)), root(f"{fixture.baseid}::{name}")
                parent[max(a, b)] = min(a, b)  # the same choice on every worker
    return {item.nodeid: root(_file(item)) for item in items}


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if getattr(config.option, "dist", "no") == "no":
        return
    groups = xdist_groups(items)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))

    def rank(item: pytest.Item) -> int:
        group = groups[item.nodeid]
        return next((i for i, prefix in enumerate(HEAVIEST_FIRST) if group.startswith(prefix)), len(HEAVIEST_FIRST))

    items.sort(key=rank)  # stable: a group keeps its files' order, a file its tests' order


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


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start one PostgreSQL server for the whole test session; stopped and removed at the end."""
    require_tool("PostgreSQL server", pg_bin() is not None, "apt-get install postgresql")
    with PostgresCluster.started() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """One temporary Prefect server (prefect_test_harness) for every flow run of the session, in-process and
    in child processes (it takes 8-15 s to start); yields its API URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `prefect server start` (temp PREFECT_HOME, SQLite, a free loopback port); yields its API URL.

    Unlike prefect_test_harness it is the persistent server a deployment and a schedule need.
    """
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
           "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    prefect = Path(sys.executable).with_name("prefect")
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"prefect server exited: {(home / 'server.log').read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("prefect server did not answer /api/health within 120 s")
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the workers it started (its own session)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


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
