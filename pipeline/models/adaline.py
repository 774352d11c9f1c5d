"""ADALINE (Widrow and Hoff, 1960): a linear neuron trained by the LMS (delta) rule.

The perceptron looks only at whether a prediction was right; ADALINE looks at how wrong the linear
output w.x + b was and moves the weights in proportion: w <- w + eta (y - w.x) x. That is
stochastic gradient descent on the mean squared error, a smooth bowl-shaped cost, so the source
documents claim that the error decreases steadily and converges, even on noisy data where no line
separates the classes; the decision boundary, sign(w.x + b), is still a line.

In one run we train ADALINE and Rosenblatt's perceptron on the same 2-D points (a fraction of their
labels flipped as noise), record ADALINE's MSE and the perceptron's mistakes per epoch, and compare
the MSE with the least-squares optimum. We also run the LMS rule on XOR: its least-squares solution
is the zero function, and no epoch classifies more than 3 of the 4 points.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import torch

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import XOR_INPUTS, XOR_LABELS, separable_points

METRICS = {
    "final_mse": "ADALINE's mean squared error (linear output vs +-1 labels) after the last epoch",
    "optimal_mse": "the least-squares optimum of that error (closed form), which LMS approaches",
    "initial_mse": "ADALINE's mean squared error before training (zero weights: 1.0)",
    "mse_increases": "epochs whose MSE rose above the previous epoch's by more than 1e-3 (smoothness)",
    "accuracy": "ADALINE's training accuracy on the (noisy) labels after the last epoch",
    "clean_accuracy": "ADALINE's accuracy against the noise-free labels of the true separating line",
    "perceptron_accuracy": "the perceptron's training accuracy on the same labels after the last epoch",
    "perceptron_clean_accuracy": "the perceptron's accuracy against the noise-free labels",
    "perceptron_last_mistakes": "mistakes the perceptron made in its last epoch (0 only if separable)",
    "xor_best_accuracy": "best XOR accuracy of the LMS rule over all epochs (a line gets at most 3 of 4)",
    "xor_optimal_mse": "least-squares optimum on XOR with +-1 targets (1.0: the best line outputs 0)",
}


@dataclass(frozen=True)
class Config:
    points: int = 100  # number of 2-D training points in [-2, 2]^2
    margin: float = 0.1  # gap between the true line and the points before label noise
    label_noise: float = 0.1  # fraction of labels flipped, so no line separates the data
    epochs: int = 30  # passes over the data for both learners, one sample at a time
    learning_rate: float = 0.002  # LMS step size; small enough that the epoch MSE falls without jitter
    xor_learning_rate: float = 0.1  # LMS step size on the four XOR points (|x|^2 <= 3)
    seed: int = 0  # seeds the data, the label noise and the presentation order


BUDGETS = {
    "smoke": {"epochs": 8},
    "default": {},
    "full": {"epochs": 100, "points": 400},
}


def load_data(config: Config,
              generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Inputs [N, 2], noisy labels in {-1, +1} [N], the noise-free labels [N] and the true line [3]."""
    inputs, clean, separator = separable_points(config.points, config.margin, generator)
    flipped = torch.rand(config.points, generator=generator) < config.label_noise  # [N]
    return inputs, torch.where(flipped, -clean, clean), clean, separator


def mse(weights: torch.Tensor, augmented: torch.Tensor, targets: torch.Tensor) -> float:
    return ((targets - augmented @ weights) ** 2).mean().item()


def accuracy(weights: torch.Tensor, augmented: torch.Tensor, labels: torch.Tensor) -> float:
    return (torch.where(augmented @ weights > 0, 1.0, -1.0) == labels).float().mean().item()


def lms_epoch(weights: torch.Tensor, augmented: torch.Tensor, targets: torch.Tensor, order: list[int],
              learning_rate: float) -> torch.Tensor:
    """One pass of the Widrow-Hoff rule: every sample moves w in proportion to its linear error."""
    for index in order:
        error = targets[index] - weights @ augmented[index]  # scalar: how wrong, not just whether
        weights = weights + learning_rate * error * augmented[index]
    return weights


