"""Figures of the LeNet-style CNN on 8x8 digits: training curves, filters and feature maps, errors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, NEGATIVE, PALETTE, bare


def training_curves(runs):
    """Training loss and test accuracy per epoch, with the logistic-regression baseline for comparison."""
    run = runs[0]
    loss = run.history["train_loss"]
    accuracy = np.array(run.history["test_accuracy"]) * 100
    epochs = np.arange(1, len(loss) + 1)
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    loss_axis.plot(epochs, loss, color=ACCENT, linewidth=2, marker="o", markersize=3)
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("에포크")
    loss_axis.set_ylabel("학습 손실 (교차 엔트로피, 로그 눈금)")
    loss_axis.set_title("학습 손실")

    baseline = run.metrics["logistic_test_accuracy"] * 100
    accuracy_axis.plot(epochs, accuracy, color=ACCENT, linewidth=2, marker="o", markersize=3,
                       label=f"CNN (마지막 {accuracy[-1]:.1f}%)")
    accuracy_axis.axhline(baseline, color=NEGATIVE, linestyle="--", linewidth=1.6,
                          label=f"로지스틱 회귀 ({baseline:.1f}%)")
    accuracy_axis.set_ylim(max(80.0, accuracy.min() - 2), 100.5)
    accuracy_axis.set_xlabel("에포크")
    accuracy_axis.set_ylabel("테스트 정확도 (%)")
    accuracy_axis.set_title(f"테스트 정확도 (테스트 숫자 {int(round(run.metrics['test_errors']))}개 오답)")
    accuracy_axis.legend(loc="lower right")
    figure.suptitle("8x8 손글씨 숫자를 읽는 LeNet 스타일 CNN")
    figure.tight_layout()
    return figure


def _tile(figure, spec, images, columns: int, title: str, cmap: str, symmetric: bool = False) -> None:
    """Small images in a grid inside one gridspec cell, without axes, under one title."""
    images = np.asarray(images)
    rows = int(np.ceil(len(images) / columns))
    inner = spec.subgridspec(rows, columns, wspace=0.08, hspace=0.08)
    limit = np.abs(images).max() or 1.0
    for index, image in enumerate(images):
        axis = figure.add_subplot(inner[index // columns, index % columns])
        if symmetric:
            axis.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        else:
            axis.imshow(image, cmap=cmap, vmin=0, vmax=limit)
        bare(axis)
        if index == columns // 2 - 1 or (columns == 1 and index == 0):
            axis.set_title(title, fontsize=12, loc="left" if columns > 1 else "center")


def filters_and_feature_maps(runs, shown: int = 16):
    """One test digit, the first layer's filters, and the feature maps they produce on that digit."""
    run = runs[0]
    example = run.artifacts["feature_example"]
    filters = np.array(run.artifacts["filters"])[:shown]  # [shown, 5, 5]
    maps = np.array(example["conv1"])[:shown]  # [shown, 8, 8]
    figure = plt.figure(figsize=(13.0, 4.4))
    grid = figure.add_gridspec(1, 3, width_ratios=[1.0, 2.2, 2.2], wspace=0.15)
    digit_axis = figure.add_subplot(grid[0])
    digit_axis.imshow(example["image"], cmap="gray_r", vmin=0, vmax=1)
    bare(digit_axis)
    for spine in digit_axis.spines.values():
        spine.set_visible(True)
        spine.set_color("black")
    digit_axis.set_title(f"입력: 숫자 {example['label']} (8x8)")
    _tile(figure, grid[1], filters, 4, f"1층 필터 {len(filters)}개 (5x5, 빨강 +, 파랑 -)", "RdBu_r",
          symmetric=True)
    _tile(figure, grid[2], maps, 4, "각 필터의 특징 맵 (ReLU 후)", "magma")
    figure.suptitle("합성곱 1층: 작은 필터 하나가 이미지 전체를 훑어 특징 맵 하나를 만든다", y=1.02)
    return figure


def confusion_matrix(runs):
    """Test-set confusion matrix: rows true digit, columns predicted digit; errors highlighted."""
    run = runs[0]
    matrix = np.array(run.artifacts["confusion"], dtype=int)
    figure, axis = plt.subplots(figsize=(6.4, 5.6))
    shown = np.where(np.eye(10, dtype=bool), 0, matrix)  # colour only the errors; the diagonal is labelled
    top = max(3, shown.max())
    axis.imshow(shown, cmap="Reds", vmin=0, vmax=top)
    for true in range(10):
        for predicted in range(10):
            count = matrix[true, predicted]
            if count == 0:
                continue
            on_dark = count > top / 2
            colour = ACCENT if true == predicted else ("white" if on_dark else "black")
            axis.text(predicted, true, str(count), ha="center", va="center", fontsize=11, fontweight="bold",
                      color=colour)
    axis.set_xticks(range(10))
    axis.set_yticks(range(10))
    axis.grid(False)
    axis.set_xlabel("예측한 숫자")
    axis.set_ylabel("실제 숫자")
    accuracy = run.metrics["test_accuracy"]
    axis.set_title(f"혼동 행렬 (테스트 정확도 {accuracy:.1%}, 대각선 밖 = 오답)")
    figure.tight_layout()
    return figure


def test_predictions(runs):
    """A few test digits with the CNN's answer and confidence; misclassified ones come first, in red."""
    samples = runs[0].artifacts["samples"]
    images = np.array(samples["images"])
    columns = 8
    rows = int(np.ceil(len(images) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.45 * columns, 2.15 * rows), squeeze=False)
    for axis in axes.flat[len(images):]:
        axis.axis("off")
    for axis, image, label, prediction, confidence in zip(axes.flat, images, samples["labels"],
                                                          samples["predictions"], samples["confidence"],
                                                          strict=False):
        axis.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        bare(axis)
        wrong = label != prediction
        axis.set_title(f"예측 {prediction} ({confidence:.0%})\n정답 {label}", fontsize=9,
                       color=NEGATIVE if wrong else PALETTE[3], fontweight="bold" if wrong else "normal")
        for spine in axis.spines.values():
            spine.set_visible(wrong)
            spine.set_color(NEGATIVE)
            spine.set_linewidth(2.5)
    figure.suptitle("테스트 숫자와 CNN의 예측 (빨강 = 오답, 괄호 = 확신도)", color="black")
    figure.tight_layout()
    return figure

