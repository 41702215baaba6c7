"""A throw-away PostgreSQL cluster on a Unix socket only (no network), for tests and benchmarks."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """One PostgreSQL server in a temp directory; one database per caller (`new_database`)."""

    def __init__(self, bindir: Path, base: Path, run_as: list[str]) -> None:
        self.bindir, self.sock, self.run_as = bindir, base / "sock", run_as
        self.port = free_port()  # names the socket file only: listen_addresses is empty

    def new_database(self, name: str) -> str:
        """Create database `name` and return its SQLAlchemy URL."""
        subprocess.run(
            [*self.run_as, str(self.bindir / "createdb"), "-h", str(self.sock), "-p", str(self.port), "-U",
             "postgres", name],
            check=True,
            capture_output=True,
        )
        return f"postgresql+psycopg://postgres@/{name}?host={self.sock}&port={self.port}"

    @classmethod
    @contextmanager
    def started(cls) -> Iterator[PostgresCluster]:
        """initdb, start, yield; stop and remove everything afterwards."""
        bindir = pg_bin()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries are not installed (apt-get install postgresql)")
        run_as: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # it refuses root
        base = Path(tempfile.mkdtemp(prefix="banzu-pg-"))
        cluster = cls(bindir, base, run_as)
        data = base / "data"
        cluster.sock.mkdir()
        if run_as:
            shutil.chown(base, "postgres")
            shutil.chown(cluster.sock, "postgres")
        subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [*run_as, str(bindir / "postgres"), "-D", str(data), "-k", str(cluster.sock), "-c",
             "listen_addresses=", "-p", str(cluster.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                if (cluster.sock / f".s.PGSQL.{cluster.port}").exists():
                    break
                time.sleep(0.1)
            yield cluster
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(base, ignore_errors=True)
