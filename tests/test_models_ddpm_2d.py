"""A DDPM on the 2-D swiss roll samples far closer to the data than a Gaussian fitted to it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("ddpm_2d", "default")


@pytest.fixture(scope="module")
def smoke_run():
    from tests.conftest import trained_run

    return trained_run("ddpm_2d", "smoke")


def test_samples_beat_the_fitted_gaussian(default_run) -> None:
    metrics = default_run.metrics
    assert metrics["mmd_ratio"] <= 0.25  # measured 0.05-0.08 (seeds 0-2)
    assert metrics["nn_ratio"] <= 0.5  # measured 0.07-0.08
    # Close to what a second sample of real data scores (the floor of both measures).
    assert metrics["mmd_ddpm"] < 3 * metrics["mmd_data"] + 0.002  # measured 0.0016 against 0.0013
    assert metrics["nn_distance_ddpm"] < 3 * metrics["nn_distance_data"]  # measured 0.021 against 0.012
    assert metrics["final_loss"] < metrics["initial_loss"]


def test_a_barely_trained_model_does_not(smoke_run) -> None:
    # The same measures fail after 300 steps: they can tell a good sampler from a bad one.
    assert smoke_run.metrics["mmd_ratio"] > 0.5  # measured 1.2
    assert smoke_run.metrics["nn_ratio"] > 0.5  # measured 2.0


def test_forward_process_ends_in_standard_noise(smoke_run) -> None:
    artifacts = smoke_run.artifacts
    times = artifacts["snapshot_times"]
    assert times[0] == 0 and times[-1] == smoke_run.config["timesteps"] and times == sorted(times)
    first, last = np.array(artifacts["forward"][0]), np.array(artifacts["forward"][-1])
    assert np.allclose(first, np.array(artifacts["forward_x0"]), atol=2e-3)  # t = 0 is the data
    assert np.abs(last.mean(axis=0)).max() < 0.2
    assert np.allclose(np.cov(last.T), np.eye(2), atol=0.2)  # t = T: N(0, I)
    assert np.allclose(np.array(artifacts["reverse"][0]), np.array(artifacts["samples"]), atol=2e-3)
    assert len(artifacts["reverse"]) == len(times) and len(artifacts["reverse"][-1]) <= 500


def test_same_seed_gives_same_metrics() -> None:
    settings = {"steps": 60, "timesteps": 100, "samples": 100, "test_size": 200, "train_size": 500, "seed": 3}
    first = train_model("ddpm_2d", "default", **settings)
    second = train_model("ddpm_2d", "default", **settings)
    assert first.metrics == second.metrics


def test_figures_render_with_korean_labels(smoke_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("ddpm_2d")
    for draw in (figures.forward_process, figures.reverse_process, figures.samples_vs_baseline,
                 figures.loss_curve, figures.noise_schedule):
        texts = rendered_texts(draw([smoke_run]))
        assert any("과정" in text or "샘플" in text or "단계" in text for text in texts)
