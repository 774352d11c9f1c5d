"""Figures of the McCulloch-Pitts neuron: its logic gates, the XOR search, and a two-layer XOR network."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import MUTED, NEGATIVE, PALETTE, POSITIVE

GATE_NAMES = {"and": "AND", "or": "OR", "nand": "NAND", "not": "NOT", "xor": "XOR"}


def _points(axis, inputs, outputs, size: int = 150) -> None:
    """Inputs that fire (1) as blue circles, silent ones (0) as red squares, each labelled with its output."""
    for point, output in zip(inputs, outputs, strict=True):
        fired = output > 0.5
        axis.scatter(*point, s=size, c=POSITIVE if fired else NEGATIVE, marker="o" if fired else "s",
                     edgecolor="white", linewidth=1.5, zorder=3)
        axis.annotate(f"{int(output)}", point, xytext=(9, 7), textcoords="offset points", fontsize=12,
                      fontweight="bold", color=POSITIVE if fired else NEGATIVE)


def _fires(weights, threshold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid over [-0.5, 1.5]^2 and where the neuron fires on it."""
    grid_x, grid_y = np.meshgrid(np.linspace(-0.5, 1.5, 200), np.linspace(-0.5, 1.5, 200))
    return grid_x, grid_y, weights[0] * grid_x + weights[1] * grid_y >= threshold


def _threshold_line(axis, weights, threshold, label: str, color: str = "black", shade: bool = True) -> None:
    """The line w1 x1 + w2 x2 = T, with the firing side (>= T) lightly shaded."""
    xs = np.linspace(-0.5, 1.5, 200)
    grid_x, grid_y, fires = _fires(weights, threshold)
    if shade:
        axis.contourf(grid_x, grid_y, fires.astype(float), levels=[0.5, 1.5], colors=[color], alpha=0.08)
    if abs(weights[1]) > 1e-9:
        axis.plot(xs, (threshold - weights[0] * xs) / weights[1], "--", color=color, linewidth=1.8,
                  label=label)
    else:
        axis.axvline(threshold / weights[0], linestyle="--", color=color, linewidth=1.8, label=label)


def _unit_square(axis) -> None:
    axis.set_xlim(-0.5, 1.5)
    axis.set_ylim(-0.5, 1.5)
    axis.set_xticks([0, 1])
    axis.set_yticks([0, 1])
    axis.set_aspect("equal")
    axis.set_xlabel("입력 $x_1$")
    axis.set_ylabel("입력 $x_2$")


def truth_tables(runs):
    """AND, OR and NOT with their hand-set weights and thresholds; XOR, which no single neuron computes."""
    tables = runs[0].artifacts["truth_tables"]
    figure, axes = plt.subplots(1, 4, figsize=(15.0, 4.4))
    for axis, gate in zip(axes[:2], ("and", "or"), strict=True):
        table = tables[gate]
        weights, threshold = table["weights"], table["threshold"]
        _threshold_line(axis, weights, threshold, "경계: $w \\cdot x = T$")
        _points(axis, table["inputs"], table["output"])
        _unit_square(axis)
        w1, w2 = (int(w) for w in weights)
        axis.set_title(f"{GATE_NAMES[gate]}: $w=({w1}, {w2})$, $T={int(threshold)}$")
        axis.legend(loc="upper left", fontsize=9, framealpha=0.9)

    table = tables["not"]
    axis = axes[2]
    weight, threshold = table["weights"][0], table["threshold"]
    axis.axvspan(-0.5, threshold / weight, color="black", alpha=0.08)
    axis.axvline(threshold / weight, linestyle="--", color="black", linewidth=1.8,
                 label="경계: $-x = 0$ (경계 위도 발화)")
    _points(axis, [[x[0], 0.0] for x in table["inputs"]], table["output"])
    axis.set_xlim(-0.5, 1.5)
    axis.set_ylim(-1.0, 1.0)
    axis.set_xticks([0, 1])
    axis.set_yticks([])
    axis.set_xlabel("입력 $x$")
    axis.set_title(f"NOT: $w=({int(weight)})$, $T={int(threshold)}$")
    axis.legend(loc="upper right", fontsize=9, framealpha=0.9)

    axis = axes[3]
    xor = tables["xor_network"]
    _points(axis, xor["inputs"], xor["target"])
    _unit_square(axis)
    histogram = runs[0].artifacts["accuracy_histograms"]["xor"]
    axis.text(0.5, 0.5, "?", fontsize=48, ha="center", va="center", color=MUTED)
    axis.set_title("XOR: 뉴런 하나로는 불가능")
    axis.text(0.5, -0.42, f"탐색한 {sum(histogram)}개 조합 중 정답 0개", ha="center", fontsize=10,
              color=MUTED)
    figure.suptitle("맥컬록-피츠 뉴런: 가중치와 임계값만 정하면 논리 게이트 "
                    "(음영 = 발화하는 쪽, 숫자 = 출력)")
    figure.tight_layout()
    return figure


