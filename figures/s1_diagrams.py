"""Session-1 figures drawn from historical facts, without a trained model: the ILSVRC winners."""

from __future__ import annotations

import matplotlib.pyplot as plt
from style import ACCENT, MUTED, NEGATIVE, PALETTE

# ImageNet classification (ILSVRC), top-5 test error of each year's winning entry, in percent, with
# its depth in weight layers where it was a neural network. 2012: AlexNet's winning entry (15.3%;
# 16.4% without the extra ImageNet pre-training, the figure some charts show).
ILSVRC_WINNERS = [
    (2010, "NEC-UIUC", 28.2, None),
    (2011, "XRCE", 25.8, None),
    (2012, "AlexNet", 15.3, 8),
    (2013, "ZFNet", 11.7, 8),
    (2014, "GoogLeNet", 6.7, 22),
    (2015, "ResNet", 3.57, 152),
    (2016, "Trimps-\nSoushen", 2.99, None),
    (2017, "SENet", 2.25, None),
]
HUMAN_TOP5_ERROR = 5.1  # one trained annotator on 1500 test images (Russakovsky et al., 2015)


def ilsvrc_winners(runs):
    """Top-5 error of each ILSVRC winner by year: shallow methods, then AlexNet and deeper CNNs."""
    figure, axis = plt.subplots(figsize=(10.5, 4.8))
    years = [str(year) for year, *_ in ILSVRC_WINNERS]
    errors = [error for _, _, error, _ in ILSVRC_WINNERS]
    colours = [MUTED if year < 2012 else (NEGATIVE if year == 2012 else ACCENT)
               for year, *_ in ILSVRC_WINNERS]
    bars = axis.bar(years, errors, color=colours, width=0.66, zorder=2)
    for bar, (_, name, error, depth) in zip(bars, ILSVRC_WINNERS, strict=True):
        depth_text = f"\n{depth}층" if depth else ""
        axis.text(bar.get_x() + bar.get_width() / 2, error + 0.6, f"{name}\n{error:g}%{depth_text}",
                  ha="center", va="bottom", fontsize=10, zorder=3,
                  bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 1.0})
    axis.plot([-0.6, len(years) - 0.6], [HUMAN_TOP5_ERROR] * 2, color=PALETTE[2], linestyle="--",
              linewidth=2, zorder=1)
    axis.text(len(years) - 0.55, HUMAN_TOP5_ERROR, f"사람\n약 {HUMAN_TOP5_ERROR:g}%", ha="left", va="center",
              fontsize=10, color="#8a5a00")
    axis.set_xlim(-0.6, len(years) + 0.2)
    axis.set_ylim(0, 36)
    axis.set_ylabel("top-5 오류율 (%)")
    axis.set_xlabel("대회 연도 (회색: 신경망이 아닌 방법, 빨강: AlexNet, 파랑: 더 깊은 CNN)")
    axis.set_title("ImageNet 분류 대회(ILSVRC) 우승 모델의 top-5 오류율")
    axis.grid(axis="x", visible=False)
    figure.tight_layout()
    return figure
