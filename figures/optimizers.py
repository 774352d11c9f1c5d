"""Figures of SGD, momentum and Adam: loss curves on the digits, paths on the Rosenbrock valley."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import PALETTE

# optimiser -> (Korean label, colour)
OPTIMIZERS = {
    "sgd": ("SGD", PALETTE[1]),
    "momentum": ("모멘텀 SGD", PALETTE[2]),
    "adam": ("Adam", PALETTE[0]),
}


def _label(name: str, rates: dict, momentum: float | None = None) -> str:
    text = f"{OPTIMIZERS[name][0]} (학습률 {rates[name]:g}"
    return text + (f", 모멘텀 {momentum:g})" if name == "momentum" and momentum is not None else ")")


def loss_curves(runs):
    """Digits training loss per epoch and Rosenbrock value per step, one line per optimiser."""
    run = runs[0]
    momentum = run.config["momentum"]
    figure, (digits_axis, surface_axis) = plt.subplots(1, 2, figsize=(12.5, 4.6))
    for name, (_, colour) in OPTIMIZERS.items():
        loss = run.history[f"loss_{name}"]
        digits_axis.plot(range(len(loss)), loss, color=colour, linewidth=2.2, marker="o", markersize=3.5,
                         label=_label(name, run.artifacts["learning_rates"], momentum))
        surface = np.maximum(np.array(run.history[f"surface_loss_{name}"]), 1e-8)
        surface_axis.plot(range(len(surface)), surface, color=colour, linewidth=2.2,
                          label=_label(name, run.artifacts["surface_learning_rates"], momentum))
    digits_axis.set_yscale("log")
    digits_axis.set_xlabel("에포크 (0 = 훈련 전)")
    digits_axis.set_ylabel("훈련 손실 (교차 엔트로피, 로그 눈금)")
    digits_axis.set_title("8×8 숫자 분류 MLP: 같은 초기값, 같은 미니배치 순서")
    digits_axis.legend(fontsize=10)
    surface_axis.set_yscale("log")
    surface_axis.set_xlabel("최적화 단계")
    surface_axis.set_ylabel("로젠브록 함수 값 (로그 눈금)")
    surface_axis.set_title("로젠브록 골짜기: 최솟값 0")
    surface_axis.legend(fontsize=10)
    figure.suptitle("같은 단계 수에서 모멘텀과 Adam은 SGD보다 손실을 더 낮춘다")
    figure.tight_layout()
    return figure


def trajectories(runs, every: int = 1):
    """The three paths over the contours of the Rosenbrock function, from the same start."""
    run = runs[0]
    surface = run.artifacts["surface"]
    xs, ys, values = np.array(surface["xs"]), np.array(surface["ys"]), np.array(surface["log_values"])
    figure, axis = plt.subplots(figsize=(8.4, 6.6))
    filled = axis.contourf(xs, ys, values, levels=24, cmap="Greys", alpha=0.55)
    axis.contour(xs, ys, values, levels=12, colors="white", linewidths=0.5, alpha=0.8)
    colourbar = figure.colorbar(filled, ax=axis, shrink=0.85)
    colourbar.set_label(r"$\log_{10}(1 + f(x, y))$")
    momentum = run.config["momentum"]
    for name, (_, colour) in OPTIMIZERS.items():
        path = np.array(run.artifacts["trajectories"][name])[::every]
        final = run.metrics[f"surface_loss_{name}"]
        # SGD wide underneath, Adam dashed on top: the first part of their paths coincides.
        width, line = {"sgd": (6.0, "-"), "momentum": (2.0, "-"), "adam": (2.2, "--")}[name]
        axis.plot(path[:, 0], path[:, 1], line, color=colour, linewidth=width, alpha=0.9,
                  label=f"{_label(name, run.artifacts['surface_learning_rates'], momentum)}: "
                        f"끝값 {final:.3g}")
        axis.plot(*path[-1], "o", color=colour, markersize=8, markeredgecolor="black", zorder=5)
    start = np.array(run.artifacts["trajectories"]["sgd"][0])
    axis.plot(*start, "s", color="black", markersize=9, zorder=6)
    axis.annotate("출발점", start, xytext=(-52, 4), textcoords="offset points", fontsize=11)
    axis.plot(*surface["minimum"], "*", color="gold", markersize=20, markeredgecolor="black", zorder=6)
    axis.annotate("최솟값 (1, 1)", surface["minimum"], xytext=(10, -16), textcoords="offset points",
                  fontsize=11)
    axis.set_xlim(xs.min(), xs.max())
    axis.set_ylim(ys.min(), ys.max())
    axis.set_xlabel("x")
    axis.set_ylabel("y")
    axis.grid(False)
    steps = len(run.artifacts["trajectories"]["sgd"]) - 1
    axis.set_title(rf"$f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$ 위의 {steps}단계 경로")
    axis.legend(loc="lower left", fontsize=9.5, framealpha=0.92)
    figure.tight_layout()
    return figure
