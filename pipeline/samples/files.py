"""Files as they arrive: GBK-named zips from Chinese Windows, broken and disguised files, arrival times.

Every maker here is deterministic (no wall-clock time, no random ids), because the same seed must
give byte-identical inboxes so that banzu's extraction cache hits.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import pymupdf

ZIP_TIME = (2024, 5, 20, 10, 30, 0)
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class _GbkZipInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag, as Windows' zip tool does."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_gbk_zip(members: dict[str, bytes], *, folders: list[str] | None = None,
                  date_time: tuple[int, int, int, int, int, int] = ZIP_TIME, mac: bool = False) -> bytes:
    """A zip of `members` (member path -> bytes) with GBK-encoded names and the given (local) time.

    mac=True makes it as macOS Finder does instead: UTF-8 names (flagged) plus `__MACOSX/._*`
    resource-fork entries that belong to no one.
    """
    info_class = zipfile.ZipInfo if mac else _GbkZipInfo
    if mac:
        members = {**members, **{f"__MACOSX/{_dot_underscore(n)}": _APPLE_DOUBLE for n in members}}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder in folders or []:
            zi = info_class(folder.rstrip("/") + "/", date_time)
            zi.external_attr = 0o40755 << 16 | 0x10
            zf.writestr(zi, b"")
        for name, data in members.items():
            zi = info_class(name, date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return out.getvalue()


_APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(16)


def _dot_underscore(name: str) -> str:
    head, _, tail = name.rpartition("/")
    return f"{head}/._{tail}" if head else f"._{tail}"


def gbk_member_names(data: bytes) -> list[str]:
    """The member names of a GBK zip decoded the way banzu must decode them."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [
            i.filename if i.flag_bits & 0x800 else i.filename.encode("cp437").decode("gbk")
            for i in zf.infolist()
        ]


# ---------------------------------------------------------------- broken files


def truncated(data: bytes, keep: float = 0.45) -> bytes:
    """The first part of a file, as a broken download or an e-mail size limit leaves it."""
    return data[: max(16, int(len(data) * keep))]


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for n, byte in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[n] = byte ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


def _pad(pw: str) -> bytes:
    return (pw.encode("latin-1") + PAD)[:32]


def _encryption_entries(user_pw: str, owner_pw: str, file_id: bytes, perms: int) -> tuple[bytes, bytes, bytes]:
    """(O, U, file key) of the standard security handler, revision 3, 128-bit RC4."""
    h = hashlib.md5(_pad(owner_pw)).digest()
    for _ in range(50):
        h = hashlib.md5(h).digest()
    o = _rc4(h, _pad(user_pw))
    for i in range(1, 20):
        o = _rc4(bytes(b ^ i for b in h), o)
    k = hashlib.md5(_pad(user_pw) + o + struct.pack("<i", perms) + file_id).digest()
    for _ in range(50):
        k = hashlib.md5(k).digest()
    u = _rc4(k, hashlib.md5(PAD + file_id).digest())
    for i in range(1, 20):
        u = _rc4(bytes(b ^ i for b in k), u)
    return o, u + bytes(16), k


def encrypted_pdf(pdf: bytes, user_pw: str = "cacem2024", owner_pw: str = "owner") -> bytes:
    """`pdf` protected with a user password (RC4-128, written here so that it is deterministic)."""
    doc = pymupdf.open("pdf", pdf)
    file_id = hashlib.md5(pdf).digest()
    perms = -3904
    o, u, key = _encryption_entries(user_pw, owner_pw, file_id, perms)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    root = doc.pdf_catalog()
    for x in range(1, doc.xref_length()):
        obj = doc.xref_object(x, compressed=True)
        if not obj or obj == "null":
            continue
        okey = hashlib.md5(key + struct.pack("<i", x)[:3] + b"\x00\x00").digest()

        def enc_str(m: re.Match, okey=okey) -> str:
            raw = m.group(1).encode("latin-1")
            return "<" + _rc4(okey, raw).hex().upper() + ">"

        obj = re.sub(r"\(([^()\\]*)\)", enc_str, obj)
        offsets[x] = out.tell()
        out.write(f"{x} 0 obj\n{obj}\n".encode("latin-1"))
        if doc.xref_is_stream(x):
            out.write(b"stream\n" + _rc4(okey, doc.xref_stream_raw(x)) + b"\nendstream\n")
        out.write(b"endobj\n")
    enc_no = doc.xref_length()
    offsets[enc_no] = out.tell()
    out.write(
        f"{enc_no} 0 obj\n<</Filter/Standard/V 2/R 3/Length 128/P {perms}/O<{o.hex()}>/U<{u.hex()}>>>\nendobj\n"
        .encode("latin-1")
    )
    xref_at = out.tell()
    size = enc_no + 1
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for x in range(1, size):
        out.write(f"{offsets[x]:010d} 00000 n \n".encode() if x in offsets else b"0000000000 65535 f \n")
    fid = file_id.hex()
    out.write(
        f"trailer\n<</Size {size}/Root {root} 0 R/Encrypt {enc_no} 0 R/ID[<{fid}><{fid}>]>>\n"
        f"startxref\n{xref_at}\n%%EOF\n".encode()
    )
    return out.getvalue()


def minimal_docx(text: str) -> bytes:
    """A small Word document (what arrives when someone renames a .docx to .pdf)."""
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>')
    paras = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paras}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", body)):
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data.encode("utf-8"))
    return out.getvalue()


# ---------------------------------------------------------------- placing files


def put(root: Path, rel: str, data: bytes, mtime: datetime) -> Path:
    """Write `data` at inbox-relative `rel` and give it `mtime` as its arrival time."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    ts = mtime.timestamp()
    os.utime(path, (ts, ts))
    return path
