"""Decide a file's format from its bytes, never from its extension (extensions lie)."""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
IMAGE_MAGICS = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",  # TIFF little endian
    b"MM\x00*",  # TIFF big endian
)

# what each format's usual extensions are; used to tell whether an extension lies
EXTENSIONS = {
    "pdf": {".pdf"},
    "pptx": {".pptx", ".pptm", ".ppsx"},
    "ppt": {".ppt", ".pps"},
    "docx": {".docx", ".docm"},
    "doc": {".doc", ".wps"},
    "xlsx": {".xlsx", ".xlsm"},
    "xls": {".xls", ".et"},
    "image": {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".jfif"},
    "zip": {".zip", ".rar", ".7z"},
    "odf": {".odp", ".odt", ".ods", ".odg"},
    "keynote": {".key"},
    "ofd": {".ofd"},
}


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole_kind(head: bytes) -> str:
    """Legacy Office (OLE compound file): the directory entry names tell PowerPoint from Word/Excel."""
    if _utf16("PowerPoint Document") in head:
        return "ppt"
    if _utf16("WordDocument") in head:
        return "doc"
    if _utf16("Workbook") in head or _utf16("Book") in head:
        return "xls"
    return "ole"


def _kind_of_members(names: list[str], mimetype: bytes = b"") -> str:
    """Which document format a zip's member names say it is (OOXML, OpenDocument, Keynote, OFD)."""
    has_types = "[Content_Types].xml" in names
    prefixes = {n.split("/", 1)[0] for n in names}
    if has_types and "ppt" in prefixes:
        return "pptx"
    if has_types and "word" in prefixes:
        return "docx"
    if has_types and "xl" in prefixes:
        return "xlsx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or (
            "mimetype" in names and "content.xml" in names):
        return "odf"
    if "OFD.xml" in names or any(n.endswith("/Document.xml") and n.startswith("Doc_") for n in names):
        return "ofd"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names) or "index.apxl" in names:
        return "keynote"
    return "zip"


def _names_from_local_headers(path: Path) -> tuple[list[str], bytes]:
    """Member names read straight from the local file headers: a truncated zip has no central
    directory, but its first members still say what the file was meant to be."""
    with path.open("rb") as fh:
        data = fh.read(32 * 1024 * 1024)
    names, mimetype, pos = [], b"", 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0 and len(names) < 5000:
        if pos + 30 > len(data):
            break
        n, extra = int.from_bytes(data[pos + 26:pos + 28], "little"), int.from_bytes(data[pos + 28:pos + 30], "little")
        name = data[pos + 30:pos + 30 + n].decode("utf-8", "replace")
        names.append(name)
        if name == "mimetype":
            mimetype = data[pos + 30 + n + extra:pos + 30 + n + extra + 80]
        pos += 30 + n
    return names, mimetype


def _zip_kind(path: Path) -> str:
    """OOXML, OpenDocument, Keynote and OFD files are zips: their member names say which they are."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, KeyError, EOFError):
        try:  # damaged: a truncated document is still a document, and its reader will say it is damaged
            names, mimetype = _names_from_local_headers(path)
        except OSError:
            return "zip"
    return _kind_of_members(names, mimetype)


def sniff_format(path: str | Path) -> str:
    """One of: pdf, pptx, ppt, doc, docx, xlsx, xls, image, odf, keynote, ofd, zip, empty, unknown."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty"
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return "unknown"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path)
    if head.startswith(OLE_MAGIC):
        kind = _ole_kind(head)
        if kind == "ole":  # the directory may sit further in: look through the whole (small) file
            with path.open("rb") as fh:
                kind = _ole_kind(fh.read(32 * 1024 * 1024))
        return kind if kind != "ole" else "unknown"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "zip"  # an archive (RAR, 7z): the same finding as a zip where a document was expected
    if head.startswith(IMAGE_MAGICS) or head[:2] == b"BM" and len(head) > 26:
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    return "unknown"


def extension_matches(path: str | Path, fmt: str) -> bool:
    """Whether the file name's extension is one the sniffed format normally carries."""
    ext = Path(path).suffix.lower()
    if fmt in ("empty", "unknown"):
        return True
    return ext in EXTENSIONS.get(fmt, set())
