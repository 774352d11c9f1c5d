"""Figures of the seq2seq reversal task: loss, accuracy by length, attention maps and examples."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from style import NEGATIVE, POSITIVE

VARIANTS = {
    "plain": ("어텐션 없는 인코더-디코더", NEGATIVE),
    "attention": ("어텐션 있는 인코더-디코더", POSITIVE),
}


def _smooth(values, window: int) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    window = max(1, min(window, len(values)))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def training_curves(runs, window: int = 20):
    """Training loss per step (moving average) and held-out exact match by sequence length."""
    run = runs[0]
    figure, (loss_axis, length_axis) = plt.subplots(1, 2, figsize=(12.5, 4.6))
    for variant, (label, colour) in VARIANTS.items():
        smooth = _smooth(run.history[f"loss_{variant}"], window)
        loss_axis.plot(np.arange(len(smooth)) + window, smooth, color=colour, linewidth=2, label=label)
        by_length = run.artifacts[f"exact_match_by_length_{variant}"]
        lengths = sorted(by_length, key=int)
        length_axis.plot([int(n) for n in lengths], [by_length[n] * 100 for n in lengths], "o-", color=colour,
                         linewidth=2, label=f"{label}: 전체 {run.metrics[f'exact_match_{variant}']:.1%}")
    loss_axis.set_yscale("log")
    loss_axis.set_xlabel("훈련 단계")
    loss_axis.set_ylabel(f"토큰당 교차 엔트로피 ({window}단계 이동 평균)")
    loss_axis.set_title("훈련 손실")
    loss_axis.legend()
    length_axis.set_xlabel("입력 길이 (글자 수)")
    length_axis.set_ylabel("완전 일치 정확도 (%)")
    length_axis.set_ylim(0, 105)
    length_axis.set_title("처음 보는 시퀀스의 완전 일치 (길이별)")
    length_axis.legend(loc="lower left")
    figure.suptitle("글자 순서 뒤집기 번역: 같은 GRU, 같은 데이터, 어텐션만 다름")
    figure.tight_layout()
    return figure


def attention_maps(runs, count: int = 4):
    """Where each output step looks in the source: the attention weights of held-out examples."""
    run = runs[0]
    maps = run.artifacts["attention_maps"][:count]
    sources = run.artifacts["attention_sources"][:count]
    figure, axes = plt.subplots(1, len(maps), figsize=(3.6 * len(maps), 4.1), squeeze=False)
    for axis, weights, source in zip(axes[0], maps, sources, strict=True):
        weights = np.array(weights)
        image = axis.imshow(weights, cmap="Blues", vmin=0, vmax=1)
        outputs = [*source[::-1], "끝"]
        axis.set_xticks(range(len(source)), list(source))
        axis.set_yticks(range(len(outputs)), outputs)
        axis.set_xlabel("입력 글자 (인코더)")
        axis.set_title(f"{source} → {source[::-1]}", fontsize=12)
        axis.grid(False)
    axes[0, 0].set_ylabel("출력 글자 (디코더)")
    figure.colorbar(image, ax=axes[0].tolist(), shrink=0.8, label="어텐션 가중치")
    figure.suptitle("어텐션: 출력의 각 글자가 입력의 어디를 보는가 (역대각선 = 뒤집기)", fontsize=13)
    return figure


def examples(runs, count: int = 10):
    """Held-out inputs, the right answer and what each model wrote (wrong answers in red)."""
    run = runs[0]
    rows = run.artifacts["examples"][:count]
    figure, axis = plt.subplots(figsize=(10.5, 0.42 * len(rows) + 1.2))
    axis.axis("off")
    headers = ["입력", "정답 (뒤집기)", "어텐션 없음", "어텐션 있음"]
    xs = [0.02, 0.27, 0.52, 0.77]
    for x, header in zip(xs, headers, strict=True):
        axis.text(x, 1.0, header, fontsize=12, fontweight="bold", va="top", transform=axis.transAxes)
    for index, row in enumerate(rows):
        y = 1.0 - (index + 1.3) / (len(rows) + 1.5)
        values = [row["source"], row["target"], row["plain"], row["attention"]]
        for column, (x, value) in enumerate(zip(xs, values, strict=True)):
            colour = "black"
            if column >= 2:
                colour = POSITIVE if value == row["target"] else NEGATIVE
            axis.text(x, y, value, fontsize=12, family="monospace", color=colour, transform=axis.transAxes)
    axis.set_title("처음 보는 입력에 대한 출력 ('.' = 끝 표시, 파랑 = 맞음, 빨강 = 틀림)", fontsize=13,
                   pad=14)
    figure.tight_layout()
    return figure
