"""What a mail brought: document attachments, team archives, things that are not documents, and
download links (QQ/163 超大附件, cloud drives) in place of attachments."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from extractors.archive import MAX_MEMBER_BYTES, MAX_RATIO, decode_member_name
from extractors.sniff import describe_foreign, sniff_format
from pipeline.inbox import is_junk

DOCUMENT_FORMATS = {"pdf", "ofd", "doc", "docx", "ole", "odf", "rtf", "xls", "xlsx", "ppt", "pptx", "image"}
PRESENTATION_FORMATS = {"ppt", "pptx"}
ARCHIVE_LABELS = ("RAR 压缩包", "7z 压缩包")  # not read here; the inbox reports what it cannot unpack

# where big-attachment services and cloud drives put the file instead of the mail
LINK_PATTERNS = [
    r"https?://[\w.-]*mail\.qq\.com/\S*ftn\S*",
    r"https?://[\w.-]*ftn\.qq\.com/\S+",
    r"https?://wx\.mail\.qq\.com/\S+",
    r"https?://[\w.-]*(?:163|126|yeah)\.net/\S*(?:large|bigattach|attach)\S*",
    r"https?://[\w.-]*(?:mail\.)?(?:163|126)\.com/\S*(?:large|bigattach|ftn)\S*",
    r"https?://dashi\.163\.com/\S+",
    r"https?://(?:pan\.baidu\.com|share\.weiyun\.com|www\.aliyundrive\.com|www\.alipan\.com|"
    r"[\w.-]*lanzou\w*\.com|[\w.-]*feishu\.cn/file|[\w.-]*wps\.cn|[\w.-]*123pan\.com)/\S+",
]
LINK_RE = re.compile("|".join(f"(?:{p})" for p in LINK_PATTERNS), re.I)
LINK_WORDS = re.compile(r"超大附件|文件中转站|下载链接|提取码|网盘")


@dataclass
class Attachment:
    filename: str  # decoded, as sent
    payload: bytes
    fmt: str  # what the bytes are (extractors.sniff), "archive" for zip/rar/7z
    label: str  # Chinese name of the format for messages

    @property
    def is_document(self) -> bool:
        return self.fmt in DOCUMENT_FORMATS

    @property
    def is_archive(self) -> bool:
        return self.fmt == "archive"


def sniff_bytes(payload: bytes, filename: str) -> tuple[str, str]:
    """(format, label) of an attachment from its bytes (the name only keeps the suffix for OLE sniffing)."""
    suffix = Path(filename).suffix[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(payload)
        tmp.flush()
        fmt = sniff_format(tmp.name)
        foreign = describe_foreign(tmp.name) if fmt == "unknown" else None
    if fmt == "zip" or foreign in ARCHIVE_LABELS:
        return "archive", foreign or "ZIP 压缩包"
    if fmt in ("unknown", "empty"):
        return fmt, foreign or (f"{suffix} 文件" if suffix else "未知格式")
    return fmt, fmt.upper()


def download_links(text: str) -> list[str]:
    """Links to big-attachment services or cloud drives in a mail's text or HTML."""
    found = [m.group(0).rstrip(").,;'\">，。") for m in LINK_RE.finditer(text)]
    if not found and LINK_WORDS.search(text):
        found = [m.group(0) for m in re.finditer(r"https?://\S+", text)][:3]
    return list(dict.fromkeys(found))


def unit_bundle_in_zip(payload: bytes) -> tuple[str, bytes] | None:
    """A unit that zipped its one merged PDF (large scans often travel so): (its name, its bytes).
    None for anything else, which stays an archive: a team package holds several documents."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
        members = [i for i in zf.infolist() if not i.is_dir() and not is_junk(Path(decode_member_name(i)))]
        if len(members) != 1:
            return None
        info = members[0]
        name = decode_member_name(info).rsplit("/", 1)[-1]
        ratio = info.file_size / max(info.compress_size, 1)
        if Path(name).suffix.lower() not in (".pdf", ".ofd") or info.file_size > MAX_MEMBER_BYTES or ratio > MAX_RATIO:
            return None
        data = zf.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None  # damaged or encrypted: kept as the archive it is, the inbox reports it
    return (name, data) if data.lstrip()[:5] == b"%PDF-" or data[:2] == b"PK" else None


def is_team_mail(attachments: list[Attachment]) -> bool:
    """A team sends its package (an archive, or its report slides with the form and report); a unit
    sends its merged PDF. Decided from the bytes, not the names."""
    return any(a.is_archive or a.fmt in PRESENTATION_FORMATS for a in attachments)
