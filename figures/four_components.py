"""Figures of the four components: one swapped at a time, its decision boundary, loss and accuracy."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from style import MUTED, NEGATIVE, PALETTE, POSITIVE

# variant -> (Korean title, colour)
VARIANTS = {
    "baseline": ("기준: MLP · 교차 엔트로피 · Adam", PALETTE[0]),
    "less_data": ("데이터: 훈련 점 {small}개뿐", PALETTE[1]),
    "noisy_labels": ("데이터: 레이블 {noise:.0%} 뒤집힘", PALETTE[2]),
    "linear_model": ("모델: 선형 분류기", PALETTE[3]),
    "mse_loss": ("손실: 교차 엔트로피 → MSE", PALETTE[4]),
    "sgd": ("알고리즘: Adam → SGD", PALETTE[5]),
}
COMPONENT = {"baseline": "기준", "less_data": "데이터", "noisy_labels": "데이터", "linear_model": "모델",
             "mse_loss": "손실", "sgd": "알고리즘"}


def _title(name: str, config: dict) -> str:
    return VARIANTS[name][0].format(small=config["small_train"], noise=config["label_noise"])


def decision_grids(runs):
    """Each variant's P(class 1) over the plane, its training points and its test accuracy."""
    run = runs[0]
    artifacts = run.artifacts
    (x_min, x_max), (y_min, y_max) = artifacts["limits"]
    shade = LinearSegmentedColormap.from_list("moons", [NEGATIVE, "#ffffff", POSITIVE])
    figure, axes = plt.subplots(2, 3, figsize=(14.0, 8.2))
    for axis, name in zip(axes.flat, VARIANTS, strict=True):
        grid = np.array(artifacts["decision_grids"][name])
        axis.imshow(grid, origin="lower", extent=(x_min, x_max, y_min, y_max), cmap=shade, vmin=0, vmax=1,
                    alpha=0.55, aspect="auto")
        axis.contour(np.linspace(x_min, x_max, grid.shape[1]), np.linspace(y_min, y_max, grid.shape[0]), grid,
                     levels=[0.5], colors="black", linewidths=1.8)
        points = np.array(artifacts["training_sets"][name]["inputs"])
        labels = np.array(artifacts["training_sets"][name]["labels"])
        size = 40 if len(points) < 50 else 12
        axis.scatter(*points[labels == 1].T, c=POSITIVE, s=size, edgecolor="white", linewidth=0.5,
                     label="클래스 1")
        axis.scatter(*points[labels == 0].T, c=NEGATIVE, s=size, marker="s", edgecolor="white", linewidth=0.5,
                     label="클래스 0")
        axis.set_xlim(x_min, x_max)
        axis.set_ylim(y_min, y_max)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.grid(False)
        metrics = run.metrics
        axis.set_title(f"{_title(name, run.config)}\n테스트 정확도 {metrics[f'test_accuracy_{name}']:.1%} · "
                       f"훈련 손실 {metrics[f'train_loss_{name}']:.3f}", fontsize=12)
    axes[0, 0].legend(loc="lower right", fontsize=9, framealpha=0.9)
    figure.suptitle("딥러닝의 네 요소를 하나씩 바꾸면: 두 달 모양(two moons) 데이터의 결정 경계 (검은 선)",
                    fontsize=15)
    figure.tight_layout()
    return figure


def training_curves(runs):
    """Training loss and test accuracy over training, one line per variant."""
    run = runs[0]
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(12.5, 4.8))
    for name, (_, colour) in VARIANTS.items():
        loss = np.array(run.history[f"loss_{name}"])
        accuracy = np.array(run.history[f"test_accuracy_{name}"]) * 100
        progress = np.linspace(0, 100, len(loss) + 1)[1:]
        style = "--" if name == "mse_loss" else "-"
        loss_axis.plot(progress, np.maximum(loss, 1e-6), style, color=colour, linewidth=2,
                       label=_title(name, run.config))
        accuracy_axis.plot(progress, accuracy, style, color=colour, linewidth=2)
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("훈련 진행 (%)")
    loss_axis.set_ylabel("훈련 손실 (로그 눈금)")
    loss_axis.set_title("훈련 손실 (MSE는 교차 엔트로피와 단위가 다름)")
    accuracy_axis.set_xlabel("훈련 진행 (%)")
    accuracy_axis.set_ylabel("테스트 정확도 (%)")
    accuracy_axis.set_ylim(40, 100)
    accuracy_axis.set_title("테스트 정확도")
    handles, labels = loss_axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, fontsize=10, bbox_to_anchor=(0.5, -0.01))
    figure.suptitle("같은 문제, 한 요소만 바꾼 여섯 가지 훈련")
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    return figure


def loss_is_a_proxy(runs):
    """Final training loss next to test accuracy per variant: a lower loss is not a better model."""
    run = runs[0]
    names = [n for n in VARIANTS if n != "mse_loss"]  # MSE's loss is another quantity: left out
    metrics = run.metrics
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(12.5, 4.8), sharey=True)
    positions = np.arange(len(names))
    colours = [VARIANTS[n][1] for n in names]
    losses = [metrics[f"train_loss_{n}"] for n in names]
    accuracies = [metrics[f"test_accuracy_{n}"] * 100 for n in names]
    loss_axis.barh(positions, losses, color=colours)
    accuracy_axis.barh(positions, accuracies, color=colours)
    for y, value in zip(positions, losses, strict=True):
        loss_axis.text(value + max(losses) * 0.02, y, f"{value:.3f}", va="center", fontsize=10)
    for y, value in zip(positions, accuracies, strict=True):
        accuracy_axis.text(value + 0.5, y, f"{value:.1f}%", va="center", fontsize=10)
    loss_axis.set_yticks(positions, [_title(n, run.config) for n in names])
    loss_axis.invert_yaxis()
    loss_axis.set_xlim(0, max(losses) * 1.25)
    loss_axis.set_xlabel("최종 훈련 손실 (교차 엔트로피, 낮을수록 '잘 맞춤')")
    loss_axis.set_title("우리가 줄인 것: 훈련 손실")
    low = min(accuracies)
    accuracy_axis.set_xlim(max(0, low - 15), 103)
    accuracy_axis.set_xlabel("테스트 정확도 (%)")
    accuracy_axis.set_title("우리가 원한 것: 처음 보는 점의 정확도")
    best = names.index("less_data")
    loss_axis.get_yticklabels()[best].set_color(NEGATIVE)
    loss_axis.annotate("훈련 손실은 가장 낮지만\n테스트 정확도는 기준보다 낮음", xy=(losses[best], best),
                       xytext=(max(losses) * 0.3, best - 0.35), fontsize=10, color=NEGATIVE, va="center",
                       arrowprops={"arrowstyle": "->", "color": NEGATIVE})
    for axis in (loss_axis, accuracy_axis):
        axis.grid(axis="y", alpha=0)
    figure.suptitle("손실 함수는 목표의 근사치(proxy)일 뿐이다", color="black")
    figure.text(0.5, 0.01, "MSE 변형은 손실의 종류가 달라 비교에서 뺐습니다.", ha="center", fontsize=9,
                color=MUTED)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return figure
