"""Figures of AlexNet's three ideas on a digits CNN: ReLU, dropout, data augmentation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch
from style import MUTED, PALETTE

ACTIVATIONS = {
    "relu": ("ReLU", PALETTE[0]),
    "tanh": ("tanh", PALETTE[2]),
    "sigmoid": ("시그모이드", PALETTE[1]),
}


def activation_curves(runs):
    """Training loss per epoch (log scale) of the same CNN with ReLU, tanh and sigmoid units."""
    run = runs[0]
    figure, axis = plt.subplots(figsize=(7.2, 5.0))
    target = run.config["target_loss"]
    for name, (label, colour) in ACTIVATIONS.items():
        loss = run.history[f"train_loss_{name}"]
        reached = run.metrics[f"epochs_to_target_{name}"]
        when = f"{reached:.0f}에포크에 도달" if reached <= len(loss) else "도달 못 함"
        axis.plot(range(1, len(loss) + 1), loss, color=colour, linewidth=2.2,
                  label=f"{label}: 최종 손실 {loss[-1]:.2g}, 목표 {when}")
    axis.axhline(target, color="#666", linewidth=1, linestyle=":")
    axis.text(len(loss), target * 1.15, f"목표 손실 {target}", ha="right", va="bottom", fontsize=9,
              color="#555")
    axis.set_yscale("log")
    axis.set_xlabel("에포크")
    axis.set_ylabel("훈련 손실 (로그 눈금)")
    axis.set_title("같은 CNN, 같은 SGD: 활성화 함수만 바꿨을 때")
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=10)
    figure.tight_layout()
    return figure


def dropout_gap(runs):
    """Train and test loss of the baseline and of the dropout variant: dropout narrows the gap."""
    run = runs[0]
    metrics = run.metrics
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(10.4, 4.2))
    names = [("relu", "드롭아웃 없음"), ("dropout", f"드롭아웃 p={run.config['dropout']}")]
    positions = np.arange(len(names))
    gaps = [metrics[f"loss_gap_{name}"] for name, _ in names]
    loss_axis.bar(positions, gaps, color=[MUTED, PALETTE[3]], width=0.55)
    for position, gap in zip(positions, gaps, strict=True):
        loss_axis.text(position, gap, f"{gap:.3f}", ha="center", va="bottom", fontsize=11)
    loss_axis.set_xticks(positions, [label for _, label in names])
    loss_axis.set_ylabel("테스트 손실 - 훈련 손실")
    loss_axis.set_title("손실의 일반화 격차")
    loss_axis.margins(y=0.15)

    for name, label in names:
        curve = np.array(run.history[f"test_accuracy_{name}"]) * 100
        colour = MUTED if name == "relu" else PALETTE[3]
        accuracy_axis.plot(range(1, len(curve) + 1), curve, color=colour, linewidth=2,
                           label=f"{label} (최종 {curve[-1]:.1f}%)")
    # Zoom on the last half of training, where the two curves differ, but never hide a weak run.
    finals = [value for name, _ in names for value in run.history[f"test_accuracy_{name}"][len(curve) // 2:]]
    accuracy_axis.set_ylim(min(80.0, min(finals) * 100 - 5), 100)
    accuracy_axis.set_xlabel("에포크")
    accuracy_axis.set_ylabel("테스트 정확도 (%)")
    accuracy_axis.set_title("테스트 정확도")
    accuracy_axis.legend(loc="lower right")
    size = run.config["train_size"] or 1347
    figure.suptitle(f"드롭아웃: 훈련 숫자 {size}개로 학습했을 때의 과적합")
    figure.tight_layout()
    return figure


def augmentation_shifted(runs):
    """Accuracy on the test digits and on the same digits moved by one pixel, per variant."""
    run = runs[0]
    metrics = run.metrics
    figure = plt.figure(figsize=(11.0, 4.4))
    grid = figure.add_gridspec(3, 5, width_ratios=[1, 1, 1, 0.25, 4.2])
    # The model stores the moves as (down, right) in row-major order; reversed, each tile sits on the side
    # it moved to (top-left tile = moved up and left).
    shifted = np.array(run.artifacts["shifted_examples"])[::-1]
    tiles = [*shifted[:4], np.array(run.artifacts["original_example"]), *shifted[4:]]
    for index, tile in enumerate(tiles):
        axis = figure.add_subplot(grid[index // 3, index % 3])
        axis.imshow(tile, cmap="gray_r", vmin=0, vmax=1)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.grid(False)
        for spine in axis.spines.values():  # a frame on every tile makes the 1-pixel moves visible
            spine.set_visible(True)
            spine.set_color("black" if index == 4 else "#aaa")
        if index == 4:
            axis.set_title("원본", fontsize=10)
    figure.text(0.14, 0.02, "가운데 원본을 8방향으로 1픽셀 이동", ha="center", fontsize=10)

    axis = figure.add_subplot(grid[:, 4])
    names = [("relu", "기본", MUTED), ("dropout", "드롭아웃", PALETTE[3]),
             ("augment", "데이터 증강", PALETTE[0])]
    positions = np.arange(len(names))
    width = 0.38
    plain = [metrics[f"test_accuracy_{name}"] * 100 for name, _, _ in names]
    moved = [metrics[f"shifted_accuracy_{name}"] * 100 for name, _, _ in names]
    colours = [colour for _, _, colour in names]
    bars_plain = axis.bar(positions - width / 2, plain, width, color=colours, alpha=0.4)
    bars_moved = axis.bar(positions + width / 2, moved, width, color=colours)
    for bars in (bars_plain, bars_moved):
        axis.bar_label(bars, fmt="%.0f%%", fontsize=10)
    axis.set_xticks(positions, [label for _, label, _ in names])
    axis.set_ylabel("테스트 정확도 (%)")
    axis.set_ylim(0, 105)
    axis.legend(handles=[Patch(color=MUTED, alpha=0.4, label="원래 테스트 숫자"),
                         Patch(color=MUTED, label="1픽셀 이동한 테스트 숫자")],
                loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9, ncol=2)
    axis.set_title("데이터 증강(1픽셀 이동)의 효과")
    figure.tight_layout()
    return figure
