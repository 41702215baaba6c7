"""Mails as Chinese mail clients write them: GBK names as RFC 2047 words, as RFC 2231 parameters and as
raw 8-bit header bytes; QQ 超大附件 mails carrying only a link."""

from __future__ import annotations

import base64
import uuid
from email.header import Header
from urllib.parse import quote


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def _words(text: str, charset: str = "gbk") -> str:
    return Header(text, charset).encode()


def attachment_part(name: str, data: bytes, style: str = "rfc2047", ctype: str = "application/octet-stream") -> bytes:
    """One attachment part; `style` is how the (GBK) name is written."""
    if style == "rfc2047":  # Foxmail, Outlook: an encoded word inside the quotes
        params = f'; name="{_words(name)}"', f'; filename="{_words(name)}"'
        head = f"Content-Type: {ctype}{params[0]}\r\nContent-Disposition: attachment{params[1]}\r\n".encode()
    elif style == "rfc2231":  # Thunderbird, Apple Mail with a GB charset
        value = quote(name.encode("gb18030"), safe="")
        head = f"Content-Type: {ctype}\r\nContent-Disposition: attachment; filename*=gb18030''{value}\r\n".encode()
    elif style == "raw":  # old clients: GBK bytes straight in the header
        head = (f"Content-Type: {ctype}\r\nContent-Disposition: attachment; filename=\"".encode()
                + name.encode("gbk") + b'"\r\n')
    else:
        raise ValueError(style)
    return head + b"Content-Transfer-Encoding: base64\r\n\r\n" + _b64(data).encode() + b"\r\n"


def mail(sender: str, subject: str, *, body: str = "您好，附件为申报材料，请查收。",
         attachments: list[bytes] = (), message_id: str | None = None, html: str | None = None) -> bytes:
    """A multipart mail with a GBK body and subject, and the given attachment parts."""
    boundary = f"----=_Part_{uuid.uuid4().hex}"
    name, _, addr = sender.partition("<")
    head = (f"From: {_words(name.strip())} <{addr}\r\nTo: banzu@example.cn\r\n"
            f"Subject: {_words(subject)}\r\nMessage-ID: {message_id or f'<{uuid.uuid4().hex}@mail.example.cn>'}\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n').encode()
    parts = [b"Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             + _b64(body.encode("gbk")).encode() + b"\r\n"]
    if html is not None:
        parts.append(b"Content-Type: text/html; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                     + _b64(html.encode("gbk")).encode() + b"\r\n")
    parts.extend(attachments)
    sep = f"--{boundary}\r\n".encode()
    return head + b"".join(sep + p for p in parts) + f"--{boundary}--\r\n".encode()


QQ_BIG_ATTACHMENT_HTML = (
    '<div>从QQ邮箱发来的超大附件</div><div><a href="https://wx.mail.qq.com/ftn/download?func=3&amp;'
    'k=5a3b2c1d&amp;fweb=1&amp;cl=1">中铁建工集团推荐材料.pdf (256.3M, 2024年06月15日 10:02 到期)</a></div>')
