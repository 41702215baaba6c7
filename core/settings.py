"""Settings: BANZU_* environment variables (and an optional .env), resolved once and passed in."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BANZU_", env_file=".env", extra="ignore")

    home: Path = Path("./var")
    database_url: str | None = None
    ocr_workers: int = 0  # 0: decided from the machine's cores
    ocr_page_timeout: float = 120.0  # seconds one page may take before it becomes a problem
    run_lock_wait: float = 30.0  # seconds a second intake on the same home waits before giving up

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'banzu.sqlite3'}"

    @property
    def archive_dir(self) -> Path:
        return self.home_dir / "archive"

    @property
    def work_dir(self) -> Path:
        return self.home_dir / "work"

    def reports_dir(self, year: int) -> Path:
        return self.home_dir / "reports" / str(year)


def get_settings() -> Settings:
    return Settings()
