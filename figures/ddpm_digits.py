"""Figures of DDPM on the 8x8 digits: the forward process, its closed form, sampling and samples."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, POSITIVE, bare


def _digit(axis, pixels, title: str | None = None, low: float = -1.0, high: float = 1.0) -> None:
    axis.imshow(np.array(pixels), cmap="gray_r", vmin=low, vmax=high)
    axis.set_xticks([])
    axis.set_yticks([])
    axis.grid(False)
    if title:
        axis.set_title(title, fontsize=11)


def forward_process(runs):
    """One digit through q(x_t | x_{t-1}) at T = 0..8 (evenly spaced t), and the pixel histograms."""
    run = runs[0]
    artifacts = run.artifacts
    times, strip = artifacts["forward_times"], artifacts["forward_strip"]
    edges = np.array(artifacts["histogram_edges"])
    centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    gauss = np.exp(-centres**2 / 2) / np.sqrt(2 * np.pi)
    figure, axes = plt.subplots(2, len(strip), figsize=(1.75 * len(strip), 4.6),
                                gridspec_kw={"height_ratios": [1.0, 0.8]})
    for index, (t, image, abar) in enumerate(zip(times, strip, artifacts["forward_abar"], strict=True)):
        _digit(axes[0, index], image, f"T = {index}\nt = {t}")
        axes[0, index].set_xlabel(rf"$\bar\alpha_t$ = {abar:.2g}", fontsize=9.5)
        counts = np.array(artifacts["forward_histograms"][index], dtype=float)
        density = counts / (counts.sum() * width)
        histogram = axes[1, index]
        histogram.bar(centres, density, width=width, color=ACCENT if index else POSITIVE, alpha=0.8)
        histogram.plot(centres, gauss, color=NEGATIVE, linewidth=1.3)
        histogram.set_xlim(-3.5, 3.5)
        histogram.set_yticks([])
        histogram.set_xticks([-2, 0, 2])
        histogram.tick_params(labelsize=8)
        histogram.set_ylim(0, max(0.6, float(np.quantile(density, 0.97)) * 1.1))
        histogram.grid(False)
    axes[1, 0].set_ylabel("픽셀 값 분포", fontsize=10)
    axes[1, len(strip) // 2].set_xlabel("픽셀 값 (빨간 선 = 표준 정규분포)", fontsize=10)
    figure.suptitle("정방향 과정: 매 단계 가우시안 잡음을 조금씩 더하면 데이터 분포가 퍼져 잡음이 된다 "
                    f"(T = {run.artifacts['timesteps']}단계를 8등분)", fontsize=12.5)
    figure.tight_layout()
    return figure


def closed_form_check(runs):
    """Iterated noising (dots) against the closed form sqrt(abar_t) and 1 - abar_t (lines)."""
    run = runs[0]
    closed, theory = run.artifacts["closed_form"], run.artifacts["closed_form_theory"]
    t = np.array(closed["t"])
    figure, (mean_axis, var_axis) = plt.subplots(1, 2, figsize=(12.0, 4.5))
    mean_axis.plot(t, theory["sqrt_abar"], color=ACCENT, linewidth=2.2,
                   label=r"닫힌 형태 $\sqrt{\bar\alpha_t}$")
    mean_axis.plot(t, closed["empirical_slope"], "o", color=NEGATIVE, markersize=6,
                   label="한 단계씩 반복한 체인 (평균/원래 픽셀)")
    mean_axis.set_xlabel("단계 t")
    mean_axis.set_ylabel(r"$x_0$가 남은 비율")
    mean_axis.set_title(rf"평균: $E[x_t | x_0] = \sqrt{{\bar\alpha_t}}\,x_0$ "
                        f"(최대 오차 {run.metrics['closed_form_mean_error']:.3f})", fontsize=12)
    mean_axis.legend()
    var_axis.plot(t, theory["one_minus_abar"], color=ACCENT, linewidth=2.2,
                  label=r"닫힌 형태 $1 - \bar\alpha_t$")
    var_axis.plot(t, closed["empirical_var"], "o", color=NEGATIVE, markersize=6,
                  label="반복한 체인의 픽셀별 분산 평균")
    var_axis.set_xlabel("단계 t")
    var_axis.set_ylabel("분산")
    var_axis.set_title(rf"분산: $Var[x_t | x_0] = 1 - \bar\alpha_t$ "
                       f"(최대 오차 {run.metrics['closed_form_var_error']:.3f})", fontsize=12)
    var_axis.legend(loc="lower right")
    figure.suptitle(r"$x_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon$ 한 번에 뽑기 = "
                    r"$q(x_t | x_{t-1})$를 t번 반복하기", fontsize=13)
    figure.text(0.5, 0.005, "대조군: 줄이지 않고 잡음만 더한다고 가정하면 "
                f"평균 오차 {run.metrics['naive_mean_error']:.2f}, "
                f"분산 오차 {run.metrics['naive_var_error']:.1f}",
                ha="center", fontsize=9.5, color="#555")
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return figure


def reverse_trajectory(runs, rows: int = 6):
    """Generated digits from pure noise (left, t = T) to the final sample (right, t = 0)."""
    run = runs[0]
    times, frames = run.artifacts["reverse_times"], run.artifacts["reverse_trajectory"]
    count = min(rows, len(frames[0]))
    figure, axes = plt.subplots(count, len(times), figsize=(1.35 * len(times), 1.4 * count + 0.8),
                                squeeze=False)
    for column, (t, frame) in enumerate(zip(times, frames, strict=True)):
        for row in range(count):
            _digit(axes[row, column], frame[row], f"t = {t}" if row == 0 else None)
    figure.suptitle("역방향 과정: 학습된 잡음 예측기로 잡음을 조금씩 걷어 내기 (DDPM, 왼쪽 → 오른쪽)",
                    fontsize=12.5)
    figure.tight_layout()
    return figure


def _mosaic(images: list, columns: int, gap: int = 1, top: int = 4) -> np.ndarray:
    """Tiles [n][8][8] in a grid with `gap` blank pixels around and `top` above each tile (for its label)."""
    rows = int(np.ceil(len(images) / columns))
    height, width = 8 + top + gap, 8 + 2 * gap
    mosaic = np.full((rows * height + gap, columns * width), np.nan)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        y, x = row * height + top, column * width + gap
        mosaic[y : y + 8, x : x + 8] = np.array(image)
    return mosaic


def samples(runs, count: int = 32, columns: int = 8):
    """DDPM and DDIM samples side by side, each with the judging classifier's class and confidence."""
    run = runs[0]
    artifacts, metrics = run.artifacts, run.metrics
    count = min(count, len(artifacts["ddpm_samples"]))
    rows = int(np.ceil(count / columns))
    aspect = (rows * 13 + 1) / (columns * 10)  # mosaic height / width, see _mosaic
    figure, axes = plt.subplots(1, 2, figsize=(14.0, 6.6 * aspect + 1.2))
    for axis, key, name in ((axes[0], "ddpm", f"DDPM ({artifacts['timesteps']}단계)"),
                            (axes[1], "ddim", f"DDIM ({artifacts['ddim_steps']}단계)")):
        cmap = plt.get_cmap("gray_r").with_extremes(bad="white")
        axis.imshow(_mosaic(artifacts[f"{key}_samples"][:count], columns), cmap=cmap, vmin=-1, vmax=1)
        for index in range(count):
            row, column = divmod(index, columns)
            confidence = artifacts[f"{key}_confidences"][index]
            label = f"{artifacts[f'{key}_predicted'][index]} ({confidence:.0%})"
            axis.text(column * 10 + 5, row * 13 + 2.6, label, ha="center", va="center", fontsize=9,
                      color="black" if confidence >= 0.7 else NEGATIVE)
        bare(axis)
        axis.set_title(f"{name}: 분류기 평균 확신도 {metrics[f'{key}_confidence']:.0%}, "
                       f"{metrics[f'{key}_classes']:.0f}/10 클래스", fontsize=12.5)
    figure.text(0.5, 0.01, "각 숫자 위: 실제 숫자로 훈련한 분류기의 판정 (확신도, 70% 미만은 빨강). "
                f"비교: 실제 숫자 {metrics['real_confidence']:.0%}, "
                f"픽셀을 섞은 숫자 {metrics['shuffled_confidence']:.0%}, "
                f"잡음 {metrics['noise_confidence']:.0%}", ha="center", fontsize=10, color="#555")
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return figure


def loss_curve(runs, window: int = 100):
    """The noise-prediction loss per training step (moving average)."""
    run = runs[0]
    losses = np.array(run.history["loss"], dtype=float)
    window = max(1, min(window, len(losses)))
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    figure, axis = plt.subplots(figsize=(8.0, 4.2))
    axis.plot(np.arange(window, len(losses) + 1), smooth, color=ACCENT, linewidth=2)
    axis.axhline(1.0, color=MUTED, linestyle=":", linewidth=1.3)
    axis.text(len(losses), 0.96, "잡음을 0으로 예측할 때 (1.0)", ha="right", va="top", fontsize=9.5,
              color="#555")
    axis.set_yscale("log")
    ticks = [0.05, 0.1, 0.2, 0.5, 1.0]
    axis.set_yticks(ticks, [f"{tick:g}" for tick in ticks])
    axis.minorticks_off()
    axis.set_xlabel("훈련 단계")
    axis.set_ylabel(r"$\| \epsilon - \epsilon_\theta(x_t, t) \|^2$ 평균 (로그 눈금)")
    axis.set_title(f"잡음 예측 손실 ({window}단계 이동 평균)")
    figure.tight_layout()
    return figure
