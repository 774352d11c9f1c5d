"""What every course scene shares: its inputs from the build, the palette and Korean text."""

from __future__ import annotations

from manim import BLACK, Scene, Text

NEGATIVE = "#d1495b"
POSITIVE = "#2e86ab"
ACCENT = "#1f5fa8"
MUTED = "#8d99ae"
INK = "#222222"


class CourseScene(Scene):
    """A scene the build renders: `runs` (trained models), `params` and `font` are set before render."""

    runs: list = []
    params: dict = {}
    font: str = "Noto Sans CJK KR"

    def korean(self, text: str, size: float = 28, color: str = INK, weight: str = "NORMAL") -> Text:
        """Text in the course font; Pango draws the Hangul that LaTeX cannot."""
        return Text(text, font=self.font, font_size=size, color=color, weight=weight)


__all__ = ["BLACK", "CourseScene", "NEGATIVE", "POSITIVE", "ACCENT", "MUTED", "INK"]
