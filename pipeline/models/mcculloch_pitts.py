"""The McCulloch-Pitts neuron (1943): a threshold unit whose weights a person sets, no learning.

The unit adds its binary inputs with fixed weights and fires when the sum reaches a threshold T:
y = 1 if sum_j w_j x_j >= T else 0. The source documents claim that with the right weights and
threshold one such neuron computes the basic logic gates (AND, OR, NOT), which showed that
networks of neurons could compute. We set those weights by hand and check every truth table.

XOR cannot be computed by one threshold unit: its two classes are not split by a line (Minsky and
Papert, 1969). We make the claim concrete by exhaustive search: every integer weight pair and
threshold in a range is tried on the four XOR inputs and none gets all four right, while the same
search finds many AND and OR units. Two layers of such neurons do compute XOR (OR and NAND feeding
an AND), the hand-built network of the course's XOR table.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import XOR_INPUTS

METRICS = {
    "accuracy_and": "fraction of the AND truth table the hand-set neuron gets right",
    "accuracy_or": "fraction of the OR truth table the hand-set neuron gets right",
    "accuracy_not": "fraction of the NOT truth table the hand-set neuron gets right",
    "accuracy_nand": "fraction of the NAND truth table the hand-set neuron gets right",
    "xor_network_accuracy": "fraction of the XOR table the two-layer network (OR, NAND -> AND) gets right",
    "candidates_checked": "number of (w1, w2, T) integer triples tried in the exhaustive search",
    "and_solutions_found": "integer triples whose single neuron computes AND exactly",
    "or_solutions_found": "integer triples whose single neuron computes OR exactly",
    "xor_solutions_found": "integer triples whose single neuron computes XOR exactly (0: impossible)",
    "xor_best_accuracy": "best fraction of the XOR table any single searched neuron gets right",
}


@dataclass(frozen=True)
class Config:
    weight_range: int = 3  # the search tries every integer weight in [-R, R] and threshold in [-2R, 2R]
    seed: int = 0  # unused by the neuron itself (nothing is random); kept for the shared contract


BUDGETS = {
    "smoke": {"weight_range": 2},
    "default": {},
    "full": {"weight_range": 8},
}

# Hand-set weights and thresholds, as in the course's table: fires when w . x >= T.
GATES = {
    "and": ([1.0, 1.0], 2.0),
    "or": ([1.0, 1.0], 1.0),
    "nand": ([-1.0, -1.0], -1.0),
    "not": ([-1.0], 0.0),
}
# The two-layer XOR network: OR and NAND in the hidden layer, their AND at the output. The course's
# table uses x1 + x2 - 1 >= 0 and -x1 - x2 + 1 >= 0, which put both hidden lines on x1 + x2 = 1 (right
# for binary inputs, but the picture collapses); these thresholds sit halfway between the points.
XOR_HIDDEN = {"or": ([2.0, 2.0], 1.0), "nand": ([-2.0, -2.0], -3.0)}  # x1 + x2 >= 0.5, x1 + x2 <= 1.5
XOR_OUTPUT = ([1.0, 1.0], 2.0)  # AND
TRUTH = {
    "and": lambda a, b: a * b,
    "or": lambda a, b: torch.clamp(a + b, max=1.0),
    "nand": lambda a, b: 1.0 - a * b,
    "xor": lambda a, b: (a + b) % 2,
}
NOT_INPUTS = torch.tensor([[0.0], [1.0]])


def neuron(inputs: torch.Tensor, weights: torch.Tensor, threshold: torch.Tensor | float) -> torch.Tensor:
    """The McCulloch-Pitts unit: 1 where the weighted sum reaches the threshold, else 0."""
    return (inputs @ weights >= threshold).float()  # [N]


def xor_network(inputs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Two layers of hand-set neurons: hidden OR and NAND, then their AND. Returns (hidden [N, 2], y [N])."""
    hidden = torch.stack([neuron(inputs, torch.tensor(weights, device=inputs.device), threshold)
                          for weights, threshold in XOR_HIDDEN.values()], dim=1)  # [N, 2]
    output = neuron(hidden, torch.tensor(XOR_OUTPUT[0], device=inputs.device), XOR_OUTPUT[1])  # [N]
    return hidden, output


