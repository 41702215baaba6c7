"""What a server needs to run the service: systemd units stopped with SIGINT, and a prefect.yaml that
`prefect deploy` accepts (process work pool, the same cron in Beijing time, one run at a time)."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


@pytest.mark.parametrize("name", ["prefect-server.service", "banzu-serve.service", "banzu-worker.service"])
def test_units_stop_with_sigint_and_restart_on_failure(name):
    unit = _unit(name)
    assert unit["Service"]["KillSignal"] == "SIGINT" and unit["Service"]["Restart"] == "on-failure"
    assert unit["Service"]["User"] != "root" and unit["Install"]["WantedBy"] == "multi-user.target"


def test_serve_unit_runs_banzu_serve_after_the_server():
    unit = _unit("banzu-serve.service")
    assert unit["Service"]["ExecStart"].endswith("banzu serve")
    assert "prefect-server.service" in unit["Unit"]["Requires"]


@pytest.mark.flow
def test_prefect_yaml_deploys_to_a_process_pool(prefect_server, tmp_path):
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "prefect-client")}
    repo = DEPLOY.parent

    def prefect(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "prefect", "--no-prompt", *args], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: prefect_server}), get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="banzu-process", type="process"), overwrite=True)
    prefect("deploy", "--all", "--prefect-file", str(DEPLOY / "prefect.yaml"))
    with temporary_settings({PREFECT_API_URL: prefect_server}), get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name("banzu-intake/nightly-pool")
    [schedule] = deployment.schedules
    defaults = Settings()
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (defaults.serve_cron, defaults.serve_timezone)
    assert deployment.work_pool_name == "banzu-process" and deployment.global_concurrency_limit.limit == 1
    assert deployment.entrypoint == "flows/intake.py:intake_flow"


def test_serve_refuses_without_a_persistent_server(tmp_path):
    """A schedule only runs against `prefect server start`, never the temporary API: say so and stop.

    Run as the secretariat would, in a process of its own: the session's Prefect test harness must not
    lend it an API (it did, and the command then served forever).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), BANZU_HOME=str(tmp_path / "home"))
    banzu = Path(sys.executable).with_name("banzu")
    result = subprocess.run([str(banzu), "serve"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "PREFECT_API_URL" in result.stdout + result.stderr
