"""Figures of the autoencoder against PCA: 2-D codes side by side, reconstructions, the training curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, DIGIT_COLOURS, LABEL_BOX, NEGATIVE, digit_legend, image_rows


def codes_scatter(runs):
    """Every test digit's 2-D code from PCA (left) and from the autoencoder (right), coloured by class."""
    run = runs[0]
    labels = np.array(run.artifacts["code_labels"])
    panels = [("PCA (선형, 2차원)", run.artifacts["codes_pca"], run.metrics["knn_accuracy_pca"]),
              ("오토인코더 (비선형, 2차원)", run.artifacts["codes_ae"], run.metrics["knn_accuracy_ae"])]
    figure, axes = plt.subplots(1, 2, figsize=(11.6, 5.2))
    for axis, (title, codes, knn) in zip(axes, panels, strict=True):
        codes = np.array(codes)
        for digit in range(10):
            chosen = codes[labels == digit]
            axis.scatter(*chosen.T, s=11, color=DIGIT_COLOURS[digit], alpha=0.8, linewidths=0)
            centre = np.median(chosen, axis=0)
            axis.text(*centre, str(digit), fontsize=15, fontweight="bold", ha="center", va="center",
                      color=DIGIT_COLOURS[digit], bbox=LABEL_BOX)
        # A handful of outlying codes would squeeze the clusters into a corner: frame 99% of the points.
        low, high = np.percentile(codes, 0.5, axis=0), np.percentile(codes, 99.5, axis=0)
        margin = (high - low) * 0.05
        axis.set_xlim(low[0] - margin[0], high[0] + margin[0])
        axis.set_ylim(low[1] - margin[1], high[1] + margin[1])
        axis.set_title(f"{title}: k-NN 정확도 {knn:.0%}")
        axis.set_xlabel("코드 1")
        axis.set_ylabel("코드 2")
    digit_legend(figure)
    figure.suptitle("테스트 숫자의 2차원 코드: PCA 대 오토인코더 (숫자 = 클래스 중앙값 위치)")
    figure.tight_layout(rect=(0, 0, 0.93, 1))
    return figure


def reconstructions(runs):
    """One test digit per class: the original, PCA's and the autoencoder's reconstruction from 2 numbers."""
    run = runs[0]
    rows = [("원본", run.artifacts["originals"]),
            (f"PCA\n(오차 {run.metrics['reconstruction_error_pca']:.3f})",
             run.artifacts["reconstructions_pca"]),
            (f"오토인코더\n(오차 {run.metrics['reconstruction_error_ae']:.3f})",
             run.artifacts["reconstructions_ae"])]
    count = len(run.artifacts["originals"])
    figure = image_rows(rows, figsize=(1.1 * count + 1.8, 4.2))
    figure.suptitle("숫자 2개로 압축했다가 되살린 이미지 (오차 = 테스트 평균 제곱 오차)")
    figure.tight_layout()
    return figure


def training_curve(runs):
    """The autoencoder's reconstruction error per epoch, against PCA's error with the same code size."""
    run = runs[0]
    train_loss, test_loss = run.history["train_loss"], run.history["test_loss"]
    epochs = range(1, len(train_loss) + 1)
    figure, axis = plt.subplots(figsize=(6.8, 4.0))
    axis.plot(epochs, train_loss, color=ACCENT, alpha=0.6, label="오토인코더 (훈련)")
    axis.plot(epochs, test_loss, color=ACCENT, linewidth=2, label="오토인코더 (테스트)")
    axis.axhline(run.metrics["reconstruction_error_pca"], color=NEGATIVE, linestyle="--", linewidth=2,
                 label="PCA (테스트)")
    axis.set_xlabel("에포크")
    axis.set_ylabel("평균 제곱 재구성 오차")
    axis.set_title(f"코드 {run.config['code_size']}차원에서의 재구성 오차")
    axis.legend()
    figure.tight_layout()
    return figure
