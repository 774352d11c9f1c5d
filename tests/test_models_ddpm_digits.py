"""DDPM on 8x8 digits: the closed form matches the iterated chain, and the samples look like digits."""

from __future__ import annotations

import pytest

from tests.conftest import trained_run

# The default budget trains 8000 steps (~50 s); 3000 steps already pass every check with a margin.
TEST_STEPS = 3000


@pytest.fixture(scope="module")
def run():
    return trained_run("ddpm_digits", "default", steps=TEST_STEPS)


def test_closed_form_matches_the_iterated_chain(run) -> None:
    metrics = run.metrics
    # 512 noisings of 8 digits, 1000 steps of q(x_t | x_{t-1}). The per-pixel errors are sampling noise:
    # about 0.8 sqrt((1 - abar) / 512) <= 0.035 for the means and 0.8 sqrt(2 / 511) = 0.05 for the
    # variances; measured 0.036 and 0.051 .. 0.054 at the worst of 20 checkpoints.
    assert metrics["closed_form_mean_error"] < 0.06
    assert metrics["closed_form_var_error"] < 0.08
    # The check can fail: "add noise without shrinking x0" is off by 0.79 (means) and 9 (variances).
    assert metrics["naive_mean_error"] > 10 * metrics["closed_form_mean_error"]
    assert metrics["naive_var_error"] > 10 * metrics["closed_form_var_error"]
    # After T = 1000 steps of the linear schedule almost nothing of x0 is left.
    assert metrics["final_abar"] < 1e-4


def test_samples_are_classified_confidently(run) -> None:
    metrics = run.metrics
    # The judge is trained on real digits in the same run: 0.96 .. 0.97 accurate on held-out digits.
    assert metrics["classifier_accuracy"] > 0.9
    # Measured (seeds 0-2, 3000 steps): DDPM 0.774 .. 0.780, DDIM (50 steps) 0.785 .. 0.821, 10 classes;
    # the default budget (8000 steps) gives 0.84 and 0.81.
    for sampler in ("ddpm", "ddim"):
        assert metrics[f"{sampler}_confidence"] >= 0.7, sampler
        assert metrics[f"{sampler}_classes"] >= 9, sampler
        # Controls in the same run: shuffled pixels of real digits 0.60 .. 0.61, clipped noise 0.49 .. 0.52.
        assert metrics[f"{sampler}_confidence"] > metrics["shuffled_confidence"] + 0.1, sampler
        assert metrics[f"{sampler}_confidence"] > metrics["noise_confidence"] + 0.2, sampler
    # Honest about the gap: real digits are judged more confidently (0.95).
    assert metrics["real_confidence"] > metrics["ddpm_confidence"]


def test_noise_prediction_loss_falls(run) -> None:
    # Measured 0.51 .. 0.53 in the first 1% of steps, 0.11 in the last 10%.
    assert run.metrics["final_loss"] < 0.5 * run.metrics["initial_loss"]


def test_artifacts_hold_the_forward_strip_and_samples(run) -> None:
    artifacts = run.artifacts
    assert artifacts["forward_times"] == [0, 125, 250, 375, 500, 625, 750, 875, 1000]
    assert len(artifacts["forward_strip"]) == 9 and len(artifacts["forward_histograms"]) == 9
    assert all(len(image) == 8 and len(image[0]) == 8 for image in artifacts["forward_strip"])
    assert artifacts["reverse_times"] == artifacts["forward_times"][::-1]
    assert len(artifacts["reverse_trajectory"]) == 9
    for sampler in ("ddpm", "ddim"):
        samples = artifacts[f"{sampler}_samples"]
        assert len(samples) == len(artifacts[f"{sampler}_predicted"]) == 40
        assert all(-1 <= value <= 1 for image in samples for row in image for value in row)
        assert sum(artifacts[f"{sampler}_class_counts"]) == run.config["samples"]
    assert len(artifacts["closed_form"]["t"]) == 20


def test_figures_render_with_korean_labels(run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("ddpm_digits")
    for draw in (figures.forward_process, figures.closed_form_check, figures.reverse_trajectory,
                 figures.samples, figures.loss_curve):
        texts = rendered_texts(draw([run]))
        assert any("과정" in text or "단계" in text or "확신도" in text or "분산" in text for text in texts)
