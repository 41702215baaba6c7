"""The nightly intake flow: discover → register → extract (mapped) → completeness → similarity → reports.

Only wiring lives here: tasks, retries, the task runner and artifacts around the plain functions of
pipeline/, extractors/ and checks/.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.exceptions import TerminationSignal
from prefect.task_runners import ThreadPoolTaskRunner

from checks.completeness import check_completeness
from checks.similarity import find_flags
from checks.statistics import roll_up
from core.codes import Code
from core.model import Document, FlagsReport, Inbox, InboxFile, RunSummary
from core.reference import recommending_units, year_rules
from core.settings import get_settings
from extractors.deadline import halt_readers, resume_readers, stop_all_readers
from pipeline import intake, progress
from pipeline.inbox import discover, unpack_team_archives
from pipeline.reports import summary_counts, summary_markdown, write_reports
from pipeline.store import Store
from pipeline.store.review import with_reviews
from pipeline.store.safety import STOP_REQUESTED, acquire_run_lock, release_run_lock

STAGES = ("发现文件", "登记归档", "读取文件", "完整性检查", "查重比对", "生成报告")


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(inbox_dir: str) -> tuple[Inbox, dict[str, Path]]:
    return discover(Path(inbox_dir))


@task(name="register", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def register_task(
    store: Store, files: list[InboxFile], sources: dict[str, Path], year: int, run_id: int
) -> int:
    return store.register(files, sources, year, run_id)


@task(name="unpack-team-archives", cache_policy=NO_CACHE)
def unpack_task(inbox: Inbox, work_dir: Path) -> dict[str, Path]:
    return unpack_team_archives(inbox, work_dir)


@task(
    name="extract",
    cache_policy=NO_CACHE,
    retries=1,
    retry_delay_seconds=1,
    task_run_name="extract {file.path}",
)
def extract_task(store: Store, file: InboxFile) -> tuple[Document, bool]:
    doc, ran = intake.extract_cached(store, file)
    progress.emit("读取文件", "step", label=file.path)
    return doc, ran


@task(name="completeness", cache_policy=NO_CACHE)
def completeness_task(inbox: Inbox, documents: dict[str, Document], year: int):
    return check_completeness(inbox, documents, year_rules(year), recommending_units())


@task(name="similarity", cache_policy=NO_CACHE)
def similarity_task(store: Store, inbox: Inbox, completeness, documents: dict[str, Document], year: int):
    store.replace_team_reports(year, intake.team_report_records(inbox, completeness))
    corpus = intake.report_corpus(store, year, documents)
    flags = find_flags(corpus, year, state_dir=store.home / "similarity")
    store.save_flags(year, flags)
    intake.annotate_flags(store, year, flags, corpus)
    return flags


@task(name="reports", cache_policy=NO_CACHE)
def reports_task(out_dir: Path, completeness, flags, statistics, summary: RunSummary) -> dict[str, Path]:
    return write_reports(out_dir, completeness, flags, statistics, summary=summary)


def _stage(name: str, total: int | None = None) -> None:
    progress.emit(name, "start", total=total)


@flow(name="banzu-intake", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def intake_flow(inbox: str, year: int, out: str | None = None) -> RunSummary:
    """One nightly run over INBOX for YEAR; writes the reports into OUT and returns what it did."""
    logger = get_run_logger()
    settings = get_settings()
    out_dir = Path(out) if out else settings.reports_dir(year)
    lock = acquire_run_lock(settings.home_dir, settings.run_lock_wait)  # one run per BANZU_HOME
    resume_readers()
    try:
        store = Store(settings)
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
        _stage("发现文件")
        found, sources = discover_task(inbox)
        _stage("登记归档", total=len(found.all_files()))
        summary.files_new = register_task(store, found.all_files(), sources, year, run_id)
        members = unpack_task(found, settings.work_dir)
        member_files = [f for t in found.teams for f in t.files if f.path in members]
        summary.files_new += register_task(store, member_files, members, year, run_id)
        intake.drop_unpacked(settings.work_dir)  # the members are archived now; no second copy is kept
        summary.files_seen = len(found.all_files())

        wanted = intake.files_to_extract(found)
        _stage("读取文件", total=len(wanted))
        documents: dict[str, Document] = intake.stray_documents(found)
        futures = extract_task.map(store, wanted)
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
        completeness = completeness_task(found, documents, year)
        _stage("查重比对")
        flags = similarity_task(store, found, completeness, documents, year)
        completeness = with_reviews(store, completeness)  # 初选 decisions and 第十五条 from the workspace
        statistics = roll_up(completeness, year_rules(year))

        summary.units = len(completeness.units)
        summary.units_complete = sum(u.complete for u in completeness.units)
        summary.teams = len(completeness.teams)
        summary.teams_complete = sum(t.complete for t in completeness.teams)
        summary.unreadable = sum(
            any(p.code == Code.UNREADABLE_FILE for p in f.problems) for f in completeness.files
        )
        summary.flags = len(flags)
        summary.finished_at = datetime.now(UTC)

        _stage("生成报告")
        flags_report = FlagsReport(year=year, flags=flags)
        written = reports_task(out_dir, completeness, flags_report, statistics, summary)
        _artifacts(completeness, flags_report, statistics, summary, written)
        store.finish_run(run_id, "completed", summary.model_dump(mode="json"))
        progress.emit("生成报告", "end")
        return summary
    except BaseException as error:
        # Prefect turns SIGTERM into TerminationSignal while a flow runs; Ctrl-C is KeyboardInterrupt
        stopped = isinstance(error, KeyboardInterrupt | SystemExit | TerminationSignal) or STOP_REQUESTED.is_set()
        if stopped:
            halt_readers()  # the extraction threads still queued start no other file
        status = "interrupted" if stopped else "failed"
        store.finish_run(run_id, status, summary.model_dump(mode="json"))
        raise
    finally:
        stop_all_readers()
        release_run_lock(lock)


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
