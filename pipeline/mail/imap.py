"""The IMAP side: log in as the settings say, learn UIDVALIDITY, list UIDs from a cursor on, and fetch
one message's raw bytes with the server's INTERNALDATE (the receipt time), never marking it read."""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass
from datetime import datetime

from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, U
from imap_tools.mailbox import BaseMailBox

from core.settings import Settings

INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
TIMEOUT = 60  # seconds per IMAP command: a hanging server must not hold the nightly run


@dataclass
class RawMail:
    uid: int
    received_at: datetime  # INTERNALDATE, with the server's offset
    raw: bytes


def mailbox_key(settings: Settings) -> str:
    """Which mailbox the cursor belongs to: the same folder of the same account on the same server."""
    return f"{settings.mail_user or ''}@{settings.mail_host}:{port_of(settings)}/{settings.mail_folder}"


def port_of(settings: Settings) -> int:
    return settings.mail_port or (993 if settings.mail_security == "ssl" else 143)


def connect(settings: Settings) -> BaseMailBox:
    host, port = settings.mail_host or "", port_of(settings)
    if settings.mail_security == "ssl":
        box: BaseMailBox = MailBox(host, port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    elif settings.mail_security == "starttls":
        box = MailBoxStartTls(host, port, timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    else:
        box = MailBoxUnencrypted(host, port, timeout=TIMEOUT)
    return box.login(settings.mail_user or "", settings.mail_secret(), initial_folder=settings.mail_folder)


def uidvalidity(box: BaseMailBox, folder: str) -> int:
    return int(box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])


def new_uids(box: BaseMailBox, start: int) -> list[int]:
    """UIDs from `start` on ("n:*" also names the last mail when all are below n: filtered out)."""
    return sorted(u for u in map(int, box.uids(AND(uid=U(start, "*")))) if u >= start)


def parse_internaldate(text: bytes) -> datetime:
    return datetime.strptime(text.decode("ascii").strip(), "%d-%b-%Y %H:%M:%S %z")


def fetch_raw(box: BaseMailBox, uid: int) -> RawMail | None:
    """The message's bytes and INTERNALDATE (BODY.PEEK: the mail stays unread for the people)."""
    status, data = box.client.uid("FETCH", str(uid), "(UID INTERNALDATE BODY.PEEK[])")
    if status != "OK":
        raise OSError(f"IMAP FETCH {uid}: {status}")
    for item in data:
        if isinstance(item, tuple) and (m := INTERNALDATE.search(item[0])):
            return RawMail(uid=uid, received_at=parse_internaldate(m.group(1)), raw=item[1])
    return None  # expunged meanwhile
