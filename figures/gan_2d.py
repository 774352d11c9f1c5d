"""Figures of the 2-D GAN: generated points over training, and the two players' losses."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, PALETTE


def _smooth(values, window: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def samples_over_training(runs, panels: int = 6):
    """Real points (grey) and the generator's points (colour) at several training steps."""
    run = runs[0]
    artifacts = run.artifacts
    steps = sorted(artifacts["samples_by_step"], key=int)
    picks = np.unique(np.linspace(0, len(steps) - 1, min(panels, len(steps))).astype(int))
    chosen = [steps[i] for i in picks]
    real = np.array(artifacts["real"])
    centres = np.array(artifacts["centres"])
    limit = np.abs(real).max() * 1.35
    columns = min(3, len(chosen))
    rows = int(np.ceil(len(chosen) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(4.3 * columns, 4.3 * rows), squeeze=False)
    for axis in axes.flat[len(chosen):]:
        axis.set_visible(False)
    mmd_by_step = dict(zip(run.history["mmd_step"], run.history["mmd"], strict=True))
    for axis, step in zip(axes.flat, chosen, strict=False):
        fake = np.array(artifacts["samples_by_step"][step])
        axis.scatter(*real.T, s=6, c=MUTED, alpha=0.5, label="실제 데이터")
        axis.scatter(*fake.T, s=6, c=NEGATIVE, alpha=0.6, label="생성자 출력")
        axis.scatter(*centres.T, s=60, marker="+", c="black", linewidths=1.2)
        axis.set_xlim(-limit, limit)
        axis.set_ylim(-limit, limit)
        axis.set_aspect("equal")
        axis.set_xticks([])
        axis.set_yticks([])
        moment = "훈련 전" if int(step) == 0 else f"{int(step)}단계"
        axis.set_title(f"{moment} · MMD² {mmd_by_step.get(float(step), float('nan')):.3f}")
    axes.flat[0].legend(loc="lower left", fontsize=9, markerscale=2.5, framealpha=0.9)
    metrics = run.metrics
    figure.suptitle(f"8개 가우시안 고리를 배우는 GAN: 덮은 모드 {metrics['modes_covered']:.0f}/8, "
                    f"MMD² {metrics['mmd_initial']:.2f} → {metrics['mmd_final']:.3f}", fontsize=14)
    figure.tight_layout()
    return figure


def losses(runs, window: int = 50):
    """Discriminator and generator losses per step (moving average), and MMD^2 to the data."""
    run = runs[0]
    history = run.history
    figure, (loss_axis, mmd_axis) = plt.subplots(1, 2, figsize=(12.5, 4.4))
    for key, label, colour in (("loss_discriminator", "판별자 D 손실", PALETTE[0]),
                               ("loss_generator", "생성자 G 손실", PALETTE[1])):
        smooth = _smooth(history[key], window)
        loss_axis.plot(np.arange(len(smooth)) + window, smooth, color=colour, linewidth=2, label=label)
    for level, text in ((2 * np.log(2), "D가 진짜와 가짜를 구별 못 하면: D 손실 2 ln 2 ≈ 1.39"),
                        (np.log(2), "그때의 G 손실 ln 2 ≈ 0.69")):
        loss_axis.axhline(level, color=MUTED, linestyle=":", linewidth=1.2)
        loss_axis.text(window * 2, level + 0.015, text, ha="left", va="bottom", fontsize=9, color="#555")
    curves = np.concatenate([_smooth(history["loss_discriminator"], window),
                             _smooth(history["loss_generator"], window)])
    top, bottom = max(2 * np.log(2), curves.max()), min(np.log(2), curves.min())
    loss_axis.set_ylim(bottom - 0.05, top + 0.12)
    loss_axis.set_xlabel("훈련 단계")
    loss_axis.set_ylabel(f"손실 ({window}단계 이동 평균)")
    loss_axis.set_title("두 네트워크의 적대적 손실")
    loss_axis.legend(loc="center right", framealpha=0.9)
    mmd_axis.plot(history["mmd_step"], history["mmd"], "o-", color=ACCENT, linewidth=2)
    mmd_axis.axhline(run.metrics["mmd_real"], color=MUTED, linestyle=":", linewidth=1.2)
    mmd_axis.text(history["mmd_step"][-1], run.metrics["mmd_real"] * 1.15, "실제 표본끼리의 MMD² (잡음 수준)",
                  ha="right", va="bottom", fontsize=9, color="#555")
    mmd_axis.set_yscale("log")
    mmd_axis.set_xlabel("훈련 단계")
    mmd_axis.set_ylabel("MMD² (로그 눈금)")
    mmd_axis.set_title("생성된 점과 실제 데이터의 거리 (낮을수록 가까움)")
    figure.tight_layout()
    return figure
