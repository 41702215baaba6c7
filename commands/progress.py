"""Rich progress for `banzu intake`: one bar per stage, advanced per file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.progress import ProgressEvent, listening


@contextmanager
def rich_progress(console: Console, enabled: bool = True) -> Iterator[None]:
    if not enabled:
        yield
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[label]}"),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def on_event(event: ProgressEvent) -> None:
        if event.kind == "start":
            for name, task_id in tasks.items():
                if name != event.stage:
                    bars.update(
                        task_id,
                        completed=bars.tasks[task_id].total or 1,
                        total=bars.tasks[task_id].total or 1,
                    )
            tasks[event.stage] = bars.add_task(event.stage, total=event.total, label="")
        elif event.kind == "step" and event.stage in tasks:
            bars.update(tasks[event.stage], advance=1, label=event.label[-60:])
        elif event.kind == "end":
            for task_id in tasks.values():
                total = bars.tasks[task_id].total or 1
                bars.update(task_id, completed=total, total=total, label="")

    with bars, listening(on_event):
        yield
