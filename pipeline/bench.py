"""`nox -s bench`: the build's speed as measured numbers, written to a JSON file and printed as a table.

Everything is measured in one run on copies of the course, side by side, so the ratios (parallel
speed-up, rebuild against cold build) hold on a noisy machine even where the absolute times move:

- a cold build of the whole course, per stage and in total;
- a no-op rebuild;
- a rebuild after editing one slide's text, with what ran (no model, notebook or scene may run);
  the no-op and the edit are each measured REPEATS times and judged by their median;
- a cold build with `-j 1` against the cold build with `-j 2`;
- training time per model, with the device it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

COURSE_PARTS = ("curriculum", "figures", "templates")
# The targets this benchmark holds the build to.
TARGETS = {"cold_build_s": 15 * 60, "noop_rebuild_s": 1.0, "slide_edit_rebuild_s": 3.0, "parallel_speedup": 1.6}
# Rebuilds take seconds, so each is measured a few times and the median reported: one slow run on a
# shared machine neither fails the target nor hides a regression.
REPEATS = 3


def copy_course(source: Path, destination: Path) -> Path:
    destination.mkdir(parents=True)
    for part in COURSE_PARTS:
        shutil.copytree(source / part, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def timed_build(course: Path, profile: str, jobs: int) -> tuple[float, dict[str, Any]]:
    """Run `course build` in a fresh process; return its wall time and what each target did."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--course-dir", str(course), "build",
                             "--profile", profile, "-j", str(jobs)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bench: the build failed:\n{result.stderr[-3000:]}")
    statuses: dict[str, dict[str, Any]] = {}
    for line in (course / "build" / "logs" / "build.log").read_text(encoding="utf-8").splitlines():
        name, status, took, *_ = line.split("\t")
        statuses[name] = {"status": status, "seconds": float(took.rstrip("s"))}
    return seconds, statuses


def ran(statuses: dict[str, Any], stage: str) -> int:
    return sum(1 for name, entry in statuses.items() if name.split(":")[0] == stage and entry["status"] == "built")


def edit_one_slide(course: Path, mark: str = "수정") -> str:
    """Add `(mark)` to the first bullet slide's first bullet; return the slide's title."""
    import yaml

    path = course / "curriculum" / "session01.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slide = next(s for s in data["slides"] if s["kind"] == "bullets")
    first = slide["bullets"][0]
    old = first if isinstance(first, str) else first["text"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, f"{old} ({mark})", 1), encoding="utf-8")
    return slide["title"]


def median_seconds(runs: list[tuple[float, dict[str, Any]]]) -> float:
    return sorted(seconds for seconds, _ in runs)[len(runs) // 2]


def per_stage(statuses: dict[str, Any]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for name, entry in statuses.items():
        totals[name.split(":")[0]] += entry["seconds"]
    return dict(sorted(totals.items()))


def model_times(course: Path) -> dict[str, Any]:
    """Per model: the target's wall time, the training time alone, and its throughput in optimizer steps/s."""
    manifest = json.loads((course / "build" / "manifest.json").read_text(encoding="utf-8"))
    models = {}
    for name, entry in sorted(manifest["targets"].items()):
        if name.startswith("model:"):
            model_id = name.removeprefix("model:")
            run = json.loads((course / "build" / "models" / model_id / "run.json").read_text(encoding="utf-8"))
            models[model_id] = {"seconds": entry["seconds"], "device": entry["device"], **run.get("training", {})}
    return models


def run(course_dir: Path, profile: str, jobs: int, skip_serial: bool) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="course-bench-"))
    try:
        parallel = copy_course(course_dir, scratch / "parallel")
        cold_s, cold = timed_build(parallel, profile, jobs)
        noop_runs = [timed_build(parallel, profile, jobs) for _ in range(REPEATS)]
        noop_s = median_seconds(noop_runs)
        edit_runs = []
        for repeat in range(REPEATS):
            edited_slide = edit_one_slide(parallel, f"수정 {repeat + 1}")
            edit_runs.append(timed_build(parallel, profile, jobs))
        edit_s = median_seconds(edit_runs)
        built_in_edits = {name for _, statuses in edit_runs for name, entry in statuses.items()
                          if entry["status"] == "built"}
        results: dict[str, Any] = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
            "profile": profile, "jobs": jobs,
            "cold_build_s": round(cold_s, 2), "cold_build_per_stage_s": per_stage(cold),
            "targets": len(cold),
            "noop_rebuild_s": round(noop_s, 3), "noop_runs_s": [round(s, 3) for s, _ in noop_runs],
            "noop_targets_run": max(sum(ran(n, s) for s in per_stage(n)) for _, n in noop_runs),
            "slide_edit": {"slide": edited_slide, "rebuild_s": round(edit_s, 3),
                           "runs_s": [round(s, 3) for s, _ in edit_runs],
                           # what ran in any of the edits: every one must leave models, labs and scenes alone
                           "ran": sorted(built_in_edits),
                           "models_trained": max(ran(e, "model") for _, e in edit_runs),
                           "notebooks_executed": max(ran(e, "lab") for _, e in edit_runs),
                           "scenes_rendered": max(ran(e, "animation") for _, e in edit_runs)},
            "slide_edit_rebuild_s": round(edit_s, 3),
            "models": model_times(parallel),
        }
        if not skip_serial:
            serial = copy_course(course_dir, scratch / "serial")
            serial_s, _ = timed_build(serial, profile, 1)
            results["cold_build_j1_s"] = round(serial_s, 2)
            results["parallel_speedup"] = round(serial_s / cold_s, 2)
        results["noop_over_cold"] = round(noop_s / cold_s, 4)
        results["edit_over_cold"] = round(edit_s / cold_s, 4)
        results["verdicts"] = verdicts(results)
        return results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def verdicts(results: dict[str, Any]) -> dict[str, str]:
    checks = {
        "cold_build_s": results["cold_build_s"] <= TARGETS["cold_build_s"],
        "noop_rebuild_s": results["noop_rebuild_s"] <= TARGETS["noop_rebuild_s"],
        "slide_edit_rebuild_s": results["slide_edit_rebuild_s"] <= TARGETS["slide_edit_rebuild_s"]
        and results["slide_edit"]["models_trained"] == results["slide_edit"]["notebooks_executed"]
        == results["slide_edit"]["scenes_rendered"] == 0,
    }
    if "parallel_speedup" in results:
        checks["parallel_speedup"] = results["parallel_speedup"] >= TARGETS["parallel_speedup"]
    return {name: "met" if ok else "missed" for name, ok in checks.items()}


