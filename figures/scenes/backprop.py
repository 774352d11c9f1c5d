"""One step of backpropagation in a 2-2-1 sigmoid network, with the numbers of a real training run.

The run's `backprop_step` artifact holds one forward and backward pass of the model `mlp_xor` on the
input (1, 0) at initialisation: activations, the error, every unit's delta, every weight's gradient,
and the weights before and after the gradient step. The scene shows them in the order they are
computed: forward layer by layer, the error at the output, deltas flowing back edge by edge, then
each weight's update.
"""

from __future__ import annotations

import math

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, POSITIVE, CourseScene
from manim import (
    DOWN,
    LEFT,
    UP,
    AnimationGroup,
    Circle,
    Create,
    FadeIn,
    Indicate,
    Line,
    MathTex,
    ShowPassingFlash,
    Transform,
    VGroup,
    Write,
)

FORWARD = "#e9a03b"  # activations travelling forward
BACKWARD = NEGATIVE  # deltas travelling back


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:+.{digits}f}".replace("+", "") if value >= 0 else f"{value:.{digits}f}"


class BackpropFlow(CourseScene):
    """Forward pass, output error, deltas flowing back, weight updates: one SGD step on one example."""

    def construct(self) -> None:
        step = self.runs[0].artifacts["backprop_step"]
        before, after = step["weights_before"], step["weights_after"]
        hidden_count = len(step["hidden"])

        title = self.korean("역전파: 오차가 거꾸로 흐르며 가중치를 고친다", size=30).to_edge(UP, buff=0.25)
        # Node positions: inputs, hidden, output, left of centre; the right third holds formulas.
        inputs_at = [np.array([-5.7, 1.5 - 3.0 * i, 0]) for i in range(2)]
        spread = 3.0 if hidden_count == 2 else 5.4 / max(1, hidden_count - 1)
        hidden_at = [np.array([-2.55, spread * (hidden_count - 1) / 2 - spread * j, 0]) for j in range(hidden_count)]
        output_at = np.array([0.5, 0.0, 0])
        for points in (inputs_at, hidden_at):
            for point in points:
                point[1] -= 0.2
        output_at[1] -= 0.2

        def node(center: np.ndarray, name: str) -> VGroup:
            circle = Circle(radius=0.48, color=INK, stroke_width=3).move_to(center)
            circle.set_fill("#ffffff", opacity=1)
            label = self.korean(name, size=22, color=MUTED).move_to(center)
            return VGroup(circle, label)

        input_nodes = [node(p, f"x{i + 1}") for i, p in enumerate(inputs_at)]
        hidden_nodes = [node(p, f"h{j + 1}") for j, p in enumerate(hidden_at)]
        output_node = node(output_at, "y")

        def edge(start: np.ndarray, end: np.ndarray) -> Line:
            return Line(start, end, buff=0.5, color=MUTED, stroke_width=3)

        first_edges = [[edge(inputs_at[i], hidden_at[j]) for i in range(2)] for j in range(hidden_count)]
        second_edges = [edge(hidden_at[j], output_at) for j in range(hidden_count)]

        def weight_label(line: Line, value: float, where: float, side: float) -> VGroup:
            # Beside the edge (perpendicular offset), on a white patch so crossing lines stay readable.
            direction = line.get_unit_vector()
            normal = np.array([-direction[1], direction[0], 0]) * side
            text = self.korean(_fmt(value, 2), size=19, color=INK)
            text.add_background_rectangle(color="#ffffff", opacity=1, buff=0.04)
            return text.move_to(line.point_from_proportion(where) + normal * 0.24)

        # Input->hidden labels sit near the inputs (where the crossing edges are still apart).
        first_labels = [[weight_label(first_edges[j][i], before["W1"][j][i], 0.25, 1.0 if j <= i else -1.0)
                         for i in range(2)] for j in range(hidden_count)]
        second_labels = [weight_label(second_edges[j], before["W2"][j], 0.5, 1.0 if j == 0 else -1.0)
                         for j in range(hidden_count)]
        all_first_labels = VGroup(*[label for row in first_labels for label in row])
        network = VGroup(*[e for row in first_edges for e in row], *second_edges,
                         *input_nodes, *hidden_nodes, output_node)

        caption = self.korean("가중치 w가 적힌 2-2-1 신경망 (시그모이드)", size=22).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(title), Create(network), run_time=1.2)
        self.play(FadeIn(all_first_labels), FadeIn(VGroup(*second_labels)), FadeIn(caption), run_time=0.8)

        # --- forward pass ----------------------------------------------------------------------
        def value_tag(center: np.ndarray, text: str, color: str, side: np.ndarray) -> VGroup:
            return self.korean(text, size=19, color=color).next_to(center, side, buff=0.58)

        self._swap(caption, f"순전파: 입력 ({_fmt(step['input'][0], 0)}, {_fmt(step['input'][1], 0)})"
                            "이 층을 따라 앞으로")
        input_values = VGroup(*[value_tag(p, _fmt(v, 0), FORWARD, LEFT) for p, v in zip(inputs_at, step["input"],
                                                                                     strict=True)])
        self.play(*[n[0].animate.set_stroke(FORWARD, width=5) for n in input_nodes], FadeIn(input_values),
                  run_time=0.6)
        flashes = [ShowPassingFlash(e.copy().set_stroke(FORWARD, width=8), time_width=0.6)
                   for row in first_edges for e in row]
        self.play(*flashes, run_time=0.8)
        hidden_values = VGroup(*[
            self.korean(f"a={_fmt(a)}", size=18, color=FORWARD).next_to(hidden_at[j], UP, buff=0.58)
            for j, a in enumerate(step["hidden"])])
        self.play(*[n[0].animate.set_stroke(FORWARD, width=5) for n in hidden_nodes], FadeIn(hidden_values),
                  run_time=0.6)
        self.play(*[ShowPassingFlash(e.copy().set_stroke(FORWARD, width=8), time_width=0.6) for e in second_edges],
                  run_time=0.7)
        output_value = self.korean(f"y={_fmt(step['output'])}", size=20, color=FORWARD).next_to(output_at, UP,
                                                                                                  buff=0.58)
        self.play(output_node[0].animate.set_stroke(FORWARD, width=5), FadeIn(output_value), run_time=0.6)

        # --- the error ---------------------------------------------------------------------------
        panel_x = 4.35
        loss_formula = MathTex(r"E = \tfrac{1}{2}\,(y - t)^2", color=INK, font_size=34).move_to([panel_x, 2.55, 0])
        loss_values = self.korean(f"t = {_fmt(step['target'], 0)},  y − t = {_fmt(step['error'])},  "
                                  f"E = {_fmt(step['loss'])}", size=19).next_to(loss_formula, DOWN, buff=0.18)
        self._swap(caption, "출력과 목표의 차이가 오차가 된다")
        self.play(Write(loss_formula), FadeIn(loss_values), Indicate(output_node, color=BACKWARD), run_time=1.2)

        # --- deltas flow back ----------------------------------------------------------------------
        delta_formula = MathTex(r"\delta_j = f'(z_j) \sum_k \delta_k\, w_{jk}", color=INK,
                                font_size=34).move_to([panel_x, 1.0, 0])
        delta_note = self.korean("출력층: δ = f'(z)·(y − t)", size=18, color=MUTED).next_to(delta_formula, DOWN,
                                                                                            buff=0.15)
        self._swap(caption, "역전파: 각 뉴런의 델타 δ가 가중치를 거슬러 뒤로 전달된다")
        output_delta = self.korean(f"δ={_fmt(step['delta_output'])}", size=19,
                                   color=BACKWARD).next_to(output_at, DOWN, buff=0.58)
        self.play(Write(delta_formula), FadeIn(delta_note), output_node[0].animate.set_stroke(BACKWARD, width=5),
                  FadeIn(output_delta), run_time=1.2)
        hidden_deltas = []
        for j in range(hidden_count):
            back = Line(output_at, hidden_at[j], buff=0.45).set_stroke(BACKWARD, width=9)
            tag = self.korean(f"δ={_fmt(step['delta_hidden'][j], 4)}", size=18,
                              color=BACKWARD).next_to(hidden_at[j], DOWN, buff=0.58)
            hidden_deltas.append(tag)
            self.play(ShowPassingFlash(back, time_width=0.7), second_edges[j].animate.set_stroke(BACKWARD, width=4),
                      run_time=0.7)
            self.play(hidden_nodes[j][0].animate.set_stroke(BACKWARD, width=5), FadeIn(tag), run_time=0.45)
        first_backs = [ShowPassingFlash(Line(hidden_at[j], inputs_at[i], buff=0.45).set_stroke(BACKWARD, width=8),
                                        time_width=0.7) for j in range(hidden_count) for i in range(2)]
        self.play(*first_backs, *[e.animate.set_stroke(BACKWARD, width=4) for row in first_edges for e in row],
                  run_time=0.8)

        # --- weight updates --------------------------------------------------------------------------
        rate = step["learning_rate"]
        update_formula = MathTex(r"w_{ij} \leftarrow w_{ij} - \eta\, \delta_j\, a_i", color=INK,
                                 font_size=34).move_to([panel_x, -0.75, 0])
        rate_note = self.korean(f"학습률 η = {_fmt(rate, 1)}", size=18, color=MUTED).next_to(update_formula, DOWN,
                                                                                             buff=0.15)
        self._swap(caption, "경사 하강: 각 가중치가 (델타 × 들어온 활성값)에 비례해 바뀐다")
        self.play(Write(update_formula), FadeIn(rate_note), run_time=1.0)
        changes = []
        for j in range(hidden_count):
            changes.append((second_labels[j], after["W2"][j], before["W2"][j], second_edges[j]))
        for j in range(hidden_count):
            for i in range(2):
                changes.append((first_labels[j][i], after["W1"][j][i], before["W1"][j][i], first_edges[j][i]))
        for label, new, old, line in changes:
            changed = abs(new - old) >= 0.005
            target = self.korean(_fmt(new, 2), size=19, color=ACCENT if changed else MUTED,
                                 weight="BOLD" if changed else "NORMAL")
            target.add_background_rectangle(color="#ffffff", opacity=1, buff=0.04).move_to(label)
            width = 3 + 2.5 * min(2.0, abs(new))
            self.play(Transform(label, target), line.animate.set_stroke(POSITIVE if new > 0 else NEGATIVE,
                                                                         width=width, opacity=0.8),
                      run_time=0.35)

        # --- what the step bought: the same input through the updated weights -------------------------
        new_output = self._forward(after, step["input"])
        summary = (f"한 번 갱신한 뒤 같은 입력의 출력: {_fmt(step['output'])} → {_fmt(new_output)}"
                   f"  (목표 {_fmt(step['target'], 0)})")
        legend = VGroup(
            self.korean("선 굵기 = |w|,  파랑 w > 0,  빨강 w < 0", size=17, color=MUTED),
            self.korean("편향 b도 같은 규칙으로 갱신 (그림에서는 생략)", size=17, color=MUTED),
        ).arrange(DOWN, buff=0.12).move_to([panel_x - 0.1, -2.15, 0])
        self._swap(caption, summary, run_time=0.8, size=22)
        self.play(FadeIn(legend), AnimationGroup(*[Indicate(n, color=ACCENT, scale_factor=1.1)
                                                   for n in hidden_nodes]), run_time=0.8)
        self.wait(1.5)

    def _swap(self, caption, text: str, run_time: float = 0.5, size: float = 22) -> None:
        new = self.korean(text, size=size).to_edge(DOWN, buff=0.3)
        if new.width > 13.2:
            new.scale_to_fit_width(13.2)
        self.play(Transform(caption, new), run_time=run_time)

    @staticmethod
    def _forward(weights: dict, inputs: list[float]) -> float:
        """The network's output with `weights` (the run's W1, b1, W2, b2) on `inputs`."""
        def sigmoid(z: float) -> float:
            return 1 / (1 + math.exp(-z))

        hidden = [sigmoid(sum(w * x for w, x in zip(row, inputs, strict=True)) + b)
                  for row, b in zip(weights["W1"], weights["b1"], strict=True)]
        return sigmoid(sum(w * a for w, a in zip(weights["W2"], hidden, strict=True)) + weights["b2"][0])
