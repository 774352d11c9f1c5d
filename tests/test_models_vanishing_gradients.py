"""Deep sigmoid MLPs lose their gradient on the way down; ReLU+He, residuals and batch norm keep it."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("vanishing_gradients", "default")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_ratio_at_initialisation(seed: int) -> None:
    # Only the initialisation matters here: one epoch keeps the run short.
    metrics = train_model("vanishing_gradients", "default", epochs=1, seed=seed).metrics
    assert metrics["ratio_sigmoid_xavier"] < 1e-6  # measured 1e-12 .. 5e-12 over seeds 0-4
    assert 0.1 < metrics["ratio_relu_he"] < 10  # measured 0.34 .. 0.65
    assert 0.1 < metrics["ratio_residual"] < 10  # measured 1.5 .. 2.2
    assert 0.1 < metrics["ratio_batchnorm"] < 10  # measured 1.4 .. 1.8
    # Xavier's variance suits tanh, not ReLU: every gradient shrinks about 1000-fold (He et al., 2015).
    assert metrics["first_layer_grad_relu_xavier"] < metrics["first_layer_grad_relu_he"] / 100


def test_same_sgd_trains_the_fixed_nets_but_not_the_plain_sigmoid(default_run) -> None:
    metrics = default_run.metrics
    assert metrics["accuracy_sigmoid_xavier"] < 0.2  # chance is 0.1; measured 0.10
    for fixed in ("relu_he", "residual", "batchnorm"):  # measured 0.96, 0.97, 0.996
        assert metrics[f"accuracy_{fixed}"] > 0.9, fixed
        assert metrics[f"accuracy_{fixed}"] > metrics["accuracy_sigmoid_xavier"] + 0.5, fixed
    # The plain sigmoid net's loss hardly moves from ln(10) = 2.30.
    assert min(default_run.history["loss_sigmoid_xavier"]) > 2.0
    assert default_run.history["loss_residual"][-1] < 0.5


def test_artifacts_hold_per_layer_norms_per_epoch(default_run) -> None:
    norms = default_run.artifacts["gradient_norms"]
    epochs = len(default_run.history["loss_relu_he"])
    for variant, per_epoch in norms.items():
        assert len(per_epoch) == epochs + 1, variant  # initialisation, then after every epoch
        assert all(len(layers) == 20 for layers in per_epoch), variant
    assert norms["sigmoid_xavier"][0][0] > 0  # tiny norms are kept, not rounded to zero


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("vanishing_gradients")
    runs = [trained_run("vanishing_gradients")]
    for draw in (figures.gradient_norms_per_layer, figures.training_curves):
        texts = rendered_texts(draw(runs))
        assert any("층" in text or "에포크" in text for text in texts)
    figure = figures.gradient_norms_per_layer(runs, epoch=1)
    figure.canvas.draw()
