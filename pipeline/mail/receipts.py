"""What the store knows about mailed files, applied to a discovered inbox: received_at is the mail's
INTERNALDATE, received_via "mail", and the mail's sender, subject and Message-ID; a team archive's
members inherit their archive's."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

from sqlalchemy import select

from core.model import Inbox, InboxFile, MailOrigin
from pipeline.inbox import map_files, mark_duplicates
from pipeline.store import Store, as_utc
from pipeline.store.mail_tables import MailAttachmentRecord, MailRecord


def receipts(store: Store) -> dict[str, tuple[str, MailRecord]]:
    """inbox path -> (sha256, the mail), the earliest mail when several brought the same path."""
    with store.session() as s:
        rows = s.execute(select(MailAttachmentRecord.inbox_path, MailAttachmentRecord.sha256, MailRecord)
                         .join(MailRecord, MailRecord.id == MailAttachmentRecord.mail_id)
                         .order_by(MailRecord.received_at.desc())).all()
    return {path: (sha, mail) for path, sha, mail in rows}


def apply_mail_receipts(store: Store, inbox: Inbox) -> Inbox:
    """A new Inbox in which every file that came by mail has its receipt (the given one is left alone)."""
    known = receipts(store)
    if not known:
        return inbox

    def receipt(f: InboxFile) -> InboxFile:
        path = f.path
        hit = known.get(path)
        while hit is None and "/" in path:  # a zip member: its archive's receipt
            path = path.rsplit("/", 1)[0]
            hit = known.get(path)
        if hit is None or (path == f.path and hit[0] != f.sha256):
            return f  # the file was replaced by hand since: its folder time stands
        _, mail = hit
        return f.model_copy(update={
            "received_at": as_utc(mail.received_at), "received_via": "mail",
            "mail": MailOrigin(sender=mail.sender, subject=mail.subject, message_id=mail.message_id)})

    return mark_duplicates(map_files(inbox, receipt))  # the earliest receipt is the original


def mail_log(store: Store) -> list[dict]:
    """Every processed mail, newest first, for `mail.json` beside the reports."""
    with store.session() as s:
        mails = s.scalars(select(MailRecord).order_by(MailRecord.received_at.desc())).all()
        files = s.execute(select(MailAttachmentRecord.mail_id, MailAttachmentRecord.inbox_path)).all()
    by_mail: dict[int, list[str]] = {}
    for mail_id, path in files:
        by_mail.setdefault(mail_id, []).append(path)
    return [{"uid": m.uid, "uidvalidity": m.uidvalidity, "from": m.sender, "subject": m.subject,
             "message_id": m.message_id, "received_at": as_utc(m.received_at).astimezone(UTC).isoformat(),
             "outcome": m.outcome, "files": by_mail.get(m.id, []), "problems": m.findings} for m in mails]


def write_mail_log(store: Store, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "mail.json"
    path.write_text(json.dumps({"mails": mail_log(store)}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
