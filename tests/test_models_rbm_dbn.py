"""CD-1 lowers the RBM's reconstruction error; DBN pre-training helps a classifier with 100 labels."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("rbm_dbn", "default")


def test_reconstruction_error_falls_over_cd_epochs(default_run) -> None:
    errors = default_run.history["reconstruction_error_rbm1"]
    metrics = default_run.metrics
    # Measured 0.245 before CD, 0.038 after 20 epochs; the second RBM 0.083 -> 0.005.
    assert metrics["reconstruction_error_last"] < 0.4 * metrics["reconstruction_error_start"]
    assert errors[-1] < min(errors[:5])  # still falling after the first epochs
    assert default_run.history["reconstruction_error_rbm2"][-1] < 0.5 * default_run.history[
        "reconstruction_error_rbm2"][0]
    # It generalises: test digits are reconstructed about as well as training digits.
    assert metrics["reconstruction_error_test"] < 1.5 * metrics["reconstruction_error_last"]


def test_pretraining_helps_with_few_labels(default_run) -> None:
    metrics = default_run.metrics
    # 100 labels, 5 labelled subsets: measured +7.6 points (seed 0), +5.8 (seed 1), +8.3 (seed 2),
    # winning on every subset; with 1000 labels the gain shrinks to under 1 point.
    assert metrics["pretraining_gain"] > 0.03
    assert metrics["wins_pretrained"] >= 0.8
    assert metrics["accuracy_pretrained"] > 0.75


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("rbm_dbn")
    runs = [trained_run("rbm_dbn")]
    for draw in (figures.rbm_filters, figures.reconstructions, figures.reconstruction_error,
                 figures.pretraining_vs_scratch):
        texts = rendered_texts(draw(runs))
        assert any(any("\uac00" <= char <= "\ud7a3" for char in text) for text in texts), draw.__name__
