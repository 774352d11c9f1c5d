"""Restricted Boltzmann machines and a deep belief net: unsupervised pre-training (2006).

An RBM is a two-layer energy model, E(v, h) = -v.W.h - b.v - c.h, over binary visible units v (the
pixels) and binary hidden units h. Hinton's contrastive divergence (CD-1, 2002) follows the
log-likelihood gradient approximately: <v h>_data - <v h>_model, the second term taken after one
Gibbs step v -> h -> v' -> h'. Stacking RBMs, each trained on the hidden activities of the one
below, gives a deep belief net (Hinton, Osindero & Teh, 2006); its weights initialise a
feed-forward classifier that backpropagation then fine-tunes (Hinton & Salakhutdinov, 2006).

The source documents claim the reconstruction error falls as CD trains, and that pre-training
helps when labels are scarce: the DBN learns from every image, the classifier only from the
labelled few. Here: binarised 8x8 digits; 2 RBMs (64 -> 128 -> 64) pre-trained on all training
images; then a 64-128-64-10 sigmoid classifier fine-tuned on `labels` labelled images, started from
the DBN's weights or from random ones, with identical training otherwise. Fine-tuning is repeated on
`label_draws` different labelled subsets and the test accuracies averaged, because with 100
labels the choice of the subset alone moves accuracy by a few points.

What it shows (default budget): reconstruction error falls from 0.25 before CD to 0.04 after 20
epochs; with 100 labels the pre-trained classifier reaches 83-86% test accuracy against 77-78%
from scratch (seeds 0-2), winning on every labelled subset; with 1000 labels the gain shrinks to
under one point, as the source documents say: pre-training matters most when labels are scarce.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import balanced_subset, digits
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "accuracy_pretrained": "test accuracy of the classifier initialised from the DBN (mean over label draws)",
    "accuracy_scratch": "test accuracy of the same classifier from random weights (mean over label draws)",
    "pretraining_gain": "accuracy_pretrained - accuracy_scratch",
    "wins_pretrained": "fraction of label draws where the pre-trained classifier is more accurate",
    "reconstruction_error_start": "RBM 1's mean squared reconstruction error before any CD update",
    "reconstruction_error_last": "RBM 1's mean squared reconstruction error after its last CD epoch",
    "reconstruction_error_test": "RBM 1's mean squared one-step reconstruction error on test digits",
}


@dataclass(frozen=True)
class Config:
    hidden1: int = 128  # hidden units of RBM 1 (its visible units are the 64 pixels)
    hidden2: int = 64  # hidden units of RBM 2, trained on RBM 1's hidden probabilities
    cd_epochs: int = 20  # contrastive-divergence passes over the training images, per RBM
    cd_batch_size: int = 32  # images per CD-1 update
    cd_learning_rate: float = 0.05  # CD-1 step size
    cd_momentum: float = 0.5  # momentum on the CD-1 updates
    labels: int = 100  # labelled training images for fine-tuning (balanced: labels/10 per class)
    label_draws: int = 5  # different labelled subsets to fine-tune on; accuracies are averaged
    finetune_epochs: int = 100  # backpropagation passes over the labelled subset
    finetune_learning_rate: float = 0.1  # SGD step size for fine-tuning (same for both classifiers)
    seed: int = 0  # seeds the RBM weights, the Gibbs samples, the labelled subsets and the order


BUDGETS = {
    "smoke": {"cd_epochs": 3, "label_draws": 1, "finetune_epochs": 20},
    "default": {},
    "full": {"cd_epochs": 60, "label_draws": 20, "hidden1": 256},
}


class RBM(nn.Module):
    """Bernoulli-Bernoulli RBM: p(h=1|v) = sigmoid(v W + c), p(v=1|h) = sigmoid(h W^T + b)."""

    def __init__(self, visible: int, hidden: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(visible, hidden) * 0.01)  # [visible, hidden]
        self.visible_bias = nn.Parameter(torch.zeros(visible))  # [visible]
        self.hidden_bias = nn.Parameter(torch.zeros(hidden))  # [hidden]

    def hidden_probability(self, v: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(v @ self.weight + self.hidden_bias)  # [batch, hidden]

    def visible_probability(self, h: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(h @ self.weight.T + self.visible_bias)  # [batch, visible]

    def reconstruct(self, v: torch.Tensor) -> torch.Tensor:
        """One deterministic up-down pass: the probabilities the RBM would fill in for v."""
        return self.visible_probability(self.hidden_probability(v))


@torch.no_grad()
def train_rbm(rbm: RBM, data: torch.Tensor, config: Config, generator: torch.Generator,
              progress) -> list[float]:
    """CD-1 on `data` [N, visible]; the mean squared reconstruction error before and after each epoch."""
    velocity = [torch.zeros_like(p) for p in (rbm.weight, rbm.visible_bias, rbm.hidden_bias)]
    errors = [((rbm.reconstruct(data) - data) ** 2).mean().item()]
    for epoch in range(config.cd_epochs):
        order = torch.randperm(len(data), generator=generator).to(data.device)
        for start in range(0, len(data), config.cd_batch_size):
            v0 = data[order[start : start + config.cd_batch_size]]  # [batch, visible]
            h0 = rbm.hidden_probability(v0)  # [batch, hidden]
            # One Gibbs step: sample h, reconstruct v (probabilities, as Hinton's guide advises), re-infer h.
            h_sample = (torch.rand(h0.shape, generator=generator).to(data.device) < h0).float()
            v1 = rbm.visible_probability(h_sample)  # [batch, visible]
            h1 = rbm.hidden_probability(v1)  # [batch, hidden]
            # <v h>_data - <v h>_reconstruction, per example.
            gradients = ((v0.T @ h0 - v1.T @ h1) / len(v0), (v0 - v1).mean(0), (h0 - h1).mean(0))
            for parameter, step, gradient in zip(
                (rbm.weight, rbm.visible_bias, rbm.hidden_bias), velocity, gradients, strict=True
            ):
                step.mul_(config.cd_momentum).add_(gradient, alpha=config.cd_learning_rate)
                parameter.add_(step)
        errors.append(((rbm.reconstruct(data) - data) ** 2).mean().item())
        progress(epoch + 1)
    return errors


def classifier(config: Config, rbms: tuple[RBM, RBM] | None) -> nn.Sequential:
    """64-hidden1-hidden2-10 sigmoid net; hidden layers copied from the DBN when given."""
    net = nn.Sequential(
        nn.Linear(64, config.hidden1), nn.Sigmoid(),
        nn.Linear(config.hidden1, config.hidden2), nn.Sigmoid(),
        nn.Linear(config.hidden2, 10),
    )
    if rbms is not None:
        with torch.no_grad():
            for linear, rbm in zip((net[0], net[2]), rbms, strict=True):
                linear.weight.copy_(rbm.weight.T)  # the RBM's up-pass is the layer's forward pass
                linear.bias.copy_(rbm.hidden_bias)
    return net


def finetune(net: nn.Module, inputs: torch.Tensor, labels: torch.Tensor, test_v: torch.Tensor,
             test_y: torch.Tensor, config: Config, generator: torch.Generator,
             device: torch.device) -> tuple[list[float], list[float]]:
    """Backpropagation on the labelled few; returns the training loss and the test accuracy per epoch."""
    test_curve: list[float] = []
    optimizer = torch.optim.SGD(net.parameters(), lr=config.finetune_learning_rate, momentum=0.9)
    history = fit(net, inputs, labels, nn.functional.cross_entropy, optimizer,
                  FitConfig(epochs=config.finetune_epochs, batch_size=20, callbacks=[
                      lambda epoch, history: test_curve.append(accuracy(net, test_v, test_y, device))]),
                  RunContext(device), generator)
    return history["train_loss"], test_curve


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = digits()
    train_y, test_y = train_y.to(device), test_y.to(device)
    # Binarised pixels: on where the ink is at least half its full intensity.
    train_v = (train_x.reshape(len(train_x), -1) >= 0.5).float().to(device)  # [N, 64]
    test_v = (test_x.reshape(len(test_x), -1) >= 0.5).float().to(device)  # [M, 64]
    total = 2 * config.cd_epochs + 2 * config.label_draws

    # Greedy layer-wise pre-training on every training image, no labels used.
    rbm1 = RBM(64, config.hidden1).to(device)
    errors1 = train_rbm(rbm1, train_v, config, generator, lambda done: context.progress(done, total))
    with torch.no_grad():
        hidden_v = rbm1.hidden_probability(train_v)  # [N, hidden1]: RBM 2's training data
    rbm2 = RBM(config.hidden1, config.hidden2).to(device)
    errors2 = train_rbm(rbm2, hidden_v, config, generator,
                        lambda done: context.progress(config.cd_epochs + done, total))

    # Fine-tuning on a few labels, from the DBN's weights and from scratch, on the same subsets.
    results: dict[str, list[float]] = {"pretrained": [], "scratch": []}
    history: dict[str, list[float]] = {"reconstruction_error_rbm1": errors1,
                                       "reconstruction_error_rbm2": errors2}
    states = {}
    for draw in range(config.label_draws):
        subset = balanced_subset(train_y.cpu(), config.labels, generator).to(device)
        for kind, rbms in (("pretrained", (rbm1, rbm2)), ("scratch", None)):
            net = classifier(config, rbms).to(device)
            # Both classifiers see the labelled images in the same order.
            order = torch.Generator().manual_seed(config.seed * 1000 + draw)
            losses, test_curve = finetune(net, train_v[subset], train_y[subset], test_v, test_y, config,
                                          order, device)
            results[kind].append(test_curve[-1])
            if draw == 0:
                history[f"finetune_loss_{kind}"] = losses
                history[f"test_accuracy_{kind}"] = test_curve
                states[kind] = {key: value.cpu() for key, value in net.state_dict().items()}
        context.progress(2 * config.cd_epochs + 2 * (draw + 1), total)

    pretrained = torch.tensor(results["pretrained"])
    scratch = torch.tensor(results["scratch"])
    with torch.no_grad():
        shown = test_v[:8]  # [8, 64]
        reconstructions = rbm1.reconstruct(shown)  # [8, 64]
        test_error = ((rbm1.reconstruct(test_v) - test_v) ** 2).mean().item()
    metrics = {
        "accuracy_pretrained": pretrained.mean().item(),
        "accuracy_scratch": scratch.mean().item(),
        "pretraining_gain": (pretrained - scratch).mean().item(),
        "wins_pretrained": (pretrained > scratch).float().mean().item(),
        "reconstruction_error_start": errors1[0],
        "reconstruction_error_last": errors1[-1],
        "reconstruction_error_test": test_error,
    }
    artifacts = {
        "filters": to_list(rbm1.weight.T[:64].reshape(-1, 8, 8), 4),  # [64, 8, 8]: RBM 1's first 64 units
        "originals": to_list(test_x[:8, 0], 3),  # [8, 8, 8] grey-level test digits
        "binarised": to_list(shown.reshape(-1, 8, 8), 0),  # [8, 8, 8] what the RBM sees
        "reconstructions": to_list(reconstructions.reshape(-1, 8, 8), 3),  # [8, 8, 8] p(v=1 | h(v))
        "accuracies_pretrained": to_list(pretrained, 4),  # one per label draw
        "accuracies_scratch": to_list(scratch, 4),
        "labels": config.labels,
    }
    state = {"rbm1": {k: v.cpu() for k, v in rbm1.state_dict().items()},
             "rbm2": {k: v.cpu() for k, v in rbm2.state_dict().items()}, **states}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
