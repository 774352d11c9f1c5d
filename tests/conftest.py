"""Shared fixtures: the course directory, a throwaway build directory, and quick model training."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"


COURSE_PARTS = ("curriculum", "figures", "templates")


def copy_course(destination: Path) -> Path:
    """Copy the course's own files (not the engine, which is installed) to `destination`."""
    destination.mkdir(parents=True)
    for part in COURSE_PARTS:
        shutil.copytree(REPO / part, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A private copy of the course directory, safe to edit, with no build/ in it."""
    return copy_course(tmp_path / "course")


def run_course(course: Path, *arguments: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the real `course` command on a course directory."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "--course-dir", str(course), *arguments],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole course built once under the smoke profile (every session, model, scene, lab and deck)."""
    course = copy_course(tmp_path_factory.mktemp("built-all") / "course")
    result = run_course(course, "build", "--profile", "smoke", "-j", "2", timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return course


@pytest.fixture
def built_copy(built_course: Path, tmp_path: Path) -> Path:
    """A private copy of the built course (curriculum and build/), safe to edit and rebuild."""
    destination = tmp_path / "course"
    shutil.copytree(built_course, destination, symlinks=True)
    return destination


def train_model(name: str, budget: str = "smoke", **params):
    """Train a zoo model in-process the way the build does (budget on top of params), on the CPU."""
    import torch

    from pipeline.models import registry
    from pipeline.models.base import RunContext, make_deterministic
    from pipeline.training import model_config

    module = registry.load(name)
    seed = params.pop("seed", 0)
    config = model_config(module, params, budget, seed)
    device = torch.device("cpu")
    make_deterministic(device)
    return module.train(config, RunContext(device=device))



def trained_run(name: str, budget: str = "smoke", model_id: str = "test", **params):
    """Train a zoo model and return it as figure functions and scenes see it (a `ModelRun`)."""
    import dataclasses
    import json

    import torch

    from pipeline.models import registry
    from pipeline.models.base import RunContext, make_deterministic
    from pipeline.training import ModelRun, model_config

    module = registry.load(name)
    seed = params.pop("seed", 0)
    config = model_config(module, params, budget, seed)
    make_deterministic(torch.device("cpu"))
    result = module.train(config, RunContext(device=torch.device("cpu")))
    # A JSON round trip, as the build does, so figures get lists rather than tensors.
    history = json.loads(json.dumps(result.history))
    artifacts = json.loads(json.dumps(result.artifacts))
    return ModelRun(model_id, name, dataclasses.asdict(config), dict(result.metrics), history, artifacts,
                    Path("/nonexistent/checkpoint.pt"))


def course_figures(stem: str):
    """The course's `figures/<stem>.py`, loaded as the build loads it, with the course's matplotlib style."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline.figures import load_course_module

    load_course_module(REPO / "figures" / "style.py", "style").apply()
    plt.close("all")  # figures left open elsewhere in the session would trip matplotlib's 20-figure warning
    return load_course_module(REPO / "figures" / f"{stem}.py", f"course_figures_{stem}")


def rendered_texts(figure) -> list[str]:
    """Draw `figure` (a missing glyph warns, and warnings are errors in this suite), close it, and return
    every text on it."""
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    figure.canvas.draw()
    texts = [text.get_text() for text in figure.findobj(Text)]
    plt.close(figure)
    return texts


@pytest.fixture(autouse=True)
def _close_figures():
    """Figure tests leave pyplot figures open; closing them keeps memory flat across the suite."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    """In-process training uses one thread, as each build worker does: on a busy 2-core machine two
    threads per process contend and make small models many times slower."""
    import torch

    torch.set_num_threads(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `pytest -n 2 --dist loadgroup`, every test that reads the built course runs on one worker, so
    the course is built once; the other worker meanwhile runs the tests that need no build."""
    for item in items:
        if {"built_course", "built_copy"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("built_course"))
