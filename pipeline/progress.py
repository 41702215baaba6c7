"""A small progress bus: the flow reports stages and files, the CLI (rich) listens.

Kept free of any UI so the flow also runs where nobody listens (Prefect workers, tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ProgressEvent:
    stage: str  # a Chinese stage name, e.g. "读取文件"
    kind: Literal["start", "step", "end"]
    total: int | None = None
    label: str = ""


Listener = Callable[[ProgressEvent], None]
_listeners: list[Listener] = []


def emit(
    stage: str, kind: Literal["start", "step", "end"], total: int | None = None, label: str = ""
) -> None:
    event = ProgressEvent(stage, kind, total, label)
    for listener in list(_listeners):
        with suppress(Exception):  # a broken display never breaks a run
            listener(event)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)
