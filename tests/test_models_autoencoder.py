"""A 2-D autoencoder code reconstructs digits better than 2-D PCA and separates the classes better."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("autoencoder", "default")


def test_autoencoder_reconstructs_better_than_pca(default_run) -> None:
    metrics = default_run.metrics
    # Measured 0.0313 .. 0.0319 (seeds 0-2) against PCA's 0.0528.
    assert metrics["reconstruction_error_ae"] < 0.8 * metrics["reconstruction_error_pca"]
    assert 0.2 < metrics["pca_explained_variance"] < 0.4  # two components keep about 28% of the variance


def test_autoencoder_codes_separate_classes_better(default_run) -> None:
    metrics = default_run.metrics
    # k-NN on the 2-D codes: measured 0.84 .. 0.87 (autoencoder) against 0.62 (PCA).
    assert metrics["knn_accuracy_ae"] > metrics["knn_accuracy_pca"] + 0.1


def test_artifacts_hold_codes_and_reconstructions(default_run) -> None:
    artifacts = default_run.artifacts
    assert len(artifacts["codes_ae"]) == len(artifacts["codes_pca"]) == len(artifacts["code_labels"])
    assert all(len(code) == 2 for code in artifacts["codes_ae"])
    assert len(artifacts["reconstructions_ae"]) == len(artifacts["originals"]) == 10


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("autoencoder")
    runs = [trained_run("autoencoder")]
    for draw in (figures.codes_scatter, figures.reconstructions, figures.training_curve):
        texts = rendered_texts(draw(runs))
        assert any(any("\uac00" <= char <= "\ud7a3" for char in text) for text in texts), draw.__name__
