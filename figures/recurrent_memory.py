"""Figures of long-lag recall: accuracy per lag for RNN, LSTM and GRU, the gradient through time, losses."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from style import MUTED, NEGATIVE, PALETTE, POSITIVE

# cell -> (Korean name, colour, marker, line style)
CELLS = {
    "rnn": ("단순 RNN", NEGATIVE, "o", "-"),
    "lstm": ("LSTM", POSITIVE, "s", "-"),
    "gru": ("GRU", PALETTE[3], "^", "--"),
}


def accuracy_vs_lag(runs):
    """Held-out recall accuracy at every trained lag, one line per cell type, with chance level."""
    run = runs[0]
    lags = run.artifacts["lags"]
    figure, axis = plt.subplots(figsize=(7.2, 4.4))
    for rank, (cell, (label, colour, marker, style)) in enumerate(CELLS.items()):
        accuracy = np.array(run.artifacts["accuracy"][cell]) * 100
        # Lines that coincide (LSTM and GRU at 100%) stay visible: thicker ones are drawn first.
        axis.plot(lags, accuracy, style, marker=marker, color=colour, linewidth=4.0 - rank,
                  markersize=11 - 2 * rank, label=label, zorder=2 + rank)
    chance = run.artifacts["chance"] * 100
    axis.axhline(chance, color=MUTED, linestyle=":", linewidth=1.5)
    axis.text(lags[0], chance + 2.5, f"무작위 추측 ({chance:.1f}%)", fontsize=10, color="#555")
    axis.set_xticks(lags)
    axis.set_ylim(0, 108)
    axis.set_xlabel("지연 L (토큰과 회상 신호 사이의 방해 기호 수)")
    axis.set_ylabel("회상 정확도 (%, 새 시퀀스)")
    axis.set_title(f"L 단계 전에 본 토큰 기억하기 ({run.artifacts['tokens']}가지 토큰 중 하나)")
    axis.legend(loc="center left", framealpha=0.9)
    figure.tight_layout()
    return figure


def gradient_through_time(runs):
    """|dL/dh_t| for every step t (log scale), at initialisation and after training, longest lag."""
    run = runs[0]
    gradients = run.artifacts["gradient_through_time"]
    figure, axes = plt.subplots(1, 2, figsize=(12.0, 4.6), sharey=True)
    floor = math.inf
    for axis, moment, title in zip(axes, ("initial", "trained"), ("초기화 직후", "학습 후"), strict=True):
        for cell, (label, colour, _, style) in CELLS.items():
            norms = np.array(gradients[cell][moment]["hidden"])
            axis.plot(np.arange(len(norms)), norms, style, color=colour, linewidth=2.2,
                      label=f"{label}: 은닉 상태 $h_t$")
            floor = min(floor, norms[norms > 0].min(initial=math.inf))
        cell_norms = np.array(gradients["lstm"][moment]["cell"])
        axis.plot(np.arange(len(cell_norms)), cell_norms, color=POSITIVE, linestyle=":", linewidth=2.6,
                  label="LSTM: 셀 상태 $c_t$ (오차 회전목마)")
        axis.set_yscale("log")
        steps = len(cell_norms) - 1
        axis.set_xlim(0, steps)
        axis.set_xlabel("시간 단계 t (0 = 기억할 토큰, 오른쪽 끝 = 회상 신호)")
        axis.set_title(title)
    axes[0].set_ylabel("기울기의 크기 |∂L/∂(상태)| (로그 눈금)")
    axes[0].set_ylim(max(floor / 10, 1e-40), None)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=4, fontsize=10, bbox_to_anchor=(0.5, -0.01))
    lag = int(run.metrics["lag"])
    figure.suptitle(f"손실의 기울기가 시간을 거슬러 전달되는 크기 (지연 L = {lag})")
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    return figure


def loss_curves(runs):
    """Training loss per Adam step for every cell type, one panel per lag."""
    run = runs[0]
    lags = run.artifacts["lags"]
    figure, axes = plt.subplots(1, len(lags), figsize=(4.2 * len(lags), 4.0), sharey=True, squeeze=False)
    guess = math.log(run.artifacts["tokens"])
    for axis, lag in zip(axes[0], lags, strict=True):
        for cell, (label, colour, _, style) in CELLS.items():
            losses = np.array(run.history[f"loss_{cell}_lag{lag}"])
            window = min(10, len(losses))
            smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
            axis.plot(np.arange(window, len(losses) + 1), smooth, style, color=colour, linewidth=2,
                      label=label)
        axis.axhline(guess, color=MUTED, linestyle=":", linewidth=1.5)
        axis.set_title(f"지연 L = {lag}")
        axis.set_xlabel("학습 단계 (Adam)")
    axes[0][0].set_ylabel("훈련 손실 (교차 엔트로피, 10단계 평균)")
    axes[0][0].text(0.98, guess - 0.05, f"찍기 수준 = ln {run.artifacts['tokens']}", fontsize=9, color="#555",
                    ha="right", va="top", transform=axes[0][0].get_yaxis_transform())
    axes[0][0].set_ylim(0, guess * 1.2)
    axes[0][-1].legend(loc="upper right", framealpha=0.9)
    figure.suptitle("셀 종류별 훈련 손실 (과제를 풀면 일찍 멈춤)")
    figure.tight_layout()
    return figure
