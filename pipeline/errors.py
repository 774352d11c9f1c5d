"""The one error hierarchy of the course builder.

Every error the engine raises on purpose is a `CourseError`. Each carries the fields a reader
needs (file, line, target, cell) and prints as one readable line. Only `pipeline.cli` turns these
into exit codes; library code never exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class CourseError(Exception):
    """Base of every error the course builder reports to its user."""

    exit_code = 1

    def one_line(self) -> str:
        return str(self)


@dataclass
class CurriculumError(CourseError):
    """The curriculum is wrong: a YAML or schema problem at a known place in a file."""

    path: Path | str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    exit_code = 2

    def __post_init__(self) -> None:
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.one_line()


class CurriculumErrors(CourseError):
    """Several curriculum errors found in one load; each still prints as its own line."""

    exit_code = 2

    def __init__(self, errors: list[CurriculumError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.one_line() for error in errors))


class BuildLockedError(CourseError):
    """Another build holds the build directory's lock."""

    exit_code = 3


@dataclass
class TargetError(CourseError):
    """One build target failed; the rest of the build goes on."""

    target: str
    message: str
    log_path: Path | None = None

    def __post_init__(self) -> None:
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"{self.target}: {self.message}"

    def __str__(self) -> str:
        return self.one_line()


@dataclass
class NotebookCellError(CourseError):
    """A lab's cell raised while the notebook executed."""

    lab: str
    cell: int
    exception: str
    partial_notebook: Path | None = None

    def __post_init__(self) -> None:
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"lab {self.lab}: cell {self.cell} raised {self.exception}"
        if self.partial_notebook is not None:
            text += f" (partial notebook kept at {self.partial_notebook})"
        return text

    def __str__(self) -> str:
        return self.one_line()


@dataclass
class SlideOverflowError(CourseError):
    """A slide's text cannot fit its box even at the smallest allowed size."""

    session: str
    slide: int
    message: str

    def __post_init__(self) -> None:
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"session {self.session}, slide {self.slide}: {self.message}"

    def __str__(self) -> str:
        return self.one_line()


class BuildFailed(CourseError):
    """The build finished but at least one target failed."""

    exit_code = 1

    def __init__(self, failures: list[tuple[str, Path | None]]) -> None:
        self.failures = failures
        names = ", ".join(name for name, _ in failures)
        super().__init__(f"{len(failures)} target(s) failed: {names}")
