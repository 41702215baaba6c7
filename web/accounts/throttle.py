"""Login throttling: at most 10 wrong passwords a minute per account (and 30 per address)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

WINDOW = 60.0
PER_ACCOUNT = 10
PER_ADDRESS = 30


class LoginThrottle:
    """Failed attempts in the last minute; in memory (`banzu web` is one process)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - WINDOW:
            q.popleft()
        return q

    def blocked(self, username: str, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return (
                len(self._recent(f"u:{username.casefold()}", now)) >= PER_ACCOUNT
                or len(self._recent(f"a:{address}", now)) >= PER_ADDRESS
            )

    def failed(self, username: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(f"u:{username.casefold()}", now).append(now)
            self._recent(f"a:{address}", now).append(now)


THROTTLE = LoginThrottle()
