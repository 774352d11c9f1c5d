"""Session-3 diagrams drawn without a trained model: the field map, the four components, model sizes."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch
from style import ACCENT, PALETTE


def ai_ml_dl(runs):
    """AI contains machine learning, which contains deep learning; each ring says what it adds."""
    figure, axis = plt.subplots(figsize=(6.4, 4.8))
    # (name, what it adds, width, height, colour)
    fields = [("인공지능", "사람의 지능을 흉내 낸다", 10.0, 7.4, PALETTE[6]),
              ("머신러닝", "데이터로부터 배운다", 7.6, 5.3, PALETTE[0]),
              ("딥러닝", "모델로 신경망을 쓴다", 5.0, 2.9, PALETTE[2])]
    for index, (name, adds, width, height, colour) in enumerate(fields):
        centre_y = -(7.4 - height) / 2 + 0.3 * index  # inner rings lifted so the bottoms do not touch
        axis.add_patch(Ellipse((0, centre_y), width, height, facecolor=colour, alpha=0.2 + 0.13 * index,
                               edgecolor=colour, linewidth=2))
        if index < len(fields) - 1:
            top = centre_y + height / 2
            axis.text(0, top - 0.55, name, ha="center", va="center", fontsize=20, fontweight="bold",
                      color="#222")
            axis.text(0, top - 1.2, adds, ha="center", va="center", fontsize=15, color="#333")
        else:
            axis.text(0, centre_y + 0.35, name, ha="center", va="center", fontsize=20, fontweight="bold",
                      color="#222")
            axis.text(0, centre_y - 0.4, adds, ha="center", va="center", fontsize=15, color="#333")
    axis.set_xlim(-5.3, 5.3)
    axis.set_ylim(-3.9, 3.9)
    axis.set_aspect("equal")
    axis.axis("off")
    figure.tight_layout()
    return figure


def four_components(runs):
    """Data, model, loss and algorithm as a loop: the algorithm lowers the loss by changing the model."""
    figure, axis = plt.subplots(figsize=(7.6, 4.6))
    # name, question, centre (x, y), colour
    boxes = [("데이터", "무엇을 배우나?", (-3.0, 1.4), PALETTE[0]),
             ("모델", "어떻게 변환하나?", (3.0, 1.4), PALETTE[2]),
             ("손실", "무엇을 줄이나?", (3.0, -1.6), PALETTE[1]),
             ("알고리즘", "어떻게 줄이나?", (-3.0, -1.6), PALETTE[3])]
    width, height = 3.0, 1.5
    for name, question, (x, y), colour in boxes:
        axis.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                      boxstyle="round,pad=0.08,rounding_size=0.25", facecolor=colour,
                                      alpha=0.25, edgecolor=colour, linewidth=2))
        axis.text(x, y + 0.27, name, ha="center", va="center", fontsize=21, fontweight="bold", color="#222")
        axis.text(x, y - 0.36, question, ha="center", va="center", fontsize=15, color="#333")
    # (start, end, label, label position)
    arrows = [((-1.4, 1.4), (1.4, 1.4), "입력", (0.0, 1.75)), ((3.0, 0.55), (3.0, -0.75), "예측", (3.65, -0.1)),
              ((1.4, -1.6), (-1.4, -1.6), "기울기", (0.0, -1.25)),
              ((-1.6, -0.8), (1.7, 0.6), "가중치 갱신", (-0.75, 0.1))]
    for start, end, label, (label_x, label_y) in arrows:
        axis.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=20, linewidth=2.2,
                                       color=ACCENT))
        axis.text(label_x, label_y, label, ha="center", va="center", fontsize=14, color=ACCENT)
    axis.set_xlim(-4.8, 4.8)
    axis.set_ylim(-2.7, 2.5)
    axis.set_aspect("equal")
    axis.axis("off")
    figure.tight_layout()
    return figure


def language_model_sizes(runs):
    """Parameter counts of the pre-trained language models of 2018-2020, on a log scale."""
    models = [("GPT (2018)", 0.117), ("BERT-Large (2018)", 0.34), ("GPT-2 (2019)", 1.5),
              ("GPT-3 (2020)", 175.0)]  # billions of parameters, as the papers report them
    figure, axis = plt.subplots(figsize=(6.0, 5.0))
    names = [name for name, _ in models]
    sizes = [size for _, size in models]
    colours = [PALETTE[6], PALETTE[6], PALETTE[0], PALETTE[1]]
    bars = axis.barh(names, sizes, color=colours)
    axis.set_xscale("log")
    axis.set_xlim(0.05, 2000)
    axis.invert_yaxis()
    for bar, size in zip(bars, sizes, strict=True):
        text = f"{size * 1000:.0f}M" if size < 1 else f"{size:g}B"
        axis.text(size * 1.15, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=16)
    axis.tick_params(axis="y", labelsize=14)
    axis.set_xlabel("파라미터 수 (십억 개, 로그 눈금)", fontsize=13)
    axis.set_title("2년 사이 1000배 넘게 커진 언어 모델", fontsize=16)
    axis.grid(axis="y", visible=False)
    figure.tight_layout()
    return figure
