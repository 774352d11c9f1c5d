"""A sigmoid MLP learns XOR by backpropagation: 2-4-1 for every seed, 2-2-1 for most."""

from __future__ import annotations

import pytest
import torch

from tests.conftest import train_model


@pytest.fixture(scope="module")
def narrow_run():
    return train_model("mlp_xor", "default", hidden=2, restarts=16)


@pytest.fixture(scope="module")
def wide_run():
    return train_model("mlp_xor", "default", hidden=4, restarts=16)


def test_2_4_1_solves_xor_for_every_seed(wide_run) -> None:
    assert wide_run.metrics["solved_fraction"] == 1.0  # measured 16 of 16 (and 64 of 64)
    assert wide_run.metrics["solved"] == 1.0
    assert wide_run.metrics["min_margin"] > 0.4  # outputs within 0.1 of their targets


def test_2_2_1_solves_xor_for_most_seeds_but_not_all(narrow_run, wide_run) -> None:
    fraction = narrow_run.metrics["solved_fraction"]
    assert 0.5 < fraction < 1.0  # measured 7 of seeds 0-7, 11 of seeds 0-15, 51 of seeds 0-63
    assert fraction < wide_run.metrics["solved_fraction"]
    artifacts = narrow_run.artifacts
    stuck = [loss[-1] for loss, ok in zip(artifacts["restart_loss"], artifacts["restart_solved"], strict=True)
             if not ok]
    assert min(stuck) > 0.01  # a stuck network sits on a plateau (measured 0.063 each), not just short of 0.5


def test_the_default_seed_solves_xor_with_two_hidden_units(narrow_run) -> None:
    metrics = narrow_run.metrics
    assert metrics["solved"] == 1.0 and metrics["accuracy"] == 1.0
    assert metrics["final_loss"] < 0.01
    assert metrics["epochs_to_solve"] < narrow_run.history["step"][-1]


@pytest.mark.parametrize("run_name", ["narrow_run", "wide_run"])
def test_hidden_layer_makes_xor_linearly_separable(run_name: str, request) -> None:
    artifacts = request.getfixturevalue(run_name).artifacts
    hidden = torch.tensor(artifacts["hidden"])  # [4, H]
    weights = artifacts["weights"]
    read = hidden @ torch.tensor(weights["W2"]) + weights["b2"][0]  # the output unit's line in hidden space
    targets = torch.tensor(artifacts["targets"])
    assert ((read > 0).float() == targets).all()
    # The decision grid agrees with the four outputs at the four corners of the unit square.
    axis = torch.tensor(artifacts["grid_axis"])
    grid = torch.tensor(artifacts["grid_output"])
    for (x1, x2), target in zip(artifacts["inputs"], artifacts["targets"], strict=True):
        row, column = (axis - x2).abs().argmin(), (axis - x1).abs().argmin()
        assert (grid[row, column] > 0.5).item() == (target > 0.5)


@pytest.mark.parametrize("run_name", ["narrow_run", "wide_run"])
def test_recorded_backward_pass_matches_autograd(run_name: str, request) -> None:
    step = request.getfixturevalue(run_name).artifacts["backprop_step"]
    before = {name: torch.tensor(value, requires_grad=True) for name, value in step["weights_before"].items()}
    x, target = torch.tensor(step["input"]), step["target"]
    hidden = torch.sigmoid(before["W1"] @ x + before["b1"])
    output = torch.sigmoid(before["W2"] @ hidden + before["b2"][0])
    loss = 0.5 * (output - target) ** 2
    loss.backward()
    assert output.item() == pytest.approx(step["output"], abs=1e-5)
    assert loss.item() == pytest.approx(step["loss"], abs=1e-5)
    assert hidden.tolist() == pytest.approx(step["hidden"], abs=1e-5)
    for name, tensor in before.items():
        recorded = torch.tensor(step["gradients"][name]).flatten().tolist()
        assert tensor.grad.flatten().tolist() == pytest.approx(recorded, abs=1e-5), name
        updated = tensor.detach() - step["learning_rate"] * tensor.grad
        assert updated.flatten().tolist() == pytest.approx(
            torch.tensor(step["weights_after"][name]).flatten().tolist(), abs=1e-4), name
    # The delta rule in backprop form: a weight's gradient is (its input) x (the delta it feeds).
    expected = [activation * step["delta_output"] for activation in step["hidden"]]
    assert step["gradients"]["W2"] == pytest.approx(expected, abs=1e-5)


def test_same_seed_gives_same_metrics() -> None:
    assert train_model("mlp_xor", "smoke", seed=4).metrics == train_model("mlp_xor", "smoke", seed=4).metrics


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("mlp_xor")
    runs = [trained_run("mlp_xor", hidden=2), trained_run("mlp_xor", hidden=4)]
    for draw in (figures.decision_and_hidden, figures.loss_curves):
        texts = rendered_texts(draw(runs))
        assert any("은닉" in text or "경사 하강" in text for text in texts)
