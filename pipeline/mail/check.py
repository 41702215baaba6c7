"""Whether the configured mailbox works, before the first night: log in, read the folder, count what the
next run would fetch. Nothing is fetched or marked."""

from __future__ import annotations

from pydantic import BaseModel

from core.settings import Settings
from pipeline.store import Store
from pipeline.store.mail_tables import MailCursor

from . import imap


class MailboxStatus(BaseModel):
    mailbox: str
    uidvalidity: int
    messages: int  # in the folder
    waiting: int  # what the next run fetches


def check_mailbox(settings: Settings, store: Store) -> MailboxStatus:
    """Raises what the server or the network says when the settings are wrong."""
    box = imap.connect(settings)
    try:
        validity = imap.uidvalidity(box, settings.mail_folder)
        total = int(box.folder.status(settings.mail_folder, ["MESSAGES"])["MESSAGES"])
        key = imap.mailbox_key(settings)
        with store.session() as s:
            cursor = s.get(MailCursor, (key, validity))
        waiting = len(imap.new_uids(box, cursor.next_uid if cursor else 1)) if total else 0
    finally:
        box.logout()
    return MailboxStatus(mailbox=key, uidvalidity=validity, messages=total, waiting=waiting)
