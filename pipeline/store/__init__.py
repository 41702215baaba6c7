"""The store: SQLAlchemy 2 over SQLite (default) or any BANZU_DATABASE_URL, migrated by Alembic.

It registers every file by SHA-256 (after copying its bytes into the archive), caches extractions by
(SHA-256, extractor version), keeps the team reports of every year for the plagiarism corpus, and keeps
flags with stable ids so review decisions survive re-runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.model import Document, Flag, InboxFile
from core.settings import Settings
from pipeline.store import grading_tables, mail_tables, received_tables, review_tables  # noqa: F401  (each registers its tables on Base)
from pipeline.store.archive import copy_into_archive, sha256_of
from pipeline.store.safety import VerifyResult, check_database
from pipeline.store.tables import (
    Extraction,
    FlagRecord,
    Run,
    Sighting,
    StoredFile,
    TeamReportRecord,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True)
class Registered:
    """What registering returned: the files as archived (archive_path, first_seen) and how many were new."""

    files: tuple[InboxFile, ...]
    new: int


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    def __init__(self, settings: Settings, *, migrate: bool = True) -> None:
        """Open the store; `migrate=False` where the schema is known to be at head (a flow's tasks)."""
        self.settings = settings
        self.home = settings.home_dir
        self.home.mkdir(parents=True, exist_ok=True)
        if migrate:  # at the start of a run or command (not in every task): damage stops here, in Chinese
            check_database(settings.db_url, self.home)
        self.engine = make_engine(settings.db_url)
        if migrate:
            self.upgrade()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.Lock()  # SQLite allows one writer; tasks run in threads

    # ------------------------------------------------------------ schema

    def upgrade(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.settings.db_url.replace("%", "%%"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        """Release the database connections (a task's own store, opened per call)."""
        self.engine.dispose()

    # ------------------------------------------------------------ runs

    def start_run(self, year: int, inbox: str, out_dir: str, flow_run_id: str | None = None) -> int:
        with self._write_lock, self.session() as s, s.begin():
            run = Run(year=year, inbox=inbox, out_dir=out_dir, started_at=utcnow(), flow_run_id=flow_run_id)
            s.add(run)
            s.flush()
            return run.id

    def mark_interrupted_runs(self) -> int:
        """Runs still "running" when a new run holds the run lock were killed: say so. Returns how many."""
        with self._write_lock, self.session() as s, s.begin():
            stale = list(s.scalars(select(Run).where(Run.status == "running")))
            for run in stale:
                run.status = "interrupted"
                run.finished_at = run.finished_at or utcnow()
            return len(stale)

    def finish_run(self, run_id: int, status: str, summary: dict | None = None) -> None:
        with self._write_lock, self.session() as s, s.begin():
            run = s.get(Run, run_id)
            if run is not None:
                run.status = status
                run.finished_at = utcnow()
                run.summary = summary

    # ------------------------------------------------------------ files

    def register(self, files: Sequence[InboxFile], sources: dict[str, Path], year: int, run_id: int) -> int:
        """Archive and record each file; returns how many were new (see register_files)."""
        return self.register_files(files, sources, year, run_id).new

    def register_files(
        self, files: Sequence[InboxFile], sources: dict[str, Path], year: int, run_id: int
    ) -> Registered:
        """Archive and record each file: copies of `files` with archive_path and first_seen, and how many
        were new. The given files are left alone.

        `sources` maps an inbox path to where its bytes are readable now (the inbox, or the unpacked
        copy of a zip member). The archive copy is made before any reader touches the file.
        """
        now = utcnow()
        new = 0
        registered: list[InboxFile] = []
        with self._write_lock, self.session() as s, s.begin():
            for f in files:
                if f.path not in sources:
                    continue  # a link or special file: named in the reports, never read or archived
                stored = s.get(StoredFile, f.sha256)
                if stored is None:
                    rel = copy_into_archive(sources[f.path], self.home, f.sha256)
                    stored = StoredFile(
                        sha256=f.sha256,
                        size=f.size,
                        archive_path=str(rel),
                        original_name=Path(f.path).name,
                        first_seen=now,
                    )
                    s.add(stored)
                    new += 1
                elif not (self.home / stored.archive_path).exists():  # archive repaired from the inbox
                    copy_into_archive(sources[f.path], self.home, f.sha256)
                archive_path = str(self.home / stored.archive_path)
                sighting = s.scalar(
                    select(Sighting).where(
                        Sighting.year == year, Sighting.inbox_path == f.path, Sighting.sha256 == f.sha256
                    )
                )
                if sighting is None:
                    sighting = Sighting(
                        year=year,
                        inbox_path=f.path,
                        sha256=f.sha256,
                        role=f.role,
                        group_name=f.group,
                        received_at=f.received_at,
                        first_seen=now,
                        last_seen=now,
                        first_run_id=run_id,
                    )
                    s.add(sighting)
                else:
                    sighting.last_seen = now
                    sighting.role = f.role
                    sighting.group_name = f.group
                registered.append(
                    f.model_copy(update={"archive_path": archive_path, "first_seen": as_utc(sighting.first_seen)})
                )
        return Registered(tuple(registered), new)

    # ------------------------------------------------------------ extractions

    def cached_document(self, sha256: str, extractor_version: str) -> Document | None:
        with self.session() as s:
            row = s.get(Extraction, (sha256, extractor_version))
            return Document.model_validate_json(row.document) if row else None

    def latest_document(self, sha256: str) -> Document | None:
        """The newest extraction of any version: earlier years' corpus need not be re-read."""
        with self.session() as s:
            row = s.scalars(
                select(Extraction)
                .where(Extraction.sha256 == sha256)
                .order_by(Extraction.created_at.desc())
                .limit(1)
            ).first()
            return Document.model_validate_json(row.document) if row else None

    def save_document(self, sha256: str, doc: Document, seconds: float) -> None:
        with self._write_lock, self.session() as s, s.begin():
            row = s.get(Extraction, (sha256, doc.extractor_version))
            values = dict(
                format=doc.format,
                pages=len(doc.pages),
                readable=doc.readable,
                document=doc.model_dump_json(),
                seconds=seconds,
                created_at=utcnow(),
            )
            if row is None:
                s.add(Extraction(sha256=sha256, extractor_version=doc.extractor_version, **values))
            else:
                for k, v in values.items():
                    setattr(row, k, v)

    def archive_path_of(self, sha256: str) -> Path | None:
        with self.session() as s:
            stored = s.get(StoredFile, sha256)
            return self.home / stored.archive_path if stored else None

    def extraction_count(self) -> int:
        with self.session() as s:
            return len(s.scalars(select(Extraction.sha256)).all())

    # ------------------------------------------------------------ the plagiarism corpus

    def replace_team_reports(self, year: int, records: Iterable[dict]) -> None:
        """This year's team reports are exactly those of the latest run over this year's inbox."""
        with self._write_lock, self.session() as s, s.begin():
            s.execute(delete(TeamReportRecord).where(TeamReportRecord.year == year))
            seen: set[tuple] = set()
            for r in records:
                key = (r["team_id"], r["kind"], r["sha256"])
                if key not in seen:
                    seen.add(key)
                    s.add(TeamReportRecord(year=year, **r))

    def team_reports(self, up_to_year: int) -> list[TeamReportRecord]:
        with self.session() as s:
            return list(
                s.scalars(
                    select(TeamReportRecord)
                    .where(TeamReportRecord.year <= up_to_year)
                    .order_by(TeamReportRecord.year, TeamReportRecord.team_id, TeamReportRecord.kind)
                )
            )

    # ------------------------------------------------------------ flags

    def save_flags(self, year: int, flags: Sequence[Flag]) -> None:
        """Upsert by stable id; flags no longer raised stay with active=False, decisions stay."""
        now = utcnow()
        with self._write_lock, self.session() as s, s.begin():
            existing = {r.flag_id: r for r in s.scalars(select(FlagRecord).where(FlagRecord.year == year))}
            for r in existing.values():
                r.active = False
            for f in flags:
                values = dict(
                    kind=f.kind,
                    a_team_id=f.a.team_id,
                    b_year=f.b.year,
                    b_team_id=f.b.team_id,
                    similarity=f.similarity,
                    copy_ratio_a=f.copy_ratio_a,
                    copy_ratio_b=f.copy_ratio_b,
                    flag=f.model_dump(mode="json"),
                    last_raised=now,
                    active=True,
                )
                row = existing.get(f.flag_id)
                if row is None:
                    s.add(FlagRecord(year=year, flag_id=f.flag_id, first_raised=now, **values))
                else:
                    for k, v in values.items():
                        setattr(row, k, v)

    def flag_records(self, year: int, active_only: bool = True) -> list[FlagRecord]:
        with self.session() as s:
            q = select(FlagRecord).where(FlagRecord.year == year)
            if active_only:
                q = q.where(FlagRecord.active.is_(True))
            return list(s.scalars(q.order_by(FlagRecord.similarity.desc())))

    # ------------------------------------------------------------ fixity

    def verify_archive(self, inboxes: Sequence[Path] = ()) -> VerifyResult:
        """Re-hash every archived original; put back missing or altered ones from an inbox that still
        holds the same bytes (the inboxes of earlier runs, and `inboxes`)."""
        result = VerifyResult()
        with self.session() as s:
            stored = list(s.scalars(select(StoredFile)))
            seen_at: dict[str, list[str]] = {}
            for sha, inbox_path in s.execute(select(Sighting.sha256, Sighting.inbox_path)):
                seen_at.setdefault(sha, []).append(inbox_path)
            roots = [Path(r) for r in s.scalars(select(Run.inbox).distinct())] + [Path(i) for i in inboxes]
        for row in stored:
            result.checked += 1
            path = self.home / row.archive_path
            if not path.is_file():
                result.missing.append(row.archive_path)
            elif sha256_of(path)[0] != row.sha256:
                result.altered.append(row.archive_path)
            else:
                continue
            for candidate in (root / rel for root in roots for rel in seen_at.get(row.sha256, [])):
                if candidate.is_file() and sha256_of(candidate)[0] == row.sha256:
                    path.unlink(missing_ok=True)
                    copy_into_archive(candidate, self.home, row.sha256)
                    result.restored.append(row.archive_path)
                    break
        return result