def xor_search(runs):
    """How many searched (w1, w2, T) neurons get k of the 4 rows right, for AND, OR and XOR."""
    run = runs[0]
    histograms = run.artifacts["accuracy_histograms"]
    span = run.artifacts["weight_range"]
    figure, axis = plt.subplots(figsize=(8.6, 4.6))
    rows = np.arange(5)
    width = 0.26
    colours = {"and": PALETTE[0], "or": PALETTE[3], "xor": NEGATIVE}
    for offset, (gate, colour) in zip((-1, 0, 1), colours.items(), strict=True):
        counts = np.array(histograms[gate])
        bars = axis.bar(rows + offset * width, counts, width, color=colour, label=GATE_NAMES[gate])
        axis.bar_label(bars, labels=[str(c) if k == 4 else "" for k, c in enumerate(counts)], fontsize=10,
                       fontweight="bold", padding=2, color=colour)
    axis.set_xticks(rows, [f"{k}/4\n({k * 25}%)" for k in rows])
    axis.set_xlabel("진리표 네 줄 중 맞힌 줄 수")
    axis.set_ylabel("뉴런(가중치·임계값 조합)의 수")
    total = sum(histograms["xor"])
    axis.set_title(f"정수 가중치 $[-{span}, {span}]$, 임계값 $[-{2 * span}, {2 * span}]$의 "
                   f"{total}개 조합 전수 탐색")
    axis.legend(title="게이트")
    tallest = max(max(counts) for counts in histograms.values())
    axis.annotate("XOR을 모두 맞히는\n뉴런은 0개", xy=(4 + width, tallest * 0.06),
                  xytext=(4 + width, tallest * 0.45), ha="center", fontsize=11, color=NEGATIVE,
                  arrowprops={"arrowstyle": "->", "color": NEGATIVE})
    figure.tight_layout()
    return figure


def xor_network(runs):
    """Two layers of McCulloch-Pitts neurons compute XOR: OR and NAND on the inputs, then their AND."""
    tables = runs[0].artifacts["truth_tables"]
    xor = tables["xor_network"]
    figure, (input_axis, hidden_axis) = plt.subplots(1, 2, figsize=(10.4, 4.8))
    or_weights, nand_weights = xor["hidden_weights"]
    or_threshold, nand_threshold = xor["hidden_thresholds"]
    grid_x, grid_y, fires_or = _fires(or_weights, or_threshold)
    band = fires_or & _fires(nand_weights, nand_threshold)[2]
    input_axis.contourf(grid_x, grid_y, band.astype(float), levels=[0.5, 1.5], colors=[POSITIVE], alpha=0.12)
    _threshold_line(input_axis, or_weights, or_threshold, "은닉 뉴런 1: OR", PALETTE[0], shade=False)
    _threshold_line(input_axis, nand_weights, nand_threshold, "은닉 뉴런 2: NAND", PALETTE[2], shade=False)
    _points(input_axis, xor["inputs"], xor["target"])
    _unit_square(input_axis)
    input_axis.set_title("입력 공간: 두 직선 사이의 띠가 XOR = 1")
    input_axis.legend(loc="upper right", fontsize=9, framealpha=0.9)

    hidden = np.array(xor["hidden"])
    _threshold_line(hidden_axis, xor["output_weights"], xor["output_threshold"], "출력 뉴런: AND")
    _points(hidden_axis, hidden, xor["output"])
    names: dict[tuple, list[str]] = {}
    for point, original in zip(hidden, xor["inputs"], strict=True):
        names.setdefault(tuple(point), []).append(f"({int(original[0])},{int(original[1])})")
    for point, labels in names.items():
        hidden_axis.annotate(", ".join(labels), point, xytext=(-6, -20), textcoords="offset points",
                             ha="right", fontsize=9, color=MUTED)
    _unit_square(hidden_axis)
    hidden_axis.set_xlabel("은닉 출력 $a_1$ (OR)")
    hidden_axis.set_ylabel("은닉 출력 $a_2$ (NAND)")
    hidden_axis.set_title("은닉 공간: 직선 하나로 나뉜다")
    hidden_axis.legend(loc="upper left", fontsize=9, framealpha=0.9)
    accuracy = runs[0].metrics["xor_network_accuracy"]
    figure.suptitle(f"맥컬록-피츠 뉴런 두 층으로 만든 XOR (정확도 {accuracy:.0%})")
    figure.tight_layout()
    return figure
