"""The benchmark's own logic: the slide edit it times, its medians and its verdicts (the timings are
measured by `nox -s bench`, not here)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from pipeline import bench
from pipeline.curriculum import load_course


def results(edit_s: float = 2.0, models_trained: int = 0, speedup: float = 1.8) -> dict:
    return {
        "profile": "default", "jobs": 2, "machine": {"cpus": 2},
        "cold_build_s": 180.0, "cold_build_per_stage_s": {"deck": 4.0}, "models": {},
        "noop_rebuild_s": 0.6, "noop_runs_s": [0.6, 0.5, 0.7],
        "slide_edit": {"rebuild_s": edit_s, "runs_s": [edit_s] * 3, "models_trained": models_trained,
                       "notebooks_executed": 0, "scenes_rendered": 0},
        "slide_edit_rebuild_s": edit_s, "cold_build_j1_s": 180.0 * speedup, "parallel_speedup": speedup,
    }


def test_editing_one_slide_changes_one_bullet_and_keeps_the_course_valid(course_copy: Path) -> None:
    before = load_course(course_copy)
    title = bench.edit_one_slide(course_copy, "수정 1")
    bench.edit_one_slide(course_copy, "수정 2")
    after = load_course(course_copy)
    changed = [(old, new) for old, new in zip(before.sessions[0].session.slides, after.sessions[0].session.slides,
                                              strict=True) if old != new]
    assert len(changed) == 1 and changed[0][1].title == title
    assert "(수정 1) (수정 2)" in str(changed[0][1].bullets[0])
    assert [s.session for s in before.sessions[1:]] == [s.session for s in after.sessions[1:]]


def test_the_median_of_the_runs_is_reported() -> None:
    assert bench.median_seconds([(3.9, {}), (2.1, {}), (2.4, {})]) == 2.4


def test_verdicts_hold_the_build_to_every_target() -> None:
    assert set(bench.verdicts(results()).values()) == {"met"}
    assert bench.verdicts(results(edit_s=3.2))["slide_edit_rebuild_s"] == "missed"
    assert bench.verdicts(results(models_trained=1))["slide_edit_rebuild_s"] == "missed"  # fast but retrained
    assert bench.verdicts(results(speedup=1.5))["parallel_speedup"] == "missed"


def test_the_table_shows_every_run_and_verdict() -> None:
    data = results(edit_s=3.2)
    data["verdicts"] = bench.verdicts(data)
    output = io.StringIO()
    bench.print_table(data, Console(file=output, width=150))
    text = output.getvalue()
    assert "median of 3.20, 3.20, 3.20" in text and "missed" in text and "1.80x" in text
