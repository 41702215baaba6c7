"""The nightly schedule: the intake flow as a Prefect deployment with a cron in Beijing time, served
by this process against the persistent Prefect server at PREFECT_API_URL (`banzu serve`).

`Flow.serve()` has no timezone argument and a bare cron means UTC, hence `Cron(..., timezone=...)`.
At most one run at a time (the deployment's concurrency limit and the runner's own limit); the schedule
stays active when the process stops (pause_on_shutdown=False), so a restart never loses a night.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from core.settings import Settings
from flows.intake import intake_flow
from pipeline import notify
from pipeline.store import Store

DEPLOYMENT = "nightly"
log = logging.getLogger(__name__)


def nightly_schedule(settings: Settings) -> Cron:
    return Cron(settings.serve_cron, timezone=settings.serve_timezone)


def nightly_parameters(settings: Settings, year: int | None) -> dict:
    params: dict = {"inbox": str(settings.inbox_dir)}
    if year:
        params["year"] = year
    return params


def watch_overdue(settings: Settings, stop: threading.Event) -> threading.Thread:
    """Each day at BANZU_NOTIFY_LATE_AFTER (Beijing): word when tonight's run has not completed."""

    def loop() -> None:
        while not stop.is_set():
            now = datetime.now(UTC)
            if stop.wait(notify.seconds_until(notify.due_time(settings, now), now) + 1):
                return
            try:
                notify.check_overdue(settings, Store(settings))
            except Exception as exc:  # noqa: BLE001 - the watchdog must outlive a bad night
                log.warning("夜间运行检查失败：%s", exc)

    thread = threading.Thread(target=loop, name="banzu-overdue", daemon=True)
    thread.start()
    return thread


def serve_nightly(settings: Settings, year: int | None = None, name: str = DEPLOYMENT) -> None:
    """Register the deployment and serve it until SIGINT/SIGTERM (blocks)."""
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()
    if settings.notify_urls:
        watch_overdue(settings, stop)
    try:
        intake_flow.serve(
            name=name,
            schedule=nightly_schedule(settings),
            parameters=nightly_parameters(settings, year),
            global_limit=1,  # the server never starts a second run while one is running
            limit=1,  # nor does this runner
            pause_on_shutdown=False,
            description="每晚自动收取邮件、读取并检查全部申报材料、生成报告并发送通知。",
            tags=["banzu", "nightly"],
            entrypoint_type=EntrypointType.MODULE_PATH,  # runs from any working directory
        )
    finally:
        stop.set()
