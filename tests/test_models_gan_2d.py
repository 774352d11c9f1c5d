"""The GAN's samples move far closer to the ring of Gaussians than its initial samples, covering the modes."""

from __future__ import annotations

import pytest

from tests.conftest import trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("gan_2d", "default")


def test_generated_points_approach_the_data(default_run) -> None:
    metrics = default_run.metrics
    # MMD^2 to the data, same run: measured 2.3 .. 2.9 before training, 0.03 .. 0.07 after (seeds 0-3).
    assert metrics["mmd_reduction"] > 10
    assert metrics["mmd_final"] < 0.1 * metrics["mmd_initial"]
    # Still above two real samples' MMD^2 (0.004 .. 0.011): the noise floor is not a free pass.
    assert metrics["mmd_final"] > metrics["mmd_real"]


def test_generator_covers_several_modes(default_run) -> None:
    metrics = default_run.metrics
    # The untrained generator puts its points in a small blob at the centre, near no mode.
    assert metrics["modes_covered_initial"] <= 2
    # Measured 7 .. 8 of 8 modes with at least 2% of the samples each, 78 .. 87% of samples within 3 sigma.
    assert metrics["modes_covered"] >= 6
    assert metrics["high_quality_fraction"] > 0.5


def test_artifacts_hold_samples_over_training(default_run) -> None:
    artifacts = default_run.artifacts
    steps = sorted(int(step) for step in artifacts["samples_by_step"])
    assert steps[0] == 0 and steps[-1] == default_run.config["steps"]
    assert len(steps) == default_run.config["snapshots"]
    assert all(len(points[0]) == 2 for points in artifacts["samples_by_step"].values())
    assert len(default_run.history["loss_discriminator"]) == default_run.config["steps"]
    near_a_mode = default_run.metrics["high_quality_fraction"] * default_run.config["eval_samples"]
    assert sum(artifacts["mode_counts"]) == round(near_a_mode)


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("gan_2d")
    for draw in (figures.samples_over_training, figures.losses):
        texts = rendered_texts(draw([default_run]))
        assert any("단계" in text for text in texts)
