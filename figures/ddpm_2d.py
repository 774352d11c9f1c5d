"""Figures of the 2-D DDPM: the forward noising, the reverse sampling, samples against a Gaussian, losses."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, PALETTE, POSITIVE

LIMIT = 3.2  # both processes stay inside [-LIMIT, LIMIT]^2 but for a few far noise points


def _chosen(count: int, panels: int) -> list[int]:
    """`panels` snapshot indices, evenly spread and always including the first and the last."""
    return sorted({round(i * (count - 1) / max(1, panels - 1)) for i in range(min(panels, count))})


def _strip(points_per_t, times, title: str, colour: str, order: list[int], caption):
    figure, axes = plt.subplots(1, len(order), figsize=(2.25 * len(order), 2.9), squeeze=False)
    for axis, index in zip(axes[0], order, strict=True):
        points = np.array(points_per_t[index])
        axis.scatter(points[:, 0], points[:, 1], s=4, color=colour, alpha=0.7, linewidths=0)
        axis.set_xlim(-LIMIT, LIMIT)
        axis.set_ylim(-LIMIT, LIMIT)
        axis.set_aspect("equal")
        axis.set_xticks([])
        axis.set_yticks([])
        for spine in axis.spines.values():  # a light frame around each snapshot
            spine.set_visible(True)
            spine.set_color("#cccccc")
        axis.set_title(caption(times[index]), fontsize=11)
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def forward_process(runs, panels: int = 9):
    """The same data points noised to t = 0 ... T with the same noise: structure dissolves into N(0, I).

    The snapshots are evenly spaced in noise level, sqrt(1 - abar_t), not in t.
    """
    run = runs[0]
    times = run.artifacts["snapshot_times"]
    last = times[-1]

    def caption(t: int) -> str:
        return "t = 0 (데이터)" if t == 0 else f"t = {t} (순수 잡음)" if t == last else f"t = {t}"

    title = "순방향 과정: 데이터에 가우시안 잡음을 조금씩 더한다"
    return _strip(run.artifacts["forward"], times, title, POSITIVE, _chosen(len(times), panels), caption)


def reverse_process(runs, panels: int = 9):
    """Sampling from pure noise at t = T down to t = 0 with the learned noise predictor."""
    run = runs[0]
    times = run.artifacts["snapshot_times"]
    last = times[-1]

    def caption(t: int) -> str:
        return f"t = {t} (시작: 잡음)" if t == last else "t = 0 (생성된 샘플)" if t == 0 else f"t = {t}"

    order = _chosen(len(times), panels)[::-1]  # sampling runs from T down to 0
    title = "역방향 과정: 학습한 잡음 예측기로 잡음을 한 단계씩 걷어낸다"
    return _strip(run.artifacts["reverse"], times, title, NEGATIVE, order, caption)


def samples_vs_baseline(runs):
    """Held-out data, DDPM samples and samples of a Gaussian fitted to the data, with the metrics."""
    run = runs[0]
    metrics = run.metrics
    panels = [
        ("데이터 (학습에 안 쓴 점)", run.artifacts["data"], MUTED, None),
        ("DDPM 샘플", run.artifacts["samples"], NEGATIVE,
         f"MMD² {metrics['mmd_ddpm']:.4f}, 최근접 거리 {metrics['nn_distance_ddpm']:.3f}"),
        ("가우시안 기준선 샘플", run.artifacts["gaussian_samples"], PALETTE[2],
         f"MMD² {metrics['mmd_gaussian']:.4f}, 최근접 거리 {metrics['nn_distance_gaussian']:.3f}"),
    ]
    data = np.array(run.artifacts["data"])
    figure, axes = plt.subplots(1, 3, figsize=(13.0, 5.2), layout="constrained")
    for axis, (title, points, colour, numbers) in zip(axes, panels, strict=True):
        points = np.array(points)
        if numbers is not None:  # the data, faintly, under each model's samples
            axis.scatter(data[:, 0], data[:, 1], s=5, color=MUTED, alpha=0.25, linewidths=0)
        axis.scatter(points[:, 0], points[:, 1], s=7, color=colour, alpha=0.8, linewidths=0)
        axis.set_xlim(-LIMIT * 0.8, LIMIT * 0.8)
        axis.set_ylim(-LIMIT * 0.8, LIMIT * 0.8)
        axis.set_aspect("equal")
        axis.set_title(title if numbers is None else f"{title}\n{numbers}", fontsize=12)
    figure.suptitle(f"DDPM 샘플과 가우시안 기준선 (MMD² 비율 {metrics['mmd_ratio']:.2f}, "
                    f"최근접 거리 비율 {metrics['nn_ratio']:.2f}; 낮을수록 데이터에 가깝다)")
    return figure


def loss_curve(runs):
    """The noise-prediction loss (mean squared error between true and predicted noise) over training."""
    run = runs[0]
    steps = np.array(run.history["loss_step"])
    loss = np.array(run.history["loss"])
    figure, axis = plt.subplots(figsize=(7.2, 4.0))
    axis.plot(steps, loss, color=ACCENT, linewidth=1.8)
    axis.axhline(1.0, color=MUTED, linestyle=":", linewidth=1.5)
    axis.text(steps[-1], 1.02, "잡음을 0으로 예측할 때 (분산 1)", ha="right", va="bottom", fontsize=9,
              color="#555")
    axis.set_ylim(0, max(1.1, min(loss.max() * 1.05, 1.5)))
    axis.set_xlabel("학습 단계 (Adam)")
    axis.set_ylabel(r"잡음 예측 오차 $\|\epsilon - \epsilon_\theta(x_t, t)\|^2$ 평균")
    axis.set_title("DDPM의 학습 손실 (매 단계 무작위 t)")
    figure.tight_layout()
    return figure


def noise_schedule(runs):
    """beta_t rising linearly and abar_t, the fraction of the signal's variance left at step t."""
    run = runs[0]
    t = np.array(run.artifacts["schedule_t"])
    figure, (beta_axis, alpha_axis) = plt.subplots(1, 2, figsize=(10.0, 3.6))
    beta_axis.plot(t, run.artifacts["schedule_beta"], color=NEGATIVE, linewidth=2)
    beta_axis.set_title(r"잡음 크기 $\beta_t$ (선형 증가)")
    alpha_axis.plot(t, run.artifacts["schedule_alpha_bar"], color=POSITIVE, linewidth=2)
    shown = np.array(run.artifacts["snapshot_times"])
    alpha_axis.plot(shown, np.interp(shown, [0, *t], [1.0, *run.artifacts["schedule_alpha_bar"]]), "o",
                    color=NEGATIVE, markersize=6, label="그림에 보인 단계")
    alpha_axis.legend(loc="upper right", fontsize=9)
    alpha_axis.set_title(r"남은 신호 $\bar\alpha_t = \prod_{s \leq t} (1 - \beta_s)$")
    alpha_axis.set_ylim(0, 1.05)
    for axis in (beta_axis, alpha_axis):
        axis.set_xlabel("단계 t")
    figure.tight_layout()
    return figure
