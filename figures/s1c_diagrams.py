"""Diagrams for session 1, sections 7-9 (transformers, LLMs, multimodal models), drawn without a trained model.

They stand in for the pictures the source document shows but the course cannot include: the
transformer's architecture, the LLM training pipeline, the LLM family tree and LLaVA's architecture.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from style import PALETTE

BLUE, RED, YELLOW, GREEN, PURPLE, TEAL, GREY, ORANGE = PALETTE


def _canvas(width: float, height: float, xlim: tuple[float, float], ylim: tuple[float, float]):
    figure, axis = plt.subplots(figsize=(width, height))
    axis.set_xlim(*xlim)
    axis.set_ylim(*ylim)
    axis.axis("off")
    return figure, axis


def _box(axis, x: float, y: float, width: float, height: float, text: str, colour: str,
         fontsize: float = 14, alpha: float = 0.22, weight: str = "normal") -> None:
    """A rounded box with its lower-left corner at (x, y) and the text centred in it."""
    axis.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02,rounding_size=0.12",
                                  facecolor=colour, alpha=alpha, edgecolor="none"))
    axis.add_patch(FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02,rounding_size=0.12",
                                  facecolor="none", edgecolor=colour, linewidth=1.8))
    axis.text(x + width / 2, y + height / 2, text, ha="center", va="center", fontsize=fontsize,
              color="#222", fontweight=weight, linespacing=1.35)


def _arrow(axis, start: tuple[float, float], end: tuple[float, float], colour: str = "#555",
           style: str = "-|>", connection: str = "arc3") -> None:
    axis.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=16, color=colour,
                                   linewidth=1.6, connectionstyle=connection, shrinkA=2, shrinkB=2))


def transformer_architecture(runs):
    """The encoder-decoder transformer of Vaswani et al. (2017), as stacked boxes."""
    figure, axis = _canvas(11.0, 7.2, (0, 10), (0, 10.4))
    # Encoder (left) and decoder (right) frames, each repeated N times.
    for x, label in ((0.6, "인코더 × N"), (5.4, "디코더 × N")):
        axis.add_patch(FancyBboxPatch((x, 2.5), 4.0, 5.6 if x < 1 else 5.85,
                                      boxstyle="round,pad=0.05,rounding_size=0.2", facecolor="#f4f6f8",
                                      edgecolor=GREY, linewidth=1.2, linestyle="--"))
        axis.text(x + 0.1, 2.6, label, fontsize=13, color="#555", va="bottom")
    # Encoder column.
    _box(axis, 1.1, 0.2, 3.0, 0.8, "입력 토큰 임베딩", GREY)
    _box(axis, 1.1, 1.3, 3.0, 0.8, "+ 위치 인코딩", ORANGE)
    _box(axis, 1.1, 3.2, 3.0, 1.1, "멀티 헤드\n셀프 어텐션", BLUE, weight="bold")
    _box(axis, 1.1, 4.6, 3.0, 0.6, "더하기 & 정규화", GREY, fontsize=12)
    _box(axis, 1.1, 5.5, 3.0, 1.0, "피드포워드 신경망", GREEN)
    _box(axis, 1.1, 6.8, 3.0, 0.6, "더하기 & 정규화", GREY, fontsize=12)
    for low, high in ((1.0, 1.3), (2.1, 3.2), (4.3, 4.6), (5.2, 5.5), (6.5, 6.8)):
        _arrow(axis, (2.6, low), (2.6, high))
    # Decoder column.
    _box(axis, 5.9, 0.2, 3.0, 0.8, "지금까지 만든 출력 토큰", GREY)
    _box(axis, 5.9, 1.3, 3.0, 0.8, "+ 위치 인코딩", ORANGE)
    _box(axis, 5.9, 3.0, 3.0, 1.0, "마스크된 멀티 헤드\n셀프 어텐션", BLUE, weight="bold")
    _box(axis, 5.9, 4.3, 3.0, 1.0, "인코더-디코더\n(교차) 어텐션", PURPLE, weight="bold")
    _box(axis, 5.9, 5.6, 3.0, 0.5, "더하기 & 정규화", GREY, fontsize=12)
    _box(axis, 5.9, 6.4, 3.0, 0.9, "피드포워드 신경망", GREEN)
    _box(axis, 5.9, 7.6, 3.0, 0.5, "더하기 & 정규화", GREY, fontsize=12)
    _box(axis, 5.9, 8.9, 3.0, 0.8, "선형 + 소프트맥스:\n다음 토큰의 확률", RED, fontsize=13)
    for low, high in ((1.0, 1.3), (2.1, 3.0), (4.0, 4.3), (5.3, 5.6), (6.1, 6.4), (7.3, 7.6), (8.1, 8.9)):
        _arrow(axis, (7.4, low), (7.4, high))
    # The encoder's output feeds the decoder's cross-attention as keys and values.
    _arrow(axis, (2.6, 7.4), (5.85, 4.8), colour=PURPLE, connection="arc3,rad=-0.25")
    axis.text(3.0, 8.35, "인코더 출력 → 키·값", fontsize=13, color=PURPLE)
    figure.tight_layout()
    return figure


def llm_pipeline(runs):
    """Pre-training, instruction tuning, preference alignment (RLHF or DPO): what each stage learns from."""
    figure, axis = _canvas(11.0, 4.4, (0, 11), (0, 4.4))
    stages = [
        ("① 사전 학습", "웹·책·코드의\n방대한 텍스트", "다음 토큰 예측", "기반 모델", BLUE),
        ("② 인스트럭션 튜닝", "사람이 쓴\n지시-응답 예시", "지도 미세 조정", "지시를 따르는 모델", GREEN),
        ("③ 선호도 정렬", "두 응답 중\n사람이 고른 쪽", "RLHF 또는 DPO", "사람의 선호에\n맞춘 모델", RED),
    ]
    for index, (name, data, objective, result, colour) in enumerate(stages):
        x = 0.3 + index * 3.7
        _box(axis, x, 1.35, 3.0, 2.8, "", colour, alpha=0.14)
        axis.text(x + 1.5, 3.7, name, ha="center", va="center", fontsize=17, fontweight="bold", color="#222")
        axis.text(x + 1.5, 2.75, data, ha="center", va="center", fontsize=14, color="#333", linespacing=1.3)
        axis.text(x + 1.5, 1.8, objective, ha="center", va="center", fontsize=14, color="#333",
                  fontweight="bold")
        axis.text(x + 1.5, 0.65, f"→ {result}", ha="center", va="center", fontsize=15, color=colour,
                  fontweight="bold", linespacing=1.2)
        if index < len(stages) - 1:
            _arrow(axis, (x + 3.05, 2.55), (x + 3.65, 2.55), colour="#444")
    figure.tight_layout()
    return figure


# (year, name, maker, family) as the source document dates them; families: encoder, encoder-decoder, decoder
LLMS = [
    (2017, "Transformer", "Google", "encoder-decoder"),
    (2018, "BERT", "Google", "encoder"),
    (2019, "T5", "Google", "encoder-decoder"),
    (2018, "GPT", "OpenAI", "decoder"),
    (2019, "GPT-2", "OpenAI", "decoder"),
    (2020, "GPT-3", "OpenAI", "decoder"),
    (2022, "ChatGPT", "OpenAI", "decoder"),
    (2023, "Claude", "Anthropic", "decoder"),
    (2023, "LLaMA", "Meta", "decoder"),
    (2023, "Mistral 7B", "Mistral AI", "decoder"),
    (2023, "Qwen", "Alibaba", "decoder"),
    (2023, "Phi", "Microsoft", "decoder"),
    (2024, "Gemma", "Google", "decoder"),
]
MAKER_COLOURS = {"Google": BLUE, "OpenAI": GREEN, "Anthropic": ORANGE, "Meta": PURPLE, "Mistral AI": RED,
                 "Alibaba": YELLOW, "Microsoft": TEAL}


def llm_evolution(runs):
    """The language models of section 7 by year and by which half of the transformer they keep."""
    lanes = {"encoder": (6.4, "인코더 전용\n(이해: 분류, 검색)"),
             "encoder-decoder": (5.0, "인코더-디코더\n(텍스트 → 텍스트)"),
             "decoder": (0.6, "디코더 전용\n(자기회귀 생성)")}
    figure, axis = _canvas(13.0, 6.2, (2014.6, 2024.7), (0, 7.5))
    for family, (y, label) in lanes.items():
        top = y + 1.0 if family != "decoder" else y + 4.0
        axis.add_patch(FancyBboxPatch((2016.7, y - 0.1), 8.0, top - y, boxstyle="round,pad=0.02",
                                      facecolor="#f4f6f8", edgecolor="none"))
        axis.text(2016.4, (y - 0.1 + top) / 2, label, ha="right", va="center", fontsize=13, color="#333")
    stacked: dict[tuple[int, str], int] = {}
    for year, name, maker, family in LLMS:
        level = stacked.get((year, family), 0)
        stacked[(year, family)] = level + 1
        y = lanes[family][0] + 0.42 + level * 0.78
        axis.text(year, y, f"{name}\n{maker}", ha="center", va="center", fontsize=14,
                  bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                        "edgecolor": MAKER_COLOURS[maker], "linewidth": 1.8})
    for year in range(2017, 2025):
        axis.text(year, 0.05, str(year), ha="center", va="bottom", fontsize=13, color="#555")
        axis.plot([year, year], [0.4, 7.4], color="#ddd", linewidth=0.8, zorder=0)
    figure.tight_layout()
    return figure


def llava_architecture(runs):
    """LLaVA (Liu et al., 2023): a vision encoder, a projection into word space, and a language model."""
    figure, axis = _canvas(11.0, 4.6, (0, 11), (0, 5.0))
    _box(axis, 0.2, 0.5, 1.9, 1.0, "이미지", GREY, fontsize=15)
    _box(axis, 2.6, 0.5, 2.4, 1.0, "비전 인코더\n(CLIP ViT, 고정)", BLUE, fontsize=13.5)
    _box(axis, 5.5, 0.5, 1.9, 1.0, "투영 W\n(학습)", ORANGE, fontsize=13.5)
    _box(axis, 5.5, 2.0, 1.9, 0.8, "시각 토큰", ORANGE, fontsize=13.5)
    _box(axis, 0.2, 2.0, 4.8, 0.8, "지시문 토큰: \"이 사진에서 이상한 점은?\"", GREY, fontsize=13.5)
    _box(axis, 2.2, 3.3, 6.8, 1.0, "언어 모델 (Vicuna, 디코더 전용 트랜스포머)", GREEN, fontsize=15, weight="bold")
    _box(axis, 9.3, 3.3, 1.5, 1.0, "답변\n텍스트", RED, fontsize=14)
    _arrow(axis, (2.1, 1.0), (2.6, 1.0))
    _arrow(axis, (5.0, 1.0), (5.5, 1.0))
    _arrow(axis, (6.45, 1.5), (6.45, 2.0))
    _arrow(axis, (6.45, 2.8), (6.45, 3.3))
    _arrow(axis, (2.6, 2.8), (3.6, 3.3))
    _arrow(axis, (9.0, 3.8), (9.3, 3.8))
    axis.text(7.7, 1.0, "이미지 특징을\n단어 임베딩과 같은\n공간으로 옮긴다", fontsize=13, color="#555", va="center")
    figure.tight_layout()
    return figure
