"""The workspace as its users start it: accounts made with the real `banzu users add`, the site served by
the real `banzu web` on a free port. Tests and the workspace benchmark share it so that both measure the
same thing a secretariat runs."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def banzu_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any BANZU_ setting of its own, pointed at `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANZU_")}
    return env | {"BANZU_HOME": str(home), "PYTHONUNBUFFERED": "1"} | extra


def add_user(env: Mapping[str, str], name: str, role: str, password: str, cwd: Path | None = None) -> None:
    """One account, the password typed at the prompt as a person would."""
    subprocess.run(
        [str(BIN / "banzu"), "users", "add", name, "--role", role],
        input=password + "\n",
        text=True,
        env=dict(env),
        check=True,
        capture_output=True,
        cwd=cwd,
    )


def first_line(proc: subprocess.Popen, timeout: float) -> str:
    """The first line the process prints, or kill it after `timeout` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout).strip()
    except queue.Empty:
        proc.kill()
        raise RuntimeError("banzu web did not start") from None


@contextmanager
def served_workspace(env: Mapping[str, str], cwd: Path | None = None, timeout: float = 120) -> Iterator[str]:
    """`banzu web --port 0` running for the duration of the block; yields the URL it prints."""
    proc = subprocess.Popen(
        [str(BIN / "banzu"), "web", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(env),
        cwd=cwd,
    )
    try:
        yield first_line(proc, timeout)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
