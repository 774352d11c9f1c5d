"""Atomic outputs: a reader (or a killed build) never sees a half-written file.

Every output is written to a temporary file beside its final path and renamed into place only
once complete; `os.replace` is atomic on one filesystem, so the old output stays until the new one
is whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TEMP_MARK = ".tmp-"
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent,
                                             suffix=path.suffix)
    os.close(descriptor)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        with open(temporary_path, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary_path, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
        os.replace(temporary_path, path)
    finally:
        temporary_path.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, value: Any) -> None:
    write_text(path, json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def copy_file(source: Path, destination: Path) -> None:
    with atomic_path(destination) as temporary:
        shutil.copyfile(source, temporary)


def remove_stale_temporaries(directory: Path) -> int:
    """Delete temporary files a killed build left behind; return how many."""
    removed = 0
    if directory.is_dir():
        for leftover in directory.rglob(f"*{TEMP_MARK}*"):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed += 1
    return removed
