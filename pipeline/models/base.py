"""What every reference model shares: its run context, its result, seeds and devices.

A model file (`pipeline/models/<name>.py`) defines, in this order: a docstring saying what the
model teaches, `METRICS` (a literal dict from metric name to its meaning, read without importing
the module), a frozen `Config` dataclass with a comment per field, `BUDGETS` (config overrides per
profile budget: smoke, default, full) and `train(config, context) -> TrainResult`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch


@dataclass
class RunContext:
    """What a model's `train` gets from the build besides its config."""

    device: torch.device
    # Called with (done, total) as training advances; drives the build's progress bar.
    progress: Callable[[int, int], None] = lambda done, total: None
    log: Callable[[str], None] = print


@dataclass
class TrainResult:
    """Everything a trained model leaves behind for figures, scenes, notebooks and slides."""

    metrics: dict[str, float]  # scalar results; names declared in the model's METRICS
    history: dict[str, list[float]] = field(default_factory=dict)  # curves, one value per step/epoch
    artifacts: dict[str, Any] = field(default_factory=dict)  # JSON-able data that figures draw
    state: dict[str, Any] = field(default_factory=dict)  # tensors saved in the checkpoint


def seed_everything(seed: int) -> torch.Generator:
    """Seed every random source a model touches and return a generator for its data."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def resolve_device(preference: str) -> torch.device:
    """`auto` picks CUDA when a GPU is present, else the CPU."""
    if preference == "cuda" or (preference == "auto" and torch.cuda.is_available()):
        if not torch.cuda.is_available():
            raise RuntimeError("profile asks for device cuda but no CUDA GPU is available")
        return torch.device("cuda")
    return torch.device("cpu")


def make_deterministic(device: torch.device) -> None:
    """Same seed, same profile, same machine: same metrics."""
    torch.use_deterministic_algorithms(True, warn_only=True)
    if device.type == "cuda":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.benchmark = False


def to_list(array: Any, digits: int = 5) -> Any:
    """Tensors and arrays as rounded nested lists, so artifacts stay small and JSON-able."""
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    return np.round(np.asarray(array, dtype=float), digits).tolist()
