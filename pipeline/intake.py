"""The steps of one intake run as plain functions; flows/intake.py wires them into Prefect tasks."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from checks.similarity import find_flags
from core.codes import Code
from core.model import (
    CompletenessReport,
    Document,
    Flag,
    Inbox,
    InboxFile,
    Problem,
    ReportText,
)
from core.settings import Settings
from extractors import EXTRACTOR_VERSION, ExtractOptions
from extractors.deadline import read_with_deadline
from extractors.sniff import sniff_format
from pipeline.store import Store, as_utc

REPORT_KINDS = ("report_pdf", "report_ppt")


def files_to_extract(inbox: Inbox) -> list[InboxFile]:
    """One file per distinct content among the unit bundles and team documents."""
    seen: set[str] = set()
    wanted: list[InboxFile] = []
    candidates = [*inbox.units, *(f for t in inbox.teams for f in t.files)]
    for f in sorted(candidates, key=lambda f: f.path):
        if f.sha256 not in seen:
            seen.add(f.sha256)
            wanted.append(f)
    return wanted


def extract_options(settings: Settings) -> ExtractOptions:
    """The extractors' options from the settings: the one route configuration takes into extractors/.

    A run OCRs with the one engine of its reader child unless BANZU_OCR_WORKERS asks for more: every
    extra OCR process holds its own models and page activations (~0.2 + 0.5 GB), which is what keeps
    a whole run under 2 GB (benchmarks/hostile.py).
    """
    return ExtractOptions(
        workers=settings.ocr_workers or 1, threads=settings.ocr_threads, page_timeout=settings.ocr_page_timeout,
        reader_max_mb=settings.reader_max_mb, file_max_mb=settings.file_max_mb,
    )


def extract_file(settings: Settings, file: InboxFile) -> tuple[Document, bool]:
    """extract_cached with a store of this process's own: what a task runs, on this machine or another."""
    store = Store(settings, migrate=False)  # the flow migrated it before any task ran
    try:
        return extract_cached(store, file)
    finally:
        store.close()


def extract_cached(store: Store, file: InboxFile) -> tuple[Document, bool]:
    """The file's Document from the cache, else read from its archived copy and cached.

    Returns (document, extracted_now). Unexpected extractor errors propagate so the flow can retry.
    """
    cached = store.cached_document(file.sha256, EXTRACTOR_VERSION)
    if cached is not None:
        return cached, False
    started = time.perf_counter()
    # a child process with a deadline: no single file (a loop, a hung converter) can hold the run
    doc = read_with_deadline(Path(file.archive_path or ""), file.path, extract_options(store.settings))
    doc.extractor_version = doc.extractor_version or EXTRACTOR_VERSION
    store.save_document(file.sha256, doc, time.perf_counter() - started)
    return doc, True


def failed_document(file: InboxFile, error: BaseException | None) -> Document:
    """What a file becomes when the extractor itself failed: recorded, not cached, retried next run."""
    detail = f"{type(error).__name__}: {error}" if error else "未知错误"
    return Document(
        path=file.path,
        format="unknown",
        extractor_version=EXTRACTOR_VERSION,
        problems=[
            Problem(
                code=Code.EXTRACTION_FAILED,
                message=f"系统读取该文件时出错（{detail[:200]}），原文件已保存，下次运行将自动重试；如仍失败请联系系统管理员。",
                file=file.path,
            )
        ],
        metadata={"traceback": "".join(traceback.format_exception(error))[-4000:] if error else ""},
    )


def stray_documents(inbox: Inbox) -> dict[str, Document]:
    """Files that belong to nobody are not read, only identified by their bytes."""
    docs: dict[str, Document] = {}
    for f in [*inbox.other, *(a for t in inbox.teams for a in t.archives)]:
        fmt = sniff_format(Path(f.archive_path)) if f.archive_path else "unknown"
        docs.setdefault(f.sha256, Document(path=f.path, format=fmt, extractor_version=EXTRACTOR_VERSION))
    return docs


def team_report_records(inbox: Inbox, completeness: CompletenessReport) -> list[dict]:
    """This year's report files per team, with the team's name and company, for the corpus."""
    by_path = {f.path: f for f in inbox.all_files()}
    records = []
    for team in completeness.teams:
        for kind in REPORT_KINDS:
            path = team.files.get(kind)
            f = by_path.get(path) if path else None
            if f is None:
                continue
            records.append(
                dict(
                    team_id=team.team_id,
                    team=team.team or "",
                    company=team.company or "",
                    kind=kind,
                    inbox_path=path,
                    sha256=f.sha256,
                )
            )
    return records


def report_corpus(store: Store, year: int, documents: dict[str, Document]) -> list[ReportText]:
    """Every team report of this year and all earlier years, as text per page."""
    corpus = []
    for r in store.team_reports(up_to_year=year):
        doc = documents.get(r.sha256) or store.latest_document(r.sha256)
        if doc is None or not doc.pages:
            continue
        corpus.append(
            ReportText(
                year=r.year,
                team_id=r.team_id,
                team=r.team,
                company=r.company,
                file=r.inbox_path,
                sha256=r.sha256,
                kind=r.kind,  # type: ignore[arg-type]
                pages=[p.text for p in doc.pages],
            )
        )
    return corpus


def compare_reports(
    store: Store, inbox: Inbox, completeness: CompletenessReport, documents: dict[str, Document], year: int
) -> list[Flag]:
    """This year's team reports against every report of this and earlier years: the flags, saved and
    annotated (review decisions, archived originals)."""
    store.replace_team_reports(year, team_report_records(inbox, completeness))
    corpus = report_corpus(store, year, documents)
    flags = find_flags(corpus, year, state_dir=store.home / "similarity")
    store.save_flags(year, flags)
    annotate_flags(store, year, flags, corpus)
    return flags


def annotate_flags(store: Store, year: int, flags: list[Flag], corpus: list[ReportText]) -> None:
    """Give each flag what the reports need from the store: review decisions, archived originals."""
    decisions = {r.flag_id: r for r in store.flag_records(year, active_only=False)}
    sha_of = {(r.year, r.file): r.sha256 for r in corpus}
    for flag in flags:
        if (record := decisions.get(flag.flag_id)) is not None:
            flag.decision, flag.decision_note = record.decision, record.decision_note
            flag.decided_by, flag.decided_at = record.decided_by, as_utc(record.decided_at)
        for side in (flag.a, flag.b):
            sha = sha_of.get((side.year, side.file))
            archived = store.archive_path_of(sha) if sha else None
            side.archive_path = str(archived) if archived else None