def perceptron_epoch(weights: torch.Tensor, augmented: torch.Tensor, labels: torch.Tensor,
                     order: list[int]) -> tuple[torch.Tensor, int]:
    """One pass of Rosenblatt's rule (as in perceptron.py): only mistakes move w, by a fixed step."""
    mistakes = 0
    for index in order:
        if labels[index] * (weights @ augmented[index]) <= 0:
            weights = weights + labels[index] * augmented[index]
            mistakes += 1
    return weights, mistakes


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    device = context.device
    inputs, labels, clean, separator = load_data(config, generator)
    inputs, labels, clean = inputs.to(device), labels.to(device), clean.to(device)
    augmented = torch.cat([inputs, torch.ones(len(inputs), 1, device=device)], dim=1)  # [N, 3]: bias last
    optimum = torch.linalg.lstsq(augmented.cpu(), labels.cpu()[:, None]).solution[:, 0].to(device)  # [3]

    xor_augmented = torch.cat([XOR_INPUTS, torch.ones(4, 1)], dim=1).to(device)  # [4, 3]
    xor_targets = (XOR_LABELS * 2 - 1).to(device)  # [4] in {-1, +1}
    xor_optimum = torch.linalg.lstsq(xor_augmented.cpu(), xor_targets.cpu()[:, None]).solution[:, 0]
    xor_optimum = xor_optimum.to(device)  # [3]: (0, 0, 0), the line that outputs 0 everywhere

    adaline = torch.zeros(3, device=device)  # [w1, w2, b]
    perceptron = torch.zeros(3, device=device)
    xor_weights = torch.zeros(3, device=device)
    history: dict[str, list[float]] = {"mse": [mse(adaline, augmented, labels)], "accuracy": [],
                                       "perceptron_mistakes": [], "perceptron_accuracy": [], "xor_mse": [],
                                       "xor_accuracy": []}
    adaline_snapshots, perceptron_snapshots = [adaline.tolist()], [perceptron.tolist()]
    for epoch in range(config.epochs):
        # Both learners see the points in the same shuffled order.
        order = torch.randperm(len(inputs), generator=generator).tolist()
        adaline = lms_epoch(adaline, augmented, labels, order, config.learning_rate)
        perceptron, mistakes = perceptron_epoch(perceptron, augmented, labels, order)
        xor_order = torch.randperm(4, generator=generator).tolist()
        xor_weights = lms_epoch(xor_weights, xor_augmented, xor_targets, xor_order, config.xor_learning_rate)
        history["mse"].append(mse(adaline, augmented, labels))
        history["accuracy"].append(accuracy(adaline, augmented, labels))
        history["perceptron_mistakes"].append(float(mistakes))
        history["perceptron_accuracy"].append(accuracy(perceptron, augmented, labels))
        history["xor_mse"].append(mse(xor_weights, xor_augmented, xor_targets))
        history["xor_accuracy"].append(accuracy(xor_weights, xor_augmented, xor_targets))
        adaline_snapshots.append(adaline.tolist())
        perceptron_snapshots.append(perceptron.tolist())
        context.progress(epoch + 1, config.epochs)

    curve = history["mse"]
    metrics = {
        "final_mse": curve[-1],
        "optimal_mse": mse(optimum, augmented, labels),
        "initial_mse": curve[0],
        "mse_increases": float(sum(later > earlier + 1e-3 for earlier, later in itertools.pairwise(curve))),
        "accuracy": history["accuracy"][-1],
        "clean_accuracy": accuracy(adaline, augmented, clean),
        "perceptron_accuracy": history["perceptron_accuracy"][-1],
        "perceptron_clean_accuracy": accuracy(perceptron, augmented, clean),
        "perceptron_last_mistakes": history["perceptron_mistakes"][-1],
        "xor_best_accuracy": max(history["xor_accuracy"]),
        "xor_optimal_mse": mse(xor_optimum, xor_augmented, xor_targets),
    }
    artifacts = {
        "inputs": to_list(inputs),
        "labels": to_list(labels),  # the noisy labels both learners saw
        "clean_labels": to_list(clean),
        "true_weights": to_list(separator),  # [w1, w2, b] of the line that made the noise-free labels
        "adaline_weights_per_epoch": to_list(torch.tensor(adaline_snapshots)),  # [epochs + 1, 3]: w1, w2, b
        "perceptron_weights_per_epoch": to_list(torch.tensor(perceptron_snapshots)),
        "optimal_weights": to_list(optimum),
        "xor_weights": to_list(xor_weights),
        "xor_optimal_weights": to_list(xor_optimum),
    }
    state = {"adaline": adaline.cpu(), "perceptron": perceptron.cpu(), "xor": xor_weights.cpu()}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
