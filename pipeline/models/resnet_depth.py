"""Plain vs residual networks of growing depth: the degradation problem that ResNet solved.

The session-3 document: deep learning is called deep because networks are stacked deep, yet it
was known that stacking too many layers made training go badly, so beyond some depth nobody added
layers; after ResNet (He et al., 2015) the trend changed: where 20 layers used to be the point
past which performance fell, 100 layers could now work well. He et al. showed the fall is not
overfitting: a deeper plain network has a higher *training* error than a shallower one (the
degradation problem), although it could copy the shallow one and set its extra layers to the
identity. A residual block learns only the change, h <- relu(h + F(h)), so the identity is easy.

Here: MLPs on the 8x8 digits built from the basic block of ResNet in fully connected form,
F(h) = BN(W2 relu(BN(W1 h))), with He initialisation and batch norm in both variants; the plain
block outputs relu(F(h)), the residual block relu(h + F(h)). Depth counts the weight layers:
an input layer, two per block, and the output layer. Every net is trained with the same pinned
SGD configuration (learning rate, momentum, epochs, minibatch order) and we record its training
accuracy and loss per epoch.

What it shows (default budget, seeds 0-2): plain nets reach 99.9-100% training accuracy at 8
layers, 96-98% at 20 and 18-25% at 56; residual nets 99.9-100%, 99.9-100% and 99.5-99.8%.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything
from pipeline.models.data import digits
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "train_accuracy_plain_shallow": "final training accuracy: plain net, smallest depth",
    "train_accuracy_plain_middle": "final training accuracy: plain net, middle depth",
    "train_accuracy_plain_deep": "final training accuracy: plain net, largest depth",
    "train_accuracy_residual_shallow": "final training accuracy: residual net, smallest depth",
    "train_accuracy_residual_middle": "final training accuracy: residual net, middle depth",
    "train_accuracy_residual_deep": "final training accuracy: residual net, largest depth",
    "train_loss_plain_deep": "final training loss: plain net, largest depth",
    "train_loss_residual_deep": "final training loss: residual net, largest depth",
    "test_accuracy_plain_deep": "test accuracy: plain net, largest depth",
    "test_accuracy_residual_deep": "test accuracy: residual net, largest depth",
}


@dataclass(frozen=True)
class Config:
    depth_shallow: int = 8  # weight layers of the shallowest nets (input + 2 per block + output)
    depth_middle: int = 20  # weight layers of the middle nets
    depth_deep: int = 56  # weight layers of the deepest nets
    width: int = 64  # units per layer
    epochs: int = 15  # SGD passes over the training digits, the same for every net
    batch_size: int = 64  # examples per step
    learning_rate: float = 0.01  # SGD step size, pinned for every net
    momentum: float = 0.9  # SGD momentum, pinned for every net
    batchnorm: bool = True  # batch norm inside the blocks of both variants (as in ResNet)
    seed: int = 0  # seeds the weights and the minibatch order


BUDGETS = {
    "smoke": {"epochs": 1, "depth_deep": 20, "depth_middle": 14},
    "default": {},
    "full": {"epochs": 60, "depth_deep": 110},
}

SIZES = ("shallow", "middle", "deep")


class Block(nn.Module):
    """ResNet's basic block in fully connected form: relu(F(h)) plain, relu(h + F(h)) residual."""

    def __init__(self, width: int, residual: bool, batchnorm: bool):
        super().__init__()
        norm = (lambda: nn.BatchNorm1d(width)) if batchnorm else nn.Identity
        self.branch = nn.Sequential(nn.Linear(width, width), norm(), nn.ReLU(),
                                    nn.Linear(width, width), norm())
        self.residual = residual

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        update = self.branch(h)  # [batch, width]
        return torch.relu(h + update if self.residual else update)


class DeepNet(nn.Module):
    def __init__(self, depth: int, width: int, residual: bool, batchnorm: bool):
        super().__init__()
        if depth < 4 or depth % 2:
            raise ValueError(f"depth must be even and at least 4 (input + 2 per block + output), got {depth}")
        self.stem = nn.Sequential(nn.Linear(64, width), nn.BatchNorm1d(width) if batchnorm else nn.Identity(),
                                  nn.ReLU())
        self.blocks = nn.Sequential(*(Block(width, residual, batchnorm) for _ in range((depth - 2) // 2)))
        self.head = nn.Linear(width, 10)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")  # He et al. (2015)
                nn.init.zeros_(module.bias)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(self.stem(pixels)))  # [batch, 64] -> [batch, 10]


def load_pixels(batch_size: int) -> tuple[torch.Tensor, ...]:
    """Standardised 64-pixel vectors: train [N, 64] (N a multiple of the batch size), labels, test."""
    train_x, train_y, test_x, test_y = digits()
    count = len(train_x) - len(train_x) % batch_size  # no tiny last batch for batch norm
    train_x, train_y = train_x[:count].flatten(1), train_y[:count]
    mean, std = train_x.mean(dim=0), train_x.std(dim=0).clamp_min(1e-6)
    return (train_x - mean) / std, train_y, (test_x.flatten(1) - mean) / std, test_y


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    inputs, labels, test_inputs, test_labels = load_pixels(config.batch_size)
    depths = dict(zip(SIZES, (config.depth_shallow, config.depth_middle, config.depth_deep), strict=True))
    runs = [(variant, size) for variant in ("plain", "residual") for size in SIZES]
    work = [depths[size] for _, size in runs]  # progress in layer-epochs: deep nets take longer
    metrics: dict[str, float] = {}
    history: dict[str, list[float]] = {}
    state = {}
    for rank, (variant, size) in enumerate(runs):
        generator = seed_everything(config.seed)  # same minibatch order for every net
        model = DeepNet(depths[size], config.width, variant == "residual", config.batchnorm).to(device)
        optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate, momentum=config.momentum)
        key = f"{variant}_{size}"
        history[f"accuracy_{key}"] = []

        def record(epoch: int, fit_history: dict[str, list[float]], model=model, key=key) -> None:
            history[f"accuracy_{key}"].append(accuracy(model, inputs, labels, device))

        done_before = sum(work[:rank])
        fit_history = fit(
            model, inputs, labels, nn.functional.cross_entropy, optimizer,
            FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[record]),
            context=RunContext(device, progress=lambda done, total, before=done_before, depth=depths[size]:
                               context.progress(before * total + depth * done, sum(work) * total)),
            generator=generator,
        )
        # A diverged net has a NaN loss; keep it JSON-able and say it plainly: an infinite loss.
        history[f"loss_{key}"] = [loss if loss == loss else float("inf")
                                  for loss in fit_history["train_loss"]]
        metrics[f"train_accuracy_{key}"] = history[f"accuracy_{key}"][-1]
        if size == "deep":
            metrics[f"train_loss_{key}"] = history[f"loss_{key}"][-1]
            metrics[f"test_accuracy_{key}"] = accuracy(model, test_inputs, test_labels, device)
        state[key] = {name: value.cpu() for name, value in model.state_dict().items()}
    artifacts = {
        "depths": depths,  # size name -> weight layers
        "variants": ["plain", "residual"],
        # (variant, depth) -> final training accuracy, the numbers of He et al.'s Figure 1 analogue
        "final_train_accuracy": {f"{variant}_{size}": metrics[f"train_accuracy_{variant}_{size}"]
                                 for variant, size in runs},
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