def _runs(seconds: list[float]) -> str:
    return "median of " + ", ".join(f"{s:.2f}" for s in seconds)


def print_table(results: dict[str, Any], console: Console) -> None:
    table = Table(title=f"course build benchmark ({results['profile']} profile, {results['machine']['cpus']} CPUs)")
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    rows = [(f"cold build, -j {results['jobs']}", f"{results['cold_build_s']:.1f} s", "< 15 min", "cold_build_s"),
            ("no-op rebuild", f"{results['noop_rebuild_s']:.2f} s ({_runs(results['noop_runs_s'])})", "< 1 s",
             "noop_rebuild_s"),
            ("edit one slide", f"{results['slide_edit_rebuild_s']:.2f} s ({_runs(results['slide_edit']['runs_s'])}; "
             f"{results['slide_edit']['models_trained']} models, {results['slide_edit']['notebooks_executed']} "
             f"notebooks, {results['slide_edit']['scenes_rendered']} scenes)", "< 3 s, 0/0/0",
             "slide_edit_rebuild_s")]
    if "parallel_speedup" in results:
        rows.append(("speed-up -j 2 over -j 1", f"{results['parallel_speedup']:.2f}x "
                     f"({results['cold_build_j1_s']:.0f} s / {results['cold_build_s']:.0f} s)", ">= 1.6x",
                     "parallel_speedup"))
    for measure, value, target, key in rows:
        table.add_row(measure, value, target, results["verdicts"].get(key, "-"))
    for stage, seconds in results["cold_build_per_stage_s"].items():
        table.add_row(f"  stage {stage} (sum of targets)", f"{seconds:.1f} s", "", "")
    for model, entry in results["models"].items():
        rate = f", {entry['steps_per_second']:.0f} steps/s" if entry.get("steps_per_second") else ""
        table.add_row(f"  train {model}", f"{entry['seconds']:.1f} s on {entry['device']}{rate}", "", "")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--course-dir", type=Path, default=Path.cwd())
    parser.add_argument("--profile", default="default", help="build profile to measure (default: default)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="workers of the parallel build (default 2)")
    parser.add_argument("--skip-serial", action="store_true", help="skip the -j 1 build (and the speed-up)")
    parser.add_argument("--output", type=Path, default=None, help="JSON file (default: build/bench/<profile>.json)")
    arguments = parser.parse_args(argv)
    results = run(arguments.course_dir.resolve(), arguments.profile, arguments.jobs, arguments.skip_serial)
    output = arguments.output or arguments.course_dir / "build" / "bench" / f"{arguments.profile}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results, Console(width=150))
    print(f"results: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
