"""Rosenblatt's perceptron (1957): the mistake-driven learning rule on a single threshold unit.

On linearly separable points it stops making mistakes after at most (R/gamma)^2 updates
(Novikoff, 1962). On XOR no line separates the classes, so it keeps cycling and never reaches
100% accuracy: the limit Minsky and Papert made famous in 1969.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import XOR_INPUTS, XOR_LABELS, separable_points

METRICS = {
    "final_accuracy": "training accuracy after the last epoch",
    "best_accuracy": "highest training accuracy over all epochs",
    "mistakes": "total number of weight updates (mistakes) made",
    "converged": "1 if an epoch passed with no mistakes, else 0",
    "epochs_to_converge": "epochs until the first mistake-free epoch (epochs run if never)",
    "novikoff_bound": "(R/gamma)^2 for the data's true separator, bias folded in; 0 for XOR",
}


@dataclass(frozen=True)
class Config:
    dataset: Literal["separable", "xor"] = "separable"  # points split by a line, or the four XOR points
    points: int = 60  # number of separable points (XOR always has 4)
    margin: float = 0.15  # guaranteed gap between the separable classes and their true line
    epochs: int = 30  # passes over the data; the rule stops early once an epoch has no mistake
    learning_rate: float = 1.0  # step size of each update (the perceptron's rule is scale-free)
    seed: int = 0  # seeds the data and the presentation order


BUDGETS = {
    "smoke": {"epochs": 10},
    "default": {},
    "full": {"epochs": 100, "points": 200},
}


def load_data(config: Config, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, float]:
    """Inputs [N, 2], labels in {-1, +1} [N] and the Novikoff bound (0 when there is none)."""
    if config.dataset == "xor":
        return XOR_INPUTS.clone(), XOR_LABELS * 2 - 1, 0.0
    inputs, labels, separator = separable_points(config.points, config.margin, generator)
    augmented = torch.cat([inputs, torch.ones(len(inputs), 1)], dim=1)  # [N, 3]: bias folded in
    unit = separator / separator.norm()
    radius = augmented.norm(dim=1).max().item()
    gamma = (labels * (augmented @ unit)).min().item()
    return inputs, labels, (radius / gamma) ** 2


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    inputs, labels, bound = load_data(config, generator)
    augmented = torch.cat([inputs, torch.ones(len(inputs), 1)], dim=1)  # [N, 3]
    weights = torch.zeros(3)  # [w1, w2, b]
    snapshots = [weights.tolist()]
    history: dict[str, list[float]] = {"mistakes": [], "accuracy": []}
    mistakes_total = 0
    converged_at: int | None = None
    for epoch in range(config.epochs):
        mistakes = 0
        for index in torch.randperm(len(inputs), generator=generator).tolist():
            # Rosenblatt's rule: only a misclassified point moves the weights, towards itself.
            if labels[index] * (weights @ augmented[index]) <= 0:
                weights = weights + config.learning_rate * labels[index] * augmented[index]
                mistakes += 1
        mistakes_total += mistakes
        predictions = torch.where(augmented @ weights > 0, 1.0, -1.0)
        history["mistakes"].append(float(mistakes))
        history["accuracy"].append((predictions == labels).float().mean().item())
        snapshots.append(weights.tolist())
        context.progress(epoch + 1, config.epochs)
        if mistakes == 0:
            converged_at = epoch + 1
            break
    metrics = {
        "final_accuracy": history["accuracy"][-1],
        "best_accuracy": max(history["accuracy"]),
        "mistakes": float(mistakes_total),
        "converged": 1.0 if converged_at is not None else 0.0,
        "epochs_to_converge": float(converged_at or config.epochs),
        "novikoff_bound": bound,
    }
    artifacts = {
        "inputs": to_list(inputs),
        "labels": to_list(labels),
        "weights_per_epoch": to_list(torch.tensor(snapshots)),
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state={"weights": weights})
