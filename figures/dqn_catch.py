"""Figures of DQN playing catch: the return over training, and recorded episodes frame by frame."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from style import ACCENT, MUTED, NEGATIVE, PALETTE, POSITIVE

ACTION_TEXT = {0: "← 왼쪽", 1: "· 그대로", 2: "→ 오른쪽"}


def return_curve(runs, window: int = 50):
    """Moving average of the training episodes' returns, epsilon, and the greedy vs random returns."""
    run = runs[0]
    returns = np.array(run.history["episode_return"], dtype=float)
    window = max(1, min(window, len(returns)))
    smooth = np.convolve(returns, np.ones(window) / window, mode="valid")
    figure, axis = plt.subplots(figsize=(9.6, 4.8))
    episodes = np.arange(window, len(returns) + 1)
    axis.plot(episodes, smooth, color=ACCENT, linewidth=2.2,
              label=f"훈련 중 보상 ({window}판 이동 평균, 탐험 포함)")
    metrics = run.metrics
    axis.axhline(metrics["return_trained"], color=POSITIVE, linestyle="--", linewidth=1.8,
                 label=f"훈련된 에이전트 (탐욕적): 받기 {metrics['catch_rate_trained']:.0%}")
    axis.axhline(metrics["return_random"], color=NEGATIVE, linestyle=":", linewidth=1.8,
                 label=f"무작위 행동: 받기 {metrics['catch_rate_random']:.0%}")
    axis.set_ylim(-1.1, 1.25)
    axis.set_xlabel("에피소드 (게임 한 판)")
    axis.set_ylabel("보상 평균 (+1 받음, -1 놓침)")
    epsilon_axis = axis.twinx()
    epsilon_axis.plot(np.arange(1, len(returns) + 1), run.history["epsilon"], color=MUTED, linewidth=1.2)
    epsilon_axis.set_ylim(0, 1.1)
    epsilon_axis.set_ylabel("탐험률 ε (회색 선)", color="#666")
    epsilon_axis.grid(False)
    epsilon_axis.spines["right"].set_visible(True)
    figure.legend(*axis.get_legend_handles_labels(), loc="lower center", ncol=3, fontsize=10,
                  bbox_to_anchor=(0.5, -0.01))
    board = run.artifacts["board"]
    axis.set_title(f"{board['rows']}×{board['columns']} 받기(catch) 게임을 배우는 DQN")
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    return figure


def episode_frames(runs, episodes: int = 3):
    """Recorded games of the trained agent: one row per game, one small board per step."""
    run = runs[0]
    recorded = run.artifacts["episodes"][:episodes]
    codes = run.artifacts["cell_codes"]
    colours = ListedColormap(["#f4f4f4", PALETTE[2], POSITIVE, PALETTE[3]])  # empty, ball, paddle, caught
    steps = max(len(episode["frames"]) for episode in recorded)
    figure, axes = plt.subplots(len(recorded), steps, figsize=(1.55 * steps, 2.05 * len(recorded) + 0.6),
                                squeeze=False)
    for row, episode in zip(axes, recorded, strict=True):
        for index, axis in enumerate(row):
            axis.set_xticks([])
            axis.set_yticks([])
            axis.grid(False)
            for spine in axis.spines.values():
                spine.set_visible(True)
                spine.set_color("#888")
            if index >= len(episode["frames"]):
                axis.set_visible(False)
                continue
            grid = np.array(episode["frames"][index])
            axis.imshow(grid, cmap=colours, vmin=0, vmax=len(codes) - 1)
            axis.set_xticks(np.arange(-0.5, grid.shape[1], 1), minor=True)
            axis.set_yticks(np.arange(-0.5, grid.shape[0], 1), minor=True)
            axis.grid(which="minor", color="white", linewidth=1.0)
            axis.tick_params(which="minor", length=0)
            if index < len(episode["actions"]):
                axis.set_xlabel(ACTION_TEXT[episode["actions"][index]], fontsize=10)
            else:
                caught = episode["return"] > 0
                axis.set_xlabel("받음! +1" if caught else "놓침 -1", fontsize=10,
                                color=POSITIVE if caught else NEGATIVE)
            if index == 0:
                axis.set_ylabel(f"공 {episode['ball_column'] + 1}열\n막대 {episode['paddle_column'] + 1}열",
                                fontsize=10, rotation=0, ha="right", va="center", labelpad=8)
        row[0].set_title("시작", fontsize=10)
        for index in range(1, len(episode["frames"])):
            row[index].set_title(f"{index}단계 후", fontsize=10)
    figure.suptitle("훈련된 DQN의 게임 기록 (주황 = 공, 파랑 = 막대, 초록 = 받은 순간, 칸 아래 = 고른 행동)",
                    fontsize=13)
    figure.tight_layout()
    return figure
