"""A minimal RAR 4 writer (stored members only), so tests and the hostile corpus can make real .rar files.

Debian has no free tool that writes RAR (`rar` is proprietary; `unar`, libarchive and 7-Zip only
read it), so the generator writes the format itself from the published RAR 4 layout: a marker block,
an archive header, one file header per member (method 0x30, "store") and an end block. Every
header carries the low 16 bits of the CRC-32 of its bytes, every member the CRC-32 of its data.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

MARKER = b"Rar!\x1a\x07\x00"
LONG_BLOCK = 0x8000
UNICODE_NAME = 0x0200
DIRECTORY = 0x00E0
HOST_UNIX = 3
DOS_TIME_2024 = (44 << 25) | (5 << 21) | (20 << 16) | (9 << 11)  # 2024-05-20 09:00


def _block(kind: int, flags: int, body: bytes, data: bytes = b"") -> bytes:
    size = 7 + len(body)
    header = struct.pack("<BHH", kind, flags, size) + body
    crc = zlib.crc32(header) & 0xFFFF
    return struct.pack("<H", crc) + header + data


def _file_block(name: str, data: bytes, is_dir: bool = False) -> bytes:
    raw = name.encode("utf-8")
    flags = LONG_BLOCK | (UNICODE_NAME if not raw.isascii() else 0) | (DIRECTORY if is_dir else 0)
    mode = (0o040755 if is_dir else 0o100644)
    body = struct.pack(
        "<IIBIIBBHI", len(data), len(data), HOST_UNIX, zlib.crc32(data), DOS_TIME_2024, 20, 0x30, len(raw), mode
    ) + raw
    return _block(0x74, flags, body, data)


def rar_bytes(members: dict[str, bytes], folders: tuple[str, ...] = ()) -> bytes:
    """A RAR 4 archive holding `members` (path → bytes, stored uncompressed) and empty `folders`."""
    out = [MARKER, _block(0x73, 0, b"\x00" * 6)]
    out += [_file_block(name, b"", is_dir=True) for name in folders]
    out += [_file_block(name, data) for name, data in members.items()]
    out.append(_block(0x7B, 0x4000, b""))
    return b"".join(out)


def write_rar(path: Path, members: dict[str, bytes], folders: tuple[str, ...] = ()) -> Path:
    path.write_bytes(rar_bytes(members, folders))
    return path
