"""Runs the build graph: decides what is stale, runs it in parallel, records it in the manifest.

Targets run in worker processes (`-j N`), each with its BLAS/OpenMP threads capped so N workers
share the cores instead of fighting over them. A failing target does not stop unrelated ones;
its dependents are skipped, and the build ends with a summary and a non-zero exit.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import atomic, stages
from pipeline.curriculum import CourseBundle
from pipeline.errors import BuildLockedError
from pipeline.graph import Graph, KeyMaker, Target, explain_change, library_version
from pipeline.schema import Profile

MANIFEST = "manifest.json"
LOCK = ".lock"
LOGS = "logs"


@dataclass(frozen=True)
class BuildContext:
    """What every stage knows about the build it runs in; picklable, sent to each worker."""

    root: Path
    build_dir: Path
    profile_name: str
    profile: Profile
    threads_per_worker: int

    def output(self, relative: str) -> Path:
        return self.build_dir / relative

    def log_path(self, target_name: str) -> Path:
        return self.build_dir / LOGS / (target_name.replace(":", "-") + ".log")


@dataclass
class Decision:
    target: Target
    key: str
    inputs: dict[str, str]
    run: bool
    reason: str


@dataclass
class Outcome:
    name: str
    status: str  # built, cached, failed, skipped
    seconds: float = 0.0
    message: str = ""
    log: Path | None = None
    device: str = ""


@dataclass
class BuildReport:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in {"failed", "skipped"}]

    def count(self, status: str, stage: str | None = None) -> int:
        return sum(1 for o in self.outcomes
                   if o.status == status and (stage is None or o.name.split(":")[0] == stage))


# --- manifest ---------------------------------------------------------------------------------


def read_manifest(build_dir: Path) -> dict[str, Any]:
    path = build_dir / MANIFEST
    if not path.is_file():
        return {"targets": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"targets": {}}  # a damaged manifest only costs a rebuild
    return manifest if isinstance(manifest.get("targets"), dict) else {"targets": {}}


def decide(bundle: CourseBundle, graph: Graph, build_dir: Path, force: bool = False) -> list[Decision]:
    """For each target in order: its key, and whether and why it must run."""
    keys = KeyMaker(bundle.root, graph)
    recorded = read_manifest(build_dir)["targets"]
    decisions: list[Decision] = []
    for target in graph.order():
        key, inputs = keys.keys[target.name], keys.inputs[target.name]
        entry = recorded.get(target.name)
        missing = [o for o in target.outputs if not (build_dir / o).is_file()]
        if force:
            run, reason = True, "forced"
        elif entry is None:
            run, reason = True, "never built"
        elif entry.get("key") != key:
            run, reason = True, explain_change(entry.get("inputs"), inputs)
        elif missing:
            run, reason = True, f"output {missing[0]} missing"
        elif _outputs_changed(build_dir, entry):
            run, reason = True, "an output was changed outside the build"
        else:
            run, reason = False, "up to date"
        decisions.append(Decision(target, key, inputs, run, reason))
    return decisions


def _outputs_changed(build_dir: Path, entry: dict[str, Any]) -> bool:
    for output in entry.get("outputs", []):
        path = build_dir / output["path"]
        if not path.is_file() or path.stat().st_size != output["bytes"]:
            return True
    return False


# --- locking ----------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(build_dir: Path, wait_for_it: bool = False) -> Iterator[None]:
    """One build per build directory at a time; a second one waits or is refused, never interleaves."""
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / LOCK, "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if wait_for_it else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError(
                f"{build_dir}: another build is running ({holder}); wait for it to finish or pass --wait"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- running ----------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(bundle: CourseBundle, context: BuildContext, progress: Any) -> None:
    _WORKER.update(bundle=bundle, context=context, progress=progress)
    # When the pool lets a worker go, its results are already sent and its logs written and closed;
    # tearing down the libraries it imported (torch, manim, pptx) would only keep the build waiting.
    atexit.register(os._exit, 0)


def _run_in_worker(target: Target) -> Outcome:
    return stages.run_target(_WORKER["bundle"], _WORKER["context"], target, _WORKER["progress"])


def thread_environment(threads: int) -> dict[str, str]:
    """Caps on the math libraries' thread pools, set before a worker imports them."""
    value = str(threads)
    return {name: value for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                                     "RAYON_NUM_THREADS")}  # Typst's layout threads


def run_build(bundle: CourseBundle, graph: Graph, context: BuildContext, jobs: int,
              force: bool = False, console: Any = None, wait_for_lock: bool = False) -> BuildReport:
    """Bring every target of `graph` up to date; return what happened to each."""
    from pipeline import progress as progress_module

    started = time.perf_counter()
    report = BuildReport()
    with build_lock(context.build_dir, wait_for_lock):
        atomic.remove_stale_temporaries(context.build_dir)
        decisions = decide(bundle, graph, context.build_dir, force)
        manifest = read_manifest(context.build_dir)
        to_run = [d for d in decisions if d.run]
        outcomes: dict[str, Outcome] = {d.target.name: Outcome(d.target.name, "cached")
                                        for d in decisions if not d.run}
        if to_run:
            with progress_module.BuildProgress(console, to_run) as display:
                _run_decisions(bundle, context, to_run, jobs, outcomes, manifest, display)
        report.outcomes = [outcomes[d.target.name] for d in decisions]
    report.seconds = time.perf_counter() - started
    return report


