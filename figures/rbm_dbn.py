"""Figures of the RBM and the deep belief net: filters, reconstructions, CD curves, pre-training's gain."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator
from style import ACCENT, MUTED, NEGATIVE, POSITIVE, image_rows


def rbm_filters(runs, count: int = 32):
    """RBM 1's weights into the first `count` hidden units, each drawn as an 8x8 image."""
    filters = np.array(runs[0].artifacts["filters"])[:count]
    columns = 8
    rows = int(np.ceil(len(filters) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.15 * columns, 1.15 * rows + 0.9), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < len(filters):
            limit = np.abs(filters[index]).max()
            axis.imshow(filters[index], cmap="RdBu_r", vmin=-limit, vmax=limit)
    figure.suptitle("RBM 1층이 배운 필터 (은닉 유닛별 가중치, 빨강 = 양수, 파랑 = 음수)")
    figure.tight_layout()
    return figure


def reconstructions(runs):
    """Test digits: grey levels, the binarised input the RBM sees, and its one-step reconstruction."""
    artifacts = runs[0].artifacts
    rows = [("원본 (회색조)", artifacts["originals"]), ("이진화된 입력", artifacts["binarised"]),
            ("RBM 재구성 p(v|h)", artifacts["reconstructions"])]
    count = len(artifacts["originals"])
    figure = image_rows(rows, figsize=(1.2 * count + 1.6, 4.3))
    figure.suptitle("테스트 숫자를 RBM이 한 번 올라갔다 내려와 재구성한 모습")
    figure.tight_layout()
    return figure


def reconstruction_error(runs):
    """Mean squared reconstruction error after each CD-1 epoch, for both RBMs of the stack."""
    history = runs[0].history
    figure, axis = plt.subplots(figsize=(6.6, 4.0))
    for key, label, colour in (("reconstruction_error_rbm1", "RBM 1 (픽셀 64 → 은닉)", POSITIVE),
                               ("reconstruction_error_rbm2", "RBM 2 (은닉 → 은닉)", NEGATIVE)):
        errors = history[key]
        axis.plot(range(len(errors)), errors, marker="o", markersize=3.5, color=colour, label=label)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_xlabel("CD-1 에포크 (0 = 학습 전)")
    axis.set_ylabel("평균 제곱 재구성 오차")
    axis.set_title("대조 발산(CD-1) 학습 중 재구성 오차")
    axis.legend()
    figure.tight_layout()
    return figure


def pretraining_vs_scratch(runs):
    """Test accuracy of the DBN-initialised classifier against the same net from random weights."""
    run = runs[0]
    pretrained = np.array(run.artifacts["accuracies_pretrained"]) * 100
    scratch = np.array(run.artifacts["accuracies_scratch"]) * 100
    labels = run.artifacts["labels"]
    figure, (curve_axis, bar_axis) = plt.subplots(1, 2, figsize=(11.0, 4.3),
                                                  gridspec_kw={"width_ratios": [1.4, 1]})
    for key, label, colour in (("test_accuracy_pretrained", "DBN 사전 학습 후 미세 조정", ACCENT),
                               ("test_accuracy_scratch", "무작위 초기화에서 학습", MUTED)):
        curve = np.array(run.history[key]) * 100
        curve_axis.plot(range(1, len(curve) + 1), curve, color=colour, linewidth=2, label=label)
    curve_axis.set_xlabel("미세 조정 에포크")
    curve_axis.set_ylabel("테스트 정확도 (%)")
    curve_axis.set_ylim(0, 100)
    curve_axis.set_title("첫 번째 레이블 표본에서의 학습 곡선")
    curve_axis.legend(loc="lower right")

    draws = np.arange(len(pretrained))
    width = 0.38
    bar_axis.bar(draws - width / 2, pretrained, width, color=ACCENT, label="사전 학습")
    bar_axis.bar(draws + width / 2, scratch, width, color=MUTED, label="처음부터")
    bar_axis.set_xticks(draws, [f"{d + 1}" for d in draws])
    bar_axis.set_xlabel("레이블 표본 (서로 다른 무작위 추출)")
    bar_axis.set_ylabel("테스트 정확도 (%)")
    low = max(0.0, min(pretrained.min(), scratch.min()) - 10)
    bar_axis.set_ylim(low, 100)
    bar_axis.set_title(f"평균 {pretrained.mean():.1f}% 대 {scratch.mean():.1f}%")
    bar_axis.legend(loc="upper right", fontsize=9)
    figure.suptitle(f"레이블 {labels}개만으로 분류기 학습: 비지도 사전 학습의 효과")
    figure.tight_layout()
    return figure
