"""One hidden layer fits sin(x) plus a bump ever more closely as it widens (universal approximation)."""

from __future__ import annotations

import pytest

from tests.conftest import train_model

WIDTHS = (1, 2, 4, 8, 16, 32)


@pytest.fixture(scope="module")
def default_run():
    return train_model("universal_approximation", "default")


def test_error_falls_as_the_hidden_layer_widens(default_run) -> None:
    metrics = default_run.metrics
    errors = [metrics[f"mse_width_{width}"] for width in WIDTHS]
    # measured 0.10, 0.022, 0.010, 0.0024, 0.00053, 0.00015 (seeds 0-3: falling at every doubling)
    assert all(wider < narrower for narrower, wider in zip(errors, errors[1:], strict=False))
    assert metrics["mse_width_32"] < metrics["mse_width_1"] / 100  # measured 670x smaller
    assert metrics["error_ratio"] == pytest.approx(metrics["mse_width_1"] / metrics["mse_width_32"])
    assert metrics["max_error_width_32"] < metrics["max_error_width_1"] / 5  # the uniform error too


def test_even_one_unit_beats_the_best_constant(default_run) -> None:
    target = default_run.artifacts["target"]
    mean = sum(target) / len(target)
    variance = sum((value - mean) ** 2 for value in target) / len(target)  # MSE of the best constant
    assert default_run.metrics["mse_width_1"] < variance / 2  # measured 0.10 against 0.74


def test_hidden_units_add_up_to_the_prediction(default_run) -> None:
    artifacts = default_run.artifacts
    for width in ("1", "2", "4", "8"):
        terms = artifacts["contributions"][width]
        assert len(terms) == int(width)
        total = [sum(column) + artifacts["output_bias"][width] for column in zip(*terms, strict=True)]
        assert total == pytest.approx(artifacts["predictions"][width], abs=1e-3), width


def test_widths_train_independently() -> None:
    # Widths share one module but no parameter: a network's fit must not depend on its neighbours' training.
    import torch

    from pipeline.models.universal_approximation import WIDTHS as MODEL_WIDTHS
    from pipeline.models.universal_approximation import OneHiddenLayerPerWidth, squared_error_per_width

    model = OneHiddenLayerPerWidth(MODEL_WIDTHS, "tanh")
    x = torch.linspace(-3, 3, 50)[:, None]
    squared_error_per_width(model(x), torch.sin(x))[2].backward()  # only width 4's loss
    grads = model.output_weight.grad
    owner = model.membership.argmax(dim=1)
    assert grads[owner != 2].abs().max() == 0
    assert grads[owner == 2].abs().max() > 0


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("universal_approximation")
    runs = [trained_run("universal_approximation")]
    for draw in (figures.fits_per_width, figures.error_vs_width, figures.hidden_contributions):
        texts = rendered_texts(draw(runs))
        assert any("은닉" in text or "유닛" in text for text in texts)
    figures.hidden_contributions(runs, width=2).canvas.draw()
