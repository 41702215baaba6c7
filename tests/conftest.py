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


# `make test` runs the suite on two pytest-xdist workers. The tests of a directory whose conftest builds
# session fixtures (a generated intake, a served workspace, a mail server) go to one worker together, so
# each is built once; other files are handed out one file at a time (a file's tests stay together, in order).
# (xdist's own --dist loadgroup cannot rename node ids under pytest 9, so the grouping is this scheduler.)
SHARED_DIRS = frozenset(d.name for d in (REPO / "tests").iterdir()
                        if (d / "conftest.py").is_file() and 'scope="session"' in (d / "conftest.py").read_text("utf-8"))
# Longest groups first, so the two workers end together (by --durations on this machine); the rest follow.
HEAVIEST_FIRST = ("tests/hostile/", "tests/completeness/", "tests/flow/test_intake_end_to_end.py", "tests/web/",
                  "tests/flow/test_cross_year.py", "tests/nightly/", "tests/flow/", "tests/reports/",
                  "tests/extractors/", "tests/similarity/")


def worker_group(nodeid: str) -> str:
    """The tests that must run on one worker: a directory of SHARED_DIRS, else a file."""
    file = nodeid.split("::", 1)[0]
    parts = file.split("/")
    return f"{parts[0]}/{parts[1]}/" if len(parts) == 3 and parts[1] in SHARED_DIRS else file


def _rank(nodeid: str) -> int:
    group = worker_group(nodeid)
    return next((i for i, prefix in enumerate(HEAVIEST_FIRST) if group.startswith(prefix)), len(HEAVIEST_FIRST))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Whole worker groups to a worker, in the order collected (heaviest first), not by their size."""
    if config.getvalue("dist") not in ("load", "loadscope", "loadfile", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    config.option.loadscopereorder = False
    return ByGroup(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: _rank(item.nodeid))  # stable: a group keeps its order


@pytest.fixture(autouse=True)
def _signal_handlers() -> Iterator[None]:
    """Each test leaves the process's SIGTERM and SIGINT handlers as it found them: a CLI test installs
    the service's graceful stop (commands/store.py), which no later test in the worker expects."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in kept.items():
        if signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)


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
