"""Test helpers: an Inbox and its extracted documents for a generated inbox folder.

Discovery and unpacking are the lead's `pipeline.inbox`; the archive step of the store is
replaced by pointing each file's `archive_path` at the file itself. Extraction results are cached
by sha256 in a dict the caller keeps (one per test session), so no bundle is OCR'd twice.
"""

from __future__ import annotations

from pathlib import Path

from core.model import Document, Inbox
from extractors import extract
from pipeline.inbox import discover, map_files, unpack_team_archives


def load_inbox(root: Path, work_dir: Path) -> tuple[Inbox, dict[str, Path]]:
    inbox, sources = discover(root)
    inbox = map_files(inbox, lambda f: f.model_copy(update={"archive_path": str(sources[f.path])}))
    inbox, members = unpack_team_archives(inbox, work_dir)
    return inbox, {**sources, **members}


def extract_all(inbox: Inbox, sources: dict[str, Path], cache: dict[str, Document]) -> dict[str, Document]:
    """sha256 -> Document of every file but the zip containers (extracted once per cache)."""
    containers = {f.path for t in inbox.teams for f in t.archives}
    docs: dict[str, Document] = {}
    for f in inbox.all_files():
        if f.path in containers:
            continue
        if f.sha256 not in cache:
            cache[f.sha256] = extract(sources[f.path], name=f.path)
        docs[f.sha256] = cache[f.sha256]
    return docs
