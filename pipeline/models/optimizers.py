"""SGD, SGD with momentum and Adam: the same loss, three ways of walking downhill.

The session-3 document lists Adam (Kingma & Ba, 2014) among the milestones: of the many
optimisers, people mostly just use Adam because it works well almost without tuning, and a
hyper-parameter search costs compute (GPUs) and money. Momentum (Polyak, 1964; Sutskever et al.,
2013) is the step between: it accumulates a velocity, so it keeps going along a shallow valley
and its zig-zags across a steep one cancel out. Adam adds a per-parameter step size from a running
mean of squared gradients, so steep and flat directions move at similar speeds.

Two experiments with the learning rates pinned (SGD and momentum share theirs):
- a 64-64-64-10 ReLU MLP on the 8x8 digits, the same initial weights and minibatch order for each
  optimiser, the training loss compared after the same number of steps;
- the Rosenbrock function f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, a curved valley that is 100 times
  steeper across than along, from (-1.5, 2) for `surface_steps` steps; the whole trajectory of each
  optimiser is kept for a figure. Plain SGD must take steps small enough for the steep walls
  (curvature ~ 1000 at the start), so it crawls along the valley floor.

What it shows (default budget, seeds 0-2): after 10 epochs the digits loss is 1.3-1.7 with SGD,
0.06-0.10 with momentum and 0.24-0.26 with Adam; on the Rosenbrock valley after 500 steps from
f = 12.5: SGD 4.5, momentum 0.004, Adam 0.11.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import digits
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "final_loss_sgd": "digits training loss after the epoch budget: plain SGD",
    "final_loss_momentum": "digits training loss after the epoch budget: SGD with momentum",
    "final_loss_adam": "digits training loss after the epoch budget: Adam",
    "test_accuracy_sgd": "digits test accuracy: plain SGD",
    "test_accuracy_momentum": "digits test accuracy: SGD with momentum",
    "test_accuracy_adam": "digits test accuracy: Adam",
    "surface_loss_sgd": "Rosenbrock value after surface_steps steps: plain SGD",
    "surface_loss_momentum": "Rosenbrock value after surface_steps steps: SGD with momentum",
    "surface_loss_adam": "Rosenbrock value after surface_steps steps: Adam",
    "surface_start_loss": "Rosenbrock value at the common starting point",
}

OPTIMIZERS = ("sgd", "momentum", "adam")


@dataclass(frozen=True)
class Config:
    hidden: int = 64  # units in each of the MLP's two hidden layers
    epochs: int = 10  # passes over the training digits, every optimiser
    batch_size: int = 64  # examples per step
    sgd_learning_rate: float = 0.05  # step size of plain SGD and of SGD with momentum
    momentum: float = 0.9  # momentum coefficient (velocity decay) of the momentum variant
    adam_learning_rate: float = 0.001  # Adam's step size (its customary default)
    surface_steps: int = 500  # optimisation steps on the Rosenbrock surface
    surface_sgd_learning_rate: float = 0.001  # SGD and momentum step size on the surface (stable there)
    surface_adam_learning_rate: float = 0.05  # Adam's step size on the surface
    surface_start_x: float = -1.5  # starting point on the surface, x
    surface_start_y: float = 2.0  # starting point on the surface, y
    seed: int = 0  # seeds the weights and the minibatch order


BUDGETS = {
    "smoke": {"epochs": 1, "surface_steps": 100},
    "default": {},
    "full": {"epochs": 40},
}


def rosenbrock(point: torch.Tensor) -> torch.Tensor:
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 for point [..., 2]; minimum 0 at (1, 1)."""
    x, y = point[..., 0], point[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def make_optimizer(name: str, parameters, sgd_lr: float, adam_lr: float, momentum: float):
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=sgd_lr)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=sgd_lr, momentum=momentum)
    return torch.optim.Adam(parameters, lr=adam_lr)


