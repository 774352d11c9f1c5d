"""The course's look for every matplotlib figure: Korean-capable font, quiet axes, one palette."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib import font_manager

# Class colours used across figures so a student learns them once: class 0 / -1, class 1 / +1.
NEGATIVE = "#d1495b"
POSITIVE = "#2e86ab"
ACCENT = "#1f5fa8"
MUTED = "#8d99ae"
PALETTE = ["#2e86ab", "#d1495b", "#edae49", "#66a182", "#6c4f99", "#00798c", "#8d99ae", "#f4a259"]
# Ten well-separated colours for the ten digit classes.
DIGIT_COLOURS = mpl.colormaps["tab10"].colors
# A white disc behind each class's label, so it stays readable on top of its points.
LABEL_BOX = {"boxstyle": "circle,pad=0.15", "facecolor": "white", "alpha": 0.75, "linewidth": 0}


def apply(font: str = "Noto Sans CJK KR") -> None:
    """Set matplotlib's defaults; fails loudly if no font can draw Korean (no silent empty boxes)."""
    available = {entry.name for entry in font_manager.fontManager.ttflist}
    if font not in available:
        raise RuntimeError(f"font {font!r} is not installed; run scripts/install-system-deps.sh")
    mpl.rcParams.update({
        "font.family": [font],
        "axes.unicode_minus": False,  # the CJK font has no U+2212 minus glyph at every size
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.25,
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "figure.dpi": 100,
        "savefig.facecolor": "white",
        "font.size": 11,
        "axes.titlesize": 13,
    })


def bare(axis) -> None:
    """An image axis with no ticks, grid or frame."""
    axis.set_xticks([])
    axis.set_yticks([])
    axis.grid(False)
    for spine in axis.spines.values():
        spine.set_visible(False)


def image_rows(rows, figsize):
    """Small grey-level images in labelled rows, one row per (label, images) pair, all rows as long."""
    import matplotlib.pyplot as plt
    import numpy as np

    count = len(rows[0][1])
    figure, axes = plt.subplots(len(rows), count, figsize=figsize, squeeze=False)
    for row, (label, images) in enumerate(rows):
        for column in range(count):
            axes[row, column].imshow(np.array(images[column]), cmap="gray_r", vmin=0, vmax=1)
            bare(axes[row, column])
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=11)
    return figure


def digit_legend(figure) -> None:
    """One legend entry per digit class, in its colour, at the figure's right edge."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", color=DIGIT_COLOURS[digit], label=str(digit))
               for digit in range(10)]
    figure.legend(handles=handles, title="숫자", loc="center right", fontsize=10)
