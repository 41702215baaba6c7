"""The nightly intake flow: ingest → extract (mapped) → completeness → similarity → reports.

Only wiring lives here: tasks, retries, the task runner and artifacts around the plain functions of
pipeline/, extractors/ and checks/. Tasks take plain, picklable inputs (settings and file records,
never a Store holding an engine) and open what they need themselves, so the extraction tasks can run
on another machine: set BANZU_DASK_ADDRESS and they run on that Dask cluster.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.exceptions import TerminationSignal
from prefect.task_runners import ThreadPoolTaskRunner

from checks.completeness import check_completeness
from checks.statistics import roll_up
from core.model import CompletenessReport, Document, FlagsReport, Inbox, InboxFile, RunSummary
from core.reference import YearRules, recommending_units, year_rules
from core.settings import Settings, get_settings
from extractors.deadline import halt_readers, resume_readers, stop_all_readers
from pipeline import intake, notify, progress
from pipeline.ingest import RegisteredInbox, ingest
from pipeline.mail import MailFetchResult, fetch_mail_step
from pipeline.reports import count_run, summary_counts, summary_markdown, write_reports
from pipeline.store import Store, safety  # STOP_REQUESTED via the module: the served flow is pickled
from pipeline.store.received import received_records
from pipeline.store.review import with_reviews
from pipeline.store.safety import acquire_run_lock, release_run_lock


@task(name="fetch-mail", cache_policy=NO_CACHE)
def fetch_mail_task(settings: Settings, inbox_dir: str, out_dir: Path) -> MailFetchResult:
    """New mail into the inbox first (nothing to do without BANZU_MAIL_HOST)."""
    store = Store(settings, migrate=False)
    try:
        return fetch_mail_step(settings, store, Path(inbox_dir), out_dir)
    finally:
        store.close()


@task(name="ingest", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def ingest_task(settings: Settings, inbox_dir: str, year: int, run_id: int) -> RegisteredInbox:
    store = Store(settings, migrate=False)
    try:
        return ingest(Path(inbox_dir), store, year, run_id, settings.work_dir)
    finally:
        store.close()


def extract_one(settings: Settings, file: InboxFile) -> tuple[Document, bool]:
    doc, ran = intake.extract_file(settings, file)
    progress.emit("读取文件", "step", label=file.path)
    return doc, ran


# the plain step under its own name, so it can be called (and pickled) without Prefect
extract_task = task(
    extract_one,
    name="extract",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=1,
    task_run_name="extract {file.path}",
)


@task(name="completeness", cache_policy=NO_CACHE)
def completeness_task(inbox: Inbox, documents: dict[str, Document], rules: YearRules,
                      received=()) -> CompletenessReport:
    return check_completeness(inbox, documents, rules, recommending_units(), received=received)


@task(name="similarity", cache_policy=NO_CACHE)
def similarity_task(
    settings: Settings, inbox: Inbox, completeness: CompletenessReport, documents: dict[str, Document], year: int
):
    store = Store(settings, migrate=False)
    try:
        return intake.compare_reports(store, inbox, completeness, documents, year)
    finally:
        store.close()


@task(name="reports", cache_policy=NO_CACHE)
def reports_task(out_dir: Path, completeness, flags, statistics, summary: RunSummary, rules: YearRules):
    return write_reports(out_dir, completeness, flags, statistics, summary=summary, rules=rules)


def _stage(name: str, total: int | None = None) -> None:
    progress.emit(name, "start", total=total)


def task_runner(settings: Settings):
    """Threads on this machine, or the Dask cluster at BANZU_DASK_ADDRESS (prefect-dask).

    On Dask every worker opens the store itself, so it must be a database server (SQLite's WAL does
    not work across machines), and BANZU_HOME (the archive) must be the same path on every worker.
    Workers need PREFECT_API_URL; their OCR runs in the worker process unless the workers were started
    with `distributed.worker.daemon: False`.
    """
    if not settings.dask_address:
        return ThreadPoolTaskRunner(max_workers=2)
    if settings.db_url.startswith("sqlite"):
        raise ValueError("使用 Dask 集群（BANZU_DASK_ADDRESS）时，数据库必须是 PostgreSQL：请设置 BANZU_DATABASE_URL。")
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=settings.dask_address)


@flow(name="banzu-intake", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def intake_flow(inbox: str, year: int | None = None, out: str | None = None) -> RunSummary:
    """One nightly run over INBOX for YEAR (default: this year in Beijing, for the served schedule);
    writes the reports into OUT and returns what it did."""
    year = year or datetime.now(ZoneInfo("Asia/Shanghai")).year
    logger = get_run_logger()
    year_rules(year)  # an unknown year is refused (UnknownYear) before anything is recorded for it
    settings = get_settings()
    rules = year_rules(year)
    out_dir = Path(out) if out else settings.reports_dir(year)
    lock = acquire_run_lock(settings.home_dir, settings.run_lock_wait)  # one run per BANZU_HOME
    resume_readers()
    try:
        store = Store(settings)  # opened (and migrated) once here; the tasks open their own
        if stale := store.mark_interrupted_runs():
            logger.warning("%d earlier run(s) had been interrupted", stale)
    except BaseException:
        release_run_lock(lock)
        raise
    summary = RunSummary(year=year, out_dir=str(out_dir), started_at=datetime.now(UTC))
    flow_run = get_run_context().flow_run
    run_id = store.start_run(
        year, str(Path(inbox).resolve()), str(out_dir), str(flow_run.id) if flow_run else None
    )
    try:
        summary = summary.model_copy(update=fetch_mail_task(settings, inbox, out_dir).summary_update())
        _stage("发现文件")
        _stage("登记归档")
        registered = ingest_task(settings, inbox, year, run_id)
        found = registered.inbox
        summary.files_seen, summary.files_new = registered.files_seen, registered.files_new

        wanted = intake.files_to_extract(found)
        _stage("读取文件", total=len(wanted))
        documents: dict[str, Document] = intake.stray_documents(found)
        futures = extract_task.map(unmapped(settings), wanted)
        for file, future in zip(wanted, futures, strict=True):
            state = future.wait() or future.state
            if state.is_completed():
                doc, ran = state.result()
                summary.extracted += int(ran)
                summary.extraction_cache_hits += int(not ran)
            else:
                error = state.result(raise_on_failure=False)
                logger.error("extraction of %s failed: %s", file.path, error)
                doc = intake.failed_document(file, error if isinstance(error, BaseException) else None)
            documents[file.sha256] = doc

        _stage("完整性检查")
        completeness = completeness_task(found, documents, rules, received_records(store, year))
        _stage("查重比对")
        flags = FlagsReport(year=year, flags=similarity_task(settings, found, completeness, documents, year))
        completeness = with_reviews(store, completeness)  # 初选 decisions and 第十五条 from the workspace
        statistics = roll_up(completeness, rules)
        summary = count_run(summary, completeness, flags)
        summary.finished_at = datetime.now(UTC)

        _stage("生成报告")
        written = reports_task(out_dir, completeness, flags, statistics, summary, rules)
        _artifacts(completeness, flags, statistics, summary, written)
        store.finish_run(run_id, "completed", summary.model_dump(mode="json"))
        progress.emit("生成报告", "end")
        notify.notify_run(settings, store, summary)  # BANZU_NOTIFY: counts, news, the report link
        return summary
    except BaseException as exc:
        # Prefect turns SIGTERM into TerminationSignal while a flow runs; Ctrl-C is KeyboardInterrupt
        stopped = isinstance(exc, KeyboardInterrupt | SystemExit | TerminationSignal) or safety.STOP_REQUESTED.is_set()
        if stopped:
            halt_readers()  # the extraction threads still queued start no other file
        store.finish_run(run_id, "interrupted" if stopped else "failed", summary.model_dump(mode="json"))
        notify.notify_failure(settings, year, f"{type(exc).__name__}: {exc}", str(flow_run.id) if flow_run else None)
        raise
    finally:
        store.close()
        stop_all_readers()
        release_run_lock(lock)


def run_intake(inbox: str, year: int, out: str | None = None, settings: Settings | None = None) -> RunSummary:
    """The intake flow on the task runner the settings ask for (threads, or BANZU_DASK_ADDRESS)."""
    settings = settings or get_settings()
    return intake_flow.with_options(task_runner=task_runner(settings))(inbox, year, out)


def _artifacts(completeness, flags, statistics, summary: RunSummary, written: dict[str, Path]) -> None:
    key = f"banzu-intake-{summary.year}"
    create_markdown_artifact(
        summary_markdown(completeness, flags, statistics, summary), key=key, description="本次运行摘要"
    )
    create_table_artifact(summary_counts(completeness, flags, statistics, summary), key=f"{key}-counts")
    index = written.get("index.html")
    if index is not None:
        create_link_artifact(
            Path(index).resolve().as_uri(), link_text="完整性审核报告 index.html", key=f"{key}-report"
        )
    bundle = written.get("portable.zip")
    if bundle is not None:  # the reports with their originals, to mail on
        create_link_artifact(Path(bundle).resolve().as_uri(), link_text="可转发的报告包（含原件）", key=f"{key}-portable")
