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
