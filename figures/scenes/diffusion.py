"""Diffusion models: noise spreads data into a Gaussian, and a trained network walks it back.

Two scenes, both drawn from a real DDPM run: `DiffusionNoising2D` reads `ddpm_2d` (2-D points: the
forward snapshots and the reverse process of the trained model at the same noise levels),
`DiffusionDigits` reads `ddpm_digits` (one digit through the forward Markov chain, then digits
emerging from noise in the sampler's trajectory).
"""

from __future__ import annotations

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, CourseScene
from manim import (
    DOWN,
    LEFT,
    UP,
    Arrow,
    FadeIn,
    ManimColor,
    Rectangle,
    Transform,
    VGroup,
    VMobject,
)

DATA_GREY = "#c9ced6"
RADIUS = 0.034  # dots of the main plot, in scene units


def _dots(points: np.ndarray, center: np.ndarray, scale: float, radius: float, color: str,
          limit: float) -> VMobject:
    """Points as dots around `center` (`scale` scene units per data unit, clipped to +-limit).

    All dots are sub-paths of one VMobject: Cairo then draws hundreds of them as one path, and a
    Transform between two clouds of the same size is one array interpolation, not hundreds.
    """
    points = np.asarray(points, dtype=float)
    # One closed cubic curve per dot (a round-ish blob two to five pixels wide): a quarter of the
    # curves a circle needs, and Cairo's path building is a Python loop over curves.
    blob = np.array([[0.0, -1.0, 0], [-2.2, 1.2, 0], [2.2, 1.2, 0], [0.0, -1.0, 0]]) + [0, 0.2, 0]
    inside = (np.abs(points) <= limit).all(axis=1)  # dots beyond the plot shrink to nothing
    sizes = np.where(inside, radius, 0.0)[:, None, None]  # [N, 1, 1]
    offsets = np.zeros((len(points), 1, 3))
    offsets[:, 0, :2] = np.clip(points, -limit, limit) * scale
    cloud = VMobject(stroke_width=0, fill_color=color, fill_opacity=1)
    cloud.set_points((blob[None] * sizes + offsets + center).reshape(-1, 3))
    return cloud


