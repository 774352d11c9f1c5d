"""DQN with a replay buffer and a target network learns to catch: far above a random policy."""

from __future__ import annotations

import pytest

from tests.conftest import train_model, trained_run


@pytest.fixture(scope="module")
def default_run():
    return trained_run("dqn_catch", "default")


def test_trained_agent_catches_far_more_than_random(default_run) -> None:
    metrics = default_run.metrics
    # Same run: measured 1.0 (every one of the 49 starts) against 0.13 .. 0.15 for random actions, seeds 0-2.
    assert metrics["catch_rate_trained"] >= 0.8
    assert metrics["catch_rate_random"] <= 0.3
    assert metrics["catch_rate_trained"] > metrics["catch_rate_random"] + 0.5
    assert metrics["return_trained"] > metrics["return_random"] + 1.0


def test_training_return_rises(default_run) -> None:
    returns = default_run.history["episode_return"]
    tenth = len(returns) // 10
    first, last = sum(returns[:tenth]) / tenth, sum(returns[-tenth:]) / tenth
    # Measured about -0.7 in the first tenth (mostly random moves) and 0.8 .. 0.9 in the last (epsilon 0.05).
    assert last > first + 1.0
    assert default_run.metrics["final_training_return"] == pytest.approx(last)


def test_on_a_second_seed_too() -> None:
    metrics = train_model("dqn_catch", "default", seed=1).metrics
    assert metrics["catch_rate_trained"] >= 0.8 and metrics["catch_rate_random"] <= 0.3


def test_recorded_episodes_are_valid_games(default_run) -> None:
    board = default_run.artifacts["board"]
    codes = default_run.artifacts["cell_codes"]
    for episode in default_run.artifacts["episodes"]:
        frames = episode["frames"]
        assert len(frames) == board["rows"] and len(episode["actions"]) == board["rows"] - 1
        for step, frame in enumerate(frames):
            assert len(frame) == board["rows"] and all(len(row) == board["columns"] for row in frame)
            cells = [cell for row in frame for cell in row]
            if step < len(frames) - 1:  # the ball falls one row per step; the paddle stays on the bottom row
                assert frame[step][episode["ball_column"]] == codes["ball"]
                assert frame[-1].count(codes["paddle"]) == 1
            assert cells.count(codes["empty"]) >= len(cells) - 2
        caught = frames[-1][-1][episode["ball_column"]] == codes["caught"]
        assert caught == (episode["return"] > 0)


def test_figures_render_with_korean_labels(default_run) -> None:
    from tests.conftest import course_figures, rendered_texts

    figures = course_figures("dqn_catch")
    for draw in (figures.return_curve, figures.episode_frames):
        texts = rendered_texts(draw([default_run]))
        assert any("받" in text for text in texts)
