"""At pinned learning rates, momentum and Adam reach a lower loss than plain SGD in as many steps."""

from __future__ import annotations

import pytest

from tests.conftest import trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("optimizers", "default")


def test_momentum_and_adam_beat_sgd_on_the_digits(default_run) -> None:
    metrics = default_run.metrics
    # Measured (seeds 0-2): SGD 1.33 .. 1.73, momentum 0.06 .. 0.10, Adam 0.24 .. 0.26 after 10 epochs.
    assert metrics["final_loss_momentum"] < 0.5 * metrics["final_loss_sgd"]
    assert metrics["final_loss_adam"] < 0.5 * metrics["final_loss_sgd"]
    # Test accuracy follows: measured SGD 0.54 .. 0.73 against 0.86 .. 0.96.
    assert metrics["test_accuracy_momentum"] > metrics["test_accuracy_sgd"] + 0.1
    assert metrics["test_accuracy_adam"] > metrics["test_accuracy_sgd"] + 0.1
    # Every optimiser starts from the same loss (same initial weights).
    starts = {default_run.history[f"loss_{name}"][0] for name in ("sgd", "momentum", "adam")}
    assert len(starts) == 1


def test_momentum_and_adam_go_further_along_the_rosenbrock_valley(default_run) -> None:
    metrics = default_run.metrics
    # Measured: SGD 4.47, momentum 0.0044, Adam 0.11 after 500 steps from f = 12.5.
    assert metrics["surface_loss_sgd"] < metrics["surface_start_loss"]
    assert metrics["surface_loss_momentum"] < 0.1 * metrics["surface_loss_sgd"]
    assert metrics["surface_loss_adam"] < 0.1 * metrics["surface_loss_sgd"]


def test_artifacts_hold_the_trajectories(default_run) -> None:
    steps = default_run.config["surface_steps"]
    trajectories = default_run.artifacts["trajectories"]
    assert set(trajectories) == {"sgd", "momentum", "adam"}
    for name, path in trajectories.items():
        assert len(path) == steps + 1 and all(len(point) == 2 for point in path), name
        assert path[0] == [default_run.config["surface_start_x"], default_run.config["surface_start_y"]]
    surface = default_run.artifacts["surface"]
    assert len(surface["log_values"]) == len(surface["ys"])
    assert len(surface["log_values"][0]) == len(surface["xs"])


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("optimizers")
    for draw in (figures.loss_curves, figures.trajectories):
        texts = rendered_texts(draw([default_run]))
        assert any("학습률" in text for text in texts)
