"""Vanishing gradients in a deep MLP, and the three fixes that made deep nets trainable.

Backpropagation multiplies one Jacobian per layer. With the sigmoid each factor carries
sigma'(z) <= 1/4, so in a 20-layer net the first layer's gradient is about 1/4^19 ~ 1e-12 of the
last layer's (Hochreiter 1991; Bengio, Simard & Frasconi 1994; Glorot & Bengio 2010). The fixes
the source documents credit:
- ReLU with He initialisation (He et al., 2015): the derivative is 1 on the active half, and
  variance 2/fan_in keeps the signal's size from layer to layer;
- residual connections (He et al., 2016): h <- h + f(h) gives the gradient an identity path;
- batch normalisation (Ioffe & Szegedy, 2015): every layer's input re-standardised.

One 20-layer MLP on the 8x8 digits (64 standardised pixels), in six variants. Every variant is the
same stack of `depth` linear layers in pre-activation form, h_l = W_l act(h_{l-1}) + b_l (the first
layer reads the pixels directly), so the plain variants are ordinary MLPs; `residual` adds the
skip h_l = h_{l-1} + W_l act(h_{l-1}) + b_l and `batchnorm` standardises h_{l-1} before the
activation. We measure each layer's weight-gradient norm on the whole training set at
initialisation and after every epoch, then train every variant with the same SGD settings.

What it shows (seed 0, default budget): the sigmoid net's layer-1/layer-20 ratio is about 5e-12
and it stays at chance accuracy; ReLU+He, the residual and the batch-norm nets keep the ratio
between 0.4 and 2.2 and train to 96-100%, as does tanh with the Xavier init Glorot & Bengio
designed for it. ReLU with Xavier init keeps the ratio near 1 too, but
every layer's gradient is about 1000 times smaller than with He init, and it trains slowly.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything
from pipeline.models.data import digits
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "ratio_sigmoid_xavier": "layer-1 / last-layer weight-gradient norm at init: sigmoid, Xavier init",
    "ratio_tanh_xavier": "layer-1 / last-layer weight-gradient norm at init: tanh, Xavier init",
    "ratio_relu_xavier": "layer-1 / last-layer weight-gradient norm at init: ReLU, Xavier init",
    "ratio_relu_he": "layer-1 / last-layer weight-gradient norm at init: ReLU, He init",
    "ratio_residual": "layer-1 / last-layer weight-gradient norm at init: sigmoid, Xavier, residual",
    "ratio_batchnorm": "layer-1 / last-layer weight-gradient norm at init: sigmoid, Xavier, batch norm",
    "first_layer_grad_sigmoid_xavier": "layer-1 weight-gradient norm at init: sigmoid, Xavier init",
    "first_layer_grad_relu_xavier": "layer-1 weight-gradient norm at init: ReLU, Xavier init",
    "first_layer_grad_relu_he": "layer-1 weight-gradient norm at init: ReLU, He init",
    "accuracy_sigmoid_xavier": "training accuracy after the SGD budget: sigmoid, Xavier init",
    "accuracy_tanh_xavier": "training accuracy after the SGD budget: tanh, Xavier init",
    "accuracy_relu_xavier": "training accuracy after the SGD budget: ReLU, Xavier init",
    "accuracy_relu_he": "training accuracy after the SGD budget: ReLU, He init",
    "accuracy_residual": "training accuracy after the SGD budget: sigmoid, Xavier, residual",
    "accuracy_batchnorm": "training accuracy after the SGD budget: sigmoid, Xavier, batch norm",
}

# name -> (activation, initialisation, residual connections, batch norm)
VARIANTS = {
    "sigmoid_xavier": ("sigmoid", "xavier", False, False),
    "tanh_xavier": ("tanh", "xavier", False, False),
    "relu_xavier": ("relu", "xavier", False, False),
    "relu_he": ("relu", "he", False, False),
    "residual": ("sigmoid", "xavier", True, False),
    "batchnorm": ("sigmoid", "xavier", False, True),
}
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


@dataclass(frozen=True)
class Config:
    depth: int = 20  # linear layers in the stack (plus a 10-way output layer)
    width: int = 64  # units per layer (64 = the number of pixels, so every layer is square)
    epochs: int = 15  # SGD passes over the training digits, the same for every variant
    batch_size: int = 64  # examples per SGD step
    learning_rate: float = 0.01  # SGD step size, pinned for every variant
    momentum: float = 0.9  # SGD momentum, pinned for every variant
    seed: int = 0  # seeds the initial weights and the minibatch order


BUDGETS = {
    "smoke": {"epochs": 2},
    "default": {},
    "full": {"epochs": 60},
}


class DeepMLP(nn.Module):
    """`depth` linear layers; h_l = W_l act(h_{l-1}) + b_l, optionally plus h_{l-1} (residual)."""

    def __init__(self, config: Config, activation: str, init: str, residual: bool, batchnorm: bool):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(64 if index == 0 else config.width, config.width) for index in range(config.depth)
        )
        # norms[l] standardises h_l before its activation (the raw pixels are standardised already).
        self.norms = nn.ModuleList(
            nn.BatchNorm1d(config.width) if batchnorm else nn.Identity() for _ in range(config.depth)
        )
        self.activation = ACTIVATIONS[activation]()
        self.residual = residual
        self.head = nn.Linear(config.width, 10)
        for linear in [*self.layers, self.head]:
            if init == "he":
                nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")  # variance 2 / fan_in
            else:
                nn.init.xavier_normal_(linear.weight)  # variance 2 / (fan_in + fan_out)
            nn.init.zeros_(linear.bias)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        h = self.layers[0](pixels)  # [batch, width]: the first layer reads the pixels directly
        for linear, norm in zip(self.layers[1:], self.norms[:-1], strict=True):
            update = linear(self.activation(norm(h)))  # [batch, width]
            h = h + update if self.residual else update
        return self.head(self.activation(self.norms[-1](h)))  # [batch, 10]


def gradient_norms(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> list[float]:
    """Norm of the loss gradient with respect to each layer's weight matrix, on the whole set.

    Measuring must not change the model: batch norm's running statistics are put back afterwards.
    """
    was_training = model.training
    buffers = {name: buffer.clone() for name, buffer in model.named_buffers()}
    model.train()  # batch norm uses batch statistics, as it does when gradients are taken in training
    model.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(model(inputs), labels).backward()
    norms = [linear.weight.grad.norm().item() for linear in model.layers]
    model.zero_grad(set_to_none=True)
    with torch.no_grad():
        for name, buffer in model.named_buffers():
            buffer.copy_(buffers[name])
    model.train(was_training)
    return norms


def significant(values: list[float], digits: int = 4) -> list[float]:
    """Round to significant digits, not decimals: a 1e-12 gradient must not become 0."""
    return [float(f"{value:.{digits}g}") for value in values]


def load_pixels(device: torch.device, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Training digits as standardised 64-pixel vectors [N, 64] and labels [N].

    N is cut to a multiple of the batch size: a last batch of 3 examples gives batch norm
    statistics so noisy that they alone would wreck its training.
    """
    train_x, train_y, _, _ = digits()
    count = len(train_x) - len(train_x) % batch_size
    pixels = train_x[:count].reshape(count, -1)  # [N, 64]
    mean, std = pixels.mean(dim=0), pixels.std(dim=0)
    std[std < 1e-6] = 1.0  # the always-blank corner pixels
    return ((pixels - mean) / std).to(device), train_y[:count].to(device)


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    inputs, labels = load_pixels(device, config.batch_size)  # [N, 64], [N]
    metrics: dict[str, float] = {}
    history: dict[str, list[float]] = {}
    norms_per_epoch: dict[str, list[list[float]]] = {}
    state: dict[str, dict[str, torch.Tensor]] = {}
    for rank, (name, (activation, init, residual, batchnorm)) in enumerate(VARIANTS.items()):
        # Every variant starts from the same seed: same minibatch order, same SGD settings.
        generator = seed_everything(config.seed)
        model = DeepMLP(config, activation, init, residual, batchnorm).to(device)
        norms_per_epoch[name] = [significant(gradient_norms(model, inputs, labels))]
        history[f"accuracy_{name}"] = []

        def record(epoch: int, fit_history: dict[str, list[float]], model=model, name=name) -> None:
            norms_per_epoch[name].append(significant(gradient_norms(model, inputs, labels)))
            history[f"accuracy_{name}"].append(accuracy(model, inputs, labels, device))

        optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate, momentum=config.momentum)
        fit_history = fit(
            model, inputs, labels, nn.functional.cross_entropy, optimizer,
            FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[record]),
            context=RunContext(device, progress=lambda done, total, rank=rank: context.progress(
                rank * config.epochs + done, len(VARIANTS) * config.epochs)),
            generator=generator,
        )
        history[f"loss_{name}"] = fit_history["train_loss"]
        state[name] = {key: value.cpu() for key, value in model.state_dict().items()}
        first, last = norms_per_epoch[name][0][0], norms_per_epoch[name][0][-1]
        metrics[f"ratio_{name}"] = first / last
        metrics[f"accuracy_{name}"] = history[f"accuracy_{name}"][-1]
        if name in ("sigmoid_xavier", "relu_xavier", "relu_he"):
            metrics[f"first_layer_grad_{name}"] = first
    artifacts = {
        "variants": {name: dict(zip(("activation", "init", "residual", "batchnorm"), settings, strict=True))
                     for name, settings in VARIANTS.items()},
        # variant -> [epoch 0 (init), 1, ..., epochs] -> per-layer weight-gradient norm (layer 1 first)
        "gradient_norms": norms_per_epoch,
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
