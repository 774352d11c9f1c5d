"""Masked-token pre-training on unlabelled sequences beats training from scratch when labels are few."""

from __future__ import annotations

import pytest

from tests.conftest import trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("pretrain_finetune", "default")


def test_pretraining_beats_scratch_with_few_labels(default_run) -> None:
    metrics = default_run.metrics
    # Same labelled sets, same fine-tuning steps, same test set. Measured (seeds 0-2):
    # 16 labels: 0.72 .. 0.87 against 0.44 .. 0.65; 64 labels: 0.95 .. 0.99 against 0.73 .. 0.85.
    assert metrics["accuracy_pretrained_few"] > metrics["accuracy_scratch_few"] + 0.1
    assert metrics["accuracy_pretrained_mid"] > metrics["accuracy_scratch_mid"] + 0.1
    # With 256 labels scratch catches up partly (0.86 .. 0.93) but pre-training still helps (0.99 .. 1.0).
    assert metrics["accuracy_pretrained_many"] >= metrics["accuracy_scratch_many"]
    assert metrics["accuracy_pretrained_mid"] > 0.85


def test_pretraining_learned_the_dialects(default_run) -> None:
    metrics = default_run.metrics
    # Without the dialect a masked token is guessed ~25% right from its left neighbour (4 dialects);
    # measured 0.81 .. 0.85 against the 0.906 of knowing it.
    assert metrics["mlm_accuracy"] > 0.6
    losses = default_run.history["pretraining_loss"]
    assert sum(losses[-50:]) / 50 < 0.5 * sum(losses[:50]) / 50


def test_no_single_token_gives_the_dialect_away() -> None:
    import torch

    from pipeline.models.pretrain_finetune import Config, make_dialects, sample_sequences

    config = Config()
    generator = torch.Generator().manual_seed(0)
    tokens, labels = sample_sequences(20000, make_dialects(config, generator), config, generator)
    frequencies = torch.stack([torch.bincount(tokens[labels == c].flatten(), minlength=config.vocabulary)
                               for c in range(config.classes)]).float()
    frequencies /= frequencies.sum(dim=1, keepdim=True)  # [classes, vocabulary]
    assert (frequencies - 1 / config.vocabulary).abs().max() < 0.01  # uniform in every dialect


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("pretrain_finetune")
    for draw in (figures.accuracy_vs_labels, figures.pretraining_loss):
        texts = rendered_texts(draw([default_run]))
        assert any("학습" in text for text in texts)
