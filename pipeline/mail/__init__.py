"""Mail intake: the activity's IMAP mailbox into the inbox, remembered by UID and UIDVALIDITY."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from pipeline.store import Store

from .intake import MailFetchResult, fetch_new_mail
from .receipts import apply_mail_receipts, write_mail_log

__all__ = ["MailFetchResult", "apply_mail_receipts", "fetch_mail_step", "fetch_new_mail"]


def fetch_mail_step(settings: Settings, store: Store, inbox: Path, out_dir: Path) -> MailFetchResult:
    """The nightly run's first step: new mail into the inbox, and the mail log beside the reports.

    A mailbox that cannot be reached does not stop the night: the folder is still read, and the
    error goes into the summary and the notification.
    """
    try:
        result = fetch_new_mail(settings, store, inbox)
    except Exception as exc:  # noqa: BLE001 - server down, wrong password: reported, the run goes on
        result = MailFetchResult(errors=[f"无法收取邮件（{type(exc).__name__}: {exc}）"[:300]])
    if result.enabled:
        write_mail_log(store, out_dir)
    return result
