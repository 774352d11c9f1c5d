"""Figures of Rosenblatt's perceptron: its decision boundary over the epochs, and its mistakes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import MUTED, NEGATIVE, POSITIVE


def _boundary(axis, weights, limits, **style) -> None:
    """Draw w1*x + w2*y + b = 0 inside `limits`; an all-zero weight vector has no line yet."""
    w1, w2, b = weights
    xs = np.linspace(*limits, 200)
    if abs(w2) > 1e-9:
        axis.plot(xs, -(w1 * xs + b) / w2, **style)
    elif abs(w1) > 1e-9:
        axis.axvline(-b / w1, **style)


def decision_boundary(runs, epochs_shown: int = 6):
    """The boundary after successive epochs over the training points, for each run side by side."""
    figure, axes = plt.subplots(1, len(runs), figsize=(5.2 * len(runs), 4.6), squeeze=False)
    for axis, run in zip(axes[0], runs, strict=True):
        points = np.array(run.artifacts["inputs"])
        labels = np.array(run.artifacts["labels"])
        snapshots = np.array(run.artifacts["weights_per_epoch"])
        low, high = points.min() - 0.4, points.max() + 0.4
        axis.scatter(*points[labels > 0].T, c=POSITIVE, s=28, label="+1 클래스", edgecolor="white", zorder=3)
        axis.scatter(*points[labels < 0].T, c=NEGATIVE, s=28, marker="s", label="-1 클래스",
                     edgecolor="white", zorder=3)
        chosen = np.unique(np.linspace(1, len(snapshots) - 1, min(epochs_shown, len(snapshots) - 1)).astype(int))
        for rank, epoch in enumerate(chosen):
            last = epoch == chosen[-1]
            _boundary(axis, snapshots[epoch], (low, high), color="black" if last else MUTED,
                      alpha=1.0 if last else 0.25 + 0.5 * rank / max(1, len(chosen)),
                      linewidth=2.2 if last else 1.0, label=f"{epoch}번째 에포크 후" if last else None)
        axis.set_xlim(low, high)
        axis.set_ylim(low, high)
        axis.set_aspect("equal")
        verdict = "수렴" if run.metrics["converged"] else "수렴 실패"
        name = "XOR" if run.config["dataset"] == "xor" else "선형 분리 가능 데이터"
        axis.set_title(f"{name}: {verdict} (정확도 {run.metrics['final_accuracy']:.0%})")
        axis.set_xlabel("입력 $x_1$")
        axis.set_ylabel("입력 $x_2$")
        axis.legend(loc="lower right", fontsize=9, framealpha=0.9)
    figure.suptitle("퍼셉트론의 결정 경계: 에포크가 지날수록 (옅은 선 → 진한 선)")
    figure.tight_layout()
    return figure


def mistakes_per_epoch(runs):
    """Mistakes in each epoch: falling to zero on separable data, never on XOR."""
    figure, axis = plt.subplots(figsize=(6.4, 3.8))
    for run in runs:
        name = "XOR" if run.config["dataset"] == "xor" else "선형 분리 가능"
        mistakes = run.history["mistakes"]
        axis.plot(range(1, len(mistakes) + 1), mistakes, marker="o", markersize=3, label=name)
    axis.set_xlabel("에포크")
    axis.set_ylabel("실수(가중치 갱신) 횟수")
    axis.set_title("에포크별 퍼셉트론의 실수")
    axis.legend()
    figure.tight_layout()
    return figure
