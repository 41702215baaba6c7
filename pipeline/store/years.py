"""A year's data set in the store: the runs that made it, and removing one made by mistake.

A year's data set is every row of a table with a `year` column for that year (runs, sightings, the
plagiarism corpus, flags and their decisions, received-time records, and whatever later tables keep
per year). The archive of originals and the cached extractions are kept: they are content-addressed,
may be shared with other years, and an original is never thrown away; so is the append-only audit trail.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from pipeline.store import Store, as_utc
from pipeline.store.tables import Base, Run


@dataclass(frozen=True)
class RunInfo:
    id: int
    year: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    inbox: str
    out_dir: str
    summary: dict | None


def list_runs(store: Store, year: int | None = None) -> list[RunInfo]:
    """Runs, newest first; only YEAR's when given."""
    q = select(Run).order_by(Run.started_at.desc(), Run.id.desc())
    if year is not None:
        q = q.where(Run.year == year)
    with store.session() as s:
        return [
            RunInfo(r.id, r.year, r.status, as_utc(r.started_at), as_utc(r.finished_at), r.inbox, r.out_dir,
                    r.summary)
            for r in s.scalars(q)
        ]


def years_in_store(store: Store) -> list[int]:
    with store.session() as s:
        return sorted(set(s.scalars(select(Run.year).distinct())))


# the audit trail is append-only (the database refuses changes): it keeps the history, deletions included
KEPT = frozenset({"audit_entries", "audit_subjects"})


def _year_tables():
    return [t for t in reversed(Base.metadata.sorted_tables) if "year" in t.c and t.name not in KEPT]


def year_rows(store: Store, year: int) -> dict[str, int]:
    """How many rows of each per-year table belong to YEAR (what a deletion would remove)."""
    counts: dict[str, int] = {}
    with store.session() as s:
        for table in _year_tables():
            n = s.scalar(select(func.count()).select_from(table).where(table.c.year == year)) or 0
            if n:
                counts[table.name] = n
    return counts


def delete_year(store: Store, year: int) -> dict[str, int]:
    """Remove YEAR's data set (rows of every per-year table, children first) and its default report
    folder; returns the rows removed per table. Originals and extractions stay."""
    removed: dict[str, int] = {}
    with store.session() as s, s.begin():
        for table in _year_tables():
            n = s.execute(delete(table).where(table.c.year == year)).rowcount or 0
            if n:
                removed[table.name] = n
    reports = store.settings.reports_dir(year)
    if reports.is_dir():
        shutil.rmtree(reports)
    return removed
