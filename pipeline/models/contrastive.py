"""SimCLR: learning features without labels by telling augmented views apart.

Chen, Kornblith, Norouzi & Hinton (2020) train an encoder with no labels at all: each image in a
batch is augmented twice, and the NT-Xent loss asks each view's embedding to be closer (in cosine
similarity, divided by a temperature) to its twin than to the 2(B-1) other views in the batch. The
features before a small projection head are then judged by a linear probe: a logistic regression
trained on the frozen features with labels. The claim: the probe on contrastive features far
beats the same probe on a randomly initialised (untrained) encoder of the same architecture, and
approaches supervised training.

Here: a small CNN encoder on the 8x8 digits with 1-pixel shifts, scaling by up to 10%, small
rotations and Gaussian pixel noise as augmentations, NT-Xent on a 2-layer projection head, then
the same linear probe (full-batch logistic regression on standardised features) on the trained
encoder, on the untrained one and, for reference, on the raw pixels (digits are so small that
pixels alone are nearly linearly separable). A second set of probes learns from only
`few_labels` labelled digits, where the quality of the features matters most.

What it shows (default budget, seeds 0-2): with all labels the probe reaches 98.9-99.3% on the
contrastive features against 96.2-96.4% on the random encoder (and 96% on pixels); with 100
labels, 93-97% against 85-87%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import balanced_subset, digits

METRICS = {
    "probe_accuracy_contrastive": "linear probe test accuracy on the contrastive encoder's features",
    "probe_accuracy_random": "the same linear probe's test accuracy on the untrained (random) encoder",
    "probe_accuracy_pixels": "the same linear probe's test accuracy on the raw 64 pixels (reference)",
    "probe_gain": "probe_accuracy_contrastive - probe_accuracy_random",
    "few_label_accuracy_contrastive": "linear probe test accuracy, contrastive features, few labels only",
    "few_label_accuracy_random": "linear probe test accuracy, random encoder's features, few labels only",
    "few_label_accuracy_pixels": "linear probe test accuracy, raw pixels, few labels only",
    "final_contrastive_loss": "NT-Xent loss in the last epoch",
    "initial_contrastive_loss": "NT-Xent loss in the first epoch",
}


@dataclass(frozen=True)
class Config:
    channels: int = 32  # feature maps of the encoder's first convolution (the second has twice as many)
    feature_size: int = 64  # size of the representation the probe reads
    projection_size: int = 32  # size of the projection head's output, where NT-Xent is computed
    temperature: float = 0.2  # NT-Xent temperature tau
    epochs: int = 60  # contrastive passes over the (unlabelled) training digits
    batch_size: int = 256  # images per step; each brings 2 views, so 2B-2 negatives per view
    learning_rate: float = 0.002  # Adam step size
    max_shift: float = 1.0  # largest translation in pixels
    max_scale: float = 0.1  # largest relative zoom in or out
    max_rotation: float = 10.0  # largest rotation in degrees
    noise: float = 0.1  # standard deviation of the Gaussian pixel noise
    probe_steps: int = 300  # full-batch Adam steps of the logistic-regression probe
    few_labels: int = 100  # labelled training digits (class-balanced) for the few-label probes
    seed: int = 0  # seeds the weights, the batches and the augmentations


BUDGETS = {
    "smoke": {"epochs": 2, "probe_steps": 50},
    "default": {},
    "full": {"epochs": 400, "channels": 64, "feature_size": 128},
}


class Encoder(nn.Module):
    """conv -> ReLU -> conv -> ReLU -> maxpool -> linear: an 8x8 digit to a feature vector."""

    def __init__(self, config: Config):
        super().__init__()
        c = config.channels
        self.net = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.ReLU(),  # [batch, c, 8, 8]
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(),  # [batch, 2c, 8, 8]
            nn.MaxPool2d(2), nn.Flatten(),  # [batch, 2c * 16]
            nn.Linear(2 * c * 16, config.feature_size),  # [batch, features]
        )

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images)


def augment(images: torch.Tensor, config: Config, generator: torch.Generator) -> torch.Tensor:
    """A random view of each image: rotate, scale, shift (one affine warp), then add noise."""
    count = images.shape[0]
    uniform = torch.rand(count, 4, generator=generator) * 2 - 1  # [batch, 4] in [-1, 1]
    angle = uniform[:, 0] * math.radians(config.max_rotation)
    scale = 1 + uniform[:, 1] * config.max_scale
    shift = uniform[:, 2:] * config.max_shift * 2 / 8  # pixels -> grid units ([-1, 1] spans 8 pixels)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1),
                         torch.stack([sin, cos, shift[:, 1]], 1)], 1)  # [batch, 2, 3]
    grid = nn.functional.affine_grid(theta.to(images.device), list(images.shape), align_corners=False)
    warped = nn.functional.grid_sample(images, grid, align_corners=False)  # [batch, 1, 8, 8]
    noise = torch.randn(images.shape, generator=generator).to(images.device) * config.noise
    return warped + noise


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    """Normalised-temperature cross entropy: each view must pick out its twin among 2B-1 others."""
    count = z1.shape[0]
    z = nn.functional.normalize(torch.cat([z1, z2]), dim=1)  # [2B, d] on the unit sphere
    similarity = z @ z.T / temperature  # [2B, 2B] cosine similarities / tau
    similarity.fill_diagonal_(float("-inf"))  # a view is not its own candidate
    twins = torch.cat([torch.arange(count, 2 * count), torch.arange(count)]).to(z.device)  # [2B]
    return nn.functional.cross_entropy(similarity, twins)


@torch.no_grad()
def features(encoder: nn.Module, images: torch.Tensor) -> torch.Tensor:
    encoder.eval()
    return encoder(images)  # [N, features]


def linear_probe(train_f: torch.Tensor, train_y: torch.Tensor, test_f: torch.Tensor, test_y: torch.Tensor,
                 steps: int) -> float:
    """Logistic regression on standardised frozen features; returns its test accuracy."""
    mean, std = train_f.mean(0), train_f.std(0) + 1e-6
    train_f, test_f = (train_f - mean) / std, (test_f - mean) / std
    probe = nn.Linear(train_f.shape[1], 10).to(train_f.device)
    optimizer = torch.optim.Adam(probe.parameters(), lr=0.01, weight_decay=1e-4)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(probe(train_f), train_y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return (probe(test_f).argmax(1) == test_y).float().mean().item()


def pca_2d(data: torch.Tensor) -> torch.Tensor:
    """Project rows of `data` [N, F] on their first two principal components: [N, 2]."""
    centred = data - data.mean(0)
    _, _, right = torch.linalg.svd(centred, full_matrices=False)
    return centred @ right[:2].T


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = (t.to(device) for t in digits())
    random_encoder = Encoder(config).to(device)  # the baseline: never trained
    encoder = Encoder(config).to(device)
    encoder.load_state_dict(random_encoder.state_dict())  # both start from the same weights
    head = nn.Sequential(nn.ReLU(), nn.Linear(config.feature_size, config.feature_size), nn.ReLU(),
                         nn.Linear(config.feature_size, config.projection_size)).to(device)
    optimizer = torch.optim.Adam([*encoder.parameters(), *head.parameters()], lr=config.learning_rate)
    history: dict[str, list[float]] = {"contrastive_loss": []}
    for epoch in range(config.epochs):
        encoder.train()
        order = torch.randperm(len(train_x), generator=generator).to(device)
        total, batches = 0.0, 0
        for start in range(0, len(train_x), config.batch_size):
            batch = train_x[order[start : start + config.batch_size]]  # [B, 1, 8, 8], labels unused
            z1 = head(encoder(augment(batch, config, generator)))  # [B, projection]
            z2 = head(encoder(augment(batch, config, generator)))  # [B, projection]
            loss = nt_xent(z1, z2, config.temperature)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total, batches = total + loss.item(), batches + 1
        history["contrastive_loss"].append(total / batches)
        context.progress(epoch + 1, config.epochs + 1)

    representations = {  # name -> (training features [N, F], test features [M, F])
        "contrastive": (features(encoder, train_x), features(encoder, test_x)),
        "random": (features(random_encoder, train_x), features(random_encoder, test_x)),
        "pixels": (train_x.flatten(1), test_x.flatten(1)),
    }
    few = balanced_subset(train_y.cpu(), config.few_labels, generator).to(device)
    probe: dict[str, float] = {}
    for name, (train_f, test_f) in representations.items():
        probe[name] = linear_probe(train_f, train_y, test_f, test_y, config.probe_steps)
        probe[f"{name}_few"] = linear_probe(train_f[few], train_y[few], test_f, test_y, config.probe_steps)
    context.progress(config.epochs + 1, config.epochs + 1)
    metrics = {
        "probe_accuracy_contrastive": probe["contrastive"],
        "probe_accuracy_random": probe["random"],
        "probe_accuracy_pixels": probe["pixels"],
        "probe_gain": probe["contrastive"] - probe["random"],
        "few_label_accuracy_contrastive": probe["contrastive_few"],
        "few_label_accuracy_random": probe["random_few"],
        "few_label_accuracy_pixels": probe["pixels_few"],
        "final_contrastive_loss": history["contrastive_loss"][-1],
        "initial_contrastive_loss": history["contrastive_loss"][0],
    }
    artifacts = {
        # Test digits' features projected on their first two principal components, per encoder.
        "embedding_2d_contrastive": to_list(pca_2d(representations["contrastive"][1]), 3),  # [M, 2]
        "embedding_2d_random": to_list(pca_2d(representations["random"][1]), 3),  # [M, 2]
        "embedding_labels": test_y.cpu().tolist(),  # [M]
        "probe_accuracies": probe,
        "augmented_examples": to_list(torch.cat([
            train_x[:4], augment(train_x[:4], config, generator), augment(train_x[:4], config, generator)
        ])[:, 0], 3),  # [12, 8, 8]: 4 digits, then a first and a second random view of each
    }
    state = {"encoder": {k: v.cpu() for k, v in encoder.state_dict().items()},
             "head": {k: v.cpu() for k, v in head.state_dict().items()}}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)

