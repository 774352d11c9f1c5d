"""Figures of vanishing gradients: gradient norm per layer per variant, and how each variant trains."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import PALETTE

# variant -> (Korean name, colour, line style): sigmoid red, its fixes in greens/blues, ReLU variants.
VARIANTS = {
    "sigmoid_xavier": ("시그모이드 + Xavier", PALETTE[1], "-"),
    "tanh_xavier": ("tanh + Xavier", PALETTE[2], "-"),
    "relu_xavier": ("ReLU + Xavier", PALETTE[6], "--"),
    "relu_he": ("ReLU + He", PALETTE[0], "-"),
    "residual": ("시그모이드 + 잔차 연결", PALETTE[3], "-"),
    "batchnorm": ("시그모이드 + 배치 정규화", PALETTE[4], "-."),
}


def _ratio_text(ratio: float) -> str:
    """1.23 for ratios near 1, 5x10^-12 (in mathtext) for tiny or huge ones."""
    if 0.01 <= ratio < 100:
        return f"{ratio:.2f}"
    exponent = int(np.floor(np.log10(ratio)))
    return rf"${ratio / 10**exponent:.1f}\times10^{{{exponent}}}$"


def gradient_norms_per_layer(runs, epoch: int = 0):
    """Weight-gradient norm of every layer (log scale), one line per variant, at init or after `epoch`."""
    run = runs[0]
    norms_by_variant = run.artifacts["gradient_norms"]
    figure, axis = plt.subplots(figsize=(8.4, 4.8))
    for name, (label, colour, style) in VARIANTS.items():
        norms = np.array(norms_by_variant[name][epoch])
        layers = np.arange(1, len(norms) + 1)
        ratio = norms[0] / norms[-1]
        axis.plot(layers, norms, style, color=colour, marker="o", markersize=3.5, linewidth=2,
                  label=f"{label} (1층/{len(norms)}층 = {_ratio_text(ratio)})")
    axis.set_yscale("log")
    axis.set_xlabel("층 (1 = 입력 쪽, 오른쪽 = 출력 쪽)")
    axis.set_ylabel("가중치 기울기의 노름 (로그 눈금)")
    depth = len(norms_by_variant["sigmoid_xavier"][0])
    axis.set_xticks(range(1, depth + 1, max(1, depth // 10)))
    moment = "초기화 직후" if epoch == 0 else f"{epoch}번째 에포크 후"
    axis.set_title(f"{depth}층 MLP의 층별 기울기 크기 ({moment})")
    axis.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5), framealpha=0.9)
    figure.tight_layout()
    return figure


def training_curves(runs):
    """Training loss and training accuracy per epoch for every variant, same SGD settings."""
    run = runs[0]
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(11.0, 4.4))
    for name, (label, colour, style) in VARIANTS.items():
        loss = run.history[f"loss_{name}"]
        epochs = range(1, len(loss) + 1)
        loss_axis.plot(epochs, loss, style, color=colour, linewidth=2, label=label)
        accuracy_axis.plot(epochs, np.array(run.history[f"accuracy_{name}"]) * 100, style, color=colour,
                           linewidth=2, label=label)
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("에포크")
    loss_axis.set_ylabel("훈련 손실 (교차 엔트로피, 로그 눈금)")
    loss_axis.set_title("훈련 손실")
    accuracy_axis.set_xlabel("에포크")
    accuracy_axis.set_ylabel("훈련 정확도 (%)")
    accuracy_axis.set_ylim(0, 102)
    accuracy_axis.axhline(10, color="#999", linewidth=1, linestyle=":")
    accuracy_axis.text(len(run.history["loss_relu_he"]), 4, "무작위 추측 (10%)", fontsize=9, color="#666",
                       ha="right")
    accuracy_axis.set_title("훈련 정확도")
    handles, labels = loss_axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, fontsize=10, bbox_to_anchor=(0.5, -0.01))
    config = run.config
    figure.suptitle(f"같은 SGD 설정(학습률 {config['learning_rate']}, 모멘텀 {config['momentum']})으로 "
                    f"{config['depth']}층 MLP 훈련")
    figure.tight_layout(rect=(0, 0.1, 1, 1))
    return figure
