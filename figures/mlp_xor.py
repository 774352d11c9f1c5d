"""Figures of the MLP that learns XOR: its curved decision region, its hidden space, and its loss."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, POSITIVE


def _points(axis, points, targets, names=None, edge: str = "white") -> None:
    """XOR = 1 as blue circles, XOR = 0 as red squares; optionally labelled with their inputs.

    Points that (nearly) coincide, as (0,1) and (1,0) do in a good hidden space, share one label.
    """
    points, targets = np.asarray(points, dtype=float), np.asarray(targets)
    axis.scatter(*points[targets > 0.5].T, s=140, c=POSITIVE, edgecolor=edge, linewidth=1.5, zorder=3,
                 label="XOR = 1")
    axis.scatter(*points[targets < 0.5].T, s=140, c=NEGATIVE, marker="s", edgecolor=edge, linewidth=1.5,
                 zorder=3, label="XOR = 0")
    if names is None:
        return
    scale = np.ptp(points, axis=0).max() or 1.0
    groups: list[tuple[np.ndarray, list[str]]] = []
    for point, name in zip(points, names, strict=True):
        for anchor, members in groups:
            if np.linalg.norm(point - anchor) < 0.08 * scale:
                members.append(name)
                break
        else:
            groups.append((point, [name]))
    for anchor, members in groups:
        axis.annotate(", ".join(members), anchor, xytext=(9, 9), textcoords="offset points", fontsize=10)


def _hidden_coordinates(run) -> tuple[np.ndarray, str, str, np.ndarray | None]:
    """2-D coordinates of the four hidden vectors, axis labels, and the output's line (w1, w2, b) if 2-D.

    With two hidden units the hidden space is the plane itself. With more, the horizontal axis is
    what the output unit reads, w2 . a + b2 (its sign is the class), and the vertical axis is the
    direction, orthogonal to w2, along which the four points spread most.
    """
    hidden = np.array(run.artifacts["hidden"])  # [4, H]
    w2 = np.array(run.artifacts["weights"]["W2"])  # [H]
    b2 = run.artifacts["weights"]["b2"][0]
    if hidden.shape[1] == 2:
        return hidden, "은닉 유닛 1의 출력 $a_1$", "은닉 유닛 2의 출력 $a_2$", np.array([*w2, b2])
    unit = w2 / np.linalg.norm(w2)
    read = hidden @ w2 + b2  # [4]
    rest = hidden - np.outer(hidden @ unit, unit)
    rest = rest - rest.mean(axis=0)
    _, _, directions = np.linalg.svd(rest, full_matrices=False)
    spread = rest @ directions[0]
    return (np.stack([read, spread], axis=1), "출력 유닛이 읽는 값 $w_2 \\cdot a + b_2$",
            "그에 수직인 주성분", None)


def decision_and_hidden(runs):
    """Per run: the learned decision region over the input plane, and the four inputs in the hidden space."""
    figure, axes = plt.subplots(len(runs), 2, figsize=(10.8, 4.9 * len(runs)), squeeze=False)
    for (input_axis, hidden_axis), run in zip(axes, runs, strict=True):
        axis_values = np.array(run.artifacts["grid_axis"])
        grid = np.array(run.artifacts["grid_output"])  # rows: x2, columns: x1
        inputs, targets = run.artifacts["inputs"], run.artifacts["targets"]
        names = [f"({int(x1)},{int(x2)})" for x1, x2 in inputs]
        width = run.config["hidden"]
        filled = input_axis.contourf(axis_values, axis_values, grid, levels=np.linspace(0, 1, 11),
                                     cmap="RdBu", alpha=0.75)
        input_axis.contour(axis_values, axis_values, grid, levels=[0.5], colors="black", linewidths=2)
        _points(input_axis, inputs, targets, edge="black")
        input_axis.set_aspect("equal")
        input_axis.set_xlabel("입력 $x_1$")
        input_axis.set_ylabel("입력 $x_2$")
        input_axis.set_title(f"2-{width}-1 MLP의 결정 영역 (검은 선: 출력 = 0.5)")
        colorbar = figure.colorbar(filled, ax=input_axis, fraction=0.046, pad=0.04)
        colorbar.set_label("출력 (XOR = 1일 확률)")
        input_axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9)

        coordinates, x_label, y_label, line = _hidden_coordinates(run)
        _points(hidden_axis, coordinates, targets, names)
        if line is not None:
            xs = np.linspace(-0.1, 1.1, 200)
            grid_x, grid_y = np.meshgrid(xs, xs)
            side = line[0] * grid_x + line[1] * grid_y + line[2] > 0
            hidden_axis.contourf(grid_x, grid_y, side.astype(float), levels=[-0.5, 0.5, 1.5],
                                 colors=[NEGATIVE, POSITIVE], alpha=0.12)
            hidden_axis.contour(grid_x, grid_y, line[0] * grid_x + line[1] * grid_y + line[2], levels=[0],
                                colors="black", linewidths=2)
            hidden_axis.set_xlim(-0.1, 1.1)
            hidden_axis.set_ylim(-0.1, 1.1)
            hidden_axis.set_aspect("equal")
            hidden_axis.set_title("은닉 공간: 직선 하나로 나뉜다 (검은 선)")
        else:
            reach = np.abs(coordinates[:, 0]).max() * 1.35
            spread = np.abs(coordinates[:, 1]).max() * 1.4 or 1.0
            hidden_axis.axvline(0, color="black", linewidth=2)
            hidden_axis.axvspan(-reach, 0, color=NEGATIVE, alpha=0.12)
            hidden_axis.axvspan(0, reach, color=POSITIVE, alpha=0.12)
            hidden_axis.set_xlim(-reach, reach)
            hidden_axis.set_ylim(-spread, spread)
            hidden_axis.set_title(f"{width}차원 은닉 공간의 투영: 0을 기준으로 나뉜다")
        hidden_axis.set_xlabel(x_label)
        hidden_axis.set_ylabel(y_label)
    figure.suptitle("은닉층이 XOR을 직선으로 나눌 수 있는 공간으로 옮긴다")
    figure.tight_layout()
    return figure


def loss_curves(runs):
    """The kept network's loss per step, with every restart (seed) faintly behind it: solved or stuck."""
    figure, axes = plt.subplots(1, len(runs), figsize=(6.2 * len(runs), 4.4), squeeze=False)
    for axis, run in zip(axes[0], runs, strict=True):
        steps = np.array(run.history["step"])
        restarts = np.array(run.artifacts["restart_loss"])  # [R, logged steps]
        solved = np.array(run.artifacts["restart_solved"])
        for curve, ok in zip(restarts[1:], solved[1:], strict=True):
            axis.plot(steps, curve, color=MUTED if ok else NEGATIVE, alpha=0.45, linewidth=1)
        axis.plot(steps, run.history["loss"], color=ACCENT, linewidth=2.4,
                  label=f"대표 모델 (시드 {run.config['seed']})")
        axis.plot([], [], color=MUTED, label="다른 시드: 풀었음")
        if (solved < 0.5).any():
            axis.plot([], [], color=NEGATIVE, label="다른 시드: 지역 최솟값에 갇힘")
        axis.set_yscale("log")
        axis.set_xlabel("경사 하강 단계")
        axis.set_ylabel("오차 $\\frac{1}{2}(\\hat{y} - y)^2$의 평균 (로그 눈금)")
        solved_text = f"{len(solved)}개 시드 중 {int(solved.sum())}개가 XOR을 풂"
        axis.set_title(f"2-{run.config['hidden']}-1 MLP: {solved_text}")
        axis.legend(loc="lower left", fontsize=9)
    figure.tight_layout()
    return figure
