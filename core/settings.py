"""Settings: BANZU_* environment variables (and an optional .env), resolved once and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BANZU_", env_file=".env", extra="ignore")

    home: Path = Path("./var")
    database_url: str | None = None
    ocr_workers: int = 0  # intake: 0 = the reader child's one OCR engine; N = N OCR processes per scanned file
    reader_max_mb: int = 800  # the reader child is replaced after a file that leaves it holding more
    file_max_mb: int = 2048  # a file whose reading takes the reader child above this is stopped (a finding)
    ocr_page_timeout: float = 120.0  # seconds one page may take before it becomes a problem
    run_lock_wait: float = 30.0  # seconds a second intake on the same home waits before giving up
    ocr_threads: int = 1  # onnxruntime threads per OCR engine (one per process measured best); 0: its own
    dask_address: str | None = None  # tcp://host:8786: extraction tasks run on that Dask cluster
    # the activity's mailbox (IMAP); when mail_host is set each run first fetches new mail
    mail_host: str | None = None
    mail_port: int | None = None  # default: 993 for ssl, 143 otherwise
    mail_security: Literal["ssl", "starttls", "none"] = "ssl"
    mail_user: str | None = None
    mail_password: str | None = None
    mail_password_file: Path | None = None  # a file holding the password (systemd credentials, secrets)
    mail_folder: str = "INBOX"
    # word when a run is done: apprise URLs separated by spaces (mailto://, dingtalk://, wecombot://)
    notify: str = ""
    notify_late_after: str = "07:30"  # Beijing time by which the nightly run should have completed
    reports_url: str | None = None  # where people open the reports (a web address); default the folder
    # the schedule of `banzu serve`
    inbox: Path | None = None  # the folder mail is saved into and the nightly run reads; default HOME/inbox
    serve_cron: str = "30 1 * * *"
    serve_timezone: str = "Asia/Shanghai"

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'banzu.sqlite3'}"

    @property
    def mail_enabled(self) -> bool:
        return bool(self.mail_host)

    def mail_secret(self) -> str:
        """The IMAP password: from the file when one is named (trailing newline dropped), else the setting."""
        if self.mail_password_file is not None:
            return self.mail_password_file.expanduser().read_text(encoding="utf-8").rstrip("\r\n")
        return self.mail_password or ""

    @property
    def inbox_dir(self) -> Path:
        return (self.inbox or self.home_dir / "inbox").expanduser().resolve()

    @property
    def notify_urls(self) -> list[str]:
        return self.notify.split()

    @property
    def work_dir(self) -> Path:
        return self.home_dir / "work"

    def reports_dir(self, year: int) -> Path:
        return self.home_dir / "reports" / str(year)


def get_settings() -> Settings:
    return Settings()
