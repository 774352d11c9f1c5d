"""AlexNet's three training ideas, each switched off in turn on a small digits CNN.

Krizhevsky, Sutskever & Hinton (2012) credit three choices, besides GPUs, for AlexNet's ImageNet win:
- ReLU instead of saturating units: their 4-layer CNN reached 25% CIFAR-10 training error six
  times faster with ReLU than with tanh (their figure 1);
- dropout in the fully connected layers: "without dropout, our network exhibits substantial
  overfitting";
- data augmentation with image translations (and reflections), which enlarges the training set
  and makes the net less sensitive to where the object sits.

A LeNet-sized CNN on the 8x8 digits, trained with the same SGD settings in five variants: `relu`
(the baseline: ReLU, no dropout, no augmentation), `sigmoid` and `tanh` (the baseline with those
units; each activation gets the initialisation designed for it, He for ReLU and Glorot for the
others), `dropout` (the baseline plus dropout before both fully connected layers) and `augment`
(the baseline trained on images shifted by up to one pixel). To make overfitting visible, every
variant learns from the same class-balanced 300 training digits. Measured: the training loss per
epoch (activations), the train-test gap in loss and accuracy (dropout), and test accuracy on the
test digits moved by one pixel in each of the 8 directions (augmentation). At this scale the
baseline already reaches about 95-97% on the unshifted test digits, so augmentation's benefit on
them is small and noisy; on shifted test digits it is large and robust, so that is what is tested.

What it shows (default budget, seeds 0-2): sigmoid units stay at chance for all 60 epochs; tanh
learns but ends with 5.7-6.8 times ReLU's training loss (AlexNet's "six times faster", by
coincidence almost exactly); dropout cuts the test-train loss gap by 33-65%; augmentation lifts
accuracy on shifted test digits from 41-48% to 94-96%.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import balanced_subset, digits, shift_images
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "final_loss_relu": "training loss after the last epoch, ReLU baseline",
    "final_loss_sigmoid": "training loss after the last epoch, sigmoid units",
    "final_loss_tanh": "training loss after the last epoch, tanh units (AlexNet's comparison)",
    "loss_ratio_sigmoid_relu": "final_loss_sigmoid / final_loss_relu",
    "loss_ratio_tanh_relu": "final_loss_tanh / final_loss_relu",
    "epochs_to_target_relu": "first epoch whose training loss is below target_loss, ReLU (epochs+1 = never)",
    "epochs_to_target_tanh": "first epoch whose training loss is below target_loss, tanh",
    "epochs_to_target_sigmoid": "first epoch whose training loss is below target_loss, sigmoid",
    "test_accuracy_relu": "test accuracy, ReLU baseline",
    "test_accuracy_sigmoid": "test accuracy, sigmoid units",
    "test_accuracy_tanh": "test accuracy, tanh units",
    "test_accuracy_dropout": "test accuracy, baseline + dropout",
    "test_accuracy_augment": "test accuracy, baseline + 1-pixel shift augmentation",
    "accuracy_gap_relu": "train accuracy - test accuracy, ReLU baseline",
    "accuracy_gap_dropout": "train accuracy - test accuracy, baseline + dropout",
    "loss_gap_relu": "test loss - train loss (both in eval mode), ReLU baseline",
    "loss_gap_dropout": "test loss - train loss (both in eval mode), baseline + dropout",
    "shifted_accuracy_relu": "accuracy on test digits shifted by 1 pixel (8 directions), ReLU baseline",
    "shifted_accuracy_dropout": "accuracy on 1-pixel-shifted test digits, baseline + dropout",
    "shifted_accuracy_augment": "accuracy on 1-pixel-shifted test digits, baseline + augmentation",
}

# name -> (activation, dropout on, shift augmentation on)
VARIANTS = {
    "relu": ("relu", False, False),
    "sigmoid": ("sigmoid", False, False),
    "tanh": ("tanh", False, False),
    "dropout": ("relu", True, False),
    "augment": ("relu", False, True),
}


@dataclass(frozen=True)
class Config:
    channels: int = 16  # feature maps of the first convolution (the second has twice as many)
    hidden: int = 128  # units of the fully connected hidden layer
    dropout: float = 0.5  # drop probability in the dropout variant (AlexNet's 0.5)
    train_size: int = 300  # training digits used (a class-balanced subset); 0 = all 1347
    epochs: int = 60  # SGD passes over the training digits, the same for every variant
    batch_size: int = 32  # images per SGD step
    learning_rate: float = 0.02  # SGD step size, the same for every variant
    momentum: float = 0.9  # SGD momentum (AlexNet's 0.9)
    target_loss: float = 0.1  # training loss whose first crossing times each activation (AlexNet's figure 1)
    seed: int = 0  # seeds the weights, the minibatch order, dropout masks and shifts


BUDGETS = {
    "smoke": {"epochs": 2},
    "default": {},
    "full": {"epochs": 80, "channels": 32, "hidden": 256},
}


class DigitsCNN(nn.Module):
    """conv3x3 -> act -> conv3x3 -> act -> maxpool -> [dropout] fc -> act -> [dropout] fc."""

    def __init__(self, config: Config, activation: str, dropout: bool):
        super().__init__()
        act = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}[activation]
        drop = config.dropout if dropout else 0.0
        c = config.channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), act(),  # [batch, c, 8, 8]
            nn.Conv2d(c, 2 * c, 3, padding=1), act(),  # [batch, 2c, 8, 8]
            nn.MaxPool2d(2),  # [batch, 2c, 4, 4]
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(drop),  # [batch, 32c]
            nn.Linear(2 * c * 16, config.hidden), act(), nn.Dropout(drop),  # [batch, hidden]
            nn.Linear(config.hidden, 10),  # [batch, 10]
        )
        # Each unit gets the initialisation designed for it: He (2015) for ReLU, Glorot (2010) otherwise.
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                if activation == "relu":
                    nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                else:
                    nn.init.xavier_normal_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(images))


def shifted_copies(images: torch.Tensor) -> torch.Tensor:
    """Each image moved by one pixel in each of the 8 directions, zero-filled: [8N, 1, 8, 8]."""
    padded = nn.functional.pad(images, (1, 1, 1, 1))  # [N, 1, 10, 10]
    copies = [padded[:, :, 1 + dy : 9 + dy, 1 + dx : 9 + dx]
              for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
    return torch.cat(copies)


@torch.no_grad()
def mean_loss(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    model.eval()
    return nn.functional.cross_entropy(model(images), labels).item()


def train(config: Config, context: RunContext) -> TrainResult:
    seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = (t.to(device) for t in digits())
    if config.train_size:
        keep = balanced_subset(train_y.cpu(), config.train_size, torch.Generator().manual_seed(config.seed))
        train_x, train_y = train_x[keep.to(device)], train_y[keep.to(device)]
    shifted_x, shifted_y = shifted_copies(test_x), test_y.repeat(8)  # [8M, 1, 8, 8], [8M]
    metrics: dict[str, float] = {}
    history: dict[str, list[float]] = {}
    state = {}
    for rank, (name, (activation, dropout, augment)) in enumerate(VARIANTS.items()):
        generator = seed_everything(config.seed)  # the same random stream and batch order for every variant
        model = DigitsCNN(config, activation, dropout).to(device)
        optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate, momentum=config.momentum)
        test_curve: list[float] = []
        fit_history = fit(
            model, train_x, train_y, nn.functional.cross_entropy, optimizer,
            FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[
                lambda epoch, h, model=model, curve=test_curve: curve.append(
                    accuracy(model, test_x, test_y, device))]),
            RunContext(device, progress=lambda done, total, rank=rank: context.progress(
                rank * config.epochs + done, len(VARIANTS) * config.epochs)),
            generator,
            augment=(lambda batch, g: shift_images(batch, g, max_shift=1)) if augment else None,
        )
        history[f"train_loss_{name}"] = fit_history["train_loss"]
        history[f"test_accuracy_{name}"] = test_curve
        train_accuracy = accuracy(model, train_x, train_y, device)
        metrics[f"test_accuracy_{name}"] = test_curve[-1]
        if name in ("relu", "sigmoid", "tanh"):
            metrics[f"final_loss_{name}"] = fit_history["train_loss"][-1]
            losses = fit_history["train_loss"]
            below = [epoch for epoch, loss in enumerate(losses, 1) if loss < config.target_loss]
            metrics[f"epochs_to_target_{name}"] = float(below[0] if below else config.epochs + 1)
        if name in ("relu", "dropout"):
            metrics[f"accuracy_gap_{name}"] = train_accuracy - test_curve[-1]
            train_loss = mean_loss(model, train_x, train_y)  # in eval mode: dropout off
            metrics[f"loss_gap_{name}"] = mean_loss(model, test_x, test_y) - train_loss
        if name in ("relu", "dropout", "augment"):
            metrics[f"shifted_accuracy_{name}"] = accuracy(model, shifted_x, shifted_y, device)
        state[name] = {key: value.cpu() for key, value in model.state_dict().items()}
    metrics["loss_ratio_sigmoid_relu"] = metrics["final_loss_sigmoid"] / metrics["final_loss_relu"]
    metrics["loss_ratio_tanh_relu"] = metrics["final_loss_tanh"] / metrics["final_loss_relu"]
    artifacts = {
        "shifted_examples": to_list(shifted_copies(test_x[:1])[:, 0], 3),  # [8, 8, 8] one digit, 8 shifts
        "original_example": to_list(test_x[0, 0], 3),  # [8, 8]
    }
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
