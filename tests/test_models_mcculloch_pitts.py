"""One McCulloch-Pitts neuron computes AND, OR and NOT with hand-set weights, never XOR; two layers do."""

from __future__ import annotations

import itertools

import pytest
import torch

from tests.conftest import train_model


@pytest.fixture(scope="module")
def default_run():
    return train_model("mcculloch_pitts", "default")


def test_hand_set_gates_reproduce_their_truth_tables(default_run) -> None:
    metrics = default_run.metrics
    for gate in ("and", "or", "not", "nand"):
        assert metrics[f"accuracy_{gate}"] == 1.0, gate
    tables = default_run.artifacts["truth_tables"]
    logic = {"and": lambda a, b: a and b, "or": lambda a, b: a or b, "nand": lambda a, b: not (a and b)}
    for gate, rule in logic.items():
        expected = [float(rule(bool(a), bool(b))) for a, b in tables[gate]["inputs"]]
        assert tables[gate]["output"] == expected, gate
    assert tables["not"]["output"] == [1.0, 0.0]


def test_the_threshold_is_what_makes_the_gate() -> None:
    # Same weights (1, 1), threshold 2 -> AND, threshold 1 -> OR: the neuron's output really depends on T.
    from pipeline.models.mcculloch_pitts import neuron

    inputs = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    weights = torch.tensor([1.0, 1.0])
    assert neuron(inputs, weights, 2.0).tolist() == [0.0, 0.0, 0.0, 1.0]
    assert neuron(inputs, weights, 1.0).tolist() == [0.0, 1.0, 1.0, 1.0]


@pytest.mark.parametrize("budget", ["smoke", "default", "full"])
def test_exhaustive_search_finds_and_or_but_never_xor(budget: str) -> None:
    metrics = train_model("mcculloch_pitts", budget).metrics
    assert metrics["and_solutions_found"] > 0
    assert metrics["or_solutions_found"] > 0
    assert metrics["xor_solutions_found"] == 0.0
    assert metrics["xor_best_accuracy"] == 0.75  # a line gets 3 of the 4 XOR rows, never 4


def test_search_counts_match_a_plain_python_enumeration(default_run) -> None:
    span = default_run.artifacts["weight_range"]
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    gates = {"and": lambda a, b: a & b, "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b}
    counts = dict.fromkeys(gates, 0)
    checked = 0
    for w1, w2, t in itertools.product(range(-span, span + 1), range(-span, span + 1),
                                       range(-2 * span, 2 * span + 1)):
        checked += 1
        outputs = [int(w1 * a + w2 * b >= t) for a, b in rows]
        for gate, rule in gates.items():
            counts[gate] += outputs == [rule(a, b) for a, b in rows]
    assert default_run.metrics["candidates_checked"] == checked
    for gate, count in counts.items():
        assert default_run.metrics[f"{gate}_solutions_found"] == count, gate
        assert default_run.artifacts["accuracy_histograms"][gate][4] == count, gate


def test_two_layers_compute_xor(default_run) -> None:
    assert default_run.metrics["xor_network_accuracy"] == 1.0
    network = default_run.artifacts["truth_tables"]["xor_network"]
    assert network["output"] == [0.0, 1.0, 1.0, 0.0]
    # In the hidden space (OR, NAND) the two XOR-true inputs land on the same point, (1, 1).
    assert network["hidden"][1] == network["hidden"][2] == [1.0, 1.0]


def test_same_seed_gives_same_metrics() -> None:
    assert train_model("mcculloch_pitts", "smoke", seed=3).metrics == train_model("mcculloch_pitts", "smoke",
                                                                                   seed=3).metrics


def test_figures_render_with_korean_labels() -> None:
    from tests.conftest import course_figures, rendered_texts, trained_run

    figures = course_figures("mcculloch_pitts")
    runs = [trained_run("mcculloch_pitts")]
    for draw in (figures.truth_tables, figures.xor_search, figures.xor_network):
        texts = rendered_texts(draw(runs))
        assert any("뉴런" in text or "입력" in text for text in texts)
