"""The mail intake's memory (revision 0004): which mails of which mailbox were processed, and where each
attachment went with the mail's receipt time, so later runs still know how and when a file arrived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.store.tables import Base


class MailCursor(Base):
    """Per mailbox and UIDVALIDITY: every UID below `next_uid` has been processed."""

    __tablename__ = "mail_cursors"

    mailbox: Mapped[str] = mapped_column(String(400), primary_key=True)  # user@host/folder
    uidvalidity: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    next_uid: Mapped[int] = mapped_column(BigInteger, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MailRecord(Base):
    """One processed mail: marked only after its attachments were safely saved."""

    __tablename__ = "mail_messages"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_mail_uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mailbox: Mapped[str] = mapped_column(String(400))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(Text, default="", index=True)
    sender: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the server's INTERNALDATE
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(20))  # archived, finding, duplicate
    findings: Mapped[list] = mapped_column(JSON, default=list)  # Problem dicts for the secretariat
    raw_path: Mapped[str | None] = mapped_column(Text, nullable=True)  # the .eml kept under BANZU_HOME


class MailAttachmentRecord(Base):
    """An attachment saved into the inbox: its path there, its bytes and the mail it came in."""

    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail_messages.id"), index=True)
    inbox_path: Mapped[str] = mapped_column(Text, index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(Text)  # the name as the sender gave it (decoded)
