"""Attention weights of a tiny transformer that learned to reverse a sequence of syllables.

Reads the model `tiny_transformer`: `tokens` (what the model reads: the input syllables, the
delimiter `|` and the reversed output so far), `generated` (what it wrote), and `attention`
([layer][head][query][key], causal). The head shown is the one whose attention lands most often on
the mirrored input (`mirror_rate_per_head`), in the last layer.
"""

from __future__ import annotations

import numpy as np
from common import ACCENT, INK, MUTED, NEGATIVE, CourseScene
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    Line,
    ManimColor,
    Rectangle,
    RoundedRectangle,
    Square,
    Transform,
    VGroup,
    interpolate_color,
)

PAPER = ManimColor("#ffffff")


class AttentionWeights(CourseScene):
    """Lines from each output query to every key (opacity and width = weight), then the whole matrix."""

    def construct(self) -> None:
        run = self.runs[0]
        art = run.artifacts
        tokens = list(art["tokens"])  # what the model reads: queries and keys
        length = int(art["length"])
        generated = list(art["generated"])
        rates = np.array(art["mirror_rate_per_head"], dtype=float)  # [layers, heads]
        head = int(self.params.get("head", int(np.argmax(rates[-1]))))
        weights = np.array(art["attention"], dtype=float)[-1, head]  # [queries, keys]
        count = len(tokens)

        title = self.korean("어텐션: 뒤집어 쓰는 트랜스포머는 어디를 보는가", size=28).to_edge(UP, buff=0.25)
        box = min(0.68, 12.6 / count - 0.08)
        spacing = box + 0.08
        xs = [(-(count - 1) / 2 + i) * spacing for i in range(count)]
        key_y, query_y = 1.75, -1.55

        def token_box(text: str, x: float, y: float, kind: str) -> VGroup:
            color = ACCENT if kind == "input" else (MUTED if kind == "delimiter" else NEGATIVE)
            frame = RoundedRectangle(corner_radius=0.08, width=box, height=box, stroke_color=color, stroke_width=2)
            frame.set_fill(interpolate_color(PAPER, ManimColor(color), 0.12), opacity=1).move_to([x, y, 0])
            return VGroup(frame, self.korean(text, size=20, color=INK).move_to(frame))

        def kind_of(index: int) -> str:
            return "input" if index < length else ("delimiter" if index == length else "output")

        keys = VGroup(*[token_box(t, x, key_y, kind_of(i)) for i, (t, x) in enumerate(zip(tokens, xs, strict=True))])
        queries = VGroup(*[token_box(t, x, query_y, kind_of(i))
                           for i, (t, x) in enumerate(zip(tokens, xs, strict=True))])
        key_label = self.korean("키 (읽은 토큰)", size=19, color=MUTED).next_to(keys, UP, buff=0.15)
        query_label = self.korean("질의 (지금 쓰는 위치)", size=19, color=MUTED).next_to(queries, DOWN, buff=0.15)
        input_brace = self.korean("입력", size=18, color=ACCENT).next_to(keys[length // 2], UP, buff=0.15)
        input_brace.shift(LEFT * spacing / 2)
        output_brace = self.korean("뒤집은 출력", size=18, color=NEGATIVE).next_to(keys[length + length // 2], UP,
                                                                                buff=0.15)
        key_label.to_edge(LEFT, buff=0.3).align_to(input_brace, DOWN)
        self.play(FadeIn(title), FadeIn(keys), FadeIn(key_label), FadeIn(input_brace), FadeIn(output_brace),
                  run_time=0.8)
        self.play(FadeIn(queries), FadeIn(query_label), run_time=0.6)

        # Step through the output queries: query length + j writes output j, a copy of input length - 1 - j.
        lines = VGroup()
        highlight = Rectangle(width=box + 0.1, height=box + 0.1, stroke_color=INK, stroke_width=4)
        highlight.move_to(queries[length])
        writes = self.korean("", size=20)
        self.add(lines, highlight, writes)
        for j, query in enumerate(range(length, min(count, 2 * length))):
            new_lines = VGroup()
            for key in range(query + 1):  # causal: a query sees keys up to itself
                weight = weights[query, key]
                if weight < 0.02:
                    continue
                new_lines.add(Line(queries[query].get_top(), keys[key].get_bottom(), color=NEGATIVE,
                                   stroke_width=1 + 10 * weight, stroke_opacity=min(1.0, 0.15 + weight)))
            target = int(np.argmax(weights[query, : query + 1]))
            written = generated[j] if j < len(generated) else "?"
            caption = self.korean(
                f"{query + 1}번째 위치의 질의가 가장 강하게 보는 키: {target + 1}번째 '{tokens[target]}'"
                f"  →  다음 토큰 '{written}'을 쓴다", size=19).to_edge(DOWN, buff=0.25)
            self.play(Transform(lines, new_lines), highlight.animate.move_to(queries[query]),
                      Transform(writes, caption), run_time=0.45 if j else 0.8)
            self.wait(0.45 if j < 3 else 0.15)
        self.wait(0.4)

        # The whole matrix: rows are queries, columns keys; the trained head reads an anti-diagonal.
        self.play(*[FadeOut(m) for m in (lines, highlight, writes, keys, queries, key_label, query_label,
                                         input_brace, output_brace)], run_time=0.6)
        cell = min(0.36, 5.8 / count)
        grid = VGroup()
        for query in range(count):
            for key in range(count):
                square = Square(side_length=cell, stroke_width=0.5, stroke_color="#e2e5ea")
                square.set_fill(interpolate_color(PAPER, ManimColor(NEGATIVE), weights[query, key]), opacity=1)
                grid.add(square.move_to([key * cell, -query * cell, 0]))
        grid.move_to([-2.75, -0.45, 0])
        column_labels = VGroup(*[self.korean(t, size=13, color=INK).next_to(grid[k], UP, buff=0.06)
                                 for k, t in enumerate(tokens)])
        row_labels = VGroup(*[self.korean(t, size=13, color=INK).next_to(grid[q * count], LEFT, buff=0.08)
                              for q, t in enumerate(tokens)])
        axes_text = VGroup(
            self.korean("키 →", size=17, color=MUTED).next_to(column_labels, UP, buff=0.1),
            self.korean("질의 ↓", size=17, color=MUTED).next_to(row_labels, LEFT, buff=0.12),
        )
        block = VGroup(*[grid[q * count + k] for q in range(length, count) for k in range(length)])
        outline = Rectangle(width=block.width, height=block.height, stroke_color=ACCENT, stroke_width=3)
        outline.move_to(block)
        rate = rates[-1, head]
        notes = VGroup(
            self.korean(f"헤드 {head + 1}의 어텐션 행렬", size=22),
            self.korean("행 = 질의, 열 = 키, 진할수록 큰 가중치", size=18, color=MUTED),
            self.korean("위 삼각형은 비어 있다: 앞만 볼 수 있다 (인과 마스크)", size=18, color=MUTED),
            self.korean("파란 틀: 출력 질의가 입력을 보는 부분", size=18, color=ACCENT),
            self.korean(f"시험 문장 전체에서 거울 위치를 가장 강하게 본 비율: {rate:.0%}", size=18, color=INK),
            self.korean(f"(학습 전: {float(np.max(art['mirror_rate_per_head_untrained'])):.0%})", size=18,
                        color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        notes.next_to(grid, RIGHT, buff=0.6)
        if notes.get_right()[0] > 6.9:
            notes.scale_to_fit_width(6.9 - notes.get_left()[0]).next_to(grid, RIGHT, buff=0.6)
        self.play(FadeIn(grid, lag_ratio=0.002), FadeIn(column_labels), FadeIn(row_labels), FadeIn(axes_text),
                  run_time=1.4)
        self.play(FadeIn(outline), FadeIn(notes, lag_ratio=0.2), run_time=1.2)
        self.wait(1.5)
