"""LeNet (LeCun et al., 1989; LeNet-5, 1998): a convolutional network reads handwritten digits.

Convolution shares one small filter across every position of the image, so the network learns
local features (strokes, edges, corners) once and finds them anywhere; pooling then makes the
features tolerant to small shifts, and a few fully connected layers classify. The source
documents credit LeNet with reading ZIP codes and bank cheques in the 1990s, the first large
practical success of backpropagation, and as the template of every CNN since, AlexNet included.

Our LeNet-style network reads scikit-learn's 8x8 digits (1,797 images; MNIST is 28x28 and needs a
download): conv 5x5 -> ReLU -> conv 3x3 -> ReLU -> max-pool -> two fully connected layers with
dropout. An 8x8 image has room for one pooling step, where LeNet-5's 32x32 had two; LeNet-5 also
used tanh-like units and average-pooling "subsampling", where ReLU and max pooling are today's
defaults. Training images are shifted by up to one pixel, the kind of distortion convolution and
pooling are meant to absorb; Adam's step size decays to zero along a cosine. A multinomial
logistic regression on the raw pixels, the classical baseline, is trained on the same split in the
same run.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from pipeline.models.base import RunContext, TrainResult, seed_everything, to_list
from pipeline.models.data import digits, shift_images
from pipeline.models.trainer import FitConfig, accuracy, fit

METRICS = {
    "test_accuracy": "the CNN's accuracy on the held-out quarter of the digits after the last epoch",
    "best_test_accuracy": "highest test accuracy over the epochs",
    "train_accuracy": "the CNN's accuracy on the (unshifted) training digits after the last epoch",
    "logistic_test_accuracy": "test accuracy of logistic regression on the 64 pixels (the baseline)",
    "test_errors": "number of misclassified test digits",
    "parameters": "number of trainable parameters of the CNN",
}


@dataclass(frozen=True)
class Config:
    channels1: int = 32  # filters in the first convolution (5x5)
    channels2: int = 64  # filters in the second convolution (3x3)
    hidden: int = 128  # units in the fully connected hidden layer
    dropout: float = 0.5  # dropout probability before the last layer
    epochs: int = 30  # passes over the training digits
    batch_size: int = 64  # digits per Adam step
    learning_rate: float = 0.003  # Adam's initial step size, decayed to 0 along a cosine
    max_shift: int = 1  # augmentation: shift each training digit by up to this many pixels (0: off)
    seed: int = 0  # seeds the weights, the dropout masks, the shifts and the minibatch order


BUDGETS = {
    "smoke": {"epochs": 2, "channels1": 8, "channels2": 16, "hidden": 32},
    "default": {},
    "full": {"epochs": 100, "channels1": 64, "channels2": 128, "hidden": 256},
}

SAMPLES = 16  # test digits kept with their predictions, misclassified ones first
MAPS_KEPT = 16  # second-layer feature maps kept in the artifacts


class LeNet(nn.Module):
    def __init__(self, config: Config, pixel_mean: float, pixel_std: float):
        super().__init__()
        # Standardise inside the model, so shifted images keep a zero (background) border.
        self.register_buffer("pixel_mean", torch.tensor(pixel_mean))
        self.register_buffer("pixel_std", torch.tensor(pixel_std))
        self.conv1 = nn.Conv2d(1, config.channels1, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(config.channels1, config.channels2, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(config.channels2 * 4 * 4, config.hidden)
        self.dropout = nn.Dropout(config.dropout)
        self.fc2 = nn.Linear(config.hidden, 10)

    def features(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The two convolutional feature maps (after ReLU, before pooling)."""
        standardised = (images - self.pixel_mean) / self.pixel_std  # [batch, 1, 8, 8]
        maps1 = torch.relu(self.conv1(standardised))  # [batch, C1, 8, 8]
        maps2 = torch.relu(self.conv2(maps1))  # [batch, C2, 8, 8]
        return maps1, maps2

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        _, maps2 = self.features(images)
        flat = self.pool(maps2).flatten(1)  # [batch, C2 * 4 * 4]
        hidden = self.dropout(torch.relu(self.fc1(flat)))  # [batch, hidden]
        return self.fc2(hidden)  # [batch, 10]: class scores


