"""The perceptron keeps Novikoff's promise on separable data and never solves XOR."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_mistakes_stay_within_novikoff_bound_on_separable_data(seed: int) -> None:
    result = train_model("perceptron", "default", dataset="separable", margin=0.05, epochs=500, seed=seed)
    assert result.metrics["converged"] == 1.0
    assert result.metrics["final_accuracy"] == 1.0
    assert 0 < result.metrics["mistakes"] <= result.metrics["novikoff_bound"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_never_reaches_full_accuracy_on_xor(seed: int) -> None:
    result = train_model("perceptron", "default", dataset="xor", epochs=200, seed=seed)
    assert result.metrics["converged"] == 0.0
    assert result.metrics["best_accuracy"] <= 0.75
    assert min(result.history["mistakes"]) > 0  # it keeps cycling: every epoch has a mistake


def test_same_seed_gives_same_metrics() -> None:
    first = train_model("perceptron", "default", seed=7)
    second = train_model("perceptron", "default", seed=7)
    assert first.metrics == second.metrics


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("perceptron")
    runs = [trained_run("perceptron", dataset="separable"), trained_run("perceptron", dataset="xor")]
    for draw in (figures.decision_boundary, figures.mistakes_per_epoch):
        texts = rendered_texts(draw(runs))
        assert any("에포크" in text for text in texts)
