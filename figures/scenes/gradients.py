"""Vanishing gradients: per-layer gradient norms of a 20-layer net, measured at initialisation.

Reads the model `vanishing_gradients`: `gradient_norms[variant][0]` is each layer's weight-gradient
norm before training (layer 1 first). The sigmoid net's bars shrink by orders of magnitude on the
way back to layer 1; ReLU with He initialisation and the residual net keep them level.
"""

from __future__ import annotations

import math

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, POSITIVE, CourseScene
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, FadeIn, GrowFromEdge, Line, MathTex, Rectangle, Transform, VGroup

PANELS = [  # variant, title, colour
    ("sigmoid_xavier", "시그모이드", NEGATIVE),
    ("relu_he", "ReLU + He 초기화", POSITIVE),
    ("residual", "잔차 연결 (시그모이드)", ACCENT),
]


class GradientFlow(CourseScene):
    """Bars per layer on a log axis: the sigmoid net first, built from the output back, then all three."""

    def construct(self) -> None:
        run = self.runs[0]
        norms = {name: np.array(run.artifacts["gradient_norms"][name][0], dtype=float) for name, _, _ in PANELS}
        every = np.concatenate(list(norms.values()))
        low = math.floor(math.log10(max(every.min(), 1e-30)))
        high = math.ceil(math.log10(every.max()))
        if high - low < 2:
            low = high - 2
        depth = len(norms["sigmoid_xavier"])

        title = self.korean("기울기 소실: 역전파가 층을 거슬러 갈수록", size=30).to_edge(UP, buff=0.25)
        self.play(FadeIn(title), run_time=0.6)

        # Phase 1: the sigmoid net alone, wide.
        big = self._panel(norms["sigmoid_xavier"], low, high, width=9.0, height=4.6, color=NEGATIVE,
                          name="20층 시그모이드 신경망: 층별 기울기 크기 (로그 눈금)")
        big.move_to([0.3, -0.3, 0])
        axis, bars, labels = big
        self.play(FadeIn(axis), FadeIn(labels), run_time=0.8)
        note = self.korean("출력층에서 시작해 1층 쪽으로", size=21, color=MUTED).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(note), run_time=0.4)
        for index in range(depth - 1, -1, -1):  # backpropagation runs from the last layer to the first
            self.play(GrowFromEdge(bars[index], DOWN), run_time=0.18 if index < depth - 3 else 0.35)
        first, last = norms["sigmoid_xavier"][0], norms["sigmoid_xavier"][-1]
        ratio = self.korean(f"1층 / {depth}층 = {first / last:.1e}", size=24, color=NEGATIVE)
        # Upper left, inside the plot: the first layers' bars are the short ones, so that corner is empty.
        ratio.move_to(axis[1].get_top() + RIGHT * (0.35 + ratio.width / 2) + DOWN * 0.35)
        factor = MathTex(r"\sigma'(z) \le \tfrac{1}{4}", color=INK, font_size=36).next_to(ratio, DOWN, buff=0.25,
                                                                                         aligned_edge=LEFT)
        explanation = self.korean("거꾸로 한 층 지날 때마다 σ'(z) ≤ 1/4 가 곱해져 기울기가 줄어든다", size=21,
                                  color=INK).move_to(note)
        self.play(FadeIn(ratio), FadeIn(factor), Transform(note, explanation), run_time=0.8)
        self.wait(1.0)

        # Phase 2: the three variants side by side, on the same log axis.
        self.play(*[m.animate.set_opacity(0) for m in self.mobjects if m is not title], run_time=0.6)
        self.clear()
        self.add(title)
        panels = VGroup()
        for name, label, color in PANELS:
            panel = self._panel(norms[name], low, high, width=3.6, height=4.2, color=color, name=label,
                                compact=True)
            panels.add(panel)
        panels.arrange(RIGHT, buff=0.6)
        if panels.width > 13.6:  # tick labels stick out left of each panel: keep all three inside the frame
            panels.scale_to_fit_width(13.6)
        panels.move_to([0, -0.35, 0])
        for panel in panels:
            self.play(FadeIn(panel[0]), FadeIn(panel[2]), run_time=0.5)
            self.play(*[GrowFromEdge(bar, DOWN) for bar in panel[1]], run_time=0.9)
        ratios = VGroup()
        for panel, (name, _, color) in zip(panels, PANELS, strict=True):
            ratio_value = run.metrics[f"ratio_{name}"]
            text = self.korean(f"1층/{depth}층 = {ratio_value:.1e}", size=20, color=color)
            ratios.add(text.next_to(panel[0], DOWN, buff=0.45))
        summary = self.korean("ReLU·He 초기화와 잔차 연결은 기울기를 모든 층에 고르게 전달한다", size=22)
        summary.to_edge(DOWN, buff=0.2)
        self.play(FadeIn(ratios), FadeIn(summary), run_time=0.8)
        self.wait(1.5)

    def _panel(self, values: np.ndarray, low: int, high: int, width: float, height: float, color: str,
               name: str, compact: bool = False) -> VGroup:
        """(axis with decade grid and labels, bars per layer, titles): bars start at the bottom decade."""
        span = high - low
        frame = VGroup()
        base = Line([0, 0, 0], [width, 0, 0], color=MUTED, stroke_width=2)
        side = Line([0, 0, 0], [0, height, 0], color=MUTED, stroke_width=2)
        frame.add(base, side)
        labels = VGroup()
        step = max(1, math.ceil(span / 5))
        for exponent in range(low, high + 1, step):
            y = height * (exponent - low) / span
            if exponent > low:
                frame.add(DashedLine([0, y, 0], [width, y, 0], color=MUTED, stroke_width=1, dash_length=0.06,
                                     stroke_opacity=0.5))
            if not compact or exponent in (low, high) or (exponent - low) % (2 * step) == 0:
                tex = MathTex(f"10^{{{exponent}}}", color=MUTED, font_size=26 if compact else 28)
                labels.add(tex.next_to([0, y, 0], LEFT, buff=0.08))
        slot = width / len(values)
        bars = VGroup()
        for index, value in enumerate(values):
            bar_height = max(0.02, height * (math.log10(max(value, 1e-30)) - low) / span)
            bars.add(Rectangle(width=slot * 0.72, height=bar_height, stroke_width=0, fill_color=color,
                               fill_opacity=0.85).move_to([slot * (index + 0.5), bar_height / 2, 0]))
        size = 20 if compact else 22
        title = self.korean(name, size=size, color=color if compact else INK).next_to(side, UP, buff=0.2)
        title.align_to(side, LEFT) if not compact else title.move_to([width / 2, height + 0.3, 0])
        first = self.korean("1층", size=16, color=MUTED).next_to(bars[0], DOWN, buff=0.08).align_to(base, DOWN)
        first.shift(DOWN * 0.25)
        last = self.korean(f"{len(values)}층", size=16, color=MUTED).next_to(bars[-1], DOWN, buff=0.08)
        last.align_to(first, DOWN)
        labels.add(title, first, last)
        return VGroup(frame, bars, labels)
