"""A real IMAP server for the tests: Debian's dovecot from a config in a temp folder, as root's child with
its mail stored as `nobody` (dovecot refuses root as the mail user); one account per test."""

from __future__ import annotations

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.conftest import require_tool

DOVECOT = "/usr/sbin/dovecot"
MAIL_UID = 65534  # nobody
ACCOUNTS = 40  # one per test that needs a mailbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(tool: str) -> str:
    require_tool("dovecot", Path(tool).exists(), "dovecot-imapd")
    return tool


CONFIG = """protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/run/state
instance_name = banzu-test-{tag}
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Account:
    host: str
    port: int
    user: str
    password: str

    def env(self) -> dict[str, str]:
        return {"BANZU_MAIL_HOST": self.host, "BANZU_MAIL_PORT": str(self.port), "BANZU_MAIL_SECURITY": "none",
                "BANZU_MAIL_USER": self.user, "BANZU_MAIL_PASSWORD": self.password, "BANZU_MAIL_FOLDER": "INBOX"}

    def append(self, raw: bytes, when: datetime, folder: str = "INBOX") -> None:
        """APPEND with a date: the server's INTERNALDATE (the receipt time) is `when`."""
        client = imaplib.IMAP4(self.host, self.port)
        try:
            client.login(self.user, self.password)
            status, _ = client.append(folder, None, imaplib.Time2Internaldate(when), raw)
            assert status == "OK"
        finally:
            client.logout()


    def recreate(self, folder: str) -> None:
        """Delete and create the folder again: the server gives it a new UIDVALIDITY."""
        client = imaplib.IMAP4(self.host, self.port)
        try:
            client.login(self.user, self.password)
            client.delete(folder)
            assert client.create(folder)[0] == "OK"
        finally:
            client.logout()

    def create(self, folder: str) -> None:
        client = imaplib.IMAP4(self.host, self.port)
        try:
            client.login(self.user, self.password)
            assert client.create(folder)[0] == "OK"
        finally:
            client.logout()


class Dovecot:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="banzu-dovecot-"))
        os.chmod(self.root, 0o755)  # the mail processes run as nobody
        (self.root / "mail").mkdir()
        os.chown(self.root / "mail", MAIL_UID, MAIL_UID)
        # dovecot reads the passwd-file once a second at best: the accounts exist before it starts
        self.users = [f"u{i:02d}{uuid.uuid4().hex[:6]}" for i in range(ACCOUNTS)]
        (self.root / "users").write_text("".join(f"{u}:{{PLAIN}}pw-{u}\n" for u in self.users))
        self.port = free_port()
        conf = self.root / "dovecot.conf"
        conf.write_text(CONFIG.format(root=self.root, port=self.port, uid=MAIL_UID, tag=uuid.uuid4().hex[:8]))
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        log = self.root / "dovecot.log"
        self.stop()
        raise RuntimeError(log.read_text(errors="replace") if log.exists() else "dovecot did not start")

    def account(self) -> Account:
        """A fresh mailbox for one test."""
        user = self.users.pop()
        return Account("127.0.0.1", self.port, user, f"pw-{user}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master stops its children
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)
