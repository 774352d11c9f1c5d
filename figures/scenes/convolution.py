"""Convolution: a learned kernel slides over a digit and fills a feature map, one position at a time.

Reads the model `lenet`: `feature_example` holds a test digit (8x8, in [0, 1]) and the first
convolution's output on it (`conv1`, [channels, 8, 8] after ReLU); `filters` holds that layer's
learned kernels ([channels, k, k]). The layer pads the image (k // 2 zeros each side), so the
feature map is as big as the image.
"""

from __future__ import annotations

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, POSITIVE, CourseScene
from manim import (
    DOWN,
    UP,
    Arrow,
    FadeIn,
    ManimColor,
    Rectangle,
    Square,
    VGroup,
    interpolate_color,
)

PAPER = ManimColor("#ffffff")


class ConvolutionSliding(CourseScene):
    """The digit as a grid, the kernel's window sliding over it, the real feature-map values appearing."""

    def construct(self) -> None:
        example = self.runs[0].artifacts["feature_example"]
        image = np.array(example["image"], dtype=float)  # [8, 8]
        maps = np.array(example["conv1"], dtype=float)  # [C, 8, 8]
        filters = np.array(self.runs[0].artifacts["filters"], dtype=float)  # [C, k, k]
        channel = int(self.params.get("channel", int(np.argmax(maps.reshape(len(maps), -1).std(axis=1)))))
        feature, kernel = maps[channel], filters[channel]
        size, k = image.shape[0], kernel.shape[0]
        pad = k // 2

        title = self.korean("합성곱: 학습된 필터가 이미지를 훑으며 특징 맵을 만든다", size=28).to_edge(UP, buff=0.25)
        cell = 0.42
        # Input: the padded image (a ring of zeros, drawn faintly) on the left.
        padded = size + 2 * pad
        input_grid = VGroup()
        for row in range(padded):
            for column in range(padded):
                r, c = row - pad, column - pad
                inside = 0 <= r < size and 0 <= c < size
                value = image[r, c] if inside else 0.0
                square = Square(side_length=cell, stroke_width=1, stroke_color=MUTED,
                                stroke_opacity=0.6 if inside else 0.25)
                square.set_fill(interpolate_color(PAPER, ManimColor(INK), value), opacity=1 if inside else 0)
                square.move_to([column * cell, -row * cell, 0])
                input_grid.add(square)
        input_grid.move_to([-4.15, -0.35, 0])
        input_title = self.korean(f"입력: 숫자 {example['label']} (8×8, 가장자리 0 채움)", size=19).next_to(
            input_grid, UP, buff=0.15)

        # Kernel in the middle, coloured by sign, with its weights.
        top = float(np.abs(kernel).max()) or 1.0
        kernel_cell = 0.46 if k <= 5 else 2.3 / k
        kernel_grid = VGroup()
        for row in range(k):
            for column in range(k):
                weight = kernel[row, column]
                tint = interpolate_color(PAPER, ManimColor(POSITIVE if weight > 0 else NEGATIVE), abs(weight) / top)
                square = Square(side_length=kernel_cell, stroke_width=1, stroke_color=MUTED)
                square.set_fill(tint, opacity=1).move_to([column * kernel_cell, -row * kernel_cell, 0])
                kernel_grid.add(square)
        kernel_grid.move_to([0.0, 0.55, 0])
        kernel_values = VGroup(*[
            self.korean(f"{kernel[r, c]:.2f}".replace("0.", "."), size=12, color=INK).move_to(kernel_grid[r * k + c])
            for r in range(k) for c in range(k)]) if k <= 5 else VGroup()
        kernel_title = self.korean(f"학습된 {k}×{k} 필터 #{channel + 1}", size=19).next_to(kernel_grid, UP, buff=0.15)
        formula = VGroup(self.korean("창 안의 픽셀 × 가중치를 더해", size=16, color=MUTED),
                         self.korean("출력 = ReLU(합 + b)", size=16, color=MUTED)).arrange(DOWN, buff=0.08)
        formula.next_to(kernel_grid, DOWN, buff=0.2)

        # Feature map on the right, filled as the window moves.
        peak = float(feature.max()) or 1.0
        map_cell = 0.56
        map_grid = VGroup(*[Square(side_length=map_cell, stroke_width=1, stroke_color=MUTED).move_to(
            [column * map_cell, -row * map_cell, 0]) for row in range(size) for column in range(size)])
        map_grid.move_to([4.45, -0.35, 0])
        map_title = self.korean("특징 맵 (ReLU 뒤, 실제 값)", size=19).next_to(map_grid, UP, buff=0.15)
        arrow = Arrow([kernel_grid.get_right()[0], kernel_grid.get_center()[1], 0],
                      [map_grid.get_left()[0], kernel_grid.get_center()[1], 0], color=MUTED, stroke_width=3, buff=0.12)

        self.play(FadeIn(title), FadeIn(input_grid), FadeIn(input_title), run_time=0.8)
        self.play(FadeIn(kernel_grid), FadeIn(kernel_values), FadeIn(kernel_title), FadeIn(formula), run_time=0.8)
        self.play(FadeIn(map_grid), FadeIn(map_title), FadeIn(arrow), run_time=0.6)

        def window_at(row: int, column: int) -> Rectangle:
            # Output (row, column) reads padded rows row..row+k-1, columns column..column+k-1.
            first = input_grid[row * padded + column]
            last = input_grid[(row + k - 1) * padded + column + k - 1]
            box = Rectangle(width=k * cell, height=k * cell, stroke_color=ACCENT, stroke_width=5)
            return box.move_to((first.get_center() + last.get_center()) / 2)

        def filled(row: int, column: int) -> VGroup:
            value = feature[row, column]
            target = map_grid[row * size + column]
            square = target.copy().set_fill(interpolate_color(PAPER, ManimColor(ACCENT), min(1.0, value / peak)),
                                           opacity=1)
            text_color = "#ffffff" if value / peak > 0.55 else INK
            label = self.korean(f"{value:.2f}", size=13, color=text_color).move_to(target)
            return VGroup(square, label)

        window = window_at(0, 0)
        marker = map_grid[0].copy().set_stroke(ACCENT, width=5)
        self.play(FadeIn(window), FadeIn(marker), run_time=0.4)
        slow_rows = int(self.params.get("slow_rows", 2))
        for row in range(size):
            if row < slow_rows:  # the first rows cell by cell, so the sliding is visible
                for column in range(size):
                    self.bring_to_front(window, marker)
                    self.play(window.animate.move_to(window_at(row, column)),
                              marker.animate.move_to(map_grid[row * size + column]),
                              FadeIn(filled(row, column)), run_time=0.28)
            else:  # the rest a row at a time
                self.bring_to_front(window, marker)
                self.play(window.animate.move_to(window_at(row, size - 1)),
                          marker.animate.move_to(map_grid[row * size + size - 1]),
                          *[FadeIn(filled(row, column), lag_ratio=0) for column in range(size)], run_time=0.6)
        self.play(window.animate.set_stroke(opacity=0), marker.animate.set_stroke(opacity=0), run_time=0.4)
        strongest = np.unravel_index(int(np.argmax(feature)), feature.shape)
        summary = self.korean(f"같은 필터 하나를 모든 위치에 공유: 가장 강한 반응 {feature.max():.2f} "
                              f"(행 {strongest[0] + 1}, 열 {strongest[1] + 1})", size=20).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(summary), run_time=0.6)
        self.wait(1.5)
