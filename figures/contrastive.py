"""Figures of SimCLR-style contrastive learning: embeddings, probe accuracies, loss, augmented views."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, DIGIT_COLOURS, LABEL_BOX, MUTED, PALETTE, digit_legend, image_rows


def embeddings(runs):
    """Test digits' features on their first two principal components: untrained vs contrastive encoder."""
    run = runs[0]
    labels = np.array(run.artifacts["embedding_labels"])
    panels = [("무작위 초기화 인코더 (학습 전)", run.artifacts["embedding_2d_random"]),
              ("대조 학습한 인코더 (레이블 없이)", run.artifacts["embedding_2d_contrastive"])]
    figure, axes = plt.subplots(1, 2, figsize=(11.6, 5.2))
    for axis, (title, points) in zip(axes, panels, strict=True):
        points = np.array(points)
        for digit in range(10):
            chosen = points[labels == digit]
            axis.scatter(*chosen.T, s=11, color=DIGIT_COLOURS[digit], alpha=0.8, linewidths=0)
            axis.text(*np.median(chosen, axis=0), str(digit), fontsize=15, fontweight="bold", ha="center",
                      va="center", color=DIGIT_COLOURS[digit], bbox=LABEL_BOX)
        axis.set_title(title)
        axis.set_xlabel("주성분 1")
        axis.set_ylabel("주성분 2")
    digit_legend(figure)
    figure.suptitle("인코더 특징의 2차원 PCA 투영 (색 = 실제 숫자, 학습에는 쓰지 않음)")
    figure.tight_layout(rect=(0, 0, 0.93, 1))
    return figure


def probe_accuracies(runs):
    """Linear-probe test accuracy on each representation, with all labels and with few labels."""
    run = runs[0]
    probe = run.artifacts["probe_accuracies"]
    sources = [("pixels", "원본 픽셀 (참고)", MUTED), ("random", "무작위 인코더", PALETTE[1]),
               ("contrastive", "대조 학습 인코더", ACCENT)]
    settings = [("", "레이블 전부 (1347개)"), ("_few", f"레이블 {run.config['few_labels']}개")]
    figure, axis = plt.subplots(figsize=(8.4, 4.6))
    width = 0.26
    positions = np.arange(len(settings))
    for offset, (key, label, colour) in enumerate(sources):
        values = [probe[f"{key}{suffix}"] * 100 for suffix, _ in settings]
        bars = axis.bar(positions + (offset - 1) * width, values, width, color=colour, label=label)
        axis.bar_label(bars, fmt="%.1f", fontsize=10)
    axis.set_xticks(positions, [label for _, label in settings])
    axis.set_ylabel("선형 탐침 테스트 정확도 (%)")
    axis.set_ylim(50, 105)
    axis.set_title("고정된 특징 위의 로지스틱 회귀(선형 탐침)")
    axis.legend(loc="lower left", fontsize=10)
    figure.tight_layout()
    return figure


def loss_curve(runs):
    """The NT-Xent loss per epoch, with the loss of random guessing among the 2B-1 candidates."""
    run = runs[0]
    loss = run.history["contrastive_loss"]
    figure, axis = plt.subplots(figsize=(6.8, 4.0))
    axis.plot(range(1, len(loss) + 1), loss, color=ACCENT, linewidth=2, label="NT-Xent 손실")
    chance = np.log(2 * run.config["batch_size"] - 1)
    candidates = 2 * run.config["batch_size"] - 1
    axis.axhline(chance, color=MUTED, linestyle="--", label=f"무작위로 고를 때 (ln {candidates})")
    axis.set_xlabel("에포크")
    axis.set_ylabel("대조 손실")
    axis.set_ylim(0, chance * 1.1)
    axis.set_title("대조 학습 손실 (레이블 없이)")
    axis.legend()
    figure.tight_layout()
    return figure


def augmented_views(runs):
    """Four training digits and two random augmented views of each: the pairs the loss pulls together."""
    images = np.array(runs[0].artifacts["augmented_examples"])
    count = len(images) // 3
    rows = [(label, images[row * count:(row + 1) * count]) for row, label in enumerate(["원본", "보기 1", "보기 2"])]
    figure = image_rows(rows, figsize=(1.5 * count + 1.6, 4.6))
    figure.suptitle("데이터 증강: 이동, 확대·축소, 회전, 잡음")
    figure.tight_layout()
    return figure
