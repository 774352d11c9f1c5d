"""AlexNet's ideas on a digits CNN: ReLU trains faster, dropout narrows the gap, shifts buy robustness."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("alexnet_ideas", "default")


def test_relu_trains_faster_than_saturating_units(default_run) -> None:
    metrics = default_run.metrics
    # Sigmoid units stay at ln(10) = 2.30 for all 60 epochs under this SGD setting (seeds 0-2).
    assert metrics["final_loss_sigmoid"] > 2.0
    assert metrics["final_loss_relu"] < metrics["final_loss_sigmoid"] / 100
    # tanh learns, but ends with a loss measured 5.7 .. 6.8 times ReLU's (seeds 0-2).
    assert metrics["loss_ratio_tanh_relu"] > 2.5
    # And ReLU crosses the target loss no later (measured epoch 7-8 against tanh's 9-10).
    assert metrics["epochs_to_target_relu"] <= metrics["epochs_to_target_tanh"]
    assert metrics["epochs_to_target_sigmoid"] > len(default_run.history["train_loss_sigmoid"])  # never


def test_dropout_narrows_the_generalisation_gap(default_run) -> None:
    metrics = default_run.metrics
    # Test loss - train loss, 300 training digits: measured 0.11 -> 0.06, 0.14 -> 0.10, 0.21 -> 0.07.
    assert metrics["loss_gap_dropout"] < 0.8 * metrics["loss_gap_relu"]
    assert metrics["accuracy_gap_dropout"] < metrics["accuracy_gap_relu"]


def test_shift_augmentation_makes_the_net_robust_to_shifts(default_run) -> None:
    metrics = default_run.metrics
    # On test digits moved by one pixel: measured 0.41 .. 0.48 without augmentation, 0.94 .. 0.96 with.
    assert metrics["shifted_accuracy_augment"] > metrics["shifted_accuracy_relu"] + 0.3
    # On the unshifted test digits it costs nothing (measured -0.005 .. +0.035).
    assert metrics["test_accuracy_augment"] > metrics["test_accuracy_relu"] - 0.02


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("alexnet_ideas")
    runs = [trained_run("alexnet_ideas")]
    for draw in (figures.activation_curves, figures.dropout_gap, figures.augmentation_shifted):
        texts = rendered_texts(draw(runs))
        assert any(any("\uac00" <= char <= "\ud7a3" for char in text) for text in texts), draw.__name__
