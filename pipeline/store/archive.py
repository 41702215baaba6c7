"""The content-addressed archive of originals: bytes are copied here before anything reads them."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20


def sha256_of(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, streamed (bundles can be hundreds of MB)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def archive_relpath(sha256: str, suffix: str) -> Path:
    """archive/ab/<sha256><suffix>: the suffix only helps people open the file, identity is the hash."""
    suffix = suffix.lower() if suffix and len(suffix) <= 8 and suffix[1:].isalnum() else ""
    return Path("archive") / sha256[:2] / f"{sha256}{suffix}"


def copy_into_archive(src: Path, home: Path, sha256: str) -> Path:
    """Copy `src` to its archive place atomically (temp file, fsync, rename), verifying the hash.

    Returns the archive path relative to `home`. An existing archived copy is kept as it is.
    """
    rel = archive_relpath(sha256, src.suffix)
    dest = home / rel
    if dest.exists():
        return rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                digest.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if digest.hexdigest() != sha256:
            raise OSError(f"{src} changed while it was archived")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return rel
