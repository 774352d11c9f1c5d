"""A one-block transformer learns to reverse sequences, and its attention follows the anti-diagonal."""

from __future__ import annotations

import pytest
import torch

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("tiny_transformer", "default")


def test_reverses_held_out_sequences(default_run) -> None:
    metrics = default_run.metrics
    assert metrics["token_accuracy"] >= 0.95  # measured 1.0 (seeds 0-2)
    assert metrics["sequence_accuracy"] >= 0.8  # measured 1.0
    accuracy = default_run.history["test_token_accuracy"]
    assert accuracy[0] < 0.3  # before training: about chance (1/10)


def test_attention_argmax_hits_the_mirrored_position(default_run) -> None:
    metrics = default_run.metrics
    assert metrics["mirror_attention_rate"] >= 0.8  # measured 0.93-0.98 (seeds 0-2)
    assert metrics["mirror_attention_rate_mean"] >= 0.7  # measured 0.91-0.99
    assert metrics["mirror_attention_rate_untrained"] < 0.3  # measured 0.09-0.10
    assert metrics["mirror_attention_rate"] > metrics["mirror_attention_rate_untrained"] + 0.5
    # The example's attention map: each output query's heaviest key, for the best head, is mirrored.
    maps = torch.tensor(default_run.artifacts["attention"][-1])  # [heads, 2L, 2L]
    length = default_run.artifacts["length"]
    best = torch.tensor(default_run.artifacts["mirror_rate_per_head"][-1]).argmax()
    hits = maps[best, length:].argmax(dim=-1) == torch.arange(length - 1, -1, -1)
    assert hits.float().mean() >= 0.75
    assert torch.allclose(maps.sum(dim=-1), torch.ones(maps.shape[:2]), atol=1e-3)  # rows are softmaxes
    assert maps[:, 0, 1:].abs().max() < 1e-6  # causal: the first position sees only itself


def test_held_out_sequences_are_never_training_sequences() -> None:
    from pipeline.models.tiny_transformer import Config, make_sequences

    config = Config(symbols=3, length=4)  # 81 possible inputs: overlaps would be certain if not excluded
    generator = torch.Generator().manual_seed(0)
    train = make_sequences(40, config, generator)
    seen = {tuple(row.tolist()) for row in train[:, :4]}
    test = make_sequences(30, config, generator, exclude=seen)
    assert not seen & {tuple(row.tolist()) for row in test[:, :4]}
    assert torch.equal(test[:, 5:], test[:, :4].flip(1))  # the target is the reversal
    assert (test[:, 4] == config.symbols).all()  # the delimiter


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("tiny_transformer")
    runs = [trained_run("tiny_transformer")]
    for draw in (figures.attention_maps, figures.training_curves):
        texts = rendered_texts(draw(runs))
        assert any("에포크" in text or "쿼리" in text for text in texts)
