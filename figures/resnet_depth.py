"""Figures of the degradation problem: plain vs residual nets of growing depth, same SGD settings."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import NEGATIVE, POSITIVE

SIZES = ("shallow", "middle", "deep")
VARIANTS = {"plain": ("일반(plain) 신경망", NEGATIVE), "residual": ("잔차(residual) 신경망", POSITIVE)}


def depth_accuracy(runs):
    """Final training accuracy per depth, plain and residual side by side."""
    run = runs[0]
    depths = run.artifacts["depths"]
    figure, axis = plt.subplots(figsize=(8.4, 4.8))
    positions = np.arange(len(SIZES))
    width = 0.38
    for offset, (variant, (label, colour)) in zip((-width / 2, width / 2), VARIANTS.items(), strict=True):
        values = [run.metrics[f"train_accuracy_{variant}_{size}"] * 100 for size in SIZES]
        bars = axis.bar(positions + offset, values, width, color=colour, label=label)
        for bar, value in zip(bars, values, strict=True):
            axis.text(bar.get_x() + bar.get_width() / 2, value + 1.5, f"{value:.1f}%", ha="center",
                      fontsize=10)
    axis.set_xticks(positions, [f"{depths[size]}층" for size in SIZES])
    axis.set_xlabel("깊이 (가중치 층의 수)")
    axis.set_ylabel("훈련 정확도 (%)")
    axis.set_ylim(0, 128)
    axis.set_yticks(range(0, 101, 20))
    axis.axhline(10, color="#666", linestyle=":", linewidth=1.2, label="무작위 추측 (10%)")
    axis.grid(axis="x", alpha=0)
    axis.legend(loc="upper center", ncol=3, framealpha=0.95, fontsize=10)
    config = run.config
    axis.set_title(f"깊어질수록 일반 신경망만 훈련이 무너진다\n(같은 SGD: 학습률 {config['learning_rate']}, "
                   f"모멘텀 {config['momentum']}, {config['epochs']} 에포크)", fontsize=12.5)
    figure.tight_layout()
    return figure


def training_curves(runs):
    """Training loss and accuracy per epoch for every depth; plain dashed, residual solid."""
    run = runs[0]
    depths = run.artifacts["depths"]
    shades = {"shallow": 0.45, "middle": 0.7, "deep": 1.0}
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(12.5, 4.7))
    for variant, (label, colour) in VARIANTS.items():
        for size in SIZES:
            loss = np.array(run.history[f"loss_{variant}_{size}"], dtype=float)
            accuracy = np.array(run.history[f"accuracy_{variant}_{size}"]) * 100
            epochs = np.arange(1, len(loss) + 1)
            style = "-" if variant == "residual" else "--"
            name = f"{label.split('(')[0]} {depths[size]}층"
            loss_axis.plot(epochs, loss, style, color=colour, alpha=shades[size],
                           linewidth=1.2 + shades[size], label=name)
            accuracy_axis.plot(epochs, accuracy, style, color=colour, alpha=shades[size],
                               linewidth=1.2 + shades[size])
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("에포크")
    loss_axis.set_ylabel("훈련 손실 (교차 엔트로피, 로그 눈금)")
    loss_axis.set_title("훈련 손실")
    accuracy_axis.set_xlabel("에포크")
    accuracy_axis.set_ylabel("훈련 정확도 (%)")
    accuracy_axis.set_ylim(0, 102)
    accuracy_axis.set_title("훈련 정확도")
    handles, labels = loss_axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, fontsize=10, bbox_to_anchor=(0.5, -0.01))
    figure.suptitle("8×8 숫자, 깊이별 일반 신경망(점선)과 잔차 신경망(실선)")
    figure.tight_layout(rect=(0, 0.13, 1, 1))
    return figure