def descend_surface(name: str, config: Config) -> torch.Tensor:
    """The path [surface_steps + 1, 2] of one optimiser on the Rosenbrock function (CPU: two numbers)."""
    point = torch.tensor([config.surface_start_x, config.surface_start_y], requires_grad=True)
    optimizer = make_optimizer(name, [point], config.surface_sgd_learning_rate,
                               config.surface_adam_learning_rate, config.momentum)
    path = [point.detach().clone()]
    for _ in range(config.surface_steps):
        optimizer.zero_grad()
        rosenbrock(point).backward()
        optimizer.step()
        path.append(point.detach().clone())
    return torch.stack(path)


def surface_grid(size: int = 80) -> tuple[list[float], list[float], torch.Tensor]:
    """log10(1 + f) on a grid over [-2, 2] x [-1, 3] for the contour plot: xs, ys, [size, size] (rows = y)."""
    xs, ys = torch.linspace(-2, 2, size), torch.linspace(-1, 3, size)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    values = torch.log10(1 + rosenbrock(torch.stack([grid_x, grid_y], dim=-1)))  # [size, size]
    return xs.tolist(), ys.tolist(), values


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = digits()
    inputs, test_inputs = train_x.flatten(1), test_x.flatten(1)  # [N, 64] pixels in [0, 1]
    metrics: dict[str, float] = {}
    history: dict[str, list[float]] = {}
    state = {}
    for rank, name in enumerate(OPTIMIZERS):
        generator = seed_everything(config.seed)  # same initial weights and batch order for each optimiser
        model = nn.Sequential(nn.Linear(64, config.hidden), nn.ReLU(),
                              nn.Linear(config.hidden, config.hidden), nn.ReLU(),
                              nn.Linear(config.hidden, 10)).to(device)
        optimizer = make_optimizer(name, model.parameters(), config.sgd_learning_rate,
                                   config.adam_learning_rate, config.momentum)
        with torch.no_grad():
            start_loss = nn.functional.cross_entropy(model(inputs.to(device)), train_y.to(device)).item()
        history[f"test_accuracy_{name}"] = []

        def record(epoch: int, fit_history: dict[str, list[float]], model=model, name=name) -> None:
            history[f"test_accuracy_{name}"].append(accuracy(model, test_inputs, test_y, device))

        fit_history = fit(
            model, inputs, train_y, nn.functional.cross_entropy, optimizer,
            FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[record]),
            context=RunContext(device, progress=lambda done, total, rank=rank: context.progress(
                rank * total + done, (len(OPTIMIZERS) + 1) * total)),
            generator=generator,
        )
        with torch.no_grad():  # the loss on the whole training set at the end, not the epoch's running mean
            end_loss = nn.functional.cross_entropy(model(inputs.to(device)), train_y.to(device)).item()
        history[f"loss_{name}"] = [start_loss, *fit_history["train_loss"]]  # epoch 0 = before training
        metrics[f"final_loss_{name}"] = end_loss
        metrics[f"test_accuracy_{name}"] = history[f"test_accuracy_{name}"][-1]
        state[name] = {key: value.cpu() for key, value in model.state_dict().items()}

    paths = {name: descend_surface(name, config) for name in OPTIMIZERS}  # each [steps + 1, 2]
    for name, path in paths.items():
        history[f"surface_loss_{name}"] = rosenbrock(path).tolist()
        metrics[f"surface_loss_{name}"] = history[f"surface_loss_{name}"][-1]
    metrics["surface_start_loss"] = rosenbrock(paths["sgd"][0]).item()
    context.progress(1, 1)
    xs, ys, values = surface_grid()
    artifacts = {
        "trajectories": {name: to_list(path, 4) for name, path in paths.items()},  # name -> [steps+1][x, y]
        "surface": {"xs": to_list(xs, 3), "ys": to_list(ys, 3), "log_values": to_list(values, 3),
                    "minimum": [1.0, 1.0]},
        "learning_rates": {"sgd": config.sgd_learning_rate, "momentum": config.sgd_learning_rate,
                           "adam": config.adam_learning_rate},
        "surface_learning_rates": {"sgd": config.surface_sgd_learning_rate,
                                   "momentum": config.surface_sgd_learning_rate,
                                   "adam": config.surface_adam_learning_rate},
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