def logistic_baseline(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                      test_y: torch.Tensor) -> float:
    """Multinomial logistic regression on the flattened pixels (deterministic L-BFGS)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    classifier = LogisticRegression(max_iter=3000)
    with threadpool_limits(1):  # a 1347 x 64 problem: extra BLAS threads only fight over the cores
        classifier.fit(train_x.flatten(1).numpy(), train_y.numpy())
    return float(classifier.score(test_x.flatten(1).numpy(), test_y.numpy()))


@torch.no_grad()
def confusion_matrix(predictions: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """[10, 10]: row = true digit, column = predicted digit."""
    matrix = torch.zeros(10, 10, dtype=torch.long)
    matrix.index_put_((labels, predictions), torch.ones_like(labels), accumulate=True)
    return matrix


def train(config: Config, context: RunContext) -> TrainResult:
    generator = seed_everything(config.seed)
    device = context.device
    train_x, train_y, test_x, test_y = digits()  # [N, 1, 8, 8] in [0, 1], labels [N]
    model = LeNet(config, train_x.mean().item(), train_x.std().item()).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs)

    test_accuracies: list[float] = []

    def end_of_epoch(epoch: int, history: dict[str, list[float]]) -> None:
        schedule.step()
        test_accuracies.append(accuracy(model, test_x, test_y, device))

    def augment(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        return shift_images(images.cpu(), generator, config.max_shift).to(images.device)

    history = fit(model, train_x, train_y, nn.functional.cross_entropy, optimizer,
                  FitConfig(epochs=config.epochs, batch_size=config.batch_size, callbacks=[end_of_epoch]),
                  context, generator, augment=augment if config.max_shift > 0 else None)
    history["test_accuracy"] = test_accuracies

    model.eval()
    with torch.no_grad():
        scores = model(test_x.to(device)).cpu()  # [T, 10]
        probabilities = scores.softmax(dim=1)  # [T, 10]
        predictions = scores.argmax(dim=1)  # [T]
        wrong = (predictions != test_y).nonzero()[:, 0]
        right = (predictions == test_y).nonzero()[:, 0]
        shown = torch.cat([wrong[: SAMPLES // 2], right])[:SAMPLES]  # misclassified first, up to half
        example = right[0].item()  # one correctly read test digit for the feature maps
        maps1, maps2 = model.features(test_x[example : example + 1].to(device))  # [1, C1|C2, 8, 8]

    metrics = {
        "test_accuracy": test_accuracies[-1],
        "best_test_accuracy": max(test_accuracies),
        "train_accuracy": accuracy(model, train_x, train_y, device),
        "logistic_test_accuracy": logistic_baseline(train_x, train_y, test_x, test_y),
        "test_errors": float(len(wrong)),
        "parameters": float(sum(p.numel() for p in model.parameters())),
    }
    artifacts = {
        "filters": to_list(model.conv1.weight[:, 0], 4),  # [C1, 5, 5]: the first layer's filters
        "feature_example": {
            "image": to_list(test_x[example, 0], 3),  # [8, 8] in [0, 1]
            "label": int(test_y[example]),
            "conv1": to_list(maps1[0], 4),  # [C1, 8, 8] after ReLU
            "conv2": to_list(maps2[0, :MAPS_KEPT], 4),  # [16, 8, 8]: the first 16 second-layer maps
        },
        "confusion": to_list(confusion_matrix(predictions, test_y)),  # [10, 10]: rows true, columns predicted
        "samples": {
            "images": to_list(test_x[shown, 0], 3),  # [S, 8, 8] in [0, 1]
            "labels": test_y[shown].tolist(),
            "predictions": predictions[shown].tolist(),
            "confidence": to_list(probabilities[shown].max(dim=1).values, 4),  # [S]
        },
    }
    state = {name: tensor.cpu() for name, tensor in model.state_dict().items()}
    return TrainResult(metrics=metrics, history=history, artifacts=artifacts, state=state)