class DiffusionNoising2D(CourseScene):
    """Forward process T = 0..8 on the 2-D data, then the trained model's reverse process from noise."""

    def korean(self, text: str, size: float = 28, color: str = INK, weight: str = "NORMAL"):
        """Pango text is the slow part of this scene; the same label (a time, a counter) is made once."""
        cache = self.__dict__.setdefault("_texts", {})
        key = (text, size, color, weight)
        if key not in cache:
            cache[key] = super().korean(text, size, color, weight)
        return cache[key].copy()

    def construct(self) -> None:
        run = self.runs[0]
        art = run.artifacts
        times = [int(t) for t in art["snapshot_times"]]
        forward = [np.array(p, dtype=float) for p in art["forward"]]  # per time: [shown, 2]
        reverse = [np.array(p, dtype=float) for p in art["reverse"]]  # per time (ascending t)
        data = np.array(art["data"], dtype=float)
        total = times[-1]
        limit = 3.0  # the plot shows [-3, 3]^2: pure noise stays almost entirely inside

        title = self.korean("확산 모델: 노이즈를 더하고, 거꾸로 걷어낸다", size=30).to_edge(UP, buff=0.25)
        main_center = np.array([-4.1, -0.35, 0])
        main_size = 5.4
        scale = main_size / (2 * limit)
        box = Rectangle(width=main_size, height=main_size, color=MUTED, stroke_width=1.5).move_to(main_center)
        counter = self.korean(f"t = 0 / {total}", size=24).next_to(box, UP, buff=0.15)
        phase = self.korean("순방향 q: 데이터에 노이즈를 조금씩", size=21, color=INK).next_to(box, DOWN, buff=0.15)

        # Thumbnails: row 1 the forward snapshots, row 2 the reverse ones, building up as they happen.
        columns = len(times)
        thumb = min(0.82, 7.4 / columns - 0.06)
        left_edge = -0.9
        thumb_scale = thumb / (2 * limit)
        row_y = [1.6, -0.75]
        thumb_centers = [[np.array([left_edge + thumb / 2 + k * (thumb + 0.06), y, 0]) for k in range(columns)]
                         for y in row_y]
        shown = min(len(forward[0]), 150)  # thumbnails carry fewer points: they are small
        row_titles = VGroup(
            self.korean("순방향: t = 0 → T (데이터 → 노이즈)", size=19).next_to(thumb_centers[0][0], UP,
                                                                      buff=thumb / 2 + 0.15, aligned_edge=LEFT),
            self.korean("역방향: t = T → 0 (학습된 모델이 노이즈 제거)", size=19).next_to(
                thumb_centers[1][0], UP, buff=thumb / 2 + 0.15, aligned_edge=LEFT),
        )
        for title_text in row_titles:
            title_text.shift(LEFT * (thumb / 2))

        def thumbnail(points: np.ndarray, center: np.ndarray, color: str, label: str) -> VGroup:
            frame = Rectangle(width=thumb, height=thumb, color=MUTED, stroke_width=1).move_to(center)
            dots = _dots(points[:shown], center, thumb_scale, 0.014, color, limit)
            text = self.korean(label, size=15, color=MUTED).next_to(frame, DOWN, buff=0.06)
            return VGroup(frame, dots, text)

        cloud = _dots(forward[0], main_center, scale, RADIUS, ACCENT, limit)
        self.play(FadeIn(title), FadeIn(box), FadeIn(counter), FadeIn(phase), run_time=0.8)
        self.play(FadeIn(cloud), FadeIn(row_titles[0]),
                  FadeIn(thumbnail(forward[0], thumb_centers[0][0], ACCENT, "t=0")), run_time=0.8)
        for k in range(1, columns):
            self.bring_to_front(cloud, counter)  # Cairo redraws everything above a moving mobject
            self.play(Transform(cloud, _dots(forward[k], main_center, scale, RADIUS, ACCENT, limit)),
                      Transform(counter, self.korean(f"t = {times[k]} / {total}", size=24).move_to(counter)),
                      FadeIn(thumbnail(forward[k], thumb_centers[0][k], ACCENT, f"t={times[k]}")), run_time=0.75)
        self.wait(0.4)

        # Reverse: the trained model's sampler, from its own fresh noise x_T back to t = 0.
        self.play(Transform(phase, self.korean("역방향 pθ: 노이즈에서 데이터로", size=21,
                                               color=NEGATIVE).move_to(phase)),
                  Transform(cloud, _dots(reverse[-1], main_center, scale, RADIUS, NEGATIVE, limit)),
                  FadeIn(row_titles[1]),
                  FadeIn(thumbnail(reverse[-1], thumb_centers[1][0], NEGATIVE, f"t={times[-1]}")), run_time=0.9)
        for column, k in enumerate(range(columns - 2, -1, -1), start=1):
            self.bring_to_front(cloud, counter)
            self.play(Transform(cloud, _dots(reverse[k], main_center, scale, RADIUS, NEGATIVE, limit)),
                      Transform(counter, self.korean(f"t = {times[k]} / {total}", size=24).move_to(counter)),
                      FadeIn(thumbnail(reverse[k], thumb_centers[1][column], NEGATIVE, f"t={times[k]}")),
                      run_time=0.75)

        # Summary: the held-out data in grey under the samples, and the run's own measure of the match.
        ghost = _dots(data, main_center, scale, RADIUS, DATA_GREY, limit).set_z_index(-1)
        ratio = run.metrics["mmd_ratio"]
        verdict = VGroup(
            self.korean("회색: 실제 데이터 · 빨강: 학습된 모델이 만든 샘플", size=19, color=INK),
            self.korean(f"MMD² 비 (DDPM / 가우시안 근사) = {ratio:.2f}  (작을수록 데이터에 가깝다)", size=19,
                        color=INK),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        verdict.next_to(thumb_centers[1][0], DOWN, buff=thumb / 2 + 0.4, aligned_edge=LEFT).shift(LEFT * thumb / 2)
        if verdict.get_right()[0] > 6.9:
            verdict.scale_to_fit_width(6.9 - verdict.get_left()[0])
        self.play(FadeIn(ghost), FadeIn(verdict), run_time=0.9)
        self.wait(1.5)


def _image(pixels: np.ndarray, side: float, levels: int = 16) -> VGroup:
    """An 8x8 array in pixel units (-1 background, +1 ink; noise beyond) as crisp grey squares.

    Drawn as vectors, one VMobject per grey level (each square a sub-path): every cell stays a
    sharp square at any resolution. (manim 0.22's ImageMobject cannot be drawn with Pillow 13.)
    """
    values = np.clip((np.asarray(pixels, dtype=float) + 1) / 2, 0, 1)  # 0 background .. 1 ink
    quantised = np.round(values * (levels - 1)).astype(int)
    rows, columns = quantised.shape
    cell = side / max(rows, columns)
    square = np.array([[0, 0, 0], [1, 0, 0], [1, -1, 0], [0, -1, 0], [0, 0, 0]], dtype=float) * cell
    corner = np.array([-side / 2, side / 2, 0])
    group = VGroup()
    for level in range(1, levels):
        cells = np.argwhere(quantised == level)
        if not len(cells):
            continue
        shape = VMobject(stroke_width=0, fill_color=ManimColor.from_rgb([1 - level / (levels - 1)] * 3),
                         fill_opacity=1)
        for row, column in cells:
            shape.start_new_path(corner + square[0] + [column * cell, -row * cell, 0])
            shape.add_points_as_corners(corner + square[1:] + [column * cell, -row * cell, 0])
        group.add(shape)
    background = Rectangle(width=side, height=side, stroke_width=0, fill_color="#ffffff", fill_opacity=1)
    return VGroup(background, *group)


class DiffusionDigits(CourseScene):
    """One digit noised step by step (T = 0..8) as a strip, then samples emerging from noise."""

    def construct(self) -> None:
        run = self.runs[0]
        art = run.artifacts
        strip = [np.array(s) for s in art["forward_strip"]]  # [9][8][8]
        forward_times = [int(t) for t in art["forward_times"]]
        reverse_times = [int(t) for t in art["reverse_times"]]  # T .. 0
        trajectory = np.array(art["reverse_trajectory"], dtype=float)  # [times, samples, 8, 8]
        rows = min(3, trajectory.shape[1])
        columns = len(strip)
        side = min(1.0, 11.0 / columns - 0.15)
        gap = 0.15
        left = -4.5  # room for the row labels on the left; the strip ends near the right edge

        title = self.korean("확산 모델로 숫자 만들기: 8×8 손글씨", size=30).to_edge(UP, buff=0.25)
        self.play(FadeIn(title), run_time=0.6)

        def x_at(column: int) -> float:
            return left + side / 2 + column * (side + gap)

        top_y = 1.95
        forward_label = self.korean("순방향", size=20, color=ACCENT).move_to([left - 0.75, top_y, 0])
        forward_note = self.korean("한 숫자에 노이즈를 조금씩 더한다 (마르코프 연쇄)", size=19,
                                   color=MUTED).next_to([left, top_y + side / 2, 0], UP, buff=0.12,
                                                        aligned_edge=LEFT)
        self.play(FadeIn(forward_label), FadeIn(forward_note), run_time=0.5)
        for column, (pixels, t) in enumerate(zip(strip, forward_times, strict=True)):
            image = _image(pixels, side).move_to([x_at(column), top_y, 0])
            border = Rectangle(width=side, height=side, color=MUTED, stroke_width=1).move_to(image)
            tag = self.korean(f"t={t}", size=15, color=MUTED).next_to(border, DOWN, buff=0.05)
            self.play(FadeIn(image), FadeIn(border), FadeIn(tag), run_time=0.45)

        arrow_y = top_y - side / 2 - 0.55
        arrow = Arrow([x_at(columns - 1), arrow_y, 0], [x_at(0), arrow_y, 0], color=NEGATIVE, buff=0,
                      stroke_width=4, max_tip_length_to_length_ratio=0.03)
        reverse_note = self.korean("역방향: 학습된 모델이 순수한 노이즈에서 노이즈를 걷어낸다", size=19,
                                   color=NEGATIVE).next_to(arrow, DOWN, buff=0.1)
        self.play(FadeIn(arrow), FadeIn(reverse_note), run_time=0.6)

        first_row_y = reverse_note.get_bottom()[1] - 0.2 - side / 2
        row_y = [first_row_y - r * (side + 0.12) for r in range(rows)]
        label = self.korean("샘플", size=20, color=NEGATIVE).move_to([left - 0.75, row_y[rows // 2], 0])
        time_tags = VGroup()
        for column, t in enumerate(reverse_times):
            images = []
            for r in range(rows):
                image = _image(trajectory[column, r], side).move_to([x_at(column), row_y[r], 0])
                images += [image, Rectangle(width=side, height=side, color=MUTED, stroke_width=1).move_to(image)]
            tag = self.korean(f"t={t}", size=15, color=MUTED).next_to(images[-1], DOWN, buff=0.05)
            time_tags.add(tag)
            extra = [FadeIn(label)] if column == 0 else []
            self.play(*[FadeIn(m) for m in images], FadeIn(tag), *extra, run_time=0.55)

        confidence = run.metrics["ddpm_confidence"]
        classes = int(run.metrics["ddpm_classes"])
        verdict = self.korean(f"판별기가 본 샘플: 평균 확신도 {confidence:.0%}, 서로 다른 숫자 {classes}종",
                              size=19, color=INK).to_edge(DOWN, buff=0.2)
        self.play(FadeIn(verdict), run_time=0.6)
        self.wait(1.5)
