"""Figures of pre-training then fine-tuning: accuracy against the number of labels, and the MLM loss."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, POSITIVE


def accuracy_vs_labels(runs):
    """Test accuracy against the number of labelled sequences: pre-trained + fine-tuned vs from scratch."""
    run = runs[0]
    artifacts = run.artifacts
    counts = artifacts["label_counts"]
    figure, axis = plt.subplots(figsize=(8.4, 5.0))
    pretrained = np.array(artifacts["accuracy_pretrained"]) * 100
    scratch = np.array(artifacts["accuracy_scratch"]) * 100
    axis.plot(counts, pretrained, "o-", color=POSITIVE, linewidth=2.4, markersize=8,
              label="사전 학습 후 미세 조정 (BERT 방식)")
    axis.plot(counts, scratch, "s--", color=NEGATIVE, linewidth=2.4, markersize=8,
              label="처음부터 학습 (같은 구조)")
    for x, high, low in zip(counts, pretrained, scratch, strict=True):
        axis.annotate(f"{high:.0f}%", (x, high), xytext=(0, 9), textcoords="offset points", ha="center",
                      color=POSITIVE, fontsize=10)
        axis.annotate(f"{low:.0f}%", (x, low), xytext=(0, -17), textcoords="offset points", ha="center",
                      color=NEGATIVE, fontsize=10)
    axis.axhline(artifacts["chance"] * 100, color=MUTED, linestyle=":", linewidth=1.4,
                 label=f"무작위 추측 ({artifacts['chance']:.0%})")
    axis.set_xscale("log", base=2)
    axis.set_xticks(counts, [str(c) for c in counts])
    axis.minorticks_off()
    axis.set_xlabel("레이블이 있는 훈련 시퀀스 수 (로그 눈금)")
    axis.set_ylabel("테스트 정확도 (%)")
    axis.set_ylim(0, 108)
    axis.legend(loc="lower right", framealpha=0.95)
    classes = run.config["classes"]
    axis.set_title(f"레이블이 적을수록 사전 학습의 이득이 크다 ({classes}개 '방언' 분류)")
    figure.tight_layout()
    return figure


def pretraining_loss(runs, window: int = 25):
    """Masked-language-modelling loss during pre-training (moving average), with random guessing."""
    run = runs[0]
    losses = np.array(run.history["pretraining_loss"], dtype=float)
    window = max(1, min(window, len(losses)))
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    figure, axis = plt.subplots(figsize=(8.4, 4.6))
    axis.plot(np.arange(window, len(losses) + 1), smooth, color=ACCENT, linewidth=2.2,
              label=f"가려진 토큰 예측 손실 ({window}단계 이동 평균)")
    vocabulary = run.config["vocabulary"]
    axis.axhline(np.log(vocabulary), color=MUTED, linestyle=":", linewidth=1.4,
                 label=f"무작위로 찍을 때 ln {vocabulary} ≈ {np.log(vocabulary):.2f}")
    axis.set_xlabel("사전 학습 단계 (레이블 없는 시퀀스)")
    axis.set_ylabel("교차 엔트로피")
    axis.set_ylim(0, np.log(vocabulary) * 1.15)
    metrics = run.metrics
    axis.set_title(f"마스크 언어 모델 사전 학습: 가려진 토큰 정답률 {metrics['mlm_accuracy']:.0%} "
                   f"(방언과 앞 토큰을 알 때 {metrics['mlm_accuracy_reference']:.0%})")
    axis.legend(loc="lower left", framealpha=0.95)
    figure.tight_layout()
    return figure
