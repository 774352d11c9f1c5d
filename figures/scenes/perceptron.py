"""The perceptron's decision boundary moving epoch by epoch as it learns."""

from __future__ import annotations

import numpy as np
from common import INK, MUTED, NEGATIVE, POSITIVE, CourseScene
from manim import DOWN, UP, Axes, Create, Dot, FadeIn, Line, Square, Transform, VGroup


class PerceptronLearning(CourseScene):
    """Points of two classes, then the boundary after each epoch until no mistake is left."""

    def construct(self) -> None:
        run = self.runs[0]
        points = np.array(run.artifacts["inputs"])
        labels = np.array(run.artifacts["labels"])
        snapshots = np.array(run.artifacts["weights_per_epoch"])
        low, high = float(points.min()) - 0.3, float(points.max()) + 0.3
        axes = Axes(x_range=[low, high, 1], y_range=[low, high, 1], x_length=5.6, y_length=5.6,
                    axis_config={"color": MUTED}).shift(DOWN * 0.35)
        title = self.korean("퍼셉트론 학습: 틀린 점만 경계를 움직인다", size=30).to_edge(UP, buff=0.3)
        dots = VGroup(*[
            (Dot(axes.c2p(x, y), radius=0.06, color=POSITIVE) if label > 0
             else Square(side_length=0.12, color=NEGATIVE, fill_opacity=1).move_to(axes.c2p(x, y)))
            for (x, y), label in zip(points, labels, strict=True)
        ])
        self.play(FadeIn(title), Create(axes), run_time=0.8)
        self.play(FadeIn(dots, lag_ratio=0.02), run_time=0.8)

        boundary = self._line(axes, snapshots[1], low, high)
        caption = self._caption(1, run.history["mistakes"][0]).next_to(axes, DOWN, buff=0.15)
        self.play(Create(boundary), FadeIn(caption), run_time=0.6)
        for epoch in range(2, len(snapshots)):
            self.play(Transform(boundary, self._line(axes, snapshots[epoch], low, high)),
                      Transform(caption, self._caption(epoch, run.history["mistakes"][epoch - 1])
                                .next_to(axes, DOWN, buff=0.15)), run_time=0.5)
        verdict = "수렴: 모든 점을 맞혔다" if run.metrics["converged"] else "수렴 실패: 경계가 계속 흔들린다"
        self.play(Transform(caption, self.korean(verdict, size=26, color=INK).next_to(axes, DOWN, buff=0.15)))
        self.wait(0.5)

    def _line(self, axes: Axes, weights: np.ndarray, low: float, high: float) -> Line:
        """The boundary w1*x + w2*y + b = 0, clipped to the plotted square (a dot if there is none yet)."""
        w1, w2, b = weights
        ends = []
        if abs(w2) > 1e-9:
            ends += [(x, -(w1 * x + b) / w2) for x in (low, high)]
        if abs(w1) > 1e-9:
            ends += [(-(w2 * y + b) / w1, y) for y in (low, high)]
        inside = sorted({(round(x, 6), round(y, 6)) for x, y in ends
                         if low - 1e-6 <= x <= high + 1e-6 and low - 1e-6 <= y <= high + 1e-6})
        start, end = (inside[0], inside[-1]) if len(inside) >= 2 else ((low, low), (low, low))
        return Line(axes.c2p(*start), axes.c2p(*end), color=INK, stroke_width=4)

    def _caption(self, epoch: int, mistakes: float):
        return self.korean(f"{epoch}번째 에포크: 실수 {int(mistakes)}번", size=24)
