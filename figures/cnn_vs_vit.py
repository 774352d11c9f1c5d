"""Figures of the CNN against the tiny ViT: accuracy per training-set size, and the ViT's attention."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, NullLocator
from style import ACCENT, NEGATIVE


def accuracy_vs_size(runs):
    """Test accuracy against training-set size (log x) for both models; several runs (seeds) are averaged."""
    sizes = np.array(runs[0].artifacts["sizes"])
    figure, axis = plt.subplots(figsize=(7.4, 4.6))
    for key, label, colour, marker in (("cnn_accuracy", "CNN (합성곱)", ACCENT, "o"),
                                       ("vit_accuracy", "ViT (트랜스포머)", NEGATIVE, "s")):
        values = np.array([run.artifacts[key] for run in runs]) * 100  # [runs, sizes]
        mean = values.mean(axis=0)
        axis.plot(sizes, mean, marker=marker, color=colour, linewidth=2.2, markersize=7, label=label)
        if len(runs) > 1:
            axis.fill_between(sizes, values.min(axis=0), values.max(axis=0), color=colour, alpha=0.15)
        for size, value in zip(sizes, mean, strict=True):
            offset = (0, 9) if key == "cnn_accuracy" else (0, -16)  # CNN labels above, ViT labels below
            axis.annotate(f"{value:.0f}%", (size, value), textcoords="offset points", xytext=offset,
                          ha="center", fontsize=9, color=colour)
    axis.set_xscale("log")
    axis.xaxis.set_major_locator(FixedLocator(sizes))
    axis.xaxis.set_minor_locator(NullLocator())
    axis.set_xticklabels([str(size) for size in sizes])
    axis.set_xlabel("훈련 이미지 수 (로그 눈금)")
    axis.set_ylabel("테스트 정확도 (%)")
    low = min(min(run.artifacts["vit_accuracy"]) for run in runs) * 100
    axis.set_ylim(max(0, low - 10), 102)
    seeds = f" (시드 {len(runs)}개 평균, 띠 = 최소~최대)" if len(runs) > 1 else ""
    axis.set_title(f"데이터 효율: 같은 학습 단계, 비슷한 가중치 수{seeds}")
    axis.legend(loc="lower right")
    figure.tight_layout()
    return figure


def vit_attention(runs):
    """One test digit, and the attention of the ViT's class token to each patch in its last block."""
    run = runs[0]
    image = np.array(run.artifacts["attention_image"])
    attention = np.array(run.artifacts["attention"])
    patch = 8 // attention.shape[0]
    pixels = (-0.5, 7.5, 7.5, -0.5)  # draw the patch grid over the same 8x8 pixel extent as the digit
    figure, axes = plt.subplots(1, 3, figsize=(10.6, 3.9))
    axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    axes[0].set_title(f"테스트 숫자 ({run.artifacts['attention_label']})")
    shown = axes[1].imshow(attention, cmap="magma", extent=pixels)
    axes[1].set_title(f"클래스 토큰의 주의 ({patch}×{patch} 패치별)")
    figure.colorbar(shown, ax=axes[1], fraction=0.046, pad=0.04, label="주의 가중치")
    axes[2].imshow(image, cmap="gray_r", vmin=0, vmax=1)
    # Orange where the class token looks, transparent where it does not.
    spread = (attention - attention.min()) / max(attention.max() - attention.min(), 1e-12)
    overlay = np.zeros((*attention.shape, 4))
    overlay[..., :3] = (0.93, 0.45, 0.1)
    overlay[..., 3] = 0.75 * spread
    axes[2].imshow(overlay, extent=pixels)
    axes[2].set_title("숫자 위에 겹쳐 본 주의 (주황 = 많이 봄)")
    for axis in axes:
        axis.set_xticks(np.arange(-0.5, 8, patch))
        axis.set_yticks(np.arange(-0.5, 8, patch))
        axis.set_xticklabels([])
        axis.set_yticklabels([])
        axis.tick_params(length=0)
        axis.grid(True, color="#bbb", linewidth=0.8, alpha=0.8)
        for spine in axis.spines.values():
            spine.set_visible(False)
    figure.suptitle("ViT 마지막 블록에서 클래스 토큰이 본 곳 (헤드 평균)")
    figure.tight_layout()
    return figure
