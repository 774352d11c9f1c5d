"""Datasets the models learn from: only what ships in packages or what the code generates."""

from __future__ import annotations

import numpy as np
import torch

XOR_INPUTS = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_LABELS = torch.tensor([0.0, 1.0, 1.0, 0.0])


def separable_points(count: int, margin: float,
                     generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Points in the plane split by a known line with a guaranteed gap of `margin` on each side.

    Returns (points [count, 2], labels in {-1, +1} [count], the true separator [w1, w2, b]).
    """
    angle = torch.rand(1, generator=generator).item() * 2 * np.pi
    normal = torch.tensor([np.cos(angle), np.sin(angle)], dtype=torch.float32)
    offset = (torch.rand(1, generator=generator).item() - 0.5) * 0.5
    points: list[torch.Tensor] = []
    while sum(len(p) for p in points) < count:
        candidates = torch.rand(count, 2, generator=generator) * 4 - 2  # [count, 2] in [-2, 2]^2
        distance = candidates @ normal + offset
        points.append(candidates[distance.abs() >= margin])
    inputs = torch.cat(points)[:count]
    labels = torch.sign(inputs @ normal + offset)
    separator = torch.cat([normal, torch.tensor([offset])])
    return inputs, labels, separator


def digits(test_fraction: float = 0.25, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """scikit-learn's 8x8 digits as images in [0, 1]: (train_x [N,1,8,8], train_y, test_x, test_y)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)[:, None, :, :]
    train_x, test_x, train_y, test_y = train_test_split(
        images, bunch.target, test_size=test_fraction, random_state=seed, stratify=bunch.target
    )
    return (
        torch.from_numpy(train_x),
        torch.from_numpy(train_y).long(),
        torch.from_numpy(test_x),
        torch.from_numpy(test_y).long(),
    )


def shift_images(images: torch.Tensor, generator: torch.Generator, max_shift: int = 1) -> torch.Tensor:
    """Data augmentation: move each image by up to `max_shift` pixels (zero padding)."""
    count = images.shape[0]
    padded = torch.nn.functional.pad(images, (max_shift,) * 4)
    shifts = torch.randint(0, 2 * max_shift + 1, (count, 2), generator=generator)
    height, width = images.shape[-2:]
    out = torch.empty_like(images)
    for index in range(count):
        dy, dx = shifts[index].tolist()
        out[index] = padded[index, :, dy : dy + height, dx : dx + width]
    return out


def balanced_subset(labels: torch.Tensor, count: int, generator: torch.Generator) -> torch.Tensor:
    """Indices of `count` examples, count/10 of each class."""
    picks = []
    for digit in range(10):
        candidates = torch.nonzero(labels == digit).squeeze(1)
        picks.append(candidates[torch.randperm(len(candidates), generator=generator)[: count // 10]])
    return torch.cat(picks)
