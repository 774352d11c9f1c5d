"""Figures of ADALINE: its smooth error curve beside the perceptron's mistakes, and both learned lines."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, PALETTE, POSITIVE


def _data_name(run) -> str:
    noise = run.config["label_noise"]
    return f"라벨 {noise:.0%}를 뒤집은 데이터" if noise > 0 else "선형 분리 가능한 데이터"


def error_curves(runs):
    """Per run: ADALINE's MSE per epoch (falling smoothly to the least-squares optimum) and the perceptron's
    mistakes per epoch on the same data."""
    figure, axes = plt.subplots(len(runs), 2, figsize=(11.0, 3.9 * len(runs)), squeeze=False)
    for (mse_axis, mistakes_axis), run in zip(axes, runs, strict=True):
        mse = run.history["mse"]
        mse_axis.plot(range(len(mse)), mse, color=ACCENT, marker="o", markersize=3, linewidth=2,
                      label="ADALINE (델타 규칙)")
        mse_axis.axhline(run.metrics["optimal_mse"], color=MUTED, linestyle="--", linewidth=1.5,
                         label=f"최소제곱 최적값 {run.metrics['optimal_mse']:.3f}")
        mse_axis.set_xlabel("에포크 (0 = 학습 전)")
        mse_axis.set_ylabel("평균 제곱 오차")
        mse_axis.set_ylim(0, max(mse) * 1.05)
        mse_axis.set_title(f"ADALINE의 오차: 매끄럽게 감소 ({_data_name(run)})")
        mse_axis.legend(loc="upper right")

        mistakes = run.history["perceptron_mistakes"]
        mistakes_axis.bar(range(1, len(mistakes) + 1), mistakes, color=NEGATIVE, alpha=0.8)
        mistakes_axis.set_xlabel("에포크")
        mistakes_axis.set_ylabel("에포크당 실수 횟수")
        last = int(run.metrics["perceptron_last_mistakes"])
        verdict = "0이 되어 멈춤" if last == 0 else f"마지막 에포크에도 {last}번"
        mistakes_axis.set_title(f"같은 데이터에서 퍼셉트론의 실수: {verdict}")
    figure.tight_layout()
    return figure


def _line(axis, weights, limits, **style) -> None:
    """Draw w1 x + w2 y + b = 0 inside `limits`."""
    w1, w2, b = weights
    xs = np.linspace(*limits, 200)
    if abs(w2) > 1e-9:
        axis.plot(xs, -(w1 * xs + b) / w2, **style)
    elif abs(w1) > 1e-9:
        axis.axvline(-b / w1, **style)


def decision_boundaries(runs):
    """The points (flipped labels circled), the true line, and the lines ADALINE and the perceptron end on."""
    figure, axes = plt.subplots(1, len(runs), figsize=(5.6 * len(runs), 5.2), squeeze=False)
    for axis, run in zip(axes[0], runs, strict=True):
        points = np.array(run.artifacts["inputs"])
        labels = np.array(run.artifacts["labels"])
        flipped = labels != np.array(run.artifacts["clean_labels"])
        limits = (points.min() - 0.3, points.max() + 0.3)
        axis.scatter(*points[labels > 0].T, c=POSITIVE, s=26, label="+1", edgecolor="white", zorder=3)
        axis.scatter(*points[labels < 0].T, c=NEGATIVE, s=26, marker="s", label="-1", edgecolor="white",
                     zorder=3)
        if flipped.any():
            axis.scatter(*points[flipped].T, s=130, facecolor="none", edgecolor="black", linewidth=1.2,
                         label="뒤집힌 라벨", zorder=4)
        _line(axis, run.artifacts["true_weights"], limits, color=MUTED, linestyle=":", linewidth=2,
              label="라벨을 만든 참 직선")
        _line(axis, run.artifacts["adaline_weights_per_epoch"][-1], limits, color=ACCENT, linewidth=2.4,
              label=f"ADALINE (정확도 {run.metrics['accuracy']:.0%})")
        _line(axis, run.artifacts["perceptron_weights_per_epoch"][-1], limits, color=PALETTE[2], linewidth=2,
              linestyle="--", label=f"퍼셉트론 (정확도 {run.metrics['perceptron_accuracy']:.0%})")
        axis.set_xlim(*limits)
        axis.set_ylim(*limits)
        axis.set_aspect("equal")
        axis.set_xlabel("입력 $x_1$")
        axis.set_ylabel("입력 $x_2$")
        axis.set_title(f"{_data_name(run)}, {len(run.history['mse']) - 1} 에포크 후")
        axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9, framealpha=0.9)
    figure.suptitle("ADALINE과 퍼셉트론이 찾은 직선 (점선 = 참 직선)")
    figure.tight_layout()
    return figure
