"""A multilayer perceptron learns XOR by backpropagation (Rumelhart, Hinton and Williams, 1986).

One line cannot split XOR's four points, but one hidden layer of sigmoid units can bend the input
space: the hidden units compute new features (roughly OR and NAND) in whose space the two classes
lie on either side of a line that the output unit draws. The source documents' point is that the
representational problem of the 1960s was solvable; what was missing was a way to learn the hidden
weights, which backpropagation supplied: the output error is sent back through the weights as one
delta per unit, and every weight's gradient is its input activation times the delta it feeds.

The backward pass is written out by hand below (deltas, then gradients), with the error
E = 1/2 (output - target)^2 averaged over the four points and plain full-batch gradient descent.
Besides the network we keep, `restarts` networks with the next seeds train in the same run (as one
batched computation) to measure how often a width solves XOR: 2-4-1 for every seed we tried,
2-2-1 only for most (a 2-unit hidden layer can stall in a local minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import XOR_INPUTS, XOR_LABELS

METRICS = {
    "solved": "1 if the kept network (seed `seed`) classifies all four XOR points correctly, else 0",
    "accuracy": "fraction of the four XOR points the kept network classifies correctly (output > 0.5)",
    "final_loss": "the kept network's error 1/2 (output - target)^2, averaged over the four points",
    "min_margin": "smallest |output - 0.5| on the correct side over the four points (negative if wrong)",
    "epochs_to_solve": "gradient steps until the kept network first got all four points right (else epochs)",
    "solved_fraction": "fraction of the networks with seeds seed .. seed+restarts-1 that solve XOR",
}


@dataclass(frozen=True)
class Config:
    hidden: int = 2  # sigmoid units in the hidden layer (2 is the minimum for XOR; 4 always solves it)
    epochs: int = 5000  # full-batch gradient-descent steps on the four points
    learning_rate: float = 4.0  # gradient-descent step size (sigmoid + squared error has small gradients)
    init_scale: float = 1.0  # initial weights and biases uniform in [-init_scale, init_scale]
    restarts: int = 8  # networks trained with seeds seed, seed+1, ... to measure the solved fraction
    grid: int = 61  # resolution of the decision grid over [-0.5, 1.5]^2
    seed: int = 0  # seeds the kept network's initial weights (seed 0 solves XOR with 2 hidden units)


BUDGETS = {
    "smoke": {"epochs": 1500, "restarts": 2, "grid": 21},
    "default": {},
    "full": {"epochs": 20000, "restarts": 64},
}

LOGGED_POINTS = 250  # the loss curves keep about this many points, whatever the number of steps
SNAPSHOTS = 25  # hidden representations recorded over training, for animations


def init_weights(hidden: int, scale: float, seeds: list[int]) -> dict[str, torch.Tensor]:
    """One independent initialisation per seed, stacked: the leading dimension R indexes networks."""
    shapes = {"W1": (hidden, 2), "b1": (hidden,), "W2": (hidden,), "b2": (1,)}
    per_seed = []
    for seed in seeds:
        generator = torch.Generator().manual_seed(seed)
        per_seed.append({name: (torch.rand(*shape, generator=generator) * 2 - 1) * scale
                         for name, shape in shapes.items()})
    # W1 [R, H, 2], b1 [R, H], W2 [R, H], b2 [R, 1]
    return {name: torch.stack([weights[name] for weights in per_seed]) for name in per_seed[0]}


def forward(weights: dict[str, torch.Tensor], inputs: torch.Tensor) -> dict[str, torch.Tensor]:
    """Activations of every layer for inputs [N, 2] in all R networks at once."""
    hidden_pre = torch.einsum("rhi,ni->rnh", weights["W1"], inputs) + weights["b1"][:, None, :]  # [R, N, H]
    hidden = torch.sigmoid(hidden_pre)  # [R, N, H]
    output_pre = torch.einsum("rh,rnh->rn", weights["W2"], hidden) + weights["b2"]  # [R, N]
    output = torch.sigmoid(output_pre)  # [R, N]
    return {"hidden_pre": hidden_pre, "hidden": hidden, "output_pre": output_pre, "output": output}


def backward(weights: dict[str, torch.Tensor], inputs: torch.Tensor, targets: torch.Tensor,
             layers: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
    """Backpropagation by hand for E = mean over N of 1/2 (output - target)^2: (deltas, gradients).

    A unit's delta is dE/d(its pre-activation). The output's delta is the error times the
    sigmoid's slope; a hidden unit's delta is the output delta sent back through its outgoing
    weight, times its own slope. Each weight's gradient is delta (of the unit it feeds) x input.
    """
    count = inputs.shape[0]
    output, hidden = layers["output"], layers["hidden"]
    delta_output = (output - targets) * output * (1 - output) / count  # [R, N]
    delta_hidden = delta_output[:, :, None] * weights["W2"][:, None, :] * hidden * (1 - hidden)  # [R, N, H]
    gradients = {
        "W1": torch.einsum("rnh,ni->rhi", delta_hidden, inputs),  # [R, H, 2]
        "b1": delta_hidden.sum(dim=1),  # [R, H]
        "W2": torch.einsum("rn,rnh->rh", delta_output, hidden),  # [R, H]
        "b2": delta_output.sum(dim=1, keepdim=True),  # [R, 1]
    }
    return {"output": delta_output, "hidden": delta_hidden}, gradients


def loss(layers: dict[str, torch.Tensor], targets: torch.Tensor) -> torch.Tensor:
    return 0.5 * ((layers["output"] - targets) ** 2).mean(dim=1)  # [R]


def record_one_step(weights: dict[str, torch.Tensor], example: int, learning_rate: float) -> dict:
    """One forward and backward pass of the kept network on one input, and its SGD update, as lists.

    For animations of backpropagation: what flows forward, the error, the delta of every unit,
    the gradient of every weight, and the weights before and after one step on this example.
    """
    before = {name: tensor[:1] for name, tensor in weights.items()}  # network 0 only
    inputs, targets = XOR_INPUTS[example : example + 1], XOR_LABELS[example : example + 1]  # [1, 2], [1]
    layers = forward(before, inputs)
    deltas, gradients = backward(before, inputs, targets, layers)
    after = {name: before[name] - learning_rate * gradients[name] for name in before}
    output = layers["output"][0, 0]

    def squeeze(tensors: dict[str, torch.Tensor]) -> dict[str, list]:
        return {name: to_list(tensor[0], 6) for name, tensor in tensors.items()}

    return {
        "input": to_list(inputs[0]),
        "target": XOR_LABELS[example].item(),
        "learning_rate": learning_rate,
        "weights_before": squeeze(before),  # W1 [H, 2], b1 [H], W2 [H], b2 [1]
        "hidden_pre": to_list(layers["hidden_pre"][0, 0], 6),  # [H]: z = W1 x + b1
        "hidden": to_list(layers["hidden"][0, 0], 6),  # [H]: a = sigmoid(z)
        "output_pre": round(layers["output_pre"][0, 0].item(), 6),  # W2 . a + b2
        "output": round(output.item(), 6),
        "error": round((output - targets[0]).item(), 6),  # output - target
        "loss": round(0.5 * (output - targets[0]).item() ** 2, 6),
        "delta_output": round(deltas["output"][0, 0].item(), 6),
        "delta_hidden": to_list(deltas["hidden"][0, 0], 6),  # [H]
        "gradients": squeeze(gradients),
        "weights_after": squeeze(after),
    }


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    seeds = [config.seed + k for k in range(max(1, config.restarts))]
    weights = init_weights(config.hidden, config.init_scale, seeds)
    step_example = record_one_step(weights, example=2, learning_rate=config.learning_rate)  # input (1, 0)
    weights = {name: tensor.to(device) for name, tensor in weights.items()}
    initial_weights = {name: to_list(tensor[0]) for name, tensor in weights.items()}
    inputs, targets = XOR_INPUTS.to(device), XOR_LABELS.to(device)  # [4, 2], [4]

    history: dict[str, list[float]] = {"step": [], "loss": [], "accuracy": []}
    restart_losses: list[torch.Tensor] = []
    hidden_snapshots: list[list] = []
    snapshot_steps = set(torch.linspace(0, config.epochs, SNAPSHOTS).round().long().tolist())
    solved_at: int | None = None
    log_every = max(1, config.epochs // LOGGED_POINTS)
    for step in range(config.epochs + 1):
        layers = forward(weights, inputs)
        correct = ((layers["output"] > 0.5).float() == targets).float().mean(dim=1)  # [R]
        if solved_at is None and correct[0].item() == 1.0:
            solved_at = step
        if step % log_every == 0 or step == config.epochs:
            losses = loss(layers, targets)  # [R]
            history["step"].append(float(step))
            history["loss"].append(losses[0].item())
            history["accuracy"].append(correct[0].item())
            restart_losses.append(losses.cpu())
        if step in snapshot_steps:
            hidden_snapshots.append(to_list(layers["hidden"][0], 4))  # [4, H]
        if step == config.epochs:
            break
        _, gradients = backward(weights, inputs, targets, layers)
        weights = {name: weights[name] - config.learning_rate * gradients[name] for name in weights}
        if (step + 1) % 100 == 0 or step + 1 == config.epochs:
            context.progress(step + 1, config.epochs)

    final = forward(weights, inputs)
    outputs = final["output"]  # [R, 4]
    solved = ((outputs > 0.5).float() == targets).all(dim=1).float()  # [R]
    margins = (outputs - 0.5) * (2 * targets - 1)  # [R, 4]: positive on the correct side

    axis = torch.linspace(-0.5, 1.5, config.grid, device=device)
    grid_y, grid_x = torch.meshgrid(axis, axis, indexing="ij")
    grid_points = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)  # [G*G, 2]
    kept = {name: tensor[:1] for name, tensor in weights.items()}
    grid_output = forward(kept, grid_points)["output"][0].reshape(config.grid, config.grid)  # [G, G]: rows y

    metrics = {
        "solved": solved[0].item(),
        "accuracy": ((outputs[0] > 0.5).float() == targets).float().mean().item(),
        "final_loss": loss(final, targets)[0].item(),
        "min_margin": margins[0].min().item(),
        "epochs_to_solve": float(solved_at if solved_at is not None else config.epochs),
        "solved_fraction": solved.mean().item(),
    }
    artifacts = {
        "inputs": to_list(XOR_INPUTS),
        "targets": to_list(XOR_LABELS),
        "outputs": to_list(outputs[0]),  # [4]
        "hidden": to_list(final["hidden"][0]),  # [4, H]: the learned representation of the 4 inputs
        "hidden_initial": hidden_snapshots[0],  # [4, H] before training
        "hidden_per_snapshot": hidden_snapshots,  # [SNAPSHOTS, 4, H], evenly spaced over training
        "snapshot_steps": sorted(snapshot_steps),
        "weights": {name: to_list(tensor[0]) for name, tensor in weights.items()},  # W1 [H,2], b1, W2 [H], b2
        "initial_weights": initial_weights,
        "grid_axis": to_list(axis),  # [G]: the same axis for x1 and x2
        "grid_output": to_list(grid_output, 4),  # [G, G]: row i is x2 = axis[i], column j is x1 = axis[j]
        "backprop_step": step_example,  # one forward/backward pass on input (1, 0) at initialisation
        "restart_seeds": seeds,
        "restart_solved": to_list(solved),
        "restart_loss": to_list(torch.stack(restart_losses, dim=1), 8),  # [R, logged steps]
    }
    state = {name: tensor[0].cpu() for name, tensor in weights.items()}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
