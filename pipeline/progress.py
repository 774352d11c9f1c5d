"""The build's live display: one bar for the whole build, one line per running target."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class BuildProgress:
    def __init__(self, console: Console | None, decisions: list[Any]) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=self.console, transient=False,
            disable=not self.console.is_terminal,
        )
        self.overall = self.progress.add_task("build", total=len(decisions))
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> BuildProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def start(self, name: str, reason: str) -> None:
        # The log always says why each target ran, whether or not a terminal shows the bars.
        self.console.log(f"run {name}: {reason}")
        self.tasks[name] = self.progress.add_task(f"  {name}", total=None)

    def advance(self, name: str, done: int, total: int) -> None:
        task = self.tasks.get(name)
        if task is not None:
            self.progress.update(task, completed=done, total=total)

    def finish(self, name: str, status: str) -> None:
        task = self.tasks.pop(name, None)
        if task is not None:
            self.progress.remove_task(task)
        if status != "built":
            self.console.log(f"{status} {name}")
        self.progress.advance(self.overall)
