"""A GRU encoder-decoder with attention reverses held-out sequences almost perfectly; without, far less."""

from __future__ import annotations

import pytest
import torch

from tests.conftest import trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("seq2seq", "default")


def test_attention_model_translates_held_out_sequences(default_run) -> None:
    metrics = default_run.metrics
    # Measured (seeds 0-2): exact match 0.973 .. 0.985 on 1000 unseen sequences, 0.88 .. 0.98 at length 10.
    assert metrics["exact_match_attention"] >= 0.9
    assert metrics["exact_match_longest_attention"] >= 0.75
    assert metrics["token_accuracy_attention"] >= 0.98


def test_without_attention_long_sequences_fail(default_run) -> None:
    metrics = default_run.metrics
    # Same GRUs, data and steps: measured 0.59 .. 0.61 overall and 0.03 .. 0.06 at length 10.
    assert metrics["exact_match_plain"] < metrics["exact_match_attention"] - 0.2
    assert metrics["exact_match_longest_plain"] < 0.3
    by_length = default_run.artifacts["exact_match_by_length_plain"]
    assert by_length["3"] > by_length["10"] + 0.5  # short sequences still fit in the final state


def test_teacher_forcing_targets_are_the_reversed_sequence() -> None:
    from pipeline.models.seq2seq import BOS, EOS, PAD, teacher_forcing

    tokens = torch.tensor([[3, 4, 5, PAD], [6, 7, 8, 9]])
    decoder_in, target = teacher_forcing(tokens, torch.tensor([3, 4]))
    assert target.tolist() == [[5, 4, 3, EOS, PAD], [9, 8, 7, 6, EOS]]
    assert decoder_in.tolist() == [[BOS, 5, 4, 3, PAD], [BOS, 9, 8, 7, 6]]


def test_held_out_keys_tell_sequences_apart() -> None:
    from pipeline.models.seq2seq import PAD, sequence_keys

    tokens = torch.tensor([[3, 4, PAD], [4, 3, PAD], [3, 4, 3], [3, 4, PAD]])
    keys = sequence_keys(tokens).tolist()
    assert keys[0] == keys[3] and len(set(keys)) == 3


def test_artifacts_hold_examples_and_attention(default_run) -> None:
    artifacts = default_run.artifacts
    assert len(artifacts["examples"]) == 12
    for example in artifacts["examples"]:
        assert example["target"] == example["source"][::-1] + "."
    for source, weights in zip(artifacts["attention_sources"], artifacts["attention_maps"], strict=True):
        assert len(weights) == len(source) + 1 and all(len(row) == len(source) for row in weights)
        assert all(abs(sum(row) - 1) < 0.01 for row in weights)  # a softmax over the source per output step


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("seq2seq")
    for draw in (figures.training_curves, figures.attention_maps, figures.examples):
        texts = rendered_texts(draw([default_run]))
        assert any("어텐션" in text for text in texts)
