"""Figures of universal approximation: fits per hidden width, error against width, and the units' sum."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, PALETTE


def _sci(value: float) -> str:
    """1.2x10^-4 in mathtext."""
    exponent = int(np.floor(np.log10(value)))
    return rf"${value / 10**exponent:.1f}\times10^{{{exponent}}}$"


def fits_per_width(runs):
    """The target curve and the one-hidden-layer fit for every width, one panel each."""
    run = runs[0]
    grid = np.array(run.artifacts["grid"])
    target = np.array(run.artifacts["target"])
    widths = run.artifacts["widths"]
    columns = 3
    rows = int(np.ceil(len(widths) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(13.0, 3.6 * rows), sharex=True, sharey=True,
                                squeeze=False)
    for axis, width in zip(axes.flat, widths, strict=False):
        axis.plot(grid, target, color=MUTED, linewidth=4, alpha=0.6, label="목표 함수")
        axis.plot(grid, run.artifacts["predictions"][str(width)], color=ACCENT, linewidth=2, label="신경망")
        axis.set_title(f"은닉 유닛 {width}개: MSE {_sci(run.metrics[f'mse_width_{width}'])}")
        axis.set_xticks([-np.pi, -np.pi / 2, 0, np.pi / 2, np.pi],
                        ["$-\\pi$", "$-\\pi/2$", "0", "$\\pi/2$", "$\\pi$"])
    for axis in axes.flat[len(widths):]:
        axis.set_visible(False)
    for axis in axes[-1]:
        axis.set_xlabel("입력 $x$")
    for axis in axes[:, 0]:
        axis.set_ylabel("$f(x)$")
    axes[0, 0].legend(loc="lower right", fontsize=9)
    figure.suptitle("은닉층 하나로 $\\sin x$ + 좁은 봉우리 근사하기: 유닛이 많을수록 가까워진다")
    figure.tight_layout()
    return figure


def error_vs_width(runs):
    """Mean squared error on a dense grid against hidden width, both on log scales."""
    figure, axis = plt.subplots(figsize=(7.0, 4.4))
    for index, run in enumerate(runs):
        widths = run.artifacts["widths"]
        errors = [run.metrics[f"mse_width_{width}"] for width in widths]
        label = f"시드 {run.config['seed']}" if len(runs) > 1 else "격자 위의 평균 제곱 오차"
        axis.plot(widths, errors, marker="o", markersize=7, linewidth=2, color=PALETTE[index % len(PALETTE)],
                  label=label)
    axis.set_xscale("log", base=2)
    axis.set_yscale("log")
    widths = runs[0].artifacts["widths"]
    axis.set_xticks(widths, [str(width) for width in widths])
    axis.minorticks_off()
    axis.set_xlabel("은닉 유닛 수 (로그 눈금)")
    axis.set_ylabel("평균 제곱 오차 (로그 눈금)")
    ratio = runs[0].metrics["error_ratio"]
    axis.set_title(f"폭이 넓을수록 오차가 줄어든다 (1개 → {widths[-1]}개: 약 {ratio:,.0f}분의 1)")
    axis.legend()
    figure.tight_layout()
    return figure


def hidden_contributions(runs, width: int = 4):
    """Each hidden unit's term v_j tanh(w_j x + b_j) for one width, and their sum (plus bias): the fit."""
    run = runs[0]
    grid = np.array(run.artifacts["grid"])
    terms = np.array(run.artifacts["contributions"][str(width)])  # [width, G]
    figure, (terms_axis, sum_axis) = plt.subplots(1, 2, figsize=(12.0, 4.4), sharey=True)
    for index, term in enumerate(terms):
        terms_axis.plot(grid, term, linewidth=2, color=PALETTE[index % len(PALETTE)],
                        label=f"유닛 {index + 1}")
    terms_axis.axhline(0, color="black", linewidth=0.8)
    terms_axis.set_title(f"은닉 유닛 {width}개 각각의 기여 $v_j\\,\\sigma(w_j x + b_j)$")
    terms_axis.set_xlabel("입력 $x$")
    terms_axis.set_ylabel("출력에 더해지는 값")
    terms_axis.legend(fontsize=9, ncol=min(4, width), loc="upper center", bbox_to_anchor=(0.5, -0.16))

    total = terms.sum(axis=0) + run.artifacts["output_bias"][str(width)]
    sum_axis.plot(grid, run.artifacts["target"], color=MUTED, linewidth=4, alpha=0.6, label="목표 함수")
    sum_axis.plot(grid, total, color=ACCENT, linewidth=2, label="기여의 합 + 편향")
    sum_axis.fill_between(grid, run.artifacts["target"], total, color=NEGATIVE, alpha=0.15, label="오차")
    sum_axis.set_title(f"합친 결과 (MSE {_sci(run.metrics[f'mse_width_{width}'])})")
    sum_axis.set_xlabel("입력 $x$")
    sum_axis.legend(fontsize=9, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    for axis in (terms_axis, sum_axis):
        axis.set_xticks([-np.pi, 0, np.pi], ["$-\\pi$", "0", "$\\pi$"])
    figure.suptitle("은닉 유닛은 각자 계단 하나를 만들고, 출력은 그 계단들을 더한다")
    figure.tight_layout()
    return figure
