"""The four components of deep learning (data, model, loss, algorithm), one at a time, on two moons.

The session-3 document reads every method through four components: the data the problem gives,
the model, the loss that says how to update the weights, and the optimisation algorithm that
lowers it. It adds a warning: the loss is only a proxy for what we want, so a lower loss does not
always bring the result we want.

Here every component is made concrete on one task, the two-moons classification in the plane. A
baseline (400 noisy moon points, a 2-64-64-2 ReLU MLP, cross-entropy, Adam) is trained, then one
component at a time is swapped, the rest kept, and each variant is scored on the same 1000 test
points:
- data: only `small_train` training points (`less_data`), or a third of the labels flipped
  (`noisy_labels`);
- model: a linear classifier (logistic regression) instead of the MLP (`linear_model`);
- loss: mean squared error between the softmax output and the one-hot label (`mse_loss`);
- algorithm: plain SGD at the same learning rate instead of Adam (`sgd`).
The training loss and the test accuracy are reported side by side: the `less_data` net drives
its training loss far below the baseline's while its test accuracy is worse. (Losses of different
kinds, MSE against cross-entropy, are not comparable numbers at all.)

What it shows (default budget, seeds 0-3): baseline 96-97% test accuracy; linear model 86-89%, plain
SGD 88-91%, 16 points 78-93%, flipped labels 85-91%, MSE loss 97% (as good as cross-entropy here).
The 16-point net reaches a training loss of ~1e-6 against the baseline's 0.03-0.09, and is worse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "test_accuracy_baseline": "test accuracy: baseline (400 points, MLP, cross-entropy, Adam)",
    "test_accuracy_less_data": "test accuracy: only small_train training points",
    "test_accuracy_noisy_labels": "test accuracy: a fraction label_noise of training labels flipped",
    "test_accuracy_linear_model": "test accuracy: a linear classifier instead of the MLP",
    "test_accuracy_mse_loss": "test accuracy: mean squared error on softmax outputs instead of cross-entropy",
    "test_accuracy_sgd": "test accuracy: plain SGD instead of Adam, same learning rate",
    "train_loss_baseline": "final training loss (cross-entropy): baseline",
    "train_loss_less_data": "final training loss (cross-entropy): less data",
    "train_loss_noisy_labels": "final training loss (cross-entropy, on the flipped labels): noisy labels",
    "train_loss_linear_model": "final training loss (cross-entropy): linear model",
    "train_loss_mse_loss": "final training loss (MSE, not comparable with cross-entropy): MSE loss",
    "train_loss_sgd": "final training loss (cross-entropy): plain SGD",
    "train_accuracy_baseline": "training accuracy: baseline",
    "train_accuracy_less_data": "training accuracy: less data",
    "train_accuracy_noisy_labels": "training accuracy on the (partly flipped) training labels: noisy labels",
    "train_accuracy_linear_model": "training accuracy: linear model",
    "train_accuracy_mse_loss": "training accuracy: MSE loss",
    "train_accuracy_sgd": "training accuracy: plain SGD",
}

# variant -> (component swapped, what replaces the baseline's choice)
VARIANTS = {
    "baseline": ("-", "baseline"),
    "less_data": ("data", "fewer points"),
    "noisy_labels": ("data", "flipped labels"),
    "linear_model": ("model", "linear"),
    "mse_loss": ("loss", "mse"),
    "sgd": ("algorithm", "sgd"),
}


@dataclass(frozen=True)
class Config:
    train_points: int = 400  # training points of the baseline
    test_points: int = 1000  # held-out points every variant is scored on
    noise: float = 0.2  # standard deviation of the Gaussian jitter of the moons
    small_train: int = 16  # training points of the less_data variant
    label_noise: float = 0.3  # fraction of training labels flipped in the noisy_labels variant
    hidden: int = 64  # units in each of the MLP's two hidden layers
    epochs: int = 100  # passes over the training set, every variant
    batch_size: int = 32  # examples per step
    learning_rate: float = 0.01  # step size of Adam and of the SGD variant alike
    grid_size: int = 60  # resolution of the saved decision grids (grid_size x grid_size)
    seed: int = 0  # seeds the data, the weights and the minibatch order


BUDGETS = {
    "smoke": {"epochs": 5, "grid_size": 20},
    "default": {},
    "full": {"epochs": 300, "grid_size": 100},
}


def make_model(linear: bool, hidden: int) -> nn.Module:
    if linear:
        return nn.Linear(2, 2)  # logistic regression: a straight boundary
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, 2))


def mse_on_probabilities(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Squared distance between the softmax output [batch, 2] and the one-hot label."""
    target = nn.functional.one_hot(labels, 2).float()  # [batch, 2]
    return ((logits.softmax(dim=1) - target) ** 2).sum(dim=1).mean()


