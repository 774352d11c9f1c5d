"""Figures of the tiny transformer: its attention maps on one reversal, and how it trained."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from style import ACCENT, NEGATIVE, POSITIVE


def attention_maps(runs, layer: int = -1):
    """Every head's attention for one held-out example: rows are queries, columns keys.

    The outlined cells are the mirrored input positions a reversing head should look at.
    """
    run = runs[0]
    tokens = run.artifacts["tokens"]
    length = run.artifacts["length"]
    maps = np.array(run.artifacts["attention"][layer])  # [heads, T, T]
    rates = np.array(run.artifacts["mirror_rate_per_head"][layer])
    heads, steps = maps.shape[0], maps.shape[1]
    layer_number = layer % len(run.artifacts["attention"]) + 1
    figure, axes = plt.subplots(1, heads, figsize=(5.4 * heads + 1.0, 5.6), squeeze=False,
                                layout="constrained")
    for head, axis in enumerate(axes[0]):
        image = axis.imshow(maps[head], cmap="Blues", vmin=0, vmax=1)
        for j in range(length):  # query L + j should read input L - 1 - j
            axis.add_patch(Rectangle((length - 1 - j - 0.5, length + j - 0.5), 1, 1, fill=False,
                                     edgecolor=NEGATIVE, linewidth=1.6))
        axis.set_xticks(range(steps), tokens, fontsize=11)
        axis.set_yticks(range(steps), tokens, fontsize=11)
        axis.set_xlabel("키: 보는 위치의 토큰")
        axis.set_title(f"{layer_number}층 헤드 {head + 1}: 거울 위치 적중률 {rates[head]:.0%}", fontsize=12)
        axis.grid(False)
    axes[0][0].set_ylabel("쿼리: 현재 위치의 토큰 (다음 토큰을 예측)")
    figure.colorbar(image, ax=axes[0].tolist(), shrink=0.75, label="어텐션 가중치")
    source = "".join(tokens[:length])
    written = "".join(run.artifacts["generated"])
    figure.suptitle(f"입력 '{source}' → 생성 '{written}': 빨간 칸이 뒤집기에 필요한 위치")
    return figure


def training_curves(runs):
    """Training loss (log scale) per epoch; held-out accuracy and mirror-attention rate from epoch 0."""
    run = runs[0]
    loss = np.array(run.history["train_loss"])
    accuracy = np.array(run.history["test_token_accuracy"]) * 100
    mirror = np.array(run.history["mirror_attention_rate"]) * 100
    epochs = np.arange(1, len(loss) + 1)
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    loss_axis.plot(epochs, loss, marker="o", color=ACCENT, linewidth=2)
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("에포크")
    loss_axis.set_ylabel("훈련 손실 (교차 엔트로피, 로그 눈금)")
    loss_axis.set_title("훈련 손실 (뒤집은 절반만 채점)")
    measured = np.arange(len(accuracy))  # epoch 0 = before training
    accuracy_axis.plot(measured, accuracy, marker="s", color=POSITIVE, linewidth=2, label="토큰 정확도")
    accuracy_axis.plot(measured, mirror, marker="o", color=NEGATIVE, linewidth=2, linestyle="--",
                       label="거울 위치를 보는 쿼리 비율 (가장 나은 헤드)")
    chance = 100 / (len(run.artifacts["vocabulary"]) - 1)
    accuracy_axis.axhline(chance, color="#999", linestyle=":", linewidth=1.5)
    accuracy_axis.text(measured[-1], chance + 3, f"찍기 수준 ({chance:.0f}%)", ha="right", fontsize=9,
                       color="#555")
    accuracy_axis.set_ylim(0, 105)
    accuracy_axis.set_xlabel("에포크 (0 = 학습 전)")
    accuracy_axis.set_ylabel("비율 (%, 처음 보는 시퀀스)")
    accuracy_axis.set_title("처음 보는 시퀀스에서")
    accuracy_axis.legend(loc="center right", fontsize=9, framealpha=0.9)
    for axis, ticks in ((loss_axis, epochs), (accuracy_axis, measured)):
        axis.set_xticks(ticks if len(ticks) <= 12 else ticks[:: len(ticks) // 10])
    figure.tight_layout()
    return figure
