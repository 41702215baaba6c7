"""Ingest, one step that returns a value: discover → archive → unpack team archives → mail receipts →
register members.

The result is a RegisteredInbox: every file in it has its archived copy (`archive_path`) and the time
banzu first saw its bytes (`first_seen`); nothing it was built from was changed on the way.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.model import Inbox, InboxFile
from pipeline.inbox import discover, map_files, unpack_team_archives
from pipeline.mail.receipts import apply_mail_receipts
from pipeline.store import Store


@dataclass(frozen=True)
class RegisteredInbox:
    """The inbox as registered in the store, and what registering it counted."""

    inbox: Inbox
    files_seen: int  # files of the inbox, zip members included (as completeness.json lists them)
    files_new: int  # files (zip members included) whose bytes the archive had not seen before


def with_registered(inbox: Inbox, files: Sequence[InboxFile]) -> Inbox:
    """A new Inbox in which each file of `files` replaces the file of the same path."""
    by_path = {f.path: f for f in files}
    return map_files(inbox, lambda f: by_path.get(f.path, f))


def ingest(root: Path, store: Store, year: int, run_id: int, work_dir: Path) -> RegisteredInbox:
    """Archive every file of the inbox at `root` before anything reads it, unpack the team zips from
    the archived copies, archive their members too; the registered inbox comes back."""
    found, sources = discover(root)
    first = store.register_files(found.all_files(), sources, year, run_id)
    unpacked, members = unpack_team_archives(with_registered(found, first.files), work_dir)
    unpacked = apply_mail_receipts(store, unpacked)  # received_at/via/mail of mailed files and their members
    member_files = [f for t in unpacked.teams for f in t.files if f.path in members]
    second = store.register_files(member_files, members, year, run_id)
    shutil.rmtree(work_dir / "unpacked", ignore_errors=True)  # members are read from their archived copies
    registered = with_registered(unpacked, second.files)
    return RegisteredInbox(registered, files_seen=len(registered.all_files()), files_new=first.new + second.new)
