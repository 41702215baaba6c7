"""Fetch new mail into the inbox: each attachment saved under its unit's or team's folder, the mail
recorded (UID + UIDVALIDITY) only after its attachments are safely on disk, problems for the secretariat
for mails that brought no document."""

from __future__ import annotations

import email
import hashlib
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import select

from core.codes import Code
from core.model import Problem
from core.settings import Settings
from pipeline.store import Store
from pipeline.store.mail_tables import MailAttachmentRecord, MailCursor, MailRecord

from . import imap
from .classify import Attachment, download_links, is_team_mail, sniff_bytes, unit_bundle_in_zip
from .names import decode_bytes, fix_8bit_headers, folder_name, header_text, part_filename, safe_name

UNIT_DIR = "推荐材料"
TEAM_DIR = "班组申报"
BEIJING = ZoneInfo("Asia/Shanghai")  # the 30 May rule and the messages speak Beijing time


class MailFetchResult(BaseModel):
    """What one fetch did; the run's summary and the notification read it."""

    enabled: bool = True
    mails_new: int = 0  # mails processed now (saved, findings or duplicates)
    files_saved: list[str] = Field(default_factory=list)  # inbox paths written now
    duplicates: int = 0  # mails already seen (same Message-ID or only attachments already saved)
    findings: list[Problem] = Field(default_factory=list)  # for the secretariat, naming the sender
    errors: list[str] = Field(default_factory=list)  # mails left for the next run, and why

    def summary_update(self) -> dict:
        """The RunSummary fields this fetch fills."""
        return dict(mail_checked=self.enabled, mails_new=self.mails_new, mail_files=len(self.files_saved),
                    mail_problems=self.findings, mail_errors=self.errors)


class ParsedMail(BaseModel):
    sender: str
    subject: str
    message_id: str
    text: str  # plain and HTML bodies, for download links


def _when(dt: datetime) -> str:
    return f"{dt.astimezone(BEIJING):%Y-%m-%d %H:%M}（北京时间）"