# What a target of each stage takes when no earlier build recorded it (default profile, 2 cores).
TYPICAL_SECONDS = {"model": 20.0, "animation": 8.0, "lab": 6.0, "handout": 3.0, "figure": 1.0, "deck": 1.0,
                   "zip": 0.3, "site": 0.1}


def critical_path_seconds(to_run: list[Decision], recorded: dict[str, Any]) -> dict[str, float]:
    """For each target to run: its expected time plus the longest chain of expected times after it.
    Expected times come from the last build that ran the target, else from its stage's typical time."""
    names = {d.target.name for d in to_run}
    own = {d.target.name: float(recorded.get(d.target.name, {}).get("seconds")
                                or TYPICAL_SECONDS.get(d.target.stage, 1.0)) for d in to_run}
    downstream: dict[str, list[str]] = {name: [] for name in names}
    for decision in to_run:
        for upstream in decision.target.upstream:
            if upstream in downstream:
                downstream[upstream].append(decision.target.name)
    chain: dict[str, float] = {}
    for decision in reversed(to_run):  # decisions come in dependency order, so every successor is done first
        name = decision.target.name
        chain[name] = own[name] + max((chain[after] for after in downstream[name]), default=0.0)
    return chain


def _run_decisions(bundle: CourseBundle, context: BuildContext, to_run: list[Decision], jobs: int,
                   outcomes: dict[str, Outcome], manifest: dict[str, Any], display: Any) -> None:
    pending = {d.target.name: d for d in to_run}
    priority = critical_path_seconds(to_run, read_manifest(context.build_dir)["targets"])
    running: dict[Future, Decision] = {}
    spawn = multiprocessing.get_context("spawn")
    progress_queue = spawn.Queue()
    listener = threading.Thread(target=_relay_progress, args=(progress_queue, display), daemon=True)
    listener.start()
    saved_environment = {name: os.environ.get(name) for name in thread_environment(1)}
    os.environ.update(thread_environment(context.threads_per_worker))
    try:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(to_run))), mp_context=spawn,
                                 initializer=_init_worker, initargs=(bundle, context, progress_queue)) as pool:
            while pending or running:
                ready = []
                for name, decision in list(pending.items()):
                    upstream_states = [outcomes.get(u) for u in decision.target.upstream]
                    if any(o is not None and o.status in {"failed", "skipped"} for o in upstream_states):
                        blocked = next(u for u, o in zip(decision.target.upstream, upstream_states, strict=True)
                                       if o is not None and o.status in {"failed", "skipped"})
                        outcomes[name] = Outcome(name, "skipped", message=f"upstream {blocked} failed")
                        display.finish(name, "skipped")
                        del pending[name]
                    elif all(o is not None for o in upstream_states):
                        ready.append(name)
                # Only as many as there are workers, longest remaining chain first: a long training run
                # whose figures, scene and deck wait on it must not queue behind short work.
                for name in sorted(ready, key=lambda n: -priority[n])[:max(0, jobs - len(running))]:
                    decision = pending.pop(name)
                    display.start(name, decision.reason)
                    running[pool.submit(_run_in_worker, decision.target)] = decision
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    decision = running.pop(future)
                    outcome = _outcome_of(future, decision, context)
                    outcomes[decision.target.name] = outcome
                    if outcome.status == "built":
                        _record(manifest, decision, outcome, context)
                        atomic.write_json(context.build_dir / MANIFEST, manifest)
                    display.finish(decision.target.name, outcome.status)
    finally:
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        progress_queue.put(None)
        listener.join(timeout=2)


def _outcome_of(future: Future, decision: Decision, context: BuildContext) -> Outcome:
    name = decision.target.name
    try:
        return future.result()
    except BrokenProcessPool:
        return Outcome(name, "failed", message="its worker process died (out of memory or killed)",
                       log=context.log_path(name))
    except Exception as error:  # the worker catches stage errors; this is the pool itself failing
        return Outcome(name, "failed", message=f"{type(error).__name__}: {error}", log=context.log_path(name))


def _relay_progress(progress_queue: Any, display: Any) -> None:
    while True:
        try:
            message = progress_queue.get(timeout=0.5)
        except queue.Empty:
            continue
        except (EOFError, OSError):
            return
        if message is None:
            return
        display.advance(*message)


def _record(manifest: dict[str, Any], decision: Decision, outcome: Outcome, context: BuildContext) -> None:
    target = decision.target
    outputs = []
    for relative in target.outputs:
        path = context.build_dir / relative
        outputs.append({"path": relative, "bytes": path.stat().st_size})
    manifest["targets"][target.name] = {
        "key": decision.key,
        "stage": target.stage,
        "inputs": decision.inputs,
        "upstream": list(target.upstream),
        "outputs": outputs,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(outcome.seconds, 3),
        "device": outcome.device,
        "profile": context.profile_name,
        "libraries": {name: library_version(name) for name in target.libraries},
    }
    manifest["course"] = str(context.root)

