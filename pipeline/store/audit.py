"""Who may change what, and the append-only audit trail every change writes.

Every decision module (初选, follow-ups, flags, grading, accounts) checks the actor's role here and writes
its entry with `audit_in` in the same transaction as the change; the database refuses UPDATE/DELETE on the
trail (migration 0006). Nothing here knows what the decisions are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.store import Store, as_utc, utcnow
from pipeline.store.review_tables import AuditEntry, AuditSubject

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

Role = Literal["secretariat", "reviewer", "discipline", "expert", "admin"]
ROLES: dict[str, str] = {
    "secretariat": "秘书处",
    "reviewer": "初审",
    "discipline": "纪律审查",
    "expert": "评审专家",
    "admin": "管理员",
}
Via = Literal["web", "cli"]

# Who may make which change: the one place this rule lives (the web shows forms from it too).
PERMISSIONS: dict[str, frozenset[str]] = {
    "decide_team": frozenset({"reviewer", "admin"}),
    "dismiss_finding": frozenset({"reviewer", "admin"}),
    "unit_followup": frozenset({"secretariat", "admin"}),
    "accept_late": frozenset({"secretariat", "admin"}),
    "decide_flag": frozenset({"discipline", "admin"}),
}


class ReviewError(ValueError):
    """A change refused for a reason the person can fix (message in Chinese)."""


class NotAllowed(PermissionError):
    """The actor's role may not make this change."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    via: Via = "web"


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, frozenset())


def require_role(actor: Actor, action: str) -> None:
    """Refuse (in Chinese) a change by a nameless actor or one whose role may not make it."""
    if not actor.name.strip():
        raise ReviewError("必须写明操作人")
    if not may(actor.role, action):
        raise NotAllowed(f"角色“{ROLES.get(actor.role, actor.role)}”无权进行此操作")


def reason_of(reason: str | None, required: bool, what: str) -> str | None:
    """The reason as written, trimmed; refused when `what` requires one and none was given."""
    text = (reason or "").strip()
    if required and not text:
        raise ReviewError(f"{what}必须填写理由")
    return text or None


def jsonable(value: object) -> object:
    """The value as it comes back from a JSON column (the trail and snapshots compare like for like)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@contextmanager
def writing(store: Store) -> Iterator[Session]:
    """One transaction under the store's writer lock (SQLite allows one writer)."""
    with store._write_lock, store.session() as s, s.begin():  # noqa: SLF001 - the store's own lock
        yield s


# ---------------------------------------------------------------- the audit trail


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    role: str
    via: str
    action: str
    year: int | None
    object_type: str
    object_id: str
    before: dict | None
    after: dict | None
    reason: str | None
    subjects: tuple[tuple[str, str], ...] = ()


def audit_in(
    s: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    *,
    year: int | None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    related: Iterable[tuple[str, str]] = (),
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction; before/after are kept as plain JSON (dates as text)."""
    entry = AuditEntry(
        at=at or utcnow(),
        actor=actor.name,
        role=actor.role,
        via=actor.via,
        action=action,
        year=year,
        object_type=object_type,
        object_id=object_id,
        before=jsonable(before),
        after=jsonable(after),
        reason=reason,
    )
    s.add(entry)
    s.flush()
    subjects = dict.fromkeys([(object_type, object_id), *related])
    s.add_all(AuditSubject(entry_id=entry.id, object_type=t, object_id=i) for t, i in subjects)
    return entry


def record_audit(
    store: Store,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    *,
    year: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    related: Iterable[tuple[str, str]] = (),
) -> int:
    """Append one entry (for changes other modules make, e.g. accounts, late acceptances, the draw)."""
    with writing(store) as s:
        return audit_in(
            s,
            actor,
            action,
            object_type,
            object_id,
            year=year,
            before=before,
            after=after,
            reason=reason,
            related=related,
        ).id


def audit_entries(
    store: Store,
    object_type: str | None = None,
    object_id: str | None = None,
    *,
    year: int | None = None,
    limit: int | None = None,
) -> list[AuditView]:
    """The trail, newest first: of one object (including entries that merely concern it), or all."""
    with store.session() as s:
        q = select(AuditEntry)
        if object_type is not None:
            sub = select(AuditSubject.entry_id).where(AuditSubject.object_type == object_type)
            if object_id is not None:
                sub = sub.where(AuditSubject.object_id == object_id)
            q = q.where(AuditEntry.id.in_(sub))
        if year is not None:
            q = q.where(AuditEntry.year == year)
        q = q.order_by(AuditEntry.id.desc())
        if limit is not None:
            q = q.limit(limit)
        entries = list(s.scalars(q))
        subjects: dict[int, list[tuple[str, str]]] = {}
        if entries:
            rows = s.execute(
                select(AuditSubject.entry_id, AuditSubject.object_type, AuditSubject.object_id).where(
                    AuditSubject.entry_id.in_([e.id for e in entries])
                )
            )
            for entry_id, t, i in rows:
                subjects.setdefault(entry_id, []).append((t, i))
        return [
            AuditView(
                id=e.id,
                at=as_utc(e.at),
                actor=e.actor,
                role=e.role,
                via=e.via,
                action=e.action,
                year=e.year,
                object_type=e.object_type,
                object_id=e.object_id,
                before=e.before,
                after=e.after,
                reason=e.reason,
                subjects=tuple(subjects.get(e.id, ())),
            )
            for e in entries
        ]
