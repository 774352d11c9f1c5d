"""Contrastive pre-training without labels gives features a linear probe reads far better than random ones."""

from __future__ import annotations

import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("contrastive", "default")


def test_probe_on_contrastive_features_beats_random_encoder(default_run) -> None:
    metrics = default_run.metrics
    # All 1347 labels: measured 0.989 .. 0.993 against 0.962 .. 0.964 (seeds 0-2), i.e. errors cut 3-5x.
    assert metrics["probe_accuracy_contrastive"] > metrics["probe_accuracy_random"] + 0.015
    # 100 labels: measured 0.93 .. 0.97 against 0.85 .. 0.87.
    assert metrics["few_label_accuracy_contrastive"] > metrics["few_label_accuracy_random"] + 0.05
    # Raw pixels are a strong reference on 8x8 digits (0.96 with all labels): the features still beat them.
    assert metrics["probe_accuracy_contrastive"] > metrics["probe_accuracy_pixels"]


def test_contrastive_loss_falls(default_run) -> None:
    loss = default_run.history["contrastive_loss"]
    # Measured 5.72 -> 2.85; ln(511) = 6.24 is the loss of guessing the twin at random.
    assert loss[-1] < 0.7 * loss[0]
    assert default_run.metrics["final_contrastive_loss"] == loss[-1]


def test_artifacts_hold_embeddings(default_run) -> None:
    artifacts = default_run.artifacts
    count = len(artifacts["embedding_labels"])
    assert len(artifacts["embedding_2d_contrastive"]) == len(artifacts["embedding_2d_random"]) == count
    assert len(artifacts["augmented_examples"]) == 12


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("contrastive")
    runs = [trained_run("contrastive")]
    for draw in (figures.embeddings, figures.probe_accuracies, figures.loss_curve, figures.augmented_views):
        texts = rendered_texts(draw(runs))
        assert any(any("\uac00" <= char <= "\ud7a3" for char in text) for text in texts), draw.__name__