def load_moons(config: Config) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Train and test points [N, 2] with labels [N], from one draw of scikit-learn's moons."""
    from sklearn.datasets import make_moons

    points, labels = make_moons(config.train_points + config.test_points, noise=config.noise,
                                random_state=config.seed)
    points = torch.tensor(points, dtype=torch.float32)
    labels = torch.tensor(labels, dtype=torch.long)
    n = config.train_points
    return points[:n], labels[:n], points[n:], labels[n:]


def variant_data(name: str, config: Config, train_x: torch.Tensor, train_y: torch.Tensor,
                 generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """The training set a variant sees: the baseline's, a class-balanced subset, or flipped labels."""
    if name == "less_data":
        per_class = config.small_train // 2
        chosen = torch.cat([torch.nonzero(train_y == c).flatten()[:per_class] for c in (0, 1)])
        return train_x[chosen], train_y[chosen]
    if name == "noisy_labels":
        flip = torch.rand(len(train_y), generator=generator) < config.label_noise  # [N] bool
        return train_x, torch.where(flip, 1 - train_y, train_y)
    return train_x, train_y


@torch.no_grad()
def decision_grid(model: nn.Module, limits: np.ndarray, size: int, device: torch.device) -> torch.Tensor:
    """P(class 1) on a size x size grid over limits [[x_min, x_max], [y_min, y_max]] (rows = y)."""
    xs = torch.linspace(limits[0, 0], limits[0, 1], size)
    ys = torch.linspace(limits[1, 0], limits[1, 1], size)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    points = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1).to(device)  # [size*size, 2]
    return model(points).softmax(dim=1)[:, 1].reshape(size, size).cpu()  # [size, size]


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = load_moons(config)
    limits = np.array([[-1.6, 2.6], [-1.2, 1.7]])  # the moons live here: x in [-1, 2], y in [-0.5, 1]
    metrics: dict[str, float] = {}
    history: dict[str, list[float]] = {}
    grids, training_sets, state = {}, {}, {}
    for rank, (name, (_, choice)) in enumerate(VARIANTS.items()):
        generator = seed_everything(config.seed)  # same initial weights and batch order for every variant
        inputs, labels = variant_data(name, config, train_x, train_y, generator)  # [n, 2], [n]
        model = make_model(choice == "linear", config.hidden).to(device)
        if choice == "sgd":
            optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate)
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
        loss_fn = mse_on_probabilities if choice == "mse" else nn.functional.cross_entropy
        history[f"test_accuracy_{name}"] = []

        def record(epoch: int, fit_history: dict[str, list[float]], model=model, name=name) -> None:
            history[f"test_accuracy_{name}"].append(accuracy(model, test_x, test_y, device))

        # With 16 points one epoch is a single step: keep the number of steps close to the baseline's.
        epochs = config.epochs * max(1, config.train_points // max(len(inputs), config.batch_size))
        fit_history = fit(
            model, inputs, labels, loss_fn, optimizer,
            FitConfig(epochs=epochs, batch_size=config.batch_size, callbacks=[record]),
            context=RunContext(device, progress=lambda done, total, rank=rank: context.progress(
                rank * 1000 + 1000 * done // total, len(VARIANTS) * 1000)),
            generator=generator,
        )
        history[f"loss_{name}"] = fit_history["train_loss"]
        metrics[f"test_accuracy_{name}"] = history[f"test_accuracy_{name}"][-1]
        metrics[f"train_loss_{name}"] = fit_history["train_loss"][-1]
        metrics[f"train_accuracy_{name}"] = accuracy(model, inputs, labels, device)
        grids[name] = to_list(decision_grid(model, limits, config.grid_size, device), 3)
        training_sets[name] = {"inputs": to_list(inputs, 3), "labels": labels.tolist()}
        state[name] = {key: value.cpu() for key, value in model.state_dict().items()}
    artifacts = {
        "variants": {name: {"component": component, "choice": choice}
                     for name, (component, choice) in VARIANTS.items()},
        "limits": limits.tolist(),  # [[x_min, x_max], [y_min, y_max]] of the decision grids
        "decision_grids": grids,  # variant -> [grid_size][grid_size] P(class 1), rows from y_min up
        "training_sets": training_sets,  # variant -> the points and labels it trained on
        "test_inputs": to_list(test_x[:300], 3),  # a subset of the test points, for drawing
        "test_labels": test_y[:300].tolist(),
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)

