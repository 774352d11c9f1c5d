"""Session 2 diagrams drawn without a trained model: activation derivatives and a backprop sketch."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch
from style import ACCENT, MUTED, NEGATIVE, PALETTE


def activation_derivatives(runs, stacked: bool = False):
    """Sigmoid, tanh, ReLU and Leaky ReLU and their derivatives (side by side, or stacked): where gradients die."""
    z = np.linspace(-6, 6, 601)
    sigmoid = 1 / (1 + np.exp(-z))
    functions = [  # (label, value, derivative, colour, line style)
        ("시그모이드", sigmoid, sigmoid * (1 - sigmoid), PALETTE[1], "-"),
        ("tanh", np.tanh(z), 1 - np.tanh(z) ** 2, PALETTE[2], "-"),
        ("ReLU", np.maximum(z, 0), (z > 0).astype(float), PALETTE[0], "-"),
        ("Leaky ReLU (0.1)", np.where(z > 0, z, 0.1 * z), np.where(z > 0, 1.0, 0.1), PALETTE[3], "--"),
    ]
    layout = ({"nrows": 2, "ncols": 1, "figsize": (6.6, 5.8)} if stacked
              else {"nrows": 1, "ncols": 2, "figsize": (11.0, 4.3)})
    figure, (value_axis, slope_axis) = plt.subplots(**layout)
    for label, value, slope, colour, style in functions:
        value_axis.plot(z, value, style, color=colour, linewidth=2.2, label=label)
        slope_axis.plot(z, slope, style, color=colour, linewidth=2.2, label=label)
    value_axis.set_ylim(-1.3, 3.0)
    value_axis.set_title("활성화 함수 f(z)")
    value_axis.set_xlabel("z (가중합)")
    value_axis.legend(loc="upper left", fontsize=10)
    slope_axis.axhline(0.25, color=MUTED, linewidth=1, linestyle=":")
    slope_axis.annotate("시그모이드의 최대 기울기 = 1/4", (0, 0.25), xytext=(-5.8, 0.42), fontsize=10,
                        color=PALETTE[1], arrowprops={"arrowstyle": "->", "color": PALETTE[1]})
    slope_axis.axvspan(-6, -3.5, color=MUTED, alpha=0.12)
    slope_axis.axvspan(3.5, 6, color=MUTED, alpha=0.12)
    slope_axis.text(4.75, 0.62, "포화 구간\n(기울기 ≈ 0)", ha="center", fontsize=10, color="#444")
    slope_axis.set_ylim(-0.05, 1.15)
    slope_axis.set_title("미분 f'(z): 역전파 때 층마다 곱해지는 값")
    slope_axis.set_xlabel("z (가중합)")
    figure.tight_layout()
    return figure


def chain_product(runs, depth: int = 20):
    """How a product of per-layer factors shrinks or survives over depth: 0.25, 0.5, 0.9 and 1.0 per layer."""
    layers = np.arange(0, depth)
    figure, axis = plt.subplots(figsize=(7.6, 4.4))
    for factor, colour, label in ((0.25, PALETTE[1], "층마다 × 0.25 (시그모이드의 최댓값)"),
                                  (0.5, PALETTE[2], "층마다 × 0.5"),
                                  (0.9, PALETTE[4], "층마다 × 0.9"),
                                  (1.0, PALETTE[0], "층마다 × 1 (ReLU의 활성 구간, 잔차 경로)")):
        axis.plot(layers, factor ** layers, marker="o", markersize=3.5, linewidth=2, color=colour, label=label)
    axis.set_yscale("log")
    axis.set_ylim(1e-13, 5)
    axis.set_xticks(range(0, depth, 2))
    axis.set_xlabel("출력층에서 거꾸로 지나온 층 수")
    axis.set_ylabel("남은 기울기의 비율 (로그 눈금)")
    axis.set_title(rf"곱셈이 {depth - 1}번 반복되면: $0.25^{{{depth - 1}}} \approx 4 \times 10^{{-12}}$")
    axis.legend(fontsize=9.5, loc="lower left")
    figure.tight_layout()
    return figure


def backprop_network(runs):
    """A 2-3-1 network: activations flow forward (top arrows), deltas flow backward (bottom arrows)."""
    figure, axis = plt.subplots(figsize=(8.2, 4.8))
    columns = {"입력 x": (0.0, [1.0, -1.0]), "은닉층": (3.0, [1.6, 0.0, -1.6]), "출력": (6.0, [0.0])}
    positions: dict[str, list[tuple[float, float]]] = {}
    for name, (x, ys) in columns.items():
        positions[name] = [(x, y) for y in ys]
        axis.text(x, 2.55, name, ha="center", fontsize=12, fontweight="bold", color="#222")
    names = list(columns)
    for left, right in zip(names, names[1:], strict=False):
        for start in positions[left]:
            for end in positions[right]:
                axis.plot([start[0], end[0]], [start[1], end[1]], color=MUTED, linewidth=1.1, zorder=1)
    for name in names:
        for index, (x, y) in enumerate(positions[name]):
            colour = ACCENT if name != "출력" else NEGATIVE
            axis.add_patch(Circle((x, y), 0.32, facecolor="white", edgecolor=colour, linewidth=2.2, zorder=2))
            label = {"입력 x": rf"$x_{index + 1}$", "은닉층": rf"$a_{index + 1}$", "출력": r"$\hat{y}$"}[name]
            axis.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3)
    axis.text(6.0, -0.75, r"$E = \frac{1}{2}(y - \hat{y})^2$", ha="center", fontsize=11, color=NEGATIVE)
    axis.add_patch(FancyArrowPatch((0.3, -2.55), (5.7, -2.55), arrowstyle="-|>", mutation_scale=18,
                                   color=ACCENT, linewidth=2))
    forward = r"① 순방향: $z_j = \sum_i w_{ij} x_i,\ \ a_j = f(z_j)$"
    axis.text(3.0, -2.35, forward, ha="center", fontsize=11, color=ACCENT)
    axis.add_patch(FancyArrowPatch((5.7, -3.35), (0.3, -3.35), arrowstyle="-|>", mutation_scale=18,
                                   color=NEGATIVE, linewidth=2))
    backward = r"③ 역방향: $\delta_{\mathrm{out}} \rightarrow \delta_j = f'(z_j) \sum_k \delta_k w_{jk}$"
    axis.text(3.0, -3.15, backward, ha="center", fontsize=11, color=NEGATIVE)
    axis.text(7.0, 0.0, "② 오차", ha="left", va="center", fontsize=11, color=NEGATIVE)
    update = r"④ 갱신: $w_{ij} \leftarrow w_{ij} - \eta\, \delta_j\, x_i$  (보내는 쪽 입력 × 받는 쪽 δ)"
    axis.text(3.0, -4.05, update, ha="center", fontsize=11, color="#222")
    axis.set_xlim(-0.9, 8.0)
    axis.set_ylim(-4.4, 2.9)
    axis.set_aspect("equal")
    axis.axis("off")
    figure.tight_layout()
    return figure
