"""Session 4 diagrams drawn without a trained model: a map of papers and DDPM's noise schedule."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import ACCENT, MUTED, NEGATIVE, PALETTE

# (key, label, year, lane) for the paper map; lane 0 = diffusion, 1 = text-image, 2 = language.
_PAPERS = [
    ("dpm", "확산 모델\nSohl-Dickstein", 2015, 0),
    ("ddpm", "DDPM\nHo 외", 2020, 0),
    ("ddim", "DDIM\nSong 외", 2021, 0),
    ("ldm", "잠재 확산\n(Stable Diffusion)", 2022, 0),
    ("clip", "CLIP", 2021, 1),
    ("dalle2", "DALL-E 2", 2022, 1),
    ("transformer", "트랜스포머\nVaswani 외", 2017, 2),
    ("bert", "BERT", 2018, 2),
    ("gpt3", "GPT-3", 2020, 2),
    ("chatgpt", "ChatGPT", 2022, 2),
]
# "b builds on a": the citations a reader follows backwards from a recent paper.
_LINKS = [("dpm", "ddpm"), ("ddpm", "ddim"), ("ddpm", "ldm"), ("ddim", "ldm"), ("transformer", "bert"),
          ("transformer", "gpt3"), ("gpt3", "chatgpt"), ("transformer", "clip"), ("clip", "dalle2"),
          ("ddpm", "dalle2"), ("clip", "ldm")]
_HUBS = {"ddpm", "transformer"}  # the much-cited core papers of each cluster


def paper_map(runs):
    """Papers as nodes by year, links = 'builds on': clusters around much-cited core papers."""
    lanes = {0: 2.7, 1: 1.35, 2: 0.0}
    lane_names = {0: "확산 모델", 1: "텍스트 → 이미지", 2: "언어 모델"}
    lane_colours = {0: PALETTE[1], 1: PALETTE[2], 2: PALETTE[0]}
    position = {key: (year, lanes[lane]) for key, _, year, lane in _PAPERS}
    figure, axis = plt.subplots(figsize=(11.0, 5.2))
    for source, target in _LINKS:
        (x0, y0), (x1, y1) = position[source], position[target]
        axis.annotate("", xy=(x1, y1), xytext=(x0, y0),
                      arrowprops={"arrowstyle": "-|>", "color": MUTED, "linewidth": 1.3,
                                  "shrinkA": 24, "shrinkB": 24, "connectionstyle": "arc3,rad=0.08"})
    for key, label, _year, lane in _PAPERS:
        x, y = position[key]
        hub = key in _HUBS
        axis.scatter([x], [y], s=2600 if hub else 1300, color=lane_colours[lane], alpha=0.9 if hub else 0.55,
                     edgecolor="#333" if hub else "none", linewidth=2, zorder=3)
        offset = 0.36 if hub else 0.3
        above = lane == 0  # the top lane's labels go above, clear of the arrows coming up from below
        axis.text(x, y + offset if above else y - offset, label, ha="center", va="bottom" if above else "top",
                  fontsize=10, fontweight="bold" if hub else "normal", color="#222")
    for lane, y in lanes.items():
        axis.text(2013.4, y, lane_names[lane], ha="left", va="center", fontsize=11.5,
                  color=lane_colours[lane], fontweight="bold")
    axis.set_xlim(2013.3, 2023.0)
    axis.set_ylim(-0.95, 3.55)
    axis.set_xticks(range(2015, 2023))
    axis.set_yticks([])
    axis.grid(False)
    axis.spines["left"].set_visible(False)
    axis.set_title("큰 원 = 많이 인용되는 핵심 논문,  화살표 = '이 논문 위에 세워졌다'", fontsize=12.5)
    figure.tight_layout()
    return figure


def noise_schedule(runs, timesteps: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02):
    """The paper's linear beta_t, and abar_t, sqrt(abar_t), 1 - abar_t against t."""
    t = np.arange(1, timesteps + 1)
    betas = np.linspace(beta_start, beta_end, timesteps)
    abar = np.cumprod(1 - betas)
    figure, (beta_axis, abar_axis) = plt.subplots(1, 2, figsize=(12.0, 4.3))
    beta_axis.plot(t, betas, color=ACCENT, linewidth=2.2)
    beta_axis.set_xlabel("단계 t")
    beta_axis.set_title(rf"$\beta_t$: 한 단계에 더하는 잡음의 분산 ({beta_start:g} → {beta_end:g})")
    abar_axis.plot(t, np.sqrt(abar), color=ACCENT, linewidth=2.2, label=r"$\sqrt{\bar\alpha_t}$: 남은 신호의 배율")
    abar_axis.plot(t, 1 - abar, color=NEGATIVE, linewidth=2.2, label=r"$1-\bar\alpha_t$: 잡음의 분산")
    abar_axis.plot(t, abar, color=MUTED, linewidth=1.5, linestyle="--", label=r"$\bar\alpha_t$")
    for k in range(1, 9):
        abar_axis.axvline(k * timesteps / 8, color="#ccc", linewidth=0.8, zorder=0)
    abar_axis.set_xlabel("단계 t (옅은 세로선: 그림의 T = 1..8)")
    abar_axis.set_title(rf"신호는 줄고 잡음은 는다 ($\bar\alpha_T$ = {abar[-1]:.1e})")
    abar_axis.legend(loc="center right")
    figure.tight_layout()
    return figure
