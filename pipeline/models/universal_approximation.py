"""Universal approximation: one hidden layer, wide enough, fits any continuous function.

Cybenko (1989) and Hornik, Stinchcombe and White (1989) proved that a single hidden layer of
sigmoidal units can approximate any continuous function on a bounded interval as closely as we
like, given enough units. The theorem says nothing about how many units or how to find the
weights; we show its practical face: the same one-hidden-layer network, trained by Adam on
samples of sin(x) plus a narrow bump on [-pi, pi], fits the curve better and better as the
hidden layer widens from 1 to 32 units. Each hidden unit contributes one scaled, shifted
S-shaped step v_j tanh(w_j x + b_j); the output adds them up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.trainer import FitConfig, fit

METRICS = {
    "mse_width_1": "mean squared error on a dense grid of the network with 1 hidden unit",
    "mse_width_2": "mean squared error on a dense grid with 2 hidden units",
    "mse_width_4": "mean squared error on a dense grid with 4 hidden units",
    "mse_width_8": "mean squared error on a dense grid with 8 hidden units",
    "mse_width_16": "mean squared error on a dense grid with 16 hidden units",
    "mse_width_32": "mean squared error on a dense grid with 32 hidden units",
    "max_error_width_1": "largest absolute error on the grid with 1 hidden unit (the theorem's sup error)",
    "max_error_width_32": "largest absolute error on the grid with 32 hidden units",
    "error_ratio": "mse_width_1 / mse_width_32: how many times smaller the widest network's error is",
}

WIDTHS = (1, 2, 4, 8, 16, 32)
CONTRIBUTIONS_UP_TO = 8  # keep each hidden unit's own curve for the narrow networks
LOGGED_POINTS = 500  # the loss curves keep about this many points, whatever the number of steps


@dataclass(frozen=True)
class Config:
    steps: int = 5000  # full-batch Adam steps (all widths train side by side)
    learning_rate: float = 0.02  # Adam's initial step size, decayed to 0 along a cosine
    points: int = 200  # evenly spaced training samples on [-pi, pi]
    activation: Literal["tanh", "sigmoid", "relu"] = "tanh"  # hidden nonlinearity (any non-polynomial one)
    bump_height: float = 1.0  # height of the Gaussian bump added to sin(x)
    bump_width: float = 0.15  # width of the bump (narrower is harder for few units)
    seed: int = 0  # seeds every width's initial weights


BUDGETS = {
    "smoke": {"steps": 150},
    "default": {},
    "full": {"steps": 20000},
}

ACTIVATIONS = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "relu": nn.ReLU}
GRID_POINTS = 401  # dense evaluation grid


def target_function(x: torch.Tensor, config: Config) -> torch.Tensor:
    """sin(x) plus a Gaussian bump centred at x = 1."""
    return torch.sin(x) + config.bump_height * torch.exp(-(((x - 1.0) / config.bump_width) ** 2))


class OneHiddenLayerPerWidth(nn.Module):
    """One single-hidden-layer network per width, computed side by side as one module.

    The hidden units of all widths sit in one layer, but unit j feeds only the output of its own
    network (`membership`), so no parameter is shared: training the sum of the per-width losses
    with Adam (an update per parameter) is training each network on its own, in one pass.
    """

    def __init__(self, widths: tuple[int, ...], activation: str):
        super().__init__()
        total = sum(widths)
        self.hidden = nn.Linear(1, total)  # w_j, b_j of every unit, uniform in [-1, 1] (fan-in 1)
        self.activation = ACTIVATIONS[activation]()
        owner = torch.repeat_interleave(torch.arange(len(widths)), torch.tensor(widths))  # [total]
        self.register_buffer("membership", nn.functional.one_hot(owner, len(widths)).float())  # [total, K]
        # nn.Linear's default for each network's output layer: uniform in +-1/sqrt(width).
        bound = 1 / torch.tensor(widths, dtype=torch.float32).sqrt()  # [K]
        self.output_weight = nn.Parameter((torch.rand(total) * 2 - 1) * bound[owner])  # [total]: v_j
        self.output_bias = nn.Parameter((torch.rand(len(widths)) * 2 - 1) * bound)  # [K]

    def contributions(self, x: torch.Tensor) -> torch.Tensor:
        """Each hidden unit's term v_j act(w_j x + b_j): [N, total]; a network's terms sum to its output."""
        return self.activation(self.hidden(x)) * self.output_weight  # [N, total]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.contributions(x) @ self.membership + self.output_bias  # [N, K]: one column per width


def squared_error_per_width(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return ((predictions - targets) ** 2).mean(dim=0)  # [K]


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    device = context.device
    inputs = torch.linspace(-math.pi, math.pi, config.points, device=device)[:, None]  # [N, 1]
    targets = target_function(inputs, config)  # [N, 1]
    grid = torch.linspace(-math.pi, math.pi, GRID_POINTS, device=device)[:, None]  # [G, 1]
    grid_target = target_function(grid, config)  # [G, 1]

    model = OneHiddenLayerPerWidth(WIDTHS, config.activation).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    # The step size decays to zero, so no width ends on one of Adam's late spikes.
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.steps)
    history: dict[str, list[float]] = {"step": [], **{f"loss_width_{width}": [] for width in WIDTHS}}

    log_every = max(1, config.steps // LOGGED_POINTS)

    def end_of_step(epoch: int, fit_history: dict[str, list[float]]) -> None:
        schedule.step()
        if epoch % log_every == 0 or epoch == config.steps - 1:
            with torch.no_grad():
                losses = squared_error_per_width(model(inputs), targets)  # [K]
            history["step"].append(float(epoch + 1))
            for width, value in zip(WIDTHS, losses.tolist(), strict=True):
                history[f"loss_width_{width}"].append(value)

    # Full batch: one "epoch" of `fit` is one Adam step on all the samples.
    def summed_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return squared_error_per_width(predictions, targets).sum()

    fit(model, inputs, targets, summed_loss, optimizer,
        FitConfig(epochs=config.steps, batch_size=config.points, shuffle=False, callbacks=[end_of_step]),
        context, generator)

    with torch.no_grad():
        fitted = model(grid)  # [G, K]
        terms = model.contributions(grid)  # [G, total]
    errors = fitted - grid_target  # [G, K]
    metrics: dict[str, float] = {}
    predictions: dict[str, list[float]] = {}
    contributions: dict[str, list[list[float]]] = {}
    owner = model.membership.argmax(dim=1)  # [total]
    for index, width in enumerate(WIDTHS):
        metrics[f"mse_width_{width}"] = (errors[:, index] ** 2).mean().item()
        predictions[str(width)] = to_list(fitted[:, index])
        if width <= CONTRIBUTIONS_UP_TO:
            contributions[str(width)] = to_list(terms[:, owner == index].T)  # [width, G]
    for width in (WIDTHS[0], WIDTHS[-1]):
        metrics[f"max_error_width_{width}"] = errors[:, WIDTHS.index(width)].abs().max().item()
    narrowest, widest = metrics[f"mse_width_{WIDTHS[0]}"], metrics[f"mse_width_{WIDTHS[-1]}"]
    metrics["error_ratio"] = narrowest / max(widest, 1e-12)

    artifacts = {
        "widths": list(WIDTHS),
        "grid": to_list(grid[:, 0]),  # [G] on [-pi, pi]
        "target": to_list(grid_target[:, 0]),  # [G]
        "train_inputs": to_list(inputs[:, 0]),  # [N]
        "predictions": predictions,  # width (as a string) -> [G]
        "contributions": contributions,  # width -> [width, G]: each hidden unit's term, for widths <= 8
        "output_bias": {str(width): model.output_bias[index].item() for index, width in enumerate(WIDTHS)},
    }
    state = {name: tensor.cpu() for name, tensor in model.state_dict().items()}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
