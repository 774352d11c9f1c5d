"""The shared short trainer: minibatch gradient descent with callbacks.

Models with their own learning rule (the perceptron, the RBM, DQN) write their loop by hand;
everything trained by backpropagation on a fixed dataset goes through `fit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from pipeline.models.base import RunContext

# A callback sees the epoch number and the history so far; it may append its own curves.
EpochCallback = Callable[[int, dict[str, list[float]]], None]


@dataclass
class FitConfig:
    epochs: int  # full passes over the training set
    batch_size: int  # examples per gradient step
    shuffle: bool = True  # reshuffle the training set every epoch
    callbacks: list[EpochCallback] = field(default_factory=list)


def fit(
    model: nn.Module,
    inputs: torch.Tensor,
    targets: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    config: FitConfig,
    context: RunContext,
    generator: torch.Generator,
    augment: Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None = None,
) -> dict[str, list[float]]:
    """Train `model` in place; return the history with one mean training loss per epoch."""
    history: dict[str, list[float]] = {"train_loss": []}
    device = context.device
    inputs, targets = inputs.to(device), targets.to(device)
    count = inputs.shape[0]
    for epoch in range(config.epochs):
        model.train()
        order = torch.randperm(count, generator=generator) if config.shuffle else torch.arange(count)
        total_loss = 0.0
        for start in range(0, count, config.batch_size):
            index = order[start : start + config.batch_size].to(device)
            batch_inputs = inputs[index]
            if augment is not None:
                batch_inputs = augment(batch_inputs, generator)
            loss = loss_fn(model(batch_inputs), targets[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * index.shape[0]
        history["train_loss"].append(total_loss / count)
        model.eval()
        for callback in config.callbacks:
            callback(epoch, history)
        context.progress(epoch + 1, config.epochs)
    return history


@torch.no_grad()
def accuracy(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor, device: torch.device) -> float:
    """Fraction of `inputs` whose highest-scoring class is the label."""
    model.eval()
    predictions = model(inputs.to(device)).argmax(dim=1).cpu()
    return (predictions == labels.cpu()).float().mean().item()
