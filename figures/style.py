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
