"""The stage registry: which function builds which kind of target, and how a target is run.

A stage is a function `(bundle, context, target, report) -> device` that reads its inputs and
writes exactly the target's outputs, atomically. `run_target` wraps every stage the same way: it
sends the stage's output to the target's log, times it, and turns any error into a failed
`Outcome` with a one-line message, so one failing target never stops the others.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import CourseError

# stage name -> "module:function"; imported lazily so planning never loads torch or manim.
STAGES = {
    "model": "pipeline.training:build_model",
    "figure": "pipeline.figures:build_figure",
    "animation": "pipeline.animations:build_animation",
    "lab": "pipeline.notebooks:build_lab",
    "deck": "pipeline.decks:build_deck",
    "handout": "pipeline.handouts:build_handout",
    "zip": "pipeline.site:build_session_zip",
    "site": "pipeline.site:build_site",
}


def stage_function(stage: str) -> Callable[..., str | None]:
    module_name, function_name = STAGES[stage].split(":")
    return getattr(importlib.import_module(module_name), function_name)


@contextlib.contextmanager
def _output_to(log_path: Path) -> Iterator[None]:
    """Send this process's stdout and stderr (Python's and C libraries') to the target's log."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def run_target(bundle: Any, context: Any, target: Any, progress_queue: Any) -> Any:
    from pipeline.engine import Outcome

    log_path = context.log_path(target.name)
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        if progress_queue is not None:
            progress_queue.put((target.name, done, total))

    with _output_to(log_path):
        print(f"{target.name}: building with profile {context.profile_name}", flush=True)
        try:
            device = stage_function(target.stage)(bundle, context, target, report)
        except CourseError as error:
            traceback.print_exc()
            return Outcome(target.name, "failed", time.perf_counter() - started, error.one_line(), log_path)
        except Exception as error:  # any bug in a stage fails that target only
            traceback.print_exc()
            message = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            return Outcome(target.name, "failed", time.perf_counter() - started, message.rstrip(": "), log_path)
        print(f"{target.name}: done in {time.perf_counter() - started:.1f}s", flush=True)
    return Outcome(target.name, "built", time.perf_counter() - started, "", log_path, device or "cpu")
