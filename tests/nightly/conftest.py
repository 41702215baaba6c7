"""One dovecot for every mail test of the session; each test gets its own account (its own mailbox)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .imapserver import DOVECOT, Account, Dovecot, require


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    require(DOVECOT)
    server = Dovecot()
    yield server
    server.stop()


@pytest.fixture
def mail_account(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Account:
    account = dovecot.account()
    for key, value in account.env().items():
        monkeypatch.setenv(key, value)
    return account


class Inbox:
    """What the local SMTP server received, as parsed mails."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd's handler hook
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def texts(self) -> list[tuple[str, str]]:
        """(subject, plain body) of each mail."""
        out = []
        for m in self.messages:
            part = m.get_body(("plain", "html"))
            out.append((str(m["Subject"]), part.get_content() if part is not None else ""))
        return out


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """aiosmtpd on a free loopback port for the whole session."""
    from aiosmtpd.controller import Controller

    from .imapserver import free_port

    sink = Inbox()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, sink
    controller.stop()


@pytest.fixture
def notify_mailbox(smtp_server, monkeypatch: pytest.MonkeyPatch) -> Inbox:
    """BANZU_NOTIFY pointing at the local SMTP server; the list of received mails starts empty."""
    port, sink = smtp_server
    sink.messages.clear()
    monkeypatch.setenv("BANZU_NOTIFY", f"mailto://127.0.0.1:{port}?mode=insecure&from=banzu@example.cn"
                                       "&to=mishu@example.cn")
    return sink
