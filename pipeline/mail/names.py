"""Attachment names as the sender meant them: RFC 2047 words, RFC 2231 parameters and raw 8-bit
headers in GBK/GB18030 (Chinese mail clients still send all three), made safe as file names."""

from __future__ import annotations

import re
import unicodedata
from email.header import decode_header, make_header
from email.message import Message
from email.utils import collapse_rfc2231_value

# labels Chinese mail clients put on text that is really GB18030 (its superset)
GB_ALIASES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312", "gb_2312-80"}
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME = 150  # characters; long enough for 单位全称 + 文件说明


def _charset(name: str | None) -> str:
    name = (name or "").strip().lower()
    return "gb18030" if name in GB_ALIASES else (name or "ascii")


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """Bytes of a header or name: the declared charset (GB labels read as GB18030), else UTF-8, else GB18030."""
    for cs in (_charset(charset), "utf-8", "gb18030"):
        try:
            return raw.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("gb18030", errors="replace")


def unsurrogate(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes: decode them as UTF-8 or GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_bytes(text.encode("utf-8", errors="surrogateescape"))


def decode_words(value: str) -> str:
    """RFC 2047 encoded words (=?gbk?B?…?=), with GB labels decoded as GB18030."""
    value = unsurrogate(value)
    if "=?" not in value:
        return value
    try:
        parts = decode_header(value)
        return "".join(
            decode_bytes(text, cs) if isinstance(text, bytes) else text for text, cs in parts
        )
    except Exception:  # noqa: BLE001 - a broken word: keep what make_header manages, else the raw text
        try:
            return str(make_header(decode_header(value)))
        except Exception:  # noqa: BLE001
            return value


def fix_8bit_headers(part: Message) -> None:
    """Headers sent as raw GBK/UTF-8 bytes (no RFC 2047) become text, so parameters parse normally."""
    for name, value in list(part.raw_items()):
        if isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value):
            part.replace_header(name, unsurrogate(value))


def header_text(msg: Message, name: str) -> str:
    raw = msg.get(name)
    return " ".join(decode_words(str(raw)).split()) if raw is not None else ""


def part_filename(part: Message) -> str:
    """The name of an attachment part: Content-Disposition filename, else Content-Type name."""
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        value = part.get_param(param, header=header)
        if value is None:
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, percent-decoded bytes as latin-1)
            charset, _, text = value
            raw = text.encode("latin-1", errors="surrogateescape") if isinstance(text, str) else text
            try:
                return decode_bytes(raw, charset)
            except Exception:  # noqa: BLE001
                return collapse_rfc2231_value(value)
        return decode_words(str(value))
    return ""


def safe_name(name: str, fallback: str) -> str:
    """A file name that stays inside its folder: no path parts, no control characters, NFC, bounded."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE.sub("_", name).strip(" .")
    if not name:
        return fallback
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name


def folder_name(text: str, fallback: str) -> str:
    """A team folder from a mail subject: reply/forward prefixes and unsafe characters removed."""
    text = re.sub(r"^\s*((回复|答复|转发|RE|FW|FWD|AW|WG)\s*[:：]\s*)+", "", text, flags=re.I)
    return safe_name(" ".join(text.split()), fallback)