def parse(raw: bytes) -> tuple[ParsedMail, list[tuple[str, bytes]]]:
    """Headers decoded, the body text, and the attachments (name, bytes); inline logos are not attachments."""
    msg = email.message_from_bytes(raw)
    fix_8bit_headers(msg)
    name, addr = parseaddr(header_text(msg, "From"))
    sender = f"{name} <{addr}>" if name and addr else (addr or name or "（未知发件人）")
    texts: list[str] = []
    files: list[tuple[str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        fix_8bit_headers(part)
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = part_filename(part)
        ctype = part.get_content_type()
        if disposition != "attachment" and not filename and ctype in ("text/plain", "text/html"):
            texts.append(_text_of(part))
            continue
        if disposition == "inline" and part.get("Content-ID") and ctype.startswith("image/"):
            continue  # a signature logo or a picture in the HTML body
        if disposition == "attachment" or filename:
            files.append((filename, part.get_payload(decode=True) or b""))
    parsed = ParsedMail(sender=sender, subject=header_text(msg, "Subject"),
                        message_id=header_text(msg, "Message-ID"), text="\n".join(texts))
    return parsed, files


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    return decode_bytes(payload, part.get_content_charset())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(dest: Path, data: bytes, mtime: datetime | None = None) -> None:
    """Temp file, fsync, rename, fsync the folder: a crash leaves the old state or the whole file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".mail-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mtime is not None:  # folder discovery sees the receipt time too
            os.utime(tmp, (mtime.timestamp(), mtime.timestamp()))
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)
    _fsync_dir(dest.parent)


def place(inbox: Path, rel_dir: str, name: str, data: bytes) -> tuple[str, bool]:
    """Where the bytes go: their name in the folder, or the same bytes already there (not written again),
    or `name（2）.ext` when another file holds the name. Returns (inbox path, exists already)."""
    sha = hashlib.sha256(data).hexdigest()
    stem, ext = os.path.splitext(name)
    for n in range(1, 1000):
        candidate = name if n == 1 else f"{stem}（{n}）{ext}"
        path = inbox / rel_dir / candidate
        if not path.exists():
            return f"{rel_dir}/{candidate}", False
        if hashlib.sha256(path.read_bytes()).hexdigest() == sha:
            return f"{rel_dir}/{candidate}", True
    raise OSError(f"{rel_dir}/{name}: 同名文件过多")


def targets(parsed: ParsedMail, attachments: list[Attachment]) -> list[tuple[Attachment, str]]:
    """The inbox folder of each document: team archives into 班组申报/, a team's loose files into a
    folder named after the mail, a unit's files into 推荐材料/."""
    docs = [a for a in attachments if a.is_document or a.is_archive]
    if not is_team_mail(attachments):
        return [(a, UNIT_DIR) for a in docs]
    team_folder = f"{TEAM_DIR}/{folder_name(parsed.subject, parsed.sender.split('<')[0].strip() or '来信')}"
    return [(a, TEAM_DIR if a.is_archive else team_folder) for a in docs]


def findings_for(parsed: ParsedMail, attachments: list[Attachment], received: datetime) -> list[Problem]:
    who = f"{parsed.sender}（主题“{parsed.subject or '无主题'}”，{_when(received)}收到）"
    out = []
    links = download_links(parsed.text)
    if links:
        out.append(Problem(code=Code.MAIL_DOWNLOAD_LINK, message=(
            f"来信 {who} 以下载链接代替附件（{'；'.join(links[:3])}），系统无法自动下载，"
            "请下载后放入收件箱或请对方以附件重新发送。")))
    elif not attachments:
        out.append(Problem(code=Code.MAIL_WITHOUT_ATTACHMENT, message=(
            f"来信 {who} 没有附件，未收到申报材料，请联系对方补发。")))
    others = [a for a in attachments if not (a.is_document or a.is_archive)]
    if others:
        names = "、".join(f"“{a.filename or '无名附件'}”（{a.label}）" for a in others)
        out.append(Problem(code=Code.MAIL_NON_DOCUMENT_ATTACHMENT, message=(
            f"来信 {who} 的附件 {names} 不是申报材料，系统未收入，请请对方转换为 PDF 后重新发送。")))
    return out


class MailIntake:
    """One fetch pass over the configured mailbox into `inbox`."""

    def __init__(self, settings: Settings, store: Store, inbox: Path,
                 on_mail: Callable[[int], None] | None = None) -> None:
        self.settings, self.store, self.inbox = settings, store, inbox
        self.key = imap.mailbox_key(settings)
        self.on_mail = on_mail

    def run(self) -> MailFetchResult:
        result = MailFetchResult()
        box = imap.connect(self.settings)
        try:
            validity = imap.uidvalidity(box, self.settings.mail_folder)
            start = self._cursor(validity)
            done = self._processed(validity, start)
            failed: int | None = None
            listed = imap.new_uids(box, start)
            for uid in listed:
                if uid in done:
                    continue
                try:
                    raw = imap.fetch_raw(box, uid)
                    if raw is not None:
                        self._process(validity, raw, result)
                except Exception as exc:  # noqa: BLE001 - this mail waits for the next run, the rest go on
                    result.errors.append(f"UID {uid}: {type(exc).__name__}: {exc}"[:300])
                    failed = uid if failed is None else failed
                if self.on_mail is not None:
                    self.on_mail(uid)
            if listed:
                self._advance(validity, failed if failed is not None else max(listed) + 1)
        finally:
            box.logout()
        return result

    # ------------------------------------------------------------ store

    def _cursor(self, validity: int) -> int:
        with self.store.session() as s:
            row = s.get(MailCursor, (self.key, validity))
            return row.next_uid if row else 1

    def _processed(self, validity: int, start: int) -> set[int]:
        with self.store.session() as s:
            return set(s.scalars(select(MailRecord.uid).where(
                MailRecord.mailbox == self.key, MailRecord.uidvalidity == validity, MailRecord.uid >= start)))

    def _advance(self, validity: int, next_uid: int) -> None:
        with self.store.session() as s, s.begin():
            row = s.get(MailCursor, (self.key, validity))
            if row is None:
                s.add(MailCursor(mailbox=self.key, uidvalidity=validity, next_uid=next_uid,
                                 updated_at=datetime.now(UTC)))
            else:
                row.next_uid, row.updated_at = max(row.next_uid, next_uid), datetime.now(UTC)

    def _seen_message(self, message_id: str) -> bool:
        if not message_id:
            return False
        with self.store.session() as s:
            return s.scalar(select(MailRecord.id).where(MailRecord.mailbox == self.key,
                                                        MailRecord.message_id == message_id).limit(1)) is not None

    # ------------------------------------------------------------ one mail

    @staticmethod
    def _attachment(name: str, payload: bytes) -> Attachment:
        fmt, label = sniff_bytes(payload, name)
        if fmt == "archive" and (inner := unit_bundle_in_zip(payload)) is not None:
            name, payload = inner  # a unit's zipped bundle: the PDF goes to 推荐材料/ itself
            fmt, label = sniff_bytes(payload, name)
        return Attachment(filename=name, payload=payload, fmt=fmt, label=label)

    def _process(self, validity: int, raw: imap.RawMail, result: MailFetchResult) -> None:
        parsed, files = parse(raw.raw)
        raw_rel = Path("mail") / hashlib.sha256(self.key.encode()).hexdigest()[:12] / f"{validity}-{raw.uid}.eml"
        write_durably(self.store.home / raw_rel, raw.raw, raw.received_at)  # the whole mail is kept
        record = MailRecord(mailbox=self.key, uidvalidity=validity, uid=raw.uid, message_id=parsed.message_id,
                            sender=parsed.sender, subject=parsed.subject, received_at=raw.received_at,
                            processed_at=datetime.now(UTC), outcome="archived", findings=[],
                            raw_path=str(raw_rel))
        saved: list[tuple[str, str, str]] = []  # inbox path, sha256, filename
        if self._seen_message(parsed.message_id):
            record.outcome = "duplicate"
            result.duplicates += 1
        else:
            attachments = [self._attachment(name, payload) for name, payload in files]
            problems = findings_for(parsed, attachments, raw.received_at)
            fresh = 0
            for i, (att, folder) in enumerate(targets(parsed, attachments), start=1):
                fallback = f"附件{i}{'.pdf' if att.fmt == 'pdf' else ''}"
                rel, exists = place(self.inbox, folder, safe_name(att.filename, fallback), att.payload)
                if not exists:
                    write_durably(self.inbox / rel, att.payload, raw.received_at)
                    result.files_saved.append(rel)
                    fresh += 1
                saved.append((rel, hashlib.sha256(att.payload).hexdigest(), att.filename))
            if saved and not fresh and not problems:
                record.outcome, result.duplicates = "duplicate", result.duplicates + 1
            elif problems:
                record.outcome = "finding"
            record.findings = [p.model_dump(exclude_none=True) for p in problems]
            result.findings.extend(problems)
        with self.store.session() as s, s.begin():  # processed only now: everything is on disk
            s.add(record)
            s.flush()
            for rel, sha, name in saved:
                s.add(MailAttachmentRecord(mail_id=record.id, inbox_path=rel, sha256=sha, filename=name))
        result.mails_new += 1


def fetch_new_mail(settings: Settings, store: Store, inbox: Path,
                   on_mail: Callable[[int], None] | None = None) -> MailFetchResult:
    """Fetch what arrived since the last fetch into `inbox` (nothing to do when no mailbox is set)."""
    if not settings.mail_enabled:
        return MailFetchResult(enabled=False)
    return MailIntake(settings, store, inbox, on_mail).run()
