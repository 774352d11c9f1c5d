"""Figures about the history and the map of the field, drawn without any trained model."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Ellipse
from style import PALETTE


def nested_fields(runs):
    """DL inside NN inside ML inside AI, as nested ellipses."""
    figure, axis = plt.subplots(figsize=(6.0, 4.6))
    fields = [("인공지능 (AI)", 10.0, 7.4), ("머신러닝 (ML)", 7.8, 5.6),
              ("신경망 (NN)", 5.6, 3.9), ("딥러닝 (DL)", 3.4, 2.2)]  # (label, width, height)
    colours = [PALETTE[6], PALETTE[0], PALETTE[3], PALETTE[2]]
    for index, ((name, width, height), colour) in enumerate(zip(fields, colours, strict=True)):
        centre_y = -(7.4 - height) / 2
        axis.add_patch(Ellipse((0, centre_y), width, height, facecolor=colour, alpha=0.22 + 0.12 * index,
                               edgecolor=colour, linewidth=2))
        label_y = centre_y + height / 2 - 0.55 if index < len(fields) - 1 else centre_y
        axis.text(0, label_y, name, ha="center", va="center", fontsize=14, fontweight="bold", color="#222")
    axis.set_xlim(-5.3, 5.3)
    axis.set_ylim(-3.9, 3.9)
    axis.set_aspect("equal")
    axis.axis("off")
    figure.tight_layout()
    return figure
