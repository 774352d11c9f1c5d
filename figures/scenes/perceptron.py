"""The perceptron's decision boundary moving epoch by epoch as it learns (or fails to, on XOR)."""

from __future__ import annotations

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, POSITIVE, CourseScene
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    GrowFromEdge,
    Line,
    Polygon,
    Rectangle,
    Square,
    Transform,
    VGroup,
    VMobject,
)

POSITIVE_SHADE = "#dcebf3"  # where the weights say +1
NEGATIVE_SHADE = "#f9e3e6"  # where they say -1
MIN_SECONDS = 10.0  # a converging run may take only a few epochs; the video still lasts this long
TRAIL_OPACITY = 0.18  # earlier boundaries stay as faint lines, so the poster shows how much the line moved


class PerceptronLearning(CourseScene):
    """Points of two classes, then the boundary after each epoch, the points it gets wrong circled,
    and the mistakes per epoch as bars beside it: on separable data they fall to 0 and the line
    stops; on XOR they never do and the line keeps jumping."""

    def construct(self) -> None:
        run = self.runs[0]
        points = np.array(run.artifacts["inputs"], dtype=float)
        labels = np.array(run.artifacts["labels"], dtype=float)
        snapshots = np.array(run.artifacts["weights_per_epoch"], dtype=float)
        mistakes = [int(m) for m in run.history["mistakes"]]
        few = len(points) <= 8  # XOR: four big markers and a tighter window around them
        pad = 0.5 if few else 0.3
        low, high = float(points.min()) - pad, float(points.max()) + pad
        step = 0.5 if few else 1.0
        axes = Axes(x_range=[low, high, step], y_range=[low, high, step], x_length=5.4, y_length=5.4,
                    axis_config={"color": MUTED, "include_tip": False, "stroke_width": 2},
                    ).to_edge(LEFT, buff=0.8).shift(DOWN * 0.25)
        frame = Rectangle(width=5.4, height=5.4, color=MUTED, stroke_width=1.5).move_to(axes)
        # The whole square in the -1 colour; the +1 half-plane is painted over it each epoch.
        frame.set_fill(NEGATIVE_SHADE, opacity=1).set_z_index(-2)
        title_text = ("퍼셉트론과 XOR: 직선 하나로는 끝내 나눌 수 없다" if few
                      else "퍼셉트론 학습: 틀린 점만 경계를 움직인다")
        title = self.korean(title_text, size=30).to_edge(UP, buff=0.3)
        size = 0.16 if few else 0.06
        markers = VGroup(*[
            (Dot(axes.c2p(x, y), radius=size, color=POSITIVE) if label > 0
             else Square(side_length=size * 2, color=NEGATIVE, fill_opacity=1, stroke_width=0).move_to(axes.c2p(x, y)))
            for (x, y), label in zip(points, labels, strict=True)
        ])
        legend = VGroup(
            VGroup(Dot(radius=0.08, color=POSITIVE), self.korean("+1", size=18)).arrange(RIGHT, buff=0.1),
            VGroup(Square(side_length=0.16, color=NEGATIVE, fill_opacity=1, stroke_width=0),
                   self.korean("−1", size=18)).arrange(RIGHT, buff=0.1),
            VGroup(Circle(radius=0.1, color=INK, stroke_width=2), self.korean("틀린 점", size=18)).arrange(RIGHT,
                                                                                                      buff=0.1),
        ).arrange(RIGHT, buff=0.35).next_to(frame, DOWN, buff=0.15)

        chart, bars_for = self._mistake_chart(mistakes, len(points))
        self.play(FadeIn(title), Create(axes), Create(frame), run_time=0.8)
        self.play(FadeIn(markers, lag_ratio=0.02), FadeIn(legend), FadeIn(chart), run_time=0.8)

        region = self._region(axes, snapshots[1], low, high).set_z_index(-1)
        boundary = self._line(axes, snapshots[1], low, high)
        wrong = self._wrong(axes, points, labels, snapshots[1], size)
        caption = self._caption(1, mistakes[0]).next_to(chart, DOWN, buff=0.35)
        self.play(FadeIn(region), Create(boundary), FadeIn(wrong), FadeIn(caption), GrowFromEdge(bars_for(0), DOWN),
                  run_time=0.6)
        trail = VGroup()
        self.add(trail)
        per_epoch = min(0.6, max(0.25, 10.0 / max(1, len(snapshots))))
        for epoch in range(2, len(snapshots)):
            weights = snapshots[epoch]
            trail.add(boundary.copy().set_stroke(opacity=TRAIL_OPACITY, width=3))
            self.play(Transform(boundary, self._line(axes, weights, low, high)),
                      Transform(region, self._region(axes, weights, low, high).set_z_index(-1)),
                      Transform(wrong, self._wrong(axes, points, labels, weights, size)),
                      Transform(caption, self._caption(epoch, mistakes[epoch - 1]).move_to(caption)),
                      GrowFromEdge(bars_for(epoch - 1), DOWN), run_time=per_epoch)
        if run.metrics["converged"]:
            verdict = f"수렴: {int(run.metrics['epochs_to_converge'])}번째 에포크에 모든 점을 맞혔다"
        else:
            verdict = (f"수렴 실패: {len(mistakes)}번의 에포크 내내 실수가 남고, "
                       f"정확도는 최고 {run.metrics['best_accuracy']:.0%}")
        color = ACCENT if run.metrics["converged"] else NEGATIVE
        verdict_text = VGroup(*[self.korean(part, size=22, color=color) for part in verdict.split(", ")]
                              ).arrange(DOWN, buff=0.12).next_to(chart, DOWN, buff=0.35)
        if verdict_text.width > 6.0:
            verdict_text.scale_to_fit_width(6.0)
        self.play(Transform(caption, verdict_text), run_time=0.8)
        # The lines it passed through, shown once more; then hold the summary (at least MIN_SECONDS in all).
        self.play(trail.animate.set_stroke(opacity=0.5), run_time=0.6)
        self.play(trail.animate.set_stroke(opacity=TRAIL_OPACITY), run_time=0.6)
        self.wait(max(1.5, MIN_SECONDS - self.renderer.time))

    def _mistake_chart(self, mistakes: list[int], count: int):
        """Axes for mistakes per epoch on the right, and a function giving epoch i's bar."""
        top = max(1, max(mistakes))
        width, height = 5.6, 3.2
        origin = np.array([0.9, -1.0, 0])
        base = Line(origin, origin + RIGHT * width, color=MUTED, stroke_width=2)
        side = Line(origin, origin + UP * height, color=MUTED, stroke_width=2)
        name = self.korean("에포크별 실수 횟수", size=22).next_to(side, UP, buff=0.2, aligned_edge=LEFT)
        top_label = self.korean(str(top), size=18, color=MUTED).next_to(origin + UP * height, LEFT, buff=0.1)
        zero_label = self.korean("0", size=18, color=MUTED).next_to(origin, LEFT, buff=0.1)
        first = self.korean("1", size=18, color=MUTED)
        last = self.korean(str(len(mistakes)), size=18, color=MUTED)
        slot = width / len(mistakes)
        first.next_to(origin + RIGHT * slot * 0.5, DOWN, buff=0.1)
        last.next_to(origin + RIGHT * slot * (len(mistakes) - 0.5), DOWN, buff=0.1)
        chart = VGroup(base, side, name, top_label, zero_label, first, last)

        def bar(index: int) -> VMobject:
            value = mistakes[index]
            bar_height = max(0.02, height * value / top)
            color = ACCENT if value == 0 else NEGATIVE
            shape = Rectangle(width=slot * 0.7, height=bar_height, stroke_width=0, fill_color=color, fill_opacity=0.85)
            return shape.move_to(origin + RIGHT * slot * (index + 0.5) + UP * bar_height / 2)

        return chart, bar

    def _wrong(self, axes: Axes, points: np.ndarray, labels: np.ndarray, weights: np.ndarray,
               size: float) -> VGroup:
        """Rings around the points these weights misclassify (w.x + b on the wrong side, or on the line)."""
        scores = points @ weights[:2] + weights[2]
        rings = [Circle(radius=size * 2.0, color=INK, stroke_width=2.5).move_to(axes.c2p(x, y))
                 for (x, y), label, score in zip(points, labels, scores, strict=True) if label * score <= 0]
        return VGroup(*rings) if rings else VGroup(Dot(axes.c2p(points[0, 0], points[0, 1]), radius=0.001,
                                                       fill_opacity=0))

    def _region(self, axes: Axes, weights: np.ndarray, low: float, high: float) -> VMobject:
        """The half of the plotted square the weights call +1, lightly shaded (all of it, or none)."""
        w1, w2, b = weights
        corners = [(low, low), (high, low), (high, high), (low, high)]
        inside = lambda x, y: w1 * x + w2 * y + b > 0  # noqa: E731
        polygon: list[tuple[float, float]] = []
        for k, (x0, y0) in enumerate(corners):
            x1, y1 = corners[(k + 1) % 4]
            if inside(x0, y0):
                polygon.append((x0, y0))
            s0, s1 = w1 * x0 + w2 * y0 + b, w1 * x1 + w2 * y1 + b
            if (s0 > 0) != (s1 > 0) and abs(s1 - s0) > 1e-12:
                t = s0 / (s0 - s1)
                polygon.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
        if len(polygon) < 3:  # nothing is called +1: an invisible sliver keeps Transform happy
            polygon = [(low, low), (low + 1e-3, low), (low, low + 1e-3)]
            return Polygon(*[axes.c2p(x, y) for x, y in polygon], stroke_width=0, fill_opacity=0)
        return Polygon(*[axes.c2p(x, y) for x, y in polygon], stroke_width=0, fill_color=POSITIVE_SHADE,
                       fill_opacity=1)

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