def search(inputs: torch.Tensor, weight_range: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every integer (w1, w2, T) in range: the triples [K, 3] and their outputs on `inputs` [K, N]."""
    weights = torch.arange(-weight_range, weight_range + 1, device=inputs.device, dtype=torch.float32)
    thresholds = torch.arange(-2 * weight_range, 2 * weight_range + 1, device=inputs.device,
                              dtype=torch.float32)
    w1, w2, t = torch.meshgrid(weights, weights, thresholds, indexing="ij")
    triples = torch.stack([w1.flatten(), w2.flatten(), t.flatten()], dim=1)  # [K, 3]
    outputs = (triples[:, :2] @ inputs.T >= triples[:, 2:]).float()  # [K, N]
    return triples, outputs


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    inputs = XOR_INPUTS.to(device)  # [4, 2]: (0,0), (0,1), (1,0), (1,1)
    a, b = inputs[:, 0], inputs[:, 1]
    tables: dict[str, dict] = {}
    metrics: dict[str, float] = {}
    for gate, (weights, threshold) in GATES.items():
        gate_inputs = NOT_INPUTS.to(device) if gate == "not" else inputs
        target = 1.0 - gate_inputs[:, 0] if gate == "not" else TRUTH[gate](a, b)  # [N]
        output = neuron(gate_inputs, torch.tensor(weights, device=device), threshold)  # [N]
        metrics[f"accuracy_{gate}"] = (output == target).float().mean().item()
        tables[gate] = {"inputs": to_list(gate_inputs), "target": to_list(target), "output": to_list(output),
                        "weights": weights, "threshold": threshold}
    context.progress(1, 3)

    hidden, output = xor_network(inputs)
    xor_target = TRUTH["xor"](a, b)  # [4]
    metrics["xor_network_accuracy"] = (output == xor_target).float().mean().item()
    tables["xor_network"] = {"inputs": to_list(inputs), "target": to_list(xor_target),
                             "hidden": to_list(hidden), "output": to_list(output),
                             "hidden_gates": list(XOR_HIDDEN),
                             "hidden_weights": [w for w, _ in XOR_HIDDEN.values()],
                             "hidden_thresholds": [t for _, t in XOR_HIDDEN.values()],
                             "output_weights": XOR_OUTPUT[0], "output_threshold": XOR_OUTPUT[1]}
    context.progress(2, 3)

    # Exhaustive search: how many single neurons compute each gate exactly, and how close XOR gets.
    triples, outputs = search(inputs, config.weight_range)  # [K, 3], [K, 4]
    metrics["candidates_checked"] = float(len(triples))
    accuracy_histograms = {}
    for gate in ("and", "or", "xor"):
        correct = (outputs == TRUTH[gate](a, b)).float().sum(dim=1)  # [K]: 0..4 rows right
        metrics[f"{gate}_solutions_found"] = float((correct == 4).sum().item())
        accuracy_histograms[gate] = [int((correct == k).sum().item()) for k in range(5)]
        if gate == "xor":
            metrics["xor_best_accuracy"] = correct.max().item() / 4
    solutions = {gate: to_list(triples[(outputs == TRUTH[gate](a, b)).all(dim=1)][:12])
                 for gate in ("and", "or", "xor")}
    context.progress(3, 3)

    artifacts = {
        "truth_tables": tables,
        # accuracy_histograms[gate][k]: how many searched neurons get exactly k of the 4 rows right.
        "accuracy_histograms": accuracy_histograms,
        "example_solutions": solutions,  # up to 12 (w1, w2, T) triples per gate; XOR's list is empty
        "weight_range": config.weight_range,
    }
    state = {gate: torch.tensor([*weights, threshold]) for gate, (weights, threshold) in GATES.items()}
    return TrainResult(metrics=metrics, history={}, artifacts=artifacts, state=state)
