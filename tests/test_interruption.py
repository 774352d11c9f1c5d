"""A build killed with SIGKILL at any stage leaves no partial output, and the next build finishes the job."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run_course

pytestmark = pytest.mark.slow
BUILD = ["build", "--profile", "smoke", "--session", "1", "-j", "2"]


def start_build(course: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--course-dir", str(course), *BUILD],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def kill_when(process: subprocess.Popen, log: Path, marker: str, timeout: float = 120) -> bool:
    """SIGKILL the build and all its workers once `log` contains `marker`; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if log.is_file() and marker in log.read_text(encoding="utf-8", errors="replace"):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"{log.name} never showed {marker!r}")


def assert_whole(path: Path) -> None:
    """A published output must be complete: each format is opened by what reads it."""
    suffix = path.suffix
    if suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif suffix in {".png", ".gif"}:
        from PIL import Image

        with Image.open(path) as image:
            image.verify()
    elif suffix in {".pptx", ".zip"}:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
    elif suffix == ".ipynb":
        import nbformat

        nbformat.validate(nbformat.read(path, as_version=4))
    elif suffix == ".pt":
        import torch

        torch.load(path, weights_only=False)
    elif suffix == ".pdf":
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    elif suffix == ".mp4":
        import av

        with av.open(str(path)) as container:
            assert sum(1 for _ in container.decode(video=0)) > 0
    elif suffix == ".html":
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


def assert_no_partial_outputs(build: Path) -> set[str]:
    """Every output at its final path is whole; return the targets the manifest says finished."""
    for path in build.rglob("*"):
        if path.is_file() and ".tmp-" not in path.name and "logs" not in path.parts and path.name != ".lock":
            assert_whole(path)
    manifest = build / "manifest.json"
    if not manifest.is_file():
        return set()
    targets = json.loads(manifest.read_text(encoding="utf-8"))["targets"]
    for entry in targets.values():
        for output in entry["outputs"]:
            assert (build / output["path"]).stat().st_size == output["bytes"]
    return set(targets)


def test_killed_builds_leave_whole_outputs_and_the_next_build_reuses_them(course_copy: Path) -> None:
    build = course_copy / "build"
    finished_before_kills: list[set[str]] = []
    for log, marker in [("model-perceptron_separable.log", "config:"),
                        ("animation-perceptron_learning.log", "building with profile"),
                        ("deck-session-01.log", "building with profile")]:
        process = start_build(course_copy)
        killed = kill_when(process, build / "logs" / log, marker)
        assert killed, f"the build finished before {log} started; nothing was interrupted"
        finished_before_kills.append(assert_no_partial_outputs(build))

    # Each interrupted build kept what the earlier ones finished.
    assert finished_before_kills[0] <= finished_before_kills[1] <= finished_before_kills[2]
    assert finished_before_kills[2], "the kills came before any target finished"

    result = run_course(course_copy, *BUILD)
    assert result.returncode == 0, result.stderr[-2000:]
    log_lines = (build / "logs" / "build.log").read_text(encoding="utf-8").splitlines()
    statuses = dict(line.split("\t")[:2] for line in log_lines)
    assert all(statuses[name] == "cached" for name in finished_before_kills[2])
    assert assert_no_partial_outputs(build) == set(statuses)
    assert not list(build.rglob("*.tmp-*"))  # the finishing build cleared the killed builds' leftovers


def test_a_waiting_build_runs_once_the_lock_is_free(built_copy: Path) -> None:
    lock_path = built_copy / "build" / ".lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        releaser = threading.Timer(1.5, lambda: fcntl.flock(handle, fcntl.LOCK_UN))
        releaser.start()
        started = time.monotonic()
        result = run_course(built_copy, *BUILD, "--wait")
        releaser.join()
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.4  # it waited for the holder rather than running beside it
    json.loads((built_copy / "build" / "manifest.json").read_text(encoding="utf-8"))
