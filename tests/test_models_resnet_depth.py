"""Degradation: with one pinned SGD setting, deep plain nets train badly while residual nets reach 99%."""

from __future__ import annotations

import pytest

from tests.conftest import trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("resnet_depth", "default")


def test_residual_nets_train_at_every_depth(default_run) -> None:
    metrics = default_run.metrics
    # Measured (seeds 0-2): 8 layers 0.999 .. 1.0, 20 layers 0.999 .. 1.0, 56 layers 0.9955 .. 0.998.
    for size in ("shallow", "middle", "deep"):
        assert metrics[f"train_accuracy_residual_{size}"] >= 0.99, size
    # Depth does not hurt the residual nets.
    assert metrics["train_accuracy_residual_deep"] >= metrics["train_accuracy_residual_shallow"] - 0.01


def test_plain_nets_degrade_with_depth(default_run) -> None:
    metrics = default_run.metrics
    # Measured: 8 layers 0.9985 .. 1.0, 20 layers 0.964 .. 0.981, 56 layers 0.18 .. 0.25 (chance 0.1).
    assert metrics["train_accuracy_plain_shallow"] >= metrics["train_accuracy_plain_middle"] + 0.01
    assert metrics["train_accuracy_plain_middle"] > metrics["train_accuracy_plain_deep"] + 0.3
    assert metrics["train_accuracy_plain_deep"] < 0.5
    # The same depth with an identity path trains: the failure is optimisation, not capacity.
    assert metrics["train_accuracy_residual_deep"] > metrics["train_accuracy_plain_deep"] + 0.5
    assert metrics["train_loss_plain_deep"] > 10 * metrics["train_loss_residual_deep"]
    # Training accuracy, not overfitting: the deep plain net is as bad on the test digits.
    assert metrics["test_accuracy_plain_deep"] < 0.5 < metrics["test_accuracy_residual_deep"]


def test_history_holds_a_curve_per_net(default_run) -> None:
    epochs = default_run.config["epochs"]
    for variant in ("plain", "residual"):
        for size in ("shallow", "middle", "deep"):
            assert len(default_run.history[f"loss_{variant}_{size}"]) == epochs
            assert len(default_run.history[f"accuracy_{variant}_{size}"]) == epochs
    assert default_run.artifacts["depths"] == {"shallow": 8, "middle": 20, "deep": 56}


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("resnet_depth")
    for draw in (figures.depth_accuracy, figures.training_curves):
        texts = rendered_texts(draw([default_run]))
        assert any("층" in text for text in texts)
