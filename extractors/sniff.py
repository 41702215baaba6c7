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
    "ppt": {".ppt", ".pps", ".dps"},  # .dps: Kingsoft WPS 演示, PowerPoint's binary format
    "docx": {".docx", ".docm"},
    "doc": {".doc", ".wps"},  # .wps: Kingsoft WPS 文字 (Word 97 binary) or Microsoft Works
    "xlsx": {".xlsx", ".xlsm"},
    "xls": {".xls", ".et"},  # .et: Kingsoft WPS 表格
    "ole": {".wps", ".et", ".dps", ".doc", ".xls", ".ppt"},  # other compound files (Works, old Kingsoft)
    "odf": {".odt", ".ods", ".odp", ".ott"},
    "rtf": {".rtf"},
    "ofd": {".ofd"},
    "image": {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".jfif", ".heic", ".heif"},
    "zip": {".zip"},
    "keynote": {".key"},  # Apple Keynote: recognised to name it, not read
}

# ISO base media brands of HEIF stills (iPhone photos are "heic"); AVIF is read by the same library
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}

# formats recognised from their bytes that banzu cannot read: named in the problem so the sender knows
FOREIGN_MAGICS: tuple[tuple[int, bytes, str], ...] = (
    (0, b"Rar!\x1a\x07", "RAR 压缩包"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (0, b"\x1f\x8b", "gzip 压缩包"),
    (257, b"ustar", "tar 压缩包"),
    (0, b"AT&TFORM", "DjVu 文档"),
    (0, b"CAJ", "CAJ 文档（中国知网）"),
    (0, b"HN", "CAJ 文档（中国知网）"),
    (0, b"KDH ", "KDH 文档（中国知网）"),
    (0, b"AC10", "AutoCAD 图纸（DWG）"),
    (0, b"8BPS", "Photoshop 图像（PSD）"),
    (0, b"ID3", "MP3 音频"),
    (4, b"ftypqt", "QuickTime 视频"),
    (4, b"ftypisom", "MP4 视频"),
    (4, b"ftypmp4", "MP4 视频"),
    (0, b"\x1aE\xdf\xa3", "MKV/WebM 视频"),
    (0, b"<?xml", "XML 文本"),
    (0, b"<!DOCTYPE html", "网页（HTML）"),
    (0, b"<html", "网页（HTML）"),
)


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


def ole_header_ok(path: str | Path) -> bool:
    """Whether a compound file's header is sound (byte-order mark, sector size 512 or 4096 bytes).

    A damaged .ppt/.doc/.wps whose header is garbage would otherwise be opened by LibreOffice as
    plain text and "read" as a page of noise, a damaged file reported as good.
    """
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return len(head) == 512 and head[28:30] == b"\xfe\xff" and head[30:32] in (b"\x09\x00", b"\x0c\x00")


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
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return "ofd"  # GB/T 33190 版式文档: a zip of XML with OFD.xml at its root
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


def _is_heif(head: bytes) -> bool:
    """HEIC/HEIF photos: an ISO BMFF 'ftyp' box whose major or compatible brands are HEIF stills."""
    if head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    box = head[8 : max(16, min(size, 256))]
    brands = {box[i : i + 4] for i in range(0, len(box) - 3, 4)}
    return bool(brands & HEIF_BRANDS)


def describe_foreign(path: str | Path) -> str | None:
    """The name of a format banzu recognises but cannot read (for the problem message), else None."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for offset, magic, label in FOREIGN_MAGICS:
        probe = stripped if offset == 0 and magic.startswith(b"<") else head
        if probe[offset : offset + len(magic)].lower() == magic.lower():
            return label
    if head[:4] == b"\x00\x00\x00\x0c" and head[4:8] == b"jP  ":
        return "JPEG 2000 图像"
    return None


def sniff_format(path: str | Path) -> str:
    """One of: pdf, pptx, ppt, doc, docx, xlsx, xls, ole, odf, rtf, ofd, keynote, image, zip, empty, unknown."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return "empty"
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return "unknown"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path)  # before the PDF test: a stored zip of PDFs has "%PDF-" in its first KB
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "unknown"  # RAR, 7z (so is a stored RAR of PDFs): describe_foreign names them
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        kind = _ole_kind(head)
        if kind == "ole":  # the directory may sit further in: look through the whole (small) file
            with path.open("rb") as fh:
                kind = _ole_kind(fh.read(32 * 1024 * 1024))
        return kind  # "ole": Microsoft Works or old Kingsoft files, left to LibreOffice to recognise
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if _is_heif(head):
        return "image"
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
